package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/query"
	"github.com/compoundwatch/compoundwatch/search"
)

func (a *app) searchCmd() *cobra.Command {
	var (
		asJSON                        bool
		compounds, tycoons, provinces []string
		outlets                       []string
		from, to, sort                string
		limit                         int
	)
	cmd := &cobra.Command{
		Use:   "search [flags] QUERY",
		Short: "Search the indexed coverage",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			g, err := a.gazetteer()
			if err != nil {
				return err
			}
			p := query.Params{Compounds: compounds, Tycoons: tycoons, Provinces: provinces,
				Outlets: outlets, From: from, To: to, Sort: sort, Limit: limit}
			if len(args) > 0 {
				p.Text = args[0]
			}
			q, err := query.Parse(g, p)
			if err != nil {
				return cliParamError(err)
			}
			backend, err := a.openBackend(ctx)
			if err != nil {
				return err
			}
			defer backend.Close()
			res, err := backend.Search(ctx, q)
			if err != nil {
				return err
			}
			return a.printHits(ctx, res, asJSON)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "one JSON object per hit")
	f.StringArrayVar(&compounds, "compound", nil, "only documents tagged with this compound (name, alias or id; repeatable)")
	f.StringArrayVar(&tycoons, "tycoon", nil, "only documents tagged with this tycoon (repeatable)")
	f.StringArrayVar(&provinces, "province", nil, "only documents tagged with this province, directly or through a town (repeatable)")
	f.StringArrayVar(&outlets, "outlet", nil, "only documents from this outlet (repeatable)")
	f.StringVar(&from, "from", "", "published on or after YYYY-MM-DD")
	f.StringVar(&to, "to", "", "published on or before YYYY-MM-DD")
	f.StringVar(&sort, "sort", "", "relevance (default), date (newest first) or date:asc")
	f.IntVar(&limit, "limit", 10, "hits to show")
	return cmd
}

// cliParamError names the flag rather than the API parameter.
func cliParamError(err error) error {
	var pe *query.Error
	if errors.As(err, &pe) {
		pe.Param = "--" + pe.Param
		return pe
	}
	return err
}

// hitJSON is one line of `search --json`.
type hitJSON struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Source    string   `json:"source"`
	Outlet    string   `json:"outlet,omitempty"`
	Published string   `json:"published,omitempty"`
	Entities  []string `json:"entities"`
	Snippet   string   `json:"snippet"`
	Score     float64  `json:"score,omitempty"`
}

func (a *app) printHits(_ context.Context, res *search.Result, asJSON bool) error {
	g, err := a.gazetteer()
	if err != nil {
		return err
	}
	name := func(d search.Doc, id string) string {
		if r, ok := g.Entity(id); ok {
			return r.Name
		}
		if l, ok := d.Labels[id]; ok {
			return l + " (candidate)"
		}
		return id
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	if !asJSON {
		fmt.Fprintf(a.stdout, "%d hits\n", res.Total)
	}
	for i, h := range res.Hits {
		d := h.Doc
		var ents []string
		for _, ids := range [][]string{d.Compounds, d.Tycoons, d.Provinces} {
			for _, id := range ids {
				ents = append(ents, name(d, id))
			}
		}
		snippet := plainSnippet(h.Snippet)
		if asJSON {
			if err := enc.Encode(hitJSON{ID: d.ID, Title: d.Title, Source: d.URL, Outlet: d.Outlet,
				Published: d.PublishedDate, Entities: ents, Snippet: snippet, Score: h.Score}); err != nil {
				return err
			}
			continue
		}
		date := d.PublishedDate
		if date == "" {
			date = "undated"
		}
		fmt.Fprintf(a.stdout, "\n%d. %s\n   %s · %s\n", i+1, d.Title, d.URL, date)
		if len(ents) > 0 {
			fmt.Fprintf(a.stdout, "   entities: %s\n", strings.Join(ents, ", "))
		}
		if snippet != "" {
			fmt.Fprintf(a.stdout, "   %s\n", snippet)
		}
	}
	return nil
}

// plainSnippet turns the HTML snippet into terminal text, showing matches
// in brackets.
func plainSnippet(s string) string {
	s = strings.NewReplacer("<mark>", "[", "</mark>", "]").Replace(s)
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

func ignoreCanceled(err error) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
