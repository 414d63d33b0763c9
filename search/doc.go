package search

import (
	"slices"
	"strings"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
)

// AliasFunc appends to dst every known spelling of the entities with
// the given ids together, sorted and each once:
// gazetteer.Gazetteer.AppendAliases.
type AliasFunc func(dst, ids []string) []string

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
	// The aliases go behind room for the document's own names, into
	// the one array the names need: own's capacity is cut, so the
	// aliases cannot go into own's. The merge then writes the names
	// from the start of that array, never past the aliases it has yet
	// to read.
	names := own[:len(own):len(own)]
	if aliases != nil {
		names = aliases(names, ids)
	}
	if a := names[len(own):]; !slices.IsSorted(a) {
		slices.Sort(a)
	}
	d.EntityNames = slices.Compact(mergeTwo(names[:0], names[len(own):], own))
	return d
}

// mergeTwo appends the merge of the sorted lists a and b to dst, a string
// at the head of both once. a may lie in dst's array past its end, as
// long as it starts no earlier than len(dst)+len(b): each name is then
// written before the place of every name of a not yet read.
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
