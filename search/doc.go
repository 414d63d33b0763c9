package search

import (
	"slices"
	"strings"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
)

// AliasFunc returns every known spelling of the entities with the given
// ids together, sorted and each once (nil when none):
// gazetteer.Gazetteer.AliasesOf.
type AliasFunc func(ids []string) []string

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
	}
	if ts, err := time.Parse(time.DateOnly, t.Published); err == nil {
		d.Published, d.PublishedDate, d.Year, d.Month = ts.Unix(), t.Published, ts.Year(), ts.Format("2006-01")
	}
	// The names are sorted and each kept once. The entities' aliases
	// (most of the names: some 270 in an article) come sorted and each
	// once from the gazetteer, and are merged with the rest rather than
	// sorted again.
	own := make([]string, 0, 4*len(t.Entities)) // names and mention spellings
	ids := make([]string, 0, len(t.Entities))
	for _, e := range t.Entities {
		switch e.Type {
		case document.Compound:
			d.Compounds = append(d.Compounds, e.ID)
		case document.Tycoon:
			d.Tycoons = append(d.Tycoons, e.ID)
		case document.Province:
			d.Provinces = append(d.Provinces, e.ID)
		}
		if !e.Known {
			if d.Labels == nil {
				d.Labels = map[string]string{}
			}
			d.Labels[e.ID] = e.Name
		}
		// An entity's mentions repeat a few spellings: each goes in once.
		from := len(own)
		own = append(own, e.Name)
		for _, m := range e.Mentions {
			if !slices.Contains(own[from:], m.Text) {
				own = append(own, m.Text)
			}
		}
		ids = append(ids, e.ID)
	}
	for _, s := range [][]string{d.Compounds, d.Tycoons, d.Provinces} {
		slices.Sort(s)
	}
	slices.Sort(own)
	var a []string
	if aliases != nil {
		if a = aliases(ids); !slices.IsSorted(a) {
			a = slices.Sorted(slices.Values(a))
		}
	}
	d.EntityNames = slices.Compact(mergeTwo(make([]string, 0, len(a)+len(own)), a, own))
	return d
}

// mergeTwo appends the merge of the sorted lists a and b to dst, a string
// at the head of both once.
func mergeTwo(dst, a, b []string) []string {
	for len(a) > 0 && len(b) > 0 {
		switch c := strings.Compare(a[0], b[0]); {
		case c < 0:
			dst, a = append(dst, a[0]), a[1:]
		case c > 0:
			dst, b = append(dst, b[0]), b[1:]
		default:
			dst, a, b = append(dst, a[0]), a[1:], b[1:]
		}
	}
	return append(append(dst, a...), b...)
}
