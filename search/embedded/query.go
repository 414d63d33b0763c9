package embedded

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"

	"github.com/compoundwatch/compoundwatch/search"
)

type fieldBoost struct {
	name  string
	boost float64
}

// fieldBoosts lists the searchable fields in Meilisearch's attribute
// order (title, entity_names, text), weighted for the BM25 sum that
// ranks the hits of a date sort that share a date.
func fieldBoosts() []fieldBoost {
	return []fieldBoost{{fTitle, 4}, {fEntityNames, 3}, {fText, 1}}
}

// derivedBoost weighs a term that a word starts or is a typo away from
// relative to the word itself.
const derivedBoost = 0.7

// analyzer is the index's text analyzer, used on queries too so that
// they are folded and split like the indexed text; query is the same but
// for its tokenizer, which keeps only the pairs of a run of Chinese
// characters (QueryWords).
type analyzer struct{ a, query analysis.Analyzer }

func newAnalyzer(m mapping.IndexMapping) (analyzer, error) {
	a, ok := m.AnalyzerNamed(analyzerName).(*analysis.DefaultAnalyzer)
	if !ok {
		return analyzer{}, fmt.Errorf("analyzer %s missing from the index mapping", analyzerName)
	}
	q := *a
	q.Tokenizer = tokenizer{query: true}
	return analyzer{a: a, query: &q}, nil
}

// words splits and folds s as the index does.
func (an analyzer) words(s string) []string { return analyze(an.a, s) }

// queryWords splits and folds a query.
func (an analyzer) queryWords(s string) []string { return analyze(an.query, s) }

