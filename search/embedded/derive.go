package embedded

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/vellum"
	"github.com/blevesearch/vellum/levenshtein"
)

// Meilisearch matches a query word against the words of its dictionary
// (milli's compute_derivations): the word itself; within its typos, a
// word that starts with the same letter, or one typo fewer when the
// first letter differs (that typo counts double); and, for the last
// word, any word that starts with one of those (a prefix automaton).
// Bleve has no query that combines typos with a prefix, so the index
// walks its term dictionaries with the same Levenshtein automata and
// queries the terms found.

// levBuilders build Levenshtein automata for 0, 1 and 2 typos, a
// transposition counting as one typo, as in Meilisearch.
type levBuilders [3]*levenshtein.LevenshteinAutomatonBuilder

func newLevBuilders() (levBuilders, error) {
	var b levBuilders
	for d := range b {
		var err error
		if b[d], err = levenshtein.NewLevenshteinAutomatonBuilder(uint8(d), true); err != nil {
			return b, fmt.Errorf("levenshtein automaton for %d typos: %w", d, err)
		}
	}
	return b, nil
}

// prefixed matches whatever starts with a string its automaton matches.
type prefixed struct{ vellum.Automaton }

// allMatch is the state of prefixed once its automaton has matched;
// vellum's states are never negative.
const allMatch = -1

func (p prefixed) Start() int { return p.after(p.Automaton.Start()) }

func (p prefixed) after(s int) int {
	if p.Automaton.IsMatch(s) {
		return allMatch
	}
	return s
}

func (p prefixed) IsMatch(s int) bool         { return s == allMatch }
func (p prefixed) WillAlwaysMatch(s int) bool { return s == allMatch }
func (p prefixed) CanMatch(s int) bool        { return s == allMatch || p.Automaton.CanMatch(s) }

func (p prefixed) Accept(s int, b byte) int {
	if s == allMatch {
		return allMatch
	}
	return p.after(p.Automaton.Accept(s, b))
}

// derived is what a query word matches in one field: the word itself or
// terms it starts (exact) and terms within its typos (typo).
type derived struct{ exact, typo []string }

// derive finds the terms of field in snap that w matches.
func (b levBuilders) derive(snap *scorch.IndexSnapshot, field string, w qword) (derived, error) {
	type walk struct {
		a          vellum.Automaton
		start, end []byte // key range, nil for all
	}
	var walks []walk
	add := func(typos int, sameFirst bool) error {
		dfa, err := b[typos].BuildDfa(w.term, uint8(typos))
		if err != nil {
			return err
		}
		s := walk{a: dfa}
		if w.prefix {
			s.a = prefixed{dfa}
		}
		if sameFirst {
			_, n := utf8.DecodeRuneInString(w.term)
			s.start = []byte(w.term[:n])
			s.end = append([]byte(w.term[:n-1]), w.term[n-1]+1) // UTF-8 bytes are < 0xff
		}
		walks = append(walks, s)
		return nil
	}
	if err := add(w.typos, w.typos > 0); err != nil {
		return derived{}, err
	}
	if w.typos == 2 {
		if err := add(1, false); err != nil {
			return derived{}, err
		}
	}
	seen := map[string]bool{}
	for _, seg := range snap.Segments() {
		dict, err := seg.Segment().Dictionary(field)
		if err != nil {
			return derived{}, err
		}
		for _, s := range walks {
			it := dict.AutomatonIterator(s.a, s.start, s.end)
			for {
				e, err := it.Next()
				if err != nil {
					return derived{}, err
				}
				if e == nil {
					break
				}
				seen[e.Term] = true
			}
		}
	}
	var d derived
	for t := range seen {
		if t == w.term || w.prefix && strings.HasPrefix(t, w.term) {
			d.exact = append(d.exact, t)
		} else {
			d.typo = append(d.typo, t)
		}
	}
	slices.Sort(d.exact)
	slices.Sort(d.typo)
	return d, nil
}

// deriveAll fills in the terms of every word of alts.
func (b levBuilders) deriveAll(snap *scorch.IndexSnapshot, alts [][]qword) error {
	for _, ws := range alts {
		for i := range ws {
			ws[i].terms = make(map[string]derived, len(fieldBoosts()))
			for _, f := range fieldBoosts() {
				d, err := b.derive(snap, f.name, ws[i])
				if err != nil {
					return fmt.Errorf("terms for %q in %s: %w", ws[i].term, f.name, err)
				}
				ws[i].terms[f.name] = d
			}
		}
	}
	return nil
}
