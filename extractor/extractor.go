// Package extractor tags documents with the compounds, tycoons and provinces
// they mention, the figures they state and the dated events they report.
//
// Extraction is a pure function of the document and the gazetteer: the same
// input always gives the same output, so re-extracting a document never
// produces spurious changes downstream.
package extractor

import (
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
)

// Extractor is safe for concurrent use.
type Extractor struct {
	gaz *gazetteer.Gazetteer
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
	t.Entities = x.findEntities(raw.Text)
	// One token scan serves both the figure and the event extractors.
	toks := tokenize(raw.Text)
	t.Figures = figuresIn(raw.Text, toks)
	t.Events = eventsIn(raw.Text, raw.Published, t.Entities, toks)
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
