package alerts

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
)

// Percolator matches every subscription against a document at once. It
// is built once from all subscriptions and indexes them by what a
// document must contain for them to match (an entity id, an outlet, a
// query word), and indexes every query word by its typo variants, so a
// document costs a few map lookups per distinct word plus a check of the
// few candidates, not one search per subscription.
type Percolator struct {
	an      analyzer
	aliases search.AliasFunc
	subs    []compiled
	// Candidate indexes: key → subscription indexes.
	byEntity map[string][]int
	byOutlet map[string][]int
	byWord   [][]int // query word → the queries anchored on it
	// words holds every distinct word of every saved query, found by its
	// exact form (wordIdx) or, for a word that tolerates typos, by the
	// hashes of its deletion variants (byVariant).
	words     []qword
	wordIdx   map[string]int
	byVariant map[uint64][]int
	maxTypos  int
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
	words                         []int // in Percolator.words
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
		wordIdx: map[string]int{}, byVariant: map[uint64][]int{}}
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
		c.q = &cquery{compounds: q.Compounds, tycoons: q.Tycoons,
			provinces: q.Provinces, outlets: q.Outlets, label: q.String()}
		for _, w := range p.an.qwords(q.Text) {
			c.q.words = append(c.q.words, p.word(w))
		}
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
			p.byWord[w] = appendOnce(p.byWord[w], i)
		}
	}
	p.subs = append(p.subs, c)
}

// word returns the index of w in p.words, adding it if new.
func (p *Percolator) word(w qword) int {
	if i, ok := p.wordIdx[w.term]; ok {
		return i
	}
	i := len(p.words)
	p.words = append(p.words, w)
	p.byWord = append(p.byWord, nil)
	p.wordIdx[w.term] = i
	if w.typos > 0 {
		p.maxTypos = max(p.maxTypos, w.typos)
		variants(w.term, w.typos, func(h uint64) {
			p.byVariant[h] = appendOnce(p.byVariant[h], i)
		})
	}
	return i
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
	t    *document.Tagged
	ids  map[string]*document.Entity
	text []token // words of the text, with offsets
	// found[i] reports whether the title, entity names or text hold query
	// word i within its typos, and termWords lists, for each of their
	// words that is such a match, the query words it matches.
	found     []bool
	termWords map[string][]int
}

func (p *Percolator) read(t *document.Tagged) *doc {
	d := &doc{t: t, ids: map[string]*document.Entity{}, found: make([]bool, len(p.words)), termWords: map[string][]int{}}
	for i := range t.Entities {
		d.ids[t.Entities[i].ID] = &t.Entities[i]
	}
	if len(p.words) == 0 {
		// No saved search has words: entity ids are all there is to
		// match, and reading the words of the text, half of what the
		// alerts stage spends on a document, is not needed.
		return d
	}
	terms := map[string]struct{}{}
	sd := search.FromTagged(*t, p.aliases)
	for _, s := range append([]string{sd.Title}, sd.EntityNames...) {
		for _, tok := range p.an.tokens(s) {
			terms[tok.term] = struct{}{}
		}
	}
	d.text = p.an.tokens(t.Text)
	for _, tok := range d.text {
		terms[tok.term] = struct{}{}
	}
	for term := range terms {
		if i, ok := p.wordIdx[term]; ok {
			d.add(term, i)
		}
		// A word within two typos of a query word of five letters or
		// more has at least three.
		if len(p.byVariant) == 0 || len(term) < search.OneTypoLen-2 {
			continue
		}
		n := utf8.RuneCountInString(term)
		if n < search.OneTypoLen-2 {
			continue
		}
		// Two words within k edits share a deletion variant with at
		// most k runes deleted from each; a shared hash that is not a
		// shared variant only costs a check.
		variants(term, min(p.maxTypos, n-1), func(h uint64) {
			for _, i := range p.byVariant[h] {
				if !slices.Contains(d.termWords[term], i) && p.words[i].matchesTerm(term) {
					d.add(term, i)
				}
			}
		})
	}
	return d
}

func (d *doc) add(term string, word int) {
	d.found[word] = true
	d.termWords[term] = append(d.termWords[term], word)
}

// Empty reports a percolator without subscriptions: it matches nothing,
// whatever the document holds.
func (p *Percolator) Empty() bool { return len(p.subs) == 0 }

// Match returns the subscriptions t matches, in subscription order, each
// with all its matches: one hit per subscription however many entities
// or words matched.
func (p *Percolator) Match(t *document.Tagged) []Hit {
	if len(p.subs) == 0 {
		return nil
	}
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
	for w, ok := range d.found {
		if ok {
			for _, i := range p.byWord[w] {
				cand[i] = true
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
		if !d.found[w] {
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
		if !slices.ContainsFunc(d.termWords[tok.term], func(w int) bool { return slices.Contains(q.words, w) }) {
			continue
		}
		// Pairs of clusters of a Khmer or Thai word, and of Chinese
		// characters, overlap (Words): one passage for the word, as
		// search marks it.
		if n := len(m.Mentions); n > 0 && tok.start < m.Mentions[n-1].End {
			start := m.Mentions[n-1].Start
			m.Mentions[n-1] = mention(d.t.Text, d.t.Text[start:tok.end], start, tok.end)
			continue
		}
		if len(m.Mentions) == maxQueryMentions {
			break
		}
		m.Mentions = append(m.Mentions, mention(d.t.Text, d.t.Text[tok.start:tok.end], tok.start, tok.end))
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
		if j >= 2 && document.IsFullStop(text[j-2:j+1]) {
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
		if j+3 <= len(text) && document.IsFullStop(text[j:j+3]) {
			return j + 3
		}
	}
	for hi < len(text) && hi > 0 && text[hi]&0xC0 == 0x80 {
		hi--
	}
	return hi
}

// figuresNear returns the document's figures in the sentences of ms.
func figuresNear(t *document.Tagged, ms []MentionRef) []FigureRef {
	if len(t.Figures) == 0 {
		return nil
	}
	// Each sentence is found once, not once per figure. By start, with
	// the furthest end of those up to each, a figure is inside one of
	// them when the furthest end of those that start at or before it
	// reaches its end: a search, where a scan of every sentence for each
	// figure was quadratic in a page of thousands of them.
	type span struct{ start, end int }
	sentences := make([]span, len(ms))
	for i, m := range ms {
		sentences[i] = span{sentenceStart(t.Text, m.Start), sentenceEnd(t.Text, m.End)}
	}
	slices.SortFunc(sentences, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	for i := 1; i < len(sentences); i++ {
		sentences[i].end = max(sentences[i].end, sentences[i-1].end)
	}
	var out []FigureRef
	for _, f := range t.Figures {
		// k is the number of sentences that start at or before f.
		k, _ := slices.BinarySearchFunc(sentences, f.Start+1, func(s span, at int) int { return cmp.Compare(s.start, at) })
		if k > 0 && f.End <= sentences[k-1].end {
			out = append(out, FigureRef{Text: f.Text, Value: f.Value, Unit: f.Unit, Start: f.Start, End: f.End})
		}
	}
	return out
}
