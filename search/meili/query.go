package meili

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/compoundwatch/compoundwatch/internal/hant"
	"github.com/compoundwatch/compoundwatch/search"
)

// quote makes s a Meilisearch filter string literal.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func in(attr string, vals []string) string {
	qs := make([]string, len(vals))
	for i, v := range vals {
		qs[i] = quote(v)
	}
	return attr + " IN [" + strings.Join(qs, ", ") + "]"
}

// filterExpr translates the filters of q into one Meilisearch filter.
func filterExpr(q search.Query) (string, error) {
	var conds []string
	for _, f := range []struct {
		attr string
		vals []string
	}{
		{"compounds", q.Compounds}, {"tycoons", q.Tycoons}, {"provinces", q.Provinces},
		{"outlet", q.Outlets}, {"language", q.Languages},
	} {
		if len(f.vals) > 0 {
			conds = append(conds, in(f.attr, f.vals))
		}
	}
	if !q.From.IsZero() {
		conds = append(conds, "published >= "+strconv.FormatInt(q.From.Unix(), 10))
	}
	if !q.To.IsZero() {
		conds = append(conds, "published <= "+strconv.FormatInt(q.To.Unix(), 10))
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		// An unknown date (0) is outside every date range.
		conds = append(conds, "published != 0")
	}
	for _, s := range q.Filter {
		c, err := search.ParseFilter(s)
		if err != nil {
			return "", err
		}
		switch {
		case search.NumericAttr(c.Attr):
			conds = append(conds, fmt.Sprintf("%s %s %s", c.Attr, c.Op, num(c.Num)))
		case c.Value == "" && c.Op == search.OpEq:
			conds = append(conds, fmt.Sprintf("(%s NOT EXISTS OR %s IS EMPTY)", c.Attr, c.Attr))
		case c.Value == "":
			conds = append(conds, fmt.Sprintf("(%s EXISTS AND %s IS NOT EMPTY)", c.Attr, c.Attr))
		default:
			conds = append(conds, fmt.Sprintf("%s %s %s", c.Attr, c.Op, quote(c.Value)))
		}
	}
	return strings.Join(conds, " AND "), nil
}

// badFilterCodes are the Meilisearch errors of a query on attributes the
// index does not declare.
func badFilterCode(code string) bool {
	switch code {
	case "invalid_search_filter", "invalid_search_facets", "invalid_search_sort":
		return true
	}
	return false
}

// Search runs q.
func (x *Index) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	start := time.Now()
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("meili index %s: %w", x.uid, err)
	}
	filter, err := filterExpr(q)
	if err != nil {
		return nil, fmt.Errorf("meili index %s: %w", x.uid, err)
	}
	text := hant.Simplify(q.Text) // see withHans
	req := &meilisearch.SearchRequest{
		Query:                 text,
		MatchingStrategy:      meilisearch.Last,
		Facets:                q.Facets,
		AttributesToCrop:      []string{"text", textHans},
		CropLength:            cropWords,
		CropMarker:            cropMarker,
		AttributesToHighlight: []string{"text", textHans},
		HighlightPreTag:       preTag,
		HighlightPostTag:      postTag,
		ShowRankingScore:      true,
	}
	if filter != "" {
		req.Filter = filter
	}
	switch q.Sort {
	case search.SortDateDesc:
		req.Sort = []string{"published:desc"}
	case search.SortDateAsc:
		req.Sort = []string{"published:asc"}
	}
	if q.Limit > 0 && q.Offset%q.Limit == 0 {
		// Page mode gives an exact total.
		hpp := int64(q.Limit)
		req.HitsPerPage, req.Page = &hpp, int64(q.Offset/q.Limit+1)
	} else if q.Limit == 0 {
		hpp := int64(0)
		req.HitsPerPage, req.Page = &hpp, 1
	} else {
		req.Offset, req.Limit = int64(q.Offset), int64(q.Limit)
	}
	var resp *meilisearch.SearchResponse
	err = x.retryFor(ctx, x.opts.SearchRetryBudget, "search", func(ctx context.Context) error {
		var err error
		resp, err = x.ix.SearchWithContext(ctx, text, req)
		return err
	})
	if code := apiCode(err); badFilterCode(code) {
		return nil, fmt.Errorf("meili index %s: %w: %s: %s", x.uid, search.ErrBadFilter, code, errMessage(err))
	}
	if err != nil {
		return nil, fmt.Errorf("meili index %s: search %q: %w", x.uid, q.Text, err)
	}
	out := &search.Result{Hits: make([]search.Hit, 0, len(resp.Hits))}
	if req.HitsPerPage != nil {
		out.Total = int(resp.TotalHits)
	} else {
		out.Total = int(resp.EstimatedTotalHits)
	}
	for _, h := range resp.Hits {
		var hit search.Hit
		if err := h.DecodeInto(&hit.Doc); err != nil {
			return nil, fmt.Errorf("meili index %s: decode hit: %w", x.uid, err)
		}
		if raw, ok := h["_rankingScore"]; ok {
			_ = json.Unmarshal(raw, &hit.Score)
		}
		if raw, ok := h["_formatted"]; ok {
			var f struct {
				Text     string `json:"text"`
				TextHans string `json:"text_hans"`
			}
			if err := json.Unmarshal(raw, &f); err == nil {
				hit.Snippet = search.MarkHTML(snippet(f.Text, f.TextHans, hit.Doc.Text), preTag, postTag)
			}
		}
		out.Hits = append(out.Hits, hit)
	}
	if len(q.Facets) > 0 {
		dist := map[string]map[string]int{}
		if len(resp.FacetDistribution) > 0 {
			if err := json.Unmarshal(resp.FacetDistribution, &dist); err != nil {
				return nil, fmt.Errorf("meili index %s: decode facets: %w", x.uid, err)
			}
		}
		out.Facets = make(map[string]map[string]int, len(q.Facets))
		for _, f := range q.Facets {
			if dist[f] == nil {
				dist[f] = map[string]int{}
			}
			out.Facets[f] = dist[f]
		}
	}
	out.Took = time.Since(start)
	return out, nil
}
