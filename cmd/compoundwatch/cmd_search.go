package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/query"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/web"
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
			rows, total, err := a.search(ctx, q, p)
			if err != nil {
				return err
			}
			return a.printHits(rows, total, asJSON)
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

// search runs q on the configured backend. When a running `compoundwatch
// run` or `serve` holds the embedded index, it asks that process's API
// instead, so a second terminal can search while the pipeline runs.
func (a *app) search(ctx context.Context, q search.Query, p query.Params) ([]hitJSON, int, error) {
	backend, err := a.openBackend(ctx)
	if errors.Is(err, search.ErrLocked) {
		if base, rerr := os.ReadFile(a.webURLFile()); rerr == nil {
			return a.searchAPI(ctx, strings.TrimSpace(string(base)), p)
		}
	}
	if err != nil {
		return nil, 0, err
	}
	defer backend.Close()
	res, err := backend.Search(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	g, err := a.gazetteer()
	if err != nil {
		return nil, 0, err
	}
	rows := make([]hitJSON, len(res.Hits))
	for i, h := range res.Hits {
		rows[i] = hitRow(web.ShapeHit(g, h))
		rows[i].Score = h.Score
	}
	return rows, res.Total, nil
}

// hitRow is a hit as the CLI prints it, whether it came from the index or
// through the API: entities carry their label in brackets.
func hitRow(h web.Hit) hitJSON {
	ents := make([]string, 0, len(h.Entities))
	for _, e := range h.Entities {
		if e.Label != "" {
			ents = append(ents, e.Name+" ("+e.Label+")")
		} else {
			ents = append(ents, e.Name)
		}
	}
	return hitJSON{ID: h.ID, Title: h.Title, Source: h.Source, Outlet: h.Outlet,
		Published: h.Date, Entities: ents, Snippet: plainSnippet(h.Snippet)}
}

// searchAPI asks the web API at base for p.
func (a *app) searchAPI(ctx context.Context, base string, p query.Params) ([]hitJSON, int, error) {
	a.log.DebugContext(ctx, "index in use; searching through the running server", "url", base)
	v := url.Values{"q": {p.Text}, "compound": p.Compounds, "tycoon": p.Tycoons, "province": p.Provinces,
		"outlet": p.Outlets, "from": {p.From}, "to": {p.To}, "sort": {p.Sort}, "limit": {strconv.Itoa(p.Limit)}}
	u := base + "/api/search?" + v.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("the index is in use and its server at %s did not answer: %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&e)
		return nil, 0, fmt.Errorf("%s: %s: %s", base, resp.Status, e.Error)
	}
	var sr web.SearchResponse
	if err := json.NewDecoder(resp.Body).Decode(&sr); err != nil {
		return nil, 0, fmt.Errorf("%s: reading the search response: %w", base, err)
	}
	rows := make([]hitJSON, len(sr.Hits))
	for i, h := range sr.Hits {
		rows[i] = hitRow(h)
	}
	return rows, sr.Total, nil
}

func (a *app) printHits(rows []hitJSON, total int, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	fmt.Fprintf(a.stdout, "%d hits\n", total)
	for i, r := range rows {
		where := r.Published
		if where == "" {
			where = "undated"
		}
		if r.Source != "" {
			where = r.Source + " · " + where
		}
		fmt.Fprintf(a.stdout, "\n%d. %s\n   %s\n", i+1, r.Title, where)
		if len(r.Entities) > 0 {
			fmt.Fprintf(a.stdout, "   entities: %s\n", strings.Join(r.Entities, ", "))
		}
		if r.Snippet != "" {
			fmt.Fprintf(a.stdout, "   %s\n", r.Snippet)
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
