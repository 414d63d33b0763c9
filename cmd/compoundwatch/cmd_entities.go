package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/spf13/cobra"
	"golang.org/x/text/width"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
)

func (a *app) entitiesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "entities",
		Short: "Inspect the gazetteer and the entities discovered in coverage",
	}
	var asJSON bool
	candidates := &cobra.Command{
		Use:   "candidates",
		Short: "List entities found by discovery that the gazetteer lacks, with counts, example contexts and the known entities they are likely the same as",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withBus(ctx, func(b *bus.Bus) error {
				cands, err := a.candidates(ctx, b)
				if err != nil {
					return err
				}
				enc := json.NewEncoder(a.stdout)
				enc.SetEscapeHTML(false)
				for _, c := range cands {
					if asJSON {
						if err := enc.Encode(c); err != nil {
							return err
						}
						continue
					}
					fmt.Fprintf(a.stdout, "%-9s %s %3d docs  %s\n", c.Type, padColumns(c.Name, 40), c.Count, c.ID)
					for _, p := range c.Proposals {
						fmt.Fprintf(a.stdout, "          likely the same as %s (%s), confidence %.2f: %s\n", p.Name, p.ID, p.Confidence, p.Evidence)
					}
					for _, ex := range c.Examples {
						fmt.Fprintf(a.stdout, "          %v\n", ex)
					}
				}
				if len(cands) == 0 && !asJSON {
					fmt.Fprintln(a.stdout, "no candidates")
				}
				return nil
			})
		},
	}
	candidates.Flags().BoolVar(&asJSON, "json", false, "one JSON object per candidate")

	link := &cobra.Command{
		Use:   "link CANDIDATE ID",
		Short: "Record that a discovered name is a known entity (in the data directory's gazetteer overlay)",
		Long: `Link records an editor's decision that CANDIDATE (a candidate id from
"entities candidates", or the name as written) is the known entity ID: the
name becomes one of its aliases in ` + gazetteer.OverlayFile + ` in the data
directory. Documents extracted after that are tagged with the known entity;
"compoundwatch reindex" applies the decision to the documents already
indexed. Stages already running pick it up when restarted.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			g, err := a.gazetteer()
			if err != nil {
				return err
			}
			name, typ := args[0], ""
			if strings.HasPrefix(name, "candidate:") {
				err := a.withBus(ctx, func(b *bus.Bus) error {
					cands, err := a.candidates(ctx, b)
					if err != nil {
						return err
					}
					i := slices.IndexFunc(cands, func(c extractor.Candidate) bool { return c.ID == args[0] })
					if i < 0 {
						return fmt.Errorf("no candidate %q in the tagged documents (see compoundwatch entities candidates)", args[0])
					}
					name, typ = cands[i].Name, cands[i].Type
					return nil
				})
				if err != nil {
					return err
				}
			}
			if r, ok := g.Entity(args[1]); ok && typ != "" && r.Type != typ {
				return fmt.Errorf("%s is a %s and %s a %s: link a candidate to an entity of its type", args[0], typ, args[1], r.Type)
			}
			ng, err := g.AddLink(a.overlayPath(), gazetteer.Link{Name: name, Type: typ, ID: args[1], By: "cli"})
			if err != nil {
				return fmt.Errorf("link %q to %s: %w", name, args[1], err)
			}
			a.gaz = ng
			r, _ := ng.Entity(args[1])
			fmt.Fprintf(a.stdout, "linked %q to %s (%s) in %s\nrun \"compoundwatch reindex\" to apply it to documents already indexed\n", name, r.Name, r.ID, a.overlayPath())
			return nil
		},
	}
	cmd.AddCommand(candidates, link)
	return cmd
}

// candidates collects the discovered entities of every tagged document,
// leaving out those an editor has linked since. The log streams through
// (one batch in memory), text and all: the examples are cut from it.
func (a *app) candidates(ctx context.Context, b *bus.Bus) ([]extractor.Candidate, error) {
	g, err := a.gazetteer()
	if err != nil {
		return nil, err
	}
	var replayErr error
	docs := func(yield func(document.Tagged) bool) {
		stop := errors.New("stop")
		replayErr = bus.Replay(ctx, b, bus.StreamTagged, document.TaggedBusSchema, 500, func(batch []document.Tagged, _ int) error {
			for _, t := range batch {
				extractor.Relink(&t, g)
				if !yield(t) {
					return stop
				}
			}
			return nil
		}, nil)
		if errors.Is(replayErr, stop) {
			replayErr = nil
		}
	}
	cands := extractor.CollectCandidates(docs)
	if replayErr != nil {
		return nil, replayErr
	}
	return cands, nil
}

// padColumns pads s with spaces to n columns of a terminal, where a
// Chinese character takes two and a combining mark none, so that the
// counts after names in any script line up; fmt pads by runes.
func padColumns(s string, n int) string {
	cols := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case wide(r):
			cols += 2
		default:
			cols++
		}
	}
	if cols >= n {
		return s
	}
	return s + strings.Repeat(" ", n-cols)
}

func wide(r rune) bool {
	k := width.LookupRune(r).Kind()
	return k == width.EastAsianWide || k == width.EastAsianFullwidth
}
