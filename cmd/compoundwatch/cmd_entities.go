package main

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
)

func (a *app) entitiesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "entities",
		Short: "Inspect the gazetteer and the entities discovered in coverage",
	}
	var asJSON bool
	candidates := &cobra.Command{
		Use:   "candidates",
		Short: "List entities found by discovery that the gazetteer lacks, with counts and example contexts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withBus(ctx, func(b *bus.Bus) error {
				var docs []document.Tagged
				if err := bus.Replay(ctx, b, bus.StreamTagged, document.TaggedSchema, 500, func(batch []document.Tagged, _ int) error {
					for _, t := range batch {
						t.Text = "" // only the tags are needed; keep memory flat
						docs = append(docs, t)
					}
					return nil
				}, nil); err != nil {
					return err
				}
				cands := extractor.CollectCandidates(slices.Values(docs))
				enc := json.NewEncoder(a.stdout)
				enc.SetEscapeHTML(false)
				for _, c := range cands {
					if asJSON {
						if err := enc.Encode(c); err != nil {
							return err
						}
						continue
					}
					fmt.Fprintf(a.stdout, "%-9s %-40s %3d docs\n", c.Type, c.Name, c.Count)
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
	cmd.AddCommand(candidates)
	return cmd
}
