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
func (x *Extractor) findEntities(s scanner) []document.Entity {
	text, sc := s.text, s.sc
	// The known entities are found into a scratch list and copied once
	// into the result, allocated with room for the discovered ones,
	// rather than allocated by the gazetteer and grown here.
	known := x.gaz.AppendFind(sc.known[:0], text, gazetteer.FindOptions{Companies: true})
	defer func() {
		clear(known) // the scratch list keeps no document's mentions
		sc.known = known[:0]
	}()
	// The known mentions are sorted once, for both: the candidates'
	// mentions join them for personVariants.
	taken := takenSpans(sc, known)
	new := discover(text, s.toks, known, taken, x.gaz, sc)
	new = personVariants(new, s, x.gaz, taken.add(sc, new))
	if len(known)+len(new) == 0 {
		return nil
	}
	out := append(make([]document.Entity, 0, len(known)+len(new)), known...)
	if len(new) == 0 {
		return out
	}
	out, new = linkVariants(text, out, new, x.gaz)
	out = append(out, new...)
	slices.SortStableFunc(out, func(a, b document.Entity) int {
		return cmp.Compare(a.Mentions[0].Start, b.Mentions[0].Start)
	})
	return out
}
