package extractor

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/internal/sorted"
)

// Confidence of entities recognised from spelling variants.
const (
	confVariantLinked = 0.8  // one known entity, same key, context agrees
	confVariantExact  = 0.7  // same key, but no context or several entities
	confVariantNear   = 0.5  // keys one or two letters apart
	confMiddleName    = 0.75 // "Alice Leal Guo" for Alice Guo
)

// personVariants finds people written in a spelling the gazetteer lacks:
// runs of two or three capitalised words outside every known or
// discovered mention whose words are words of known people's names, and
// that are a spelling variant of one of them ("Ming Zhen Zhen"), or the
// name with a middle name added ("Alice Leal Guo"). It appends them to
// dst, so that the caller's list is not copied into a new one; sp holds
// the mentions of the known and discovered entities, dst's among them.
func personVariants(dst []document.Entity, s scanner, g *gazetteer.Gazetteer, sp spans) []document.Entity {
	text, toks, ups := s.text, s.toks, s.ups
	out := dst
	// Two capitalised words in a row, joined by one space, are found
	// among the capitalised tokens (s.ups), which the scanner lists with
	// no branch. A test of each token and the next cost three times as
	// much (callgrind, on the articles), and a test of each token's flag
	// alone mispredicted at every capitalised word.
	skip := 0 // a run found ends before it
	k := 0    // for freeOn
	for u := 0; u+1 < len(ups); u++ {
		i := int(ups[u])
		if int(ups[u+1]) != i+1 || i < skip {
			continue
		}
		if a, b := &toks[i], &toks[i+1]; b.start != a.end+1 || text[a.end] != ' ' {
			continue
		}
		// Outside every mention (a word inside one starts no free run),
		// then a known name word. The pairs come in text order (freeOn).
		if !sp.freeOn(&k, toks[i].start, toks[i].end) || !g.NameWord(text[toks[i].start:toks[i].end]) {
			continue
		}
		// The run: up to three capitalised words joined by single spaces.
		n := 1
		for n < 3 && i+n < len(toks) {
			t := toks[i+n]
			if t.kind != tWord || !t.has(fUpper) || text[toks[i+n-1].end:t.start] != " " {
				break
			}
			n++
		}
		if n < 2 {
			continue
		}
		for ; n >= 2; n-- {
			a, b := toks[i].start, toks[i+n-1].end
			name := text[a:b]
			if !sp.free(a, b) || inLower(&notPerson, firstWord(name)) {
				continue
			}
			if vs := g.Variants(document.Tycoon, name); len(vs) > 0 {
				out = addCandidate(out, variantCandidate(text, name, a, b, vs, ""))
				skip = i + n
				break
			}
			if n == 3 {
				// A middle name: "Alice Leal Guo" for Alice Guo.
				short := text[toks[i].start:toks[i].end] + " " + text[toks[i+2].start:toks[i+2].end]
				if id, ok := g.Resolve(document.Tycoon, short); ok {
					if r, _ := g.Entity(id); r.Kind == "person" {
						v := gazetteer.Variant{ID: r.ID, Name: r.Name, Alias: short, Exact: true}
						out = addCandidate(out, variantCandidate(text, name, a, b, []gazetteer.Variant{v}, "middle name"))
						skip = i + n
						break
					}
				}
			}
		}
	}
	return out
}

// addCandidate appends e to out, or adds its mention to the entity out
// already holds under e's ID: a name spelled the same way three times is
// one entity with three mentions, as discovery makes it.
func addCandidate(out []document.Entity, e document.Entity) []document.Entity {
	for i := range out {
		if out[i].ID == e.ID {
			out[i].Mentions = append(out[i].Mentions, e.Mentions...)
			return out
		}
	}
	return append(out, e)
}

// spans are the mentions of some entities, for free.
type spans struct {
	// starts are the mentions' starts in order, and ends[k] the greatest
	// end of the mentions up to starts[k].
	starts, ends []int
}

// takenSpans gathers the mentions of taken, in sc's memory.
func takenSpans(sc *scratch, taken ...[]document.Entity) spans {
	byStart, ms := mentionsByStart(sc, taken...)
	sp := spans{starts: slices.Grow(sc.taken.starts[:0], len(byStart))[:len(byStart)], ends: slices.Grow(sc.taken.ends[:0], len(byStart))[:len(byStart)]}
	end := 0
	for k, key := range byStart {
		end = max(end, ms[uint32(key)].end)
		sp.starts[k], sp.ends[k] = int(key>>32), end
	}
	sc.taken = sp
	return sp
}

