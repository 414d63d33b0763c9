package search

import (
	"slices"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
)

// AliasFunc returns every known spelling of an entity id (nil when none).
type AliasFunc func(id string) []string

// FromTagged turns a tagged document into the indexed shape. aliases may
// be nil.
func FromTagged(t document.Tagged, aliases AliasFunc) Doc {
	d := Doc{
		ID:           t.ID,
		URL:          t.Source,
		CanonicalURL: t.CanonicalURL,
		Title:        t.Title,
		Outlet:       t.Outlet,
		Language:     t.Language,
		Text:         t.Text,
		Figures:      t.Figures,
		DuplicateOf:  t.DuplicateOf,
		ContentHash:  t.ContentHash,
		Events:       t.Events,
		Compounds:    []string{},
		Tycoons:      []string{},
		Provinces:    []string{},
		EntityNames:  []string{},
	}
	if ts, err := time.Parse(time.DateOnly, t.Published); err == nil {
		d.Published, d.PublishedDate, d.Year, d.Month = ts.Unix(), t.Published, ts.Year(), ts.Format("2006-01")
	}
	for _, e := range t.Entities {
		switch e.Type {
		case document.Compound:
			d.Compounds = append(d.Compounds, e.ID)
		case document.Tycoon:
			d.Tycoons = append(d.Tycoons, e.ID)
		case document.Province:
			d.Provinces = append(d.Provinces, e.ID)
		}
		d.EntityNames = append(d.EntityNames, e.Name)
		if !e.Known {
			if d.Labels == nil {
				d.Labels = map[string]string{}
			}
			d.Labels[e.ID] = e.Name
		}
		// An entity's mentions repeat a few spellings: each goes in once,
		// so the sort below has a fifth as many names.
		own := len(d.EntityNames) - 1
		for _, m := range e.Mentions {
			if !slices.Contains(d.EntityNames[own:], m.Text) {
				d.EntityNames = append(d.EntityNames, m.Text)
			}
		}
		if aliases != nil {
			d.EntityNames = append(d.EntityNames, aliases(e.ID)...)
		}
	}
	for _, s := range [][]string{d.Compounds, d.Tycoons, d.Provinces} {
		slices.Sort(s)
	}
	slices.Sort(d.EntityNames)
	d.EntityNames = slices.Compact(d.EntityNames)
	return d
}
