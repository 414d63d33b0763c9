package extractor

import "github.com/compoundwatch/compoundwatch/document"

// Result is what `compoundwatch extract` prints for one document: the
// tags without the document's text.
type Result struct {
	Source    string            `json:"source"`
	Title     string            `json:"title"`
	Published *string           `json:"published"` // null when unknown
	Entities  []document.Entity `json:"entities"`
	Figures   []document.Figure `json:"figures"`
	Events    []document.Event  `json:"events"`
}

// Output trims a tagged document to its Result, with its mentions'
// contexts cut (Tagged.CutContexts, in t's mentions).
func Output(t document.Tagged) Result {
	t.CutContexts()
	r := Result{Source: t.Source, Title: t.Title, Entities: t.Entities, Figures: t.Figures, Events: t.Events}
	if t.Published != "" {
		p := t.Published
		r.Published = &p
	}
	return r
}
