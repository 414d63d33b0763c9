// Package extractor tags documents with the compounds, tycoons and provinces
// they mention, the figures they state and the dated events they report.
//
// Extraction is a pure function of the document and the gazetteer: the same
// input always gives the same output, so re-extracting a document never
// produces spurious changes downstream.
package extractor

import (
	"sync"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
)

// maxPooledTokens bounds the token slices Extractor.scratch keeps.
const maxPooledTokens = 1 << 16

// Extractor is safe for concurrent use.
type Extractor struct {
	gaz     *gazetteer.Gazetteer
	version string // Version(), built once rather than per document
	// scratch recycles the working memory of an extraction between
	// documents (see scratch).
	scratch sync.Pool
}

// scratch is the working memory of one extraction: nothing in it outlives
// the call, so it is reused for the next document instead of being
// allocated anew. Buffers grown by a huge document are not kept
// (maxPooledTokens).
type scratch struct {
	// toks are the document's tokens, the largest allocation of an
	// extraction (about five bytes per byte of text).
	toks []token
	// lower and caps are where the scanner folds the text and lists the
	// capitalised words (see lowerText and listCapitals).
	lower []byte
	caps  []int32
	// The working lists of the scanners: figures and their
	// de-duplication set, date expressions, timeline entries and
	// discovery's trigger words. Results are copied out of them at their
	// final length.
	figs     []document.Figure
	seen     map[figureKey]int
	exprs    []dateExpr
	entries  []timelineEntry
	triggers []trigger
	// hanWords and families are discovery's in Chinese (hanDiscover):
	// the words it reads and the family names of the bosses found;
	// scriptFound is what it and khmerSites found.
	hanWords    []int
	families    []rune
	scriptFound []found
	sites       []found // siteList's names before one plural head noun
	flag        []byte  // prose's buffer for a flag's quoted date or years
	evs         []document.Event
	dates       []ymd
	// known holds the gazetteer's entities until findEntities copies them
	// into its result.
	known []document.Entity
	// Mentions sorted by start (mentionsByStart: byStart and spans), for
	// discovery and personVariants (taken) and then attachEntities (with
	// its marks and lists of the entities each event mentions).
	byStart []uint64
	spans   []entitySpan
	taken   spans
	listed  []int
	found   []int
	evEnds  []int
}

// New returns an extractor that matches the entities of g.
func New(g *gazetteer.Gazetteer) *Extractor {
	return &Extractor{gaz: g, version: "extractor/1 " + g.Version()}
}

// Version identifies the extractor's rules and gazetteer; it is stamped on
// every tagged document.
func (x *Extractor) Version() string {
	return x.version
}

// Extract tags raw. It never fails: text it cannot read yields no tags.
// The mentions come without their contexts: a reader that shows them
// cuts them (Tagged.CutContexts, as Output does).
func (x *Extractor) Extract(raw document.Raw) document.Tagged {
	t := document.Tagged{Raw: raw, Extractor: x.Version()}
	t.Schema = document.TaggedSchema
	// One token scan serves discovery and the figure and event extractors.
	sc, _ := x.scratch.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	sc.toks = tokenize(sc.toks, raw.Text)
	s := newScannerIn(raw.Text, sc.toks, sc)
	t.Entities = x.findEntities(s)
	t.Figures = figuresIn(s)
	t.Events = eventsIn(s, raw.Published, t.Entities)
	if cap(sc.toks) <= maxPooledTokens {
		x.scratch.Put(sc)
	}
	if t.Entities == nil {
		t.Entities = []document.Entity{}
	}
	if t.Figures == nil {
		t.Figures = []document.Figure{}
	}
	if t.Events == nil {
		t.Events = []document.Event{}
	}
	return t
}
