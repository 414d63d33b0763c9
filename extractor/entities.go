package extractor

import (
	"cmp"
	"slices"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
)

// findEntities tags the known entities of text and the unknown ones
// discovery finds, in order of first mention.
//
// Companies are matched (so discovery never re-proposes a known firm and
// "Try Pheap Group" is not read as the person) but not reported: tags name
// the people and sites, and the annotation conventions the extractor is
// scored against do the same.
func (x *Extractor) findEntities(text string) []document.Entity {
	all := x.gaz.FindWith(text, gazetteer.FindOptions{Companies: true})
	new := discover(text, all, x.gaz)
	out := slices.DeleteFunc(all, func(e document.Entity) bool { return e.Kind == "company" })
	if len(new) == 0 {
		return out
	}
	out = append(out, new...)
	slices.SortStableFunc(out, func(a, b document.Entity) int {
		return cmp.Compare(a.Mentions[0].Start, b.Mentions[0].Start)
	})
	return out
}
