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

// maxPooledTokens bounds the token slices Extractor.tokens keeps.
const maxPooledTokens = 1 << 16

// Extractor is safe for concurrent use.
type Extractor struct {
	gaz *gazetteer.Gazetteer
	// tokens recycles token slices between documents: a document's tokens
	// are the largest allocation of its extraction (about five bytes per
	// byte of text) and never outlive it. Slices of huge documents are
	// not kept (maxPooledTokens).
	tokens sync.Pool
}

// New returns an extractor that matches the entities of g.
func New(g *gazetteer.Gazetteer) *Extractor {
	return &Extractor{gaz: g}
}

// Version identifies the extractor's rules and gazetteer; it is stamped on
// every tagged document.
func (x *Extractor) Version() string {
	return "extractor/1 " + x.gaz.Version()
}

// Extract tags raw. It never fails: text it cannot read yields no tags.
func (x *Extractor) Extract(raw document.Raw) document.Tagged {
	t := document.Tagged{Raw: raw, Extractor: x.Version()}
	t.Schema = document.TaggedSchema
	// One token scan serves discovery and the figure and event extractors.
	toks, _ := x.tokens.Get().(*[]token)
	if toks == nil {
		toks = new([]token)
	}
	*toks = tokenize(*toks, raw.Text)
	t.Entities = x.findEntities(raw.Text, *toks)
	s := newScanner(raw.Text, *toks)
	t.Figures = figuresIn(s)
	t.Events = eventsIn(s, raw.Published, t.Entities)
	if cap(*toks) <= maxPooledTokens {
		x.tokens.Put(toks)
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
