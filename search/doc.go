package search

import (
	"slices"
	"strings"
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
	}
	if ts, err := time.Parse(time.DateOnly, t.Published); err == nil {
		d.Published, d.PublishedDate, d.Year, d.Month = ts.Unix(), t.Published, ts.Year(), ts.Format("2006-01")
	}
	// The names are sorted and each kept once. The entities' alias lists
	// (most of the names: some 270 in an article) come sorted from the
	// gazetteer, so they are merged rather than sorted again with the
	// rest.
	own := make([]string, 0, 4*len(t.Entities)) // names and mention spellings
	runs := make([][]string, 0, len(t.Entities)+1)
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
		if aliases == nil {
			continue
		}
		if a := aliases(e.ID); len(a) > 0 {
			if !slices.IsSorted(a) {
				a = slices.Sorted(slices.Values(a))
			}
			runs = append(runs, a)
		}
	}
	for _, s := range [][]string{d.Compounds, d.Tycoons, d.Provinces} {
		slices.Sort(s)
	}
	slices.Sort(own)
	d.EntityNames = mergeOnce(append(runs, own))
	return d
}

// mergeOnce merges sorted lists into one sorted list holding each string
// once, never nil. The lists are merged in pairs, round after round, so
// a string takes part in about log2(len(runs)) comparisons; each round
// writes into the buffer the round before read from.
func mergeOnce(runs [][]string) []string {
	n := 0
	for _, r := range runs {
		n += len(r)
	}
	if len(runs) == 1 {
		return slices.Compact(slices.Clone(runs[0]))
	}
	var bufs [2][]string
	for k := 0; len(runs) > 1; k ^= 1 {
		if bufs[k] == nil {
			bufs[k] = make([]string, 0, n)
		}
		dst := bufs[k][:0]
		next := runs[:0] // runs[j] is read before next[j/2] is written
		for i := 0; i < len(runs); i += 2 {
			from := len(dst)
			if i+1 < len(runs) {
				dst = mergeTwo(dst, runs[i], runs[i+1])
			} else {
				dst = append(dst, runs[i]...)
			}
			next = append(next, dst[from:len(dst):len(dst)])
		}
		runs = next
	}
	return slices.Compact(runs[0])
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
