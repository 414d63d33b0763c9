package alerts

import (
	"slices"
	"strings"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
)

// Percolator matches every subscription against a document at once. It
// is built once from all subscriptions and indexes them by what a
// document must contain for them to match (an entity id, an outlet, a
// query word or its typo variants), so a document costs a few map
// lookups per distinct word plus a check of the few candidates, not one
// search per subscription.
type Percolator struct {
	an      analyzer
	aliases search.AliasFunc
	subs    []compiled
	// Candidate indexes: key → subscription indexes.
	byEntity map[string][]int
	byOutlet map[string][]int
	byTerm   map[string][]int // exact first words of queries
	byDel    map[string][]int // deletion variants of first words that tolerate typos
	maxTypos int
}

type compiled struct {
	sub      *Subscription
	entities map[string]EntityRef
	q        *cquery
}

// cquery is a saved query compiled for matching: every word must occur
// (with its typos) in the title, entity names or text, and every filter
// must hold (any of its values).
type cquery struct {
	words                         []qword
	compounds, tycoons, provinces []string
	outlets                       []string
	label                         string
}

// NewPercolator compiles subs. aliases (may be nil) gives every spelling
// of an entity, which search indexes with the documents that mention it.
func NewPercolator(subs []*Subscription, aliases search.AliasFunc) (*Percolator, error) {
	an, err := newAnalyzer()
	if err != nil {
		return nil, err
	}
	p := &Percolator{an: an, aliases: aliases, byEntity: map[string][]int{}, byOutlet: map[string][]int{},
		byTerm: map[string][]int{}, byDel: map[string][]int{}}
	for _, s := range subs {
		p.add(s)
	}
	return p, nil
}

func (p *Percolator) add(s *Subscription) {
	i := len(p.subs)
	c := compiled{sub: s, entities: map[string]EntityRef{}}
	for _, e := range s.Entities {
		c.entities[e.ID] = e
		p.byEntity[e.ID] = appendOnce(p.byEntity[e.ID], i)
	}
	if q := s.Query; q != nil {
		c.q = &cquery{words: p.an.qwords(q.Text), compounds: q.Compounds, tycoons: q.Tycoons,
			provinces: q.Provinces, outlets: q.Outlets, label: q.String()}
		// One anchor is enough: every candidate is checked in full.
		switch {
		case len(q.Compounds)+len(q.Tycoons)+len(q.Provinces) > 0:
			for _, id := range slices.Concat(q.Compounds, q.Tycoons, q.Provinces) {
				p.byEntity[id] = appendOnce(p.byEntity[id], i)
			}
		case len(q.Outlets) > 0:
			for _, o := range q.Outlets {
				p.byOutlet[o] = appendOnce(p.byOutlet[o], i)
			}
		case len(c.q.words) > 0:
			w := c.q.words[0]
			p.byTerm[w.term] = appendOnce(p.byTerm[w.term], i)
			if w.typos > 0 {
				p.maxTypos = max(p.maxTypos, w.typos)
				for _, d := range deletions(w.term, w.typos) {
					p.byDel[d] = appendOnce(p.byDel[d], i)
				}
			}
		}
	}
	p.subs = append(p.subs, c)
}

func appendOnce(s []int, i int) []int {
	if n := len(s); n > 0 && s[n-1] == i {
		return s
	}
	return append(s, i)
}

// Hit is one subscription a document matched, with every reason.
type Hit struct {
	Sub     *Subscription
	Matches []Match
}

// doc is a tagged document read for matching.
type doc struct {
	t        *document.Tagged
	ids      map[string]*document.Entity
	terms    map[string]struct{} // folded words of title, entity names, text
	text     []token             // words of the text, with offsets
	delIndex map[string][]string // deletion variant → terms, built on demand
	maxTypos int
}

func (p *Percolator) read(t *document.Tagged) *doc {
	d := &doc{t: t, ids: map[string]*document.Entity{}, terms: map[string]struct{}{}, maxTypos: p.maxTypos}
	for i := range t.Entities {
		d.ids[t.Entities[i].ID] = &t.Entities[i]
	}
	sd := search.FromTagged(*t, p.aliases)
	for _, s := range append([]string{sd.Title}, sd.EntityNames...) {
		for _, tok := range p.an.tokens(s) {
			d.terms[tok.term] = struct{}{}
		}
	}
	d.text = p.an.tokens(t.Text)
	for _, tok := range d.text {
		d.terms[tok.term] = struct{}{}
	}
	return d
}

// has reports whether the document contains w (within its typos).
func (d *doc) has(w qword) bool {
	if _, ok := d.terms[w.term]; ok {
		return true
	}
	if w.typos == 0 {
		return false
	}
	if d.delIndex == nil {
		d.delIndex = map[string][]string{}
		for t := range d.terms {
			if n := len([]rune(t)); n >= search.OneTypoLen-2 {
				for _, v := range deletions(t, min(2, n-1)) {
					d.delIndex[v] = append(d.delIndex[v], t)
				}
			}
		}
	}
	for _, v := range deletions(w.term, w.typos) {
		for _, t := range d.delIndex[v] {
			if w.matchesTerm(t) {
				return true
			}
		}
	}
	return false
}

