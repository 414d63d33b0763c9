package extractor

import (
	"iter"
	"math/bits"
)

// wordTable is a read-only table of words, built once, for the scanners'
// lookups around every number and date (is the next word a unit, a scale,
// a month; is the one before a qualifier). A Go map hashes a whole key in
// AES rounds and probes a group of slots; these words are short, and
// their length with their first, middle and last letters spreads them
// over a table twice their number well enough that a lookup is a
// multiply, a load and a compare.
type wordTable[V any] struct {
	slots []wordSlot[V] // a power of two of them; linear probing
	shift uint          // 64 minus log2(len(slots))
}

type wordSlot[V any] struct {
	key string // "" for an empty slot
	val V
}

// newWordTable builds a table of m. Keys meant for lookups in any case
// (getFold) must be in lower case.
func newWordTable[V any](m map[string]V) wordTable[V] {
	n := 8
	for n < 2*len(m) {
		n *= 2
	}
	t := wordTable[V]{slots: make([]wordSlot[V], n), shift: uint(64 - bits.TrailingZeros(uint(n)))}
	for k, v := range m {
		if k == "" {
			continue // no lookup asks for it
		}
		i := wordHash(k) >> t.shift
		for t.slots[i].key != "" {
			i = (i + 1) & uint64(n-1)
		}
		t.slots[i] = wordSlot[V]{k, v}
	}
	return t
}

// wordHash hashes w with the case bit of its letters set, so that an
// exact lookup and one in any case probe the same slots. (Setting it in
// other bytes only moves them to other slots: the compare decides.)
func wordHash(w string) uint64 {
	n := len(w)
	h := uint64(w[0]) | uint64(w[n/2])<<8 | uint64(w[n-1])<<16 | 0x202020 | uint64(n)<<24
	return h * 0x9e3779b97f4a7c15
}

// get returns w's value, as m[w] would.
func (t *wordTable[V]) get(w string) (V, bool) {
	if w != "" {
		mask := uint64(len(t.slots) - 1)
		for i := wordHash(w) >> t.shift; t.slots[i].key != ""; i = (i + 1) & mask {
			if t.slots[i].key == w {
				return t.slots[i].val, true
			}
		}
	}
	var zero V
	return zero, false
}

// at returns w's value or the zero value, as m[w] would.
func (t *wordTable[V]) at(w string) V {
	v, _ := t.get(w)
	return v
}

// getFold returns the value of w in ASCII lower case: the words of a
// text in any case against a list in lower case, without a copy.
func (t *wordTable[V]) getFold(w string) (V, bool) {
	if w != "" {
		mask := uint64(len(t.slots) - 1)
		for i := wordHash(w) >> t.shift; t.slots[i].key != ""; i = (i + 1) & mask {
			if equalFoldASCII(w, t.slots[i].key) {
				return t.slots[i].val, true
			}
		}
	}
	var zero V
	return zero, false
}

// all yields the table's words and values, in no order.
func (t *wordTable[V]) all() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for _, s := range t.slots {
			if s.key != "" && !yield(s.key, s.val) {
				return
			}
		}
	}
}
