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
// Companies are reported as tycoons of kind "company": the issue counts
// owners' firms among the tycoons, and matching them also keeps discovery
// from re-proposing a known firm and "Try Pheap Group" from being read as
// the person.
func (x *Extractor) findEntities(text string, toks []token, sc *scratch) []document.Entity {
	out := x.gaz.FindWith(text, gazetteer.FindOptions{Companies: true})
	new := discover(text, toks, out, x.gaz, sc)
	new = personVariants(new, text, toks, x.gaz, sc, out, new)
	if len(new) == 0 {
		return out
	}
	// FindWith allocates out at its length, so room for every entity
	// linkVariants may add and for the unlinked ones is made once here
	// rather than by each append.
	out = slices.Grow(out, len(new))
	out, new = linkVariants(text, out, new, x.gaz)
	out = append(out, new...)
	slices.SortStableFunc(out, func(a, b document.Entity) int {
		return cmp.Compare(a.Mentions[0].Start, b.Mentions[0].Start)
	})
	return out
}