// add returns sp with the mentions of es added, in sp's memory (which
// sc.taken then holds too: sp itself is no longer to be used). The few
// mentions of es are sorted and merged in from the back, each taking its
// place by start with its own end or, for one of sp, its running end;
// a pass from the front then runs the greatest end on. The mentions of sp
// are not sorted again.
func (sp spans) add(sc *scratch, es []document.Entity) spans {
	byStart, ms := mentionsByStart(sc, es)
	if len(byStart) == 0 {
		return sp
	}
	n := len(sp.starts) + len(byStart)
	starts := slices.Grow(sp.starts, len(byStart))[:n]
	ends := slices.Grow(sp.ends, len(byStart))[:n]
	// i of sp's mentions and j of the added ones are still to place; the
	// places from i+j on are taken, so sp's i are where they were.
	i, first := len(sp.starts), n
	for j := len(byStart); j > 0; {
		if a := int(byStart[j-1] >> 32); i > 0 && starts[i-1] > a {
			i--
			starts[i+j], ends[i+j] = starts[i], ends[i]
		} else {
			j--
			starts[i+j], ends[i+j] = a, ms[uint32(byStart[j])].end
			first = i + j
		}
	}
	for k := max(first, 1); k < n; k++ {
		ends[k] = max(ends[k], ends[k-1])
	}
	sc.taken = spans{starts: starts, ends: ends}
	return sc.taken
}

// mentionsByStart orders the mentions of lists by start, in sc's memory.
// Each key of byStart holds a mention's start above its index in ms,
// which holds the mention's end and its entity's index in its list:
// sorted as plain integers, the keys order the mentions by start. Both
// fit in 32 bits: no document read or carried on the bus comes near
// 4 GB.
func mentionsByStart(sc *scratch, lists ...[]document.Entity) (byStart []uint64, ms []entitySpan) {
	byStart, ms = sc.byStart[:0], sc.spans[:0]
	for _, es := range lists {
		for i := range es { // by index: an Entity is large to copy
			for _, m := range es[i].Mentions {
				byStart = append(byStart, uint64(m.Start)<<32|uint64(len(ms)))
				ms = append(ms, entitySpan{m.End, i})
			}
		}
	}
	slices.Sort(byStart)
	sc.byStart, sc.spans = byStart, ms
	return byStart, ms
}

// entitySpan is the end of a mention and the index of its entity in its
// list, for mentionsByStart.
type entitySpan struct{ end, entity int }

// free reports whether no mention overlaps text[a:b]: none of those that
// start before b ends after a.
func (sp spans) free(a, b int) bool {
	return sp.freeWith(a, sorted.Before(sp.starts, b))
}

// freeOn is free for a run of questions whose b never decreases: k is the
// count of mentions that started before the last question's b
// (sorted.BeforeFrom).
func (sp spans) freeOn(k *int, a, b int) bool {
	*k = sorted.BeforeFrom(sp.starts, b, *k)
	return sp.freeWith(a, *k)
}

// freeWith is free given k, the number of mentions that start before b.
func (sp spans) freeWith(a, k int) bool {
	return k == 0 || sp.ends[k-1] <= a
}

func variantCandidate(text, name string, a, b int, vs []gazetteer.Variant, how string) document.Entity {
	e := document.Entity{Type: document.Tycoon, ID: candidateID(document.Tycoon, name), Name: name, Kind: "person",
		Confidence: confVariantNear, Mentions: []document.Mention{mention(text, a, b)}}
	e.Proposals = proposals(name, vs, how)
	return e
}

// proposals turns variants into "likely the same as" proposals.
func proposals(name string, vs []gazetteer.Variant, how string) []document.Proposal {
	var out []document.Proposal
	for _, v := range vs {
		p := document.Proposal{ID: v.ID, Name: v.Name, Confidence: confVariantNear}
		switch {
		case how != "":
			p.Confidence = confMiddleName
			p.Evidence = fmt.Sprintf("%q is %q with a %s", name, v.Alias, how)
		case v.Exact:
			p.Confidence = confVariantExact
			p.Evidence = fmt.Sprintf("%q and %q are one spelling up to transliteration", name, v.Alias)
		default:
			p.Evidence = fmt.Sprintf("%q is one or two letters from %q", name, v.Alias)
		}
		out = append(out, p)
	}
	return out
}

