package embedded

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/compoundwatch/compoundwatch/search"
)

type fieldBoost struct {
	name  string
	boost float64
}

// fieldBoosts weighs the searchable fields: Meilisearch ranks matches by
// attribute order (title, entity_names, text); here they weigh in the
// BM25 sum.
func fieldBoosts() [3]fieldBoost {
	return [3]fieldBoost{{fTitle, 4}, {fEntityNames, 3}, {fText, 1}}
}

// Relative weights of the ways a query word can match.
const (
	exactBoost  = 1.0
	prefixBoost = 0.7
)

// analyzer is the index's text analyzer, used on queries too so that
// they are folded and split like the indexed text.
type analyzer struct{ a analysis.Analyzer }

func newAnalyzer(idx bleve.Index) (analyzer, error) {
	a := idx.Mapping().AnalyzerNamed(analyzerName)
	if a == nil {
		return analyzer{}, fmt.Errorf("analyzer %s missing from the index mapping", analyzerName)
	}
	return analyzer{a}, nil
}

// words splits and folds s as the index does.
func (an analyzer) words(s string) []string {
	ts := an.a.Analyze([]byte(s))
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

func (an analyzer) normPhrase(s string) string { return strings.Join(an.words(s), " ") }

// qword is one query word and how it may match.
type qword struct {
	term   string
	typos  int
	prefix bool
}

// parseText turns query text into words: the last word also matches as
// a prefix (search as you type), words of 5+ / 9+ characters tolerate 1 /
// 2 typos, numbers never do.
func (an analyzer) parseText(s string) []qword {
	ws := an.words(s)
	// Meilisearch considers at most 10 query words.
	if len(ws) > 10 {
		ws = ws[:10]
	}
	out := make([]qword, len(ws))
	for i, w := range ws {
		out[i] = qword{term: w, typos: search.Typos(w), prefix: i == len(ws)-1}
	}
	return out
}

func wordQuery(w qword) query.Query {
	var qs []query.Query
	for _, f := range fieldBoosts() {
		if w.typos > 0 {
			// The fuzzy searcher matches the exact term too, scored by
			// edit distance, so no separate term query is needed.
			fz := bleve.NewFuzzyQuery(w.term)
			fz.SetField(f.name)
			fz.SetFuzziness(w.typos)
			// A typo on the first letter counts double in Meilisearch.
			fz.SetPrefix(1)
			fz.SetBoost(f.boost * exactBoost)
			qs = append(qs, fz)
		} else {
			t := bleve.NewTermQuery(w.term)
			t.SetField(f.name)
			t.SetBoost(f.boost * exactBoost)
			qs = append(qs, t)
		}
		if w.prefix {
			p := bleve.NewPrefixQuery(w.term)
			p.SetField(f.name)
			p.SetBoost(f.boost * prefixBoost)
			qs = append(qs, p)
		}
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// textQuery matches like Meilisearch's "last" matching strategy: the
// first word must match; the others raise the score when they do.
func textQuery(ws []qword) query.Query {
	if len(ws) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(wordQuery(ws[0]))
	for _, w := range ws[1:] {
		b.AddShould(wordQuery(w))
	}
	return b
}

func terms(field string, vals []string) query.Query {
	qs := make([]query.Query, 0, len(vals))
	for _, v := range vals {
		t := bleve.NewTermQuery(v)
		t.SetField(field)
		qs = append(qs, t)
	}
	return bleve.NewDisjunctionQuery(qs...)
}

func numRange(field string, lo, hi float64, loIncl, hiIncl bool) query.Query {
	var lp, hp *float64
	if !math.IsInf(lo, -1) {
		lp = &lo
	}
	if !math.IsInf(hi, 1) {
		hp = &hi
	}
	q := bleve.NewNumericRangeInclusiveQuery(lp, hp, &loIncl, &hiIncl)
	q.SetField(field)
	return q
}

func condQuery(c search.Cond) (must, mustNot query.Query) {
	field := c.Attr
	if search.NumericAttr(c.Attr) {
		if c.Attr == "year" {
			field = fYearNum
		}
		inf := math.Inf(1)
		switch c.Op {
		case search.OpEq:
			return numRange(field, c.Num, c.Num, true, true), nil
		case search.OpNe:
			return nil, numRange(field, c.Num, c.Num, true, true)
		case search.OpGt:
			return numRange(field, c.Num, inf, false, false), nil
		case search.OpGe:
			return numRange(field, c.Num, inf, true, false), nil
		case search.OpLt:
			return numRange(field, -inf, c.Num, false, false), nil
		case search.OpLe:
			return numRange(field, -inf, c.Num, false, true), nil
		}
	}
	v := c.Value
	if c.Attr == "duplicate_of" && v == "" {
		v = noDuplicate
	}
	var t query.Query
	if v == "" {
		// attr= (absent) / attr!= (present) on a keyword field.
		t = bleve.NewWildcardQuery("*")
		t.(*query.WildcardQuery).SetField(field)
		if c.Op == search.OpEq {
			return nil, t
		}
		return t, nil
	}
	t = terms(field, []string{v})
	if c.Op == search.OpNe {
		return nil, t
	}
	return t, nil
}

// filters translates the structured and raw filters of q.
func filters(q search.Query) (must, mustNot []query.Query, err error) {
	for _, f := range []struct {
		field string
		vals  []string
	}{
		{"compounds", q.Compounds}, {"tycoons", q.Tycoons}, {"provinces", q.Provinces},
		{"outlet", q.Outlets}, {"language", q.Languages},
	} {
		if len(f.vals) > 0 {
			must = append(must, terms(f.field, f.vals))
		}
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		lo, hi := math.Inf(-1), math.Inf(1)
		if !q.From.IsZero() {
			lo = float64(q.From.Unix())
		}
		if !q.To.IsZero() {
			hi = float64(q.To.Unix())
		}
		must = append(must, numRange(fPublished, lo, hi, true, true))
		// An unknown date (0) is outside every date range.
		mustNot = append(mustNot, numRange(fPublished, 0, 0, true, true))
	}
	for _, s := range q.Filter {
		c, err := search.ParseFilter(s)
		if err != nil {
			return nil, nil, err
		}
		m, n := condQuery(c)
		if m != nil {
			must = append(must, m)
		}
		if n != nil {
			mustNot = append(mustNot, n)
		}
	}
	return must, mustNot, nil
}

// Search runs q.
func (x *Index) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	start := time.Now()
	q, err := q.Normalize()
	if err != nil {
		return nil, fmt.Errorf("embedded index %s: %w", x.dir, err)
	}
	must, mustNot, err := filters(q)
	if err != nil {
		return nil, fmt.Errorf("embedded index %s: %w", x.dir, err)
	}

	var words [][]qword
	var textQ query.Query
	if strings.TrimSpace(q.Text) == "" {
		textQ = bleve.NewMatchAllQuery()
	} else {
		alts := []string{q.Text}
		alts = append(alts, x.syn[x.an.normPhrase(q.Text)]...)
		var qs []query.Query
		for _, a := range alts {
			ws := x.an.parseText(a)
			if len(ws) == 0 {
				continue
			}
			words = append(words, ws)
			qs = append(qs, textQuery(ws))
		}
		switch len(qs) {
		case 0:
			textQ = bleve.NewMatchAllQuery()
		case 1:
			textQ = qs[0]
		default:
			textQ = bleve.NewDisjunctionQuery(qs...)
		}
	}
	top := textQ
	if len(must) > 0 || len(mustNot) > 0 {
		b := bleve.NewBooleanQuery()
		b.AddMust(textQ)
		if len(must) > 0 {
			b.AddFilter(bleve.NewConjunctionQuery(must...))
		}
		if len(mustNot) > 0 {
			b.AddMustNot(mustNot...)
		}
		top = b
	}

	req := bleve.NewSearchRequestOptions(top, q.Limit, q.Offset, false)
	req.Fields = []string{fSource}
	switch q.Sort {
	case search.SortDateDesc:
		req.SortBy([]string{"-" + fPublished, "-_score"})
	case search.SortDateAsc:
		req.SortBy([]string{fPublished, "-_score"})
	}
	if len(q.Facets) > 0 {
		// All facet values of all facets in one doc-values field; the
		// size is large enough to count every value, then each facet
		// keeps its top MaxFacetValues.
		req.AddFacet(fFacets, bleve.NewFacetRequest(fFacets, 1<<20))
	}
	if q.Limit == 0 {
		// Past MaxHits: count only.
		req.Size = 0
	}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("embedded index %s: search %q: %w", x.dir, q.Text, err)
	}
	// Total saturates at MaxHits, as Meilisearch's does (maxTotalHits).
	out := &search.Result{Hits: make([]search.Hit, 0, len(res.Hits)), Total: min(int(res.Total), search.MaxHits)}
	hl := newHighlighter(words)
	for _, h := range res.Hits {
		d, err := decodeSource(h.Fields, h.ID)
		if err != nil {
			return nil, fmt.Errorf("embedded index %s: %w", x.dir, err)
		}
		out.Hits = append(out.Hits, search.Hit{Doc: d, Score: h.Score, Snippet: hl.snippet(d.Text)})
	}
	if len(q.Facets) > 0 {
		out.Facets = facetCounts(res.Facets[fFacets], q.Facets)
	}
	out.Took = time.Since(start)
	return out, nil
}

// facetCounts splits the combined facet field's counts by facet, keeping
// the MaxFacetValues most frequent values of each (ties by value).
func facetCounts(fr *bsearch.FacetResult, facets []string) map[string]map[string]int {
	type tc struct {
		term  string
		count int
	}
	byFacet := make(map[string][]tc, len(facets))
	for _, f := range facets {
		byFacet[f] = nil
	}
	if fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			f, v, ok := strings.Cut(t.Term, "\x00")
			if _, want := byFacet[f]; ok && want {
				byFacet[f] = append(byFacet[f], tc{v, t.Count})
			}
		}
	}
	out := make(map[string]map[string]int, len(facets))
	for f, tcs := range byFacet {
		slices.SortFunc(tcs, func(a, b tc) int {
			if a.count != b.count {
				return b.count - a.count
			}
			return strings.Compare(a.term, b.term)
		})
		m := make(map[string]int, min(len(tcs), search.MaxFacetValues))
		for _, t := range tcs[:min(len(tcs), search.MaxFacetValues)] {
			m[t.term] = t.count
		}
		out[f] = m
	}
	return out
}