func analyze(a analysis.Analyzer, s string) []string {
	ts := a.Analyze([]byte(s))
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

func (an analyzer) normPhrase(s string) string { return strings.Join(an.queryWords(s), " ") }

// qword is one query word and how it may match.
type qword struct {
	term   string
	typos  int
	prefix bool
	// terms holds what the word matches in each searchable field, found
	// in the term dictionaries (derive).
	terms map[string]derived
}

// parseText turns query text into words: the last word also matches as
// a prefix (search as you type), words of 5+ / 9+ characters tolerate 1 /
// 2 typos, numbers never do.
func (an analyzer) parseText(s string) []qword {
	ws := an.queryWords(s)
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

// word matches w in fields (a prefix of them: the attribute order),
// with its typos when typos is set.
func word(w qword, fields []fieldBoost, typos bool) query.Query {
	var qs []query.Query
	add := func(field string, boost float64, terms []string) {
		for _, t := range terms {
			q := bleve.NewTermQuery(t)
			q.SetField(field)
			if t != w.term {
				q.SetBoost(boost * derivedBoost)
			} else {
				q.SetBoost(boost)
			}
			qs = append(qs, q)
		}
	}
	for _, f := range fields {
		add(f.name, f.boost, w.terms[f.name].exact)
		if typos {
			add(f.name, f.boost, w.terms[f.name].typo)
		}
	}
	return or(qs...)
}

// or and and skip the wrapper of a single query, which would keep bleve
// from merging unscored term queries into one bitmap.
func or(qs ...query.Query) query.Query {
	switch len(qs) {
	case 0:
		return bleve.NewMatchNoneQuery()
	case 1:
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

func and(qs ...query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

// tieBreak ranks docs that share a date by BM25 over the query words in
// the title and entity names. Meilisearch ranks them by relevance too;
// leaving out the long text (below those fields in its attribute order)
// avoids skipping through its dense postings for every hit.
func tieBreak(alts [][]qword) query.Query {
	var qs []query.Query
	for _, ws := range alts {
		for _, w := range ws {
			qs = append(qs, word(w, fieldBoosts()[:2], true))
		}
	}
	return or(qs...)
}

// buckets ranks the hits of a text query as Meilisearch does: its
// ranking rules sort them into buckets, each rule splitting the ties of
// the one before, and a bucket keeps its docs in insertion order. Here a
// bucket is an unscored (bitmap) query, and a page reads the buckets in
// order until it is full, so a query costs about its page rather than
// its result. The rules mirrored are "words" with the "last" matching
// strategy (all the words, then without the last one, and so on, never
// without the first), "typo" (no typo first) and "attribute" (every word
// in the title, then in the title or entity names, then anywhere);
// "proximity" and "exactness" are not.
type buckets struct {
	alts  [][]qword // the query's words, then each synonym's
	tiers int       // for "words": the most words of a spelling
	ranks int       // buckets per tier
}

func newBuckets(alts [][]qword) buckets {
	b := buckets{alts: alts, ranks: len(fieldBoosts())}
	typos := false
	for _, ws := range alts {
		b.tiers = max(b.tiers, len(ws))
		for _, w := range ws {
			typos = typos || w.typos > 0
		}
	}
	if typos {
		b.ranks *= 2
	}
	return b
}

func (b buckets) len() int { return b.tiers * b.ranks }

// upTo matches the docs of bucket i and of every bucket before it in
// the same tier.
func (b buckets) upTo(i int) query.Query {
	dropped, rank := i/b.ranks, i%b.ranks
	n := len(fieldBoosts())
	typos := rank >= n
	fields := fieldBoosts()[:rank%n+1]
	qs := make([]query.Query, 0, len(b.alts)+1)
	if typos {
		// Everything without a typo comes first.
		qs = append(qs, b.upTo(dropped*b.ranks+n-1))
	}
	for _, ws := range b.alts {
		ws = ws[:max(1, len(ws)-dropped)]
		words := make([]query.Query, len(ws))
		for j, w := range ws {
			words[j] = word(w, fields, typos)
		}
		qs = append(qs, and(words...))
	}
	return or(qs...)
}

// bucket matches the docs of bucket i.
func (b buckets) bucket(i int) query.Query {
	q := bleve.NewBooleanQuery()
	q.AddMust(b.upTo(i))
	if i%b.ranks > 0 {
		q.AddMustNot(b.upTo(i - 1))
	}
	if i >= b.ranks {
		q.AddMustNot(b.upTo(i - i%b.ranks - 1))
	}
	return q
}

// all matches every doc of any bucket: those with the first word of a
// spelling.
func (b buckets) all() query.Query { return b.upTo(b.len() - 1) }

// unscored runs a query without scoring it: a filter narrows a result
// without ranking it, and bleve turns unscored term disjunctions and
// conjunctions (filters, numeric ranges, the terms of query words) into
// bitmap operations instead of merging postings.
type unscored struct{ query.Query }

func (u unscored) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, o bsearch.SearcherOptions) (bsearch.Searcher, error) {
	o.Score, o.Explain, o.IncludeTermVectors = bleve.ScoreNone, false, false
	return u.Query.Searcher(ctx, i, m, o)
}

// within restricts q to the docs matching filter f; either may be nil
// (every doc, no filter). The conjunction leaps over the docs f
// excludes, so they are never scored.
func within(q, f query.Query) query.Query {
	switch {
	case q == nil && f == nil:
		return bleve.NewMatchAllQuery()
	case q == nil:
		return f
	case f == nil:
		return q
	}
	return bleve.NewConjunctionQuery(q, f)
}

func terms(field string, vals []string) query.Query {
	qs := make([]query.Query, 0, len(vals))
	for _, v := range vals {
		t := bleve.NewTermQuery(v)
		t.SetField(field)
		qs = append(qs, t)
	}
	return or(qs...)
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

// filter translates the structured and raw filters of q into one
// unscored query, nil when there are none.
func filter(q search.Query) (query.Query, error) {
	var must, mustNot []query.Query
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
		if lo <= 0 && hi >= 0 {
			// An unknown date (0) is outside every date range.
			mustNot = append(mustNot, numRange(fPublished, 0, 0, true, true))
		}
	}
	for _, s := range q.Filter {
		c, err := search.ParseFilter(s)
		if err != nil {
			return nil, err
		}
		m, n := condQuery(c)
		if m != nil {
			must = append(must, m)
		}
		if n != nil {
			mustNot = append(mustNot, n)
		}
	}
	switch {
	case len(mustNot) > 0:
		b := bleve.NewBooleanQuery()
		if len(must) > 0 {
			b.AddMust(must...)
		}
		b.AddMustNot(mustNot...)
		return unscored{b}, nil
	case len(must) > 0:
		return unscored{and(must...)}, nil
	}
	return nil, nil
}

// Search runs q.
func (x *Index) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	start := time.Now()
	out, err := x.search(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("embedded index %s: search %q: %w", x.dir, q.Text, err)
	}
	out.Took = time.Since(start)
	return out, nil
}

func (x *Index) search(ctx context.Context, q search.Query) (*search.Result, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	f, err := filter(q)
	if err != nil {
		return nil, err
	}
	// One snapshot finds the terms the words match and counts the hits.
	snap, err := x.snapshot()
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	var alts [][]qword
	if strings.TrimSpace(q.Text) != "" {
		for _, a := range append([]string{q.Text}, x.syn[x.an.normPhrase(q.Text)]...) {
			if ws := x.an.parseText(a); len(ws) > 0 {
				alts = append(alts, ws)
			}
		}
		if err := x.lev.deriveAll(snap, alts); err != nil {
			return nil, err
		}
	}

	var (
		hits   []*bsearch.DocumentMatch
		total  = -1 // unknown
		counts query.Query
	)
	switch {
	case len(alts) == 0:
		res, err := x.page(ctx, within(nil, f), q.Limit, q.Offset, q.Sort, false)
		if err != nil {
			return nil, err
		}
		hits, total = res.Hits, int(res.Total)
		counts = within(nil, f)
	case q.Sort == search.SortRelevance:
		b := newBuckets(alts)
		need, skip := q.Limit, q.Offset
		for i := 0; i < b.len() && need > 0; i++ {
			res, err := x.page(ctx, within(b.bucket(i), f), need, skip, q.Sort, true)
			if err != nil {
				return nil, err
			}
			for _, h := range res.Hits {
				// A ranking score in (0, 1], as Meilisearch's.
				h.Score = 1 - float64(i)/float64(b.len())
			}
			hits = append(hits, res.Hits...)
			need -= len(res.Hits)
			skip = max(0, skip-int(res.Total))
		}
		counts = within(b.all(), f)
	default:
		counts = unscored{within(newBuckets(alts).all(), f)}
		b := bleve.NewBooleanQuery()
		b.AddMust(counts)
		b.AddShould(tieBreak(alts))
		res, err := x.page(ctx, b, q.Limit, q.Offset, q.Sort, false)
		if err != nil {
			return nil, err
		}
		hits, total = res.Hits, int(res.Total)
	}
	out := &search.Result{Hits: make([]search.Hit, 0, len(hits))}
	if total < 0 || len(q.Facets) > 0 {
		n, facets, err := x.tally(ctx, snap, counts, q.Facets)
		if err != nil {
			return nil, err
		}
		total, out.Facets = n, facets
	}
	// Total saturates at MaxHits, as Meilisearch's does (maxTotalHits).
	out.Total = min(total, search.MaxHits)

	hl := newHighlighter(alts)
	for _, h := range hits {
		d, err := decodeSource(h.Fields, h.ID)
		if err != nil {
			return nil, err
		}
		out.Hits = append(out.Hits, search.Hit{Doc: d, Score: h.Score, Snippet: hl.snippet(d.Text)})
	}
	return out, nil
}

// snapshot opens a consistent view of the index, to close after use.
func (x *Index) snapshot() (*scorch.IndexSnapshot, error) {
	ix, err := x.idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := ix.Reader()
	if err != nil {
		return nil, err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		return nil, fmt.Errorf("index reader %T is not a scorch snapshot", r)
	}
	return snap, nil
}

// page returns the hits of q from offset on, with their stored source.
// With stopEarly, q is unscored, its hits come in doc number order, and
// bleve stops at the page: Total is only exact when the page is short.
func (x *Index) page(ctx context.Context, q query.Query, limit, offset int, sort string, stopEarly bool) (*bleve.SearchResult, error) {
	req := bleve.NewSearchRequestOptions(q, limit, offset, false)
	req.Fields = []string{fSource}
	if stopEarly {
		req.Score = bleve.ScoreNone
	}
	if sort != search.SortRelevance {
		req.SortByCustom(bsearch.SortOrder{
			&bsearch.SortField{Field: fDate, Type: bsearch.SortFieldAsString, Desc: sort == search.SortDateDesc},
			&bsearch.SortScore{Desc: true},
		})
	}
	return x.idx.SearchInContext(ctx, req)
}

// tally counts the docs q matches, only up to MaxHits when no facets are
// wanted, and the values of the wanted facets over all of them. It runs
// the searcher itself: unscored and without a collector, a doc costs a
// bitmap step.
func (x *Index) tally(ctx context.Context, snap *scorch.IndexSnapshot, q query.Query, facets []string) (int, map[string]map[string]int, error) {
	s, err := q.Searcher(ctx, snap, x.idx.Mapping(), bsearch.SearcherOptions{Score: bleve.ScoreNone})
	if err != nil {
		return 0, nil, err
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	var docs *docSet
	if len(facets) > 0 {
		docs = newDocSet(snap)
	}
	n := 0
	for docs != nil || n < search.MaxHits {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, nil, err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return 0, nil, err
		}
		if dm == nil {
			break
		}
		n++
		if docs != nil {
			docs.add(dm.IndexInternalID.Value())
		}
		sctx.DocumentMatchPool.Put(dm)
	}
	if docs == nil {
		return n, nil, nil
	}
	counts, err := docs.countFacets(facets)
	if err != nil {
		return 0, nil, err
	}
	return n, facetCounts(counts, facets), nil
}

// docSet holds docs of a snapshot as a bitset of local doc numbers per
// segment; scorch numbers the docs of a segment after those of the
// segments before it.
type docSet struct {
	segs  []*scorch.SegmentSnapshot
	bases []uint64 // global number of each segment's first doc
	bits  [][]uint64
	n     []int // docs per segment
	last  int   // segment of the last doc added
}

func newDocSet(snap *scorch.IndexSnapshot) *docSet {
	segs := snap.Segments()
	s := &docSet{segs: segs, bases: make([]uint64, len(segs)), bits: make([][]uint64, len(segs)), n: make([]int, len(segs))}
	var base uint64
	for i, seg := range segs {
		s.bases[i] = base
		base += seg.Segment().Count()
	}
	return s
}

// add adds doc d (a global doc number), not below those added before.
func (s *docSet) add(d uint64) {
	for s.last+1 < len(s.bases) && d >= s.bases[s.last+1] {
		s.last++
	}
	i, l := s.last, d-s.bases[s.last]
	if s.bits[i] == nil {
		s.bits[i] = make([]uint64, (s.segs[i].Segment().Count()+63)/64)
	}
	s.bits[i][l/64] |= 1 << (l % 64)
	s.n[i]++
}

func (s *docSet) has(i int, l uint64) bool { return s.bits[i][l/64]>>(l%64)&1 == 1 }

// countFacets counts, for each term of fFacets of the given facets, how
// many of the docs hold it. Like Meilisearch, it intersects each term's
// postings with the docs, segment by segment, stepping through the
// smaller side: a fraction of the cost of decompressing the doc values
// of every doc.
func (s *docSet) countFacets(facets []string) (map[string]int, error) {
	var want [256]bool
	for _, f := range facets {
		want[facetCode(f)] = true
	}
	counts := map[string]int{}
	var (
		pl segment.PostingsList
		pi segment.PostingsIterator
	)
	for i, ss := range s.segs {
		if s.n[i] == 0 {
			continue
		}
		d, err := ss.Segment().Dictionary(fFacets)
		if err != nil {
			return nil, err
		}
		dict, ok := d.(interface {
			AutomatonIteratorOmitCount(segment.Automaton, []byte, []byte) segment.DictionaryIterator
		})
		if !ok {
			return nil, fmt.Errorf("term dictionary %T cannot skip counts", d)
		}
		it := dict.AutomatonIteratorOmitCount(&vellum.AlwaysMatch{}, nil, nil)
		for {
			e, err := it.Next()
			if err != nil {
				return nil, err
			}
			if e == nil {
				break
			}
			if !want[e.Term[0]] {
				continue
			}
			if pl, err = d.PostingsList([]byte(e.Term), nil, pl); err != nil {
				return nil, err
			}
			pi = pl.Iterator(false, false, false, pi)
			p, ok := pi.(segment.OptimizablePostingsIterator)
			if !ok {
				return nil, fmt.Errorf("postings iterator %T has no bitmap", pi)
			}
			c := 0
			if doc, one := p.DocNum1Hit(); one {
				if s.has(i, doc) {
					c = 1
				}
			} else if bm := p.ActualBitmap(); bm == nil {
			} else if bm.GetCardinality() <= 16*uint64(s.n[i]) {
				// Stepping through postings is several times cheaper
				// than a lookup in them (a binary search).
				bm.Iterate(func(l uint32) bool {
					if s.has(i, uint64(l)) {
						c++
					}
					return true
				})
			} else {
				for w, word := range s.bits[i] {
					for ; word != 0; word &= word - 1 {
						if bm.Contains(uint32(w*64 + bits.TrailingZeros64(word))) {
							c++
						}
					}
				}
			}
			if c > 0 {
				counts[e.Term] += c
			}
		}
	}
	return counts, nil
}

// facetCounts splits the combined facet field's counts by facet, keeping
// the MaxFacetValues most frequent values of each (ties by value).
func facetCounts(counts map[string]int, facets []string) map[string]map[string]int {
	type tc struct {
		term  string
		count int
	}
	byCode := make(map[byte][]tc, len(facets))
	for t, n := range counts {
		byCode[t[0]] = append(byCode[t[0]], tc{t[1:], n})
	}
	out := make(map[string]map[string]int, len(facets))
	for _, f := range facets {
		tcs := byCode[facetCode(f)]
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