// Match returns the subscriptions t matches, in subscription order, each
// with all its matches: one hit per subscription however many entities
// or words matched.
func (p *Percolator) Match(t *document.Tagged) []Hit {
	d := p.read(t)
	cand := map[int]bool{}
	for id := range d.ids {
		for _, i := range p.byEntity[id] {
			cand[i] = true
		}
	}
	for _, i := range p.byOutlet[t.Outlet] {
		cand[i] = true
	}
	for term := range d.terms {
		for _, i := range p.byTerm[term] {
			cand[i] = true
		}
	}
	if len(p.byDel) > 0 {
		for term := range d.terms {
			if n := len([]rune(term)); n < search.OneTypoLen-2 {
				continue
			}
			for _, v := range deletions(term, p.maxTypos) {
				for _, i := range p.byDel[v] {
					cand[i] = true
				}
			}
		}
	}
	idx := make([]int, 0, len(cand))
	for i := range cand {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	var hits []Hit
	for _, i := range idx {
		if ms := p.subs[i].match(d); len(ms) > 0 {
			hits = append(hits, Hit{Sub: p.subs[i].sub, Matches: ms})
		}
	}
	return hits
}

func (c compiled) match(d *doc) []Match {
	var ms []Match
	for _, e := range c.sub.Entities {
		if de, ok := d.ids[e.ID]; ok {
			m := Match{Entity: &EntityRef{ID: e.ID, Name: e.Name, Type: e.Type}}
			for _, mn := range de.Mentions {
				m.Mentions = append(m.Mentions, mention(d.t.Text, mn.Text, mn.Start, mn.End))
			}
			m.Figures = figuresNear(d.t, m.Mentions)
			ms = append(ms, m)
		}
	}
	if c.q != nil && c.q.matches(d) {
		ms = append(ms, c.q.match(d))
	}
	return ms
}

func (q *cquery) matches(d *doc) bool {
	for _, f := range [][]string{q.compounds, q.tycoons, q.provinces} {
		if len(f) > 0 && !slices.ContainsFunc(f, func(id string) bool { return d.ids[id] != nil }) {
			return false
		}
	}
	if len(q.outlets) > 0 && !slices.Contains(q.outlets, d.t.Outlet) {
		return false
	}
	for _, w := range q.words {
		if !d.has(w) {
			return false
		}
	}
	return true
}

// maxQueryMentions bounds the passages quoted for a query match.
const maxQueryMentions = 5

func (q *cquery) match(d *doc) Match {
	m := Match{Query: q.label}
	for _, tok := range d.text {
		if len(m.Mentions) == maxQueryMentions {
			break
		}
		if slices.ContainsFunc(q.words, func(w qword) bool { return w.matchesTerm(tok.term) }) {
			m.Mentions = append(m.Mentions, mention(d.t.Text, d.t.Text[tok.start:tok.end], tok.start, tok.end))
		}
	}
	if len(q.words) == 0 {
		// A filter-only query: quote the filtered entities.
		for _, id := range slices.Concat(q.compounds, q.tycoons, q.provinces) {
			if e := d.ids[id]; e != nil {
				for _, mn := range e.Mentions {
					if len(m.Mentions) < maxQueryMentions {
						m.Mentions = append(m.Mentions, mention(d.t.Text, mn.Text, mn.Start, mn.End))
					}
				}
			}
		}
	}
	m.Figures = figuresNear(d.t, m.Mentions)
	return m
}

func mention(text, s string, start, end int) MentionRef {
	return MentionRef{Text: s, Context: strings.TrimSpace(text[sentenceStart(text, start):sentenceEnd(text, end)]), Start: start, End: end}
}

// sentenceStart and sentenceEnd find the sentence around a mention:
// after the previous terminator (. ! ? 。！？ or a line break) up to the
// next, bounded to 400 bytes either side.
func sentenceStart(text string, i int) int {
	i = min(max(i, 0), len(text))
	lo := max(0, i-400)
	for j := i - 1; j >= lo; j-- {
		switch text[j] {
		case '\n':
			return j + 1
		case '.', '!', '?':
			if j+1 < len(text) && (text[j+1] == ' ' || text[j+1] == '\n') {
				return j + 1
			}
		}
		if j >= 2 && isCJKStop(text[j-2:j+1]) {
			return j + 1
		}
	}
	for lo > 0 && lo < len(text) && text[lo]&0xC0 == 0x80 {
		lo++
	}
	return lo
}

func sentenceEnd(text string, i int) int {
	i = min(max(i, 0), len(text))
	hi := min(len(text), i+400)
	for j := i; j < hi; j++ {
		switch text[j] {
		case '\n':
			return j
		case '.', '!', '?':
			if j+1 == len(text) || text[j+1] == ' ' || text[j+1] == '\n' {
				return j + 1
			}
		}
		if j+3 <= len(text) && isCJKStop(text[j:j+3]) {
			return j + 3
		}
	}
	for hi < len(text) && hi > 0 && text[hi]&0xC0 == 0x80 {
		hi--
	}
	return hi
}

func isCJKStop(s string) bool { return s == "。" || s == "！" || s == "？" }

// figuresNear returns the document's figures in the sentences of ms.
func figuresNear(t *document.Tagged, ms []MentionRef) []FigureRef {
	var out []FigureRef
	for _, f := range t.Figures {
		for _, m := range ms {
			if f.Start >= sentenceStart(t.Text, m.Start) && f.End <= sentenceEnd(t.Text, m.End) {
				out = append(out, FigureRef{Text: f.Text, Value: f.Value, Unit: f.Unit, Start: f.Start, End: f.End})
				break
			}
		}
	}
	return out
}