// linkVariants links a discovered entity to the known one it is a
// spelling variant of, when that is unambiguous: a single exact proposal
// whose entity the context supports (the site's province or town, or a
// linked entity, is named in the same text; for a person, a linked entity
// or a known relative with the same family name). The others keep their
// proposals for an editor. known and found are the gazetteer's and
// discovery's entities; it returns both lists updated.
func linkVariants(text string, known, found []document.Entity, g *gazetteer.Gazetteer) ([]document.Entity, []document.Entity) {
	kept := found[:0]
	for _, c := range found {
		if c.Type != document.Compound && c.Type != document.Tycoon {
			kept = append(kept, c)
			continue
		}
		if c.Proposals == nil {
			vs := g.Variants(c.Type, c.Name)
			if c.Type == document.Tycoon && c.Kind == "person" {
				vs = slices.DeleteFunc(vs, func(v gazetteer.Variant) bool {
					r, _ := g.Entity(v.ID)
					return r.Kind != "person"
				})
			}
			c.Proposals = proposals(c.Name, vs, "")
		}
		var sure []document.Proposal
		for _, p := range c.Proposals {
			if p.Confidence >= confVariantExact {
				sure = append(sure, p)
			}
		}
		if len(sure) != 1 {
			kept = append(kept, c)
			continue
		}
		r, ok := g.Entity(sure[0].ID)
		why, agrees := supports(text, r, known)
		if !ok || !agrees {
			kept = append(kept, c)
			continue
		}
		linked := document.Entity{
			Type: r.Type, ID: r.ID, Name: r.Name, Kind: r.Kind, Known: true, Uncertain: r.Uncertain,
			Confidence: confVariantLinked, Mentions: c.Mentions,
			LinkedBy: sure[0].Evidence + "; " + why,
		}
		if i := slices.IndexFunc(known, func(e document.Entity) bool { return e.ID == r.ID }); i >= 0 {
			known[i].Mentions = append(known[i].Mentions, c.Mentions...)
			slices.SortFunc(known[i].Mentions, func(a, b document.Mention) int { return cmp.Compare(a.Start, b.Start) })
			if known[i].LinkedBy == "" {
				known[i].LinkedBy = linked.LinkedBy
			}
			continue
		}
		known = append(known, linked)
	}
	return known, kept
}

// supports reports what in the text backs reading a variant as r.
func supports(text string, r gazetteer.Record, known []document.Entity) (string, bool) {
	if r.Place != "" {
		for off := 0; ; {
			i := strings.Index(text[off:], r.Place)
			if i < 0 {
				break
			}
			if a := off + i; wordEdge(text, a, a+len(r.Place)) {
				return fmt.Sprintf("the text names %s, its town", r.Place), true
			}
			off += i + len(r.Place)
		}
	}
	for _, e := range known {
		switch {
		case r.Province != "" && e.ID == r.Province:
			return fmt.Sprintf("the text names %s, where it is", e.Name), true
		case slices.Contains(r.Links, e.ID):
			return fmt.Sprintf("the text names %s, linked to it", e.Name), true
		case r.Kind == "person" && e.Kind == "person" && e.ID != r.ID && firstWord(e.Name) == firstWord(r.Name):
			return fmt.Sprintf("the text names %s, of the same family", e.Name), true
		}
	}
	return "", false
}

// Relink applies editors' links (gazetteer.Link, loaded into g with
// WithLinks) to a document tagged before them: a discovered entity whose
// name g now knows becomes that known entity, merged with it when the
// document mentions it already, in the document's entities and in its
// dated events. It reports whether t changed; reindex uses it so that old
// documents, and their events on the timeline, are found under the linked
// entity.
func Relink(t *document.Tagged, g *gazetteer.Gazetteer) bool {
	var linked map[string]string // discovered id → known id
	for i, e := range t.Entities {
		if e.Known {
			continue
		}
		id, ok := g.Resolve(e.Type, e.Name)
		r, known := g.Entity(id)
		if !ok || !known {
			continue
		}
		if linked == nil {
			linked = map[string]string{}
		}
		linked[e.ID] = r.ID
		t.Entities[i] = document.Entity{
			Type: r.Type, ID: r.ID, Name: r.Name, Kind: r.Kind, Known: true, Uncertain: r.Uncertain,
			Confidence: max(e.Confidence, confVariantLinked), Mentions: e.Mentions,
			LinkedBy: fmt.Sprintf("an editor linked %q to %s", e.Name, r.Name),
		}
	}
	if linked == nil {
		return false
	}
	// Merge an entity now named twice into its first place.
	out := t.Entities[:0]
	for _, e := range t.Entities {
		if i := slices.IndexFunc(out, func(o document.Entity) bool { return o.ID == e.ID }); i >= 0 {
			out[i].Mentions = append(out[i].Mentions, e.Mentions...)
			slices.SortFunc(out[i].Mentions, func(a, b document.Mention) int { return cmp.Compare(a.Start, b.Start) })
			out[i].Confidence = max(out[i].Confidence, e.Confidence)
			continue
		}
		out = append(out, e)
	}
	t.Entities = out
	for i := range t.Events {
		ids := t.Events[i].Entities[:0]
		for _, id := range t.Events[i].Entities {
			if known, ok := linked[id]; ok {
				id = known
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		t.Events[i].Entities = ids
	}
	return true
}
