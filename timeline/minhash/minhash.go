// Package minhash estimates how much two texts share, by MinHash over
// character shingles. Shingles of runes rather than words make it work on
// Chinese, Khmer and Thai, which write no spaces between words, and make
// it tolerant of the word swaps of a machine-paraphrased ("spun") copy.
package minhash

import (
	"unicode"
	"unicode/utf8"
)

// Size is the number of slots in a signature: hash functions for Of,
// parts of one hash's range for OfText. With 64 the standard error of
// the estimate is at most 0.06 (sqrt(J(1-J)/64)), enough to tell a
// retelling of the same happening (0.3 and up) from two sentences that
// merely share names (below 0.15).
const Size = 64

// Shingle is the shingle length in runes; a shingle ending in a Chinese
// character is two characters long, as a Han character carries about as
// much as a short word.
const Shingle = 4

// Signature is the MinHash of a text: per hash function, the least hash
// of any shingle. The zero signature belongs to a text with no shingles.
type Signature [Size]uint32

// Of returns the signature of s. Letters and digits are case-folded;
// every run of other characters counts as one space, so punctuation and
// spacing do not matter.
func Of(s string) Signature {
	var f folder
	f.sig = empty
	eachShingle(s, f.fold)
	if !f.any {
		return Signature{}
	}
	f.flush()
	return f.sig
}

// OfText returns the signature of a whole text, the kind that tells a
// copy of a document from another document; Of is for sentences. Its
// slots are not Of's: compare signatures of one kind only.
//
// It is one-permutation MinHash: a shingle is hashed once and kept only
// in the slot its hash picks, the least per slot, where Of computes Size
// hashes of it. An article has some 3,000 distinct shingles, and Of's
// 64 multiply-adds for each were a sixth of what the embedded index
// spends on a document. Two texts then agree in a slot with probability
// their Jaccard similarity, as with Of, and on texts of hundreds of
// shingles and more the estimate is as close (TestOfTextEstimates). A
// slot no shingle fell in takes the value of another, chosen by a fixed
// hash of its number until one holds a shingle ("optimal densification",
// Shrivastava 2017), so short texts keep that probability too.
func OfText(s string) Signature {
	sig := empty
	var filled uint64 // bit i: slot i holds a shingle
	eachShingle(s, func(h uint64) {
		i := h >> (64 - slotBits)
		filled |= 1 << i
		sig[i] = min(sig[i], uint32(h))
	})
	if filled == 0 {
		return Signature{}
	}
	for i := range sig {
		if filled&(1<<i) == 0 {
			sig[i] = sig[donor(uint64(i), filled)]
		}
	}
	return sig
}

// slotBits is log2(Size): OfText picks a slot by a hash's top bits and
// keeps its low 32, so the two are independent.
const slotBits = 6

// donor returns the slot an empty slot i takes its value from: the first
// of a fixed sequence of slots, drawn by hashing i and the attempt, that
// holds a shingle. With half the slots empty it takes two draws on
// average; past 256 it goes round from i, which a signature with any
// shingle ends.
func donor(i, filled uint64) uint64 {
	for attempt := uint64(0); attempt < 256; attempt++ {
		if j := mix((i<<32|attempt)+0x5bd1e995) >> (64 - slotBits); filled&(1<<j) != 0 {
			return j
		}
	}
	for j := (i + 1) % Size; ; j = (j + 1) % Size {
		if filled&(1<<j) != 0 {
			return j
		}
	}
}

// eachShingle calls fold with the hash of every shingle of s, in order,
// repeats included. Letters and digits are case-folded; every run of
// other characters counts as one space.
func eachShingle(s string, fold func(h uint64)) {
	var (
		win [Shingle]rune
		n   int
		gap bool // a run of other characters, written once before the next letter
	)
	add := func(r rune, han bool) {
		copy(win[:], win[1:])
		win[Shingle-1] = r
		width := Shingle
		if han {
			width = 2
		}
		if n++; n >= width {
			fold(shingleHash(win[Shingle-width:]))
		}
	}
	for _, r := range s {
		if r < utf8.RuneSelf {
			// ASCII, most of any text: a table test instead of the
			// Unicode range searches.
			switch {
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			case 'A' <= r && r <= 'Z':
				r += 'a' - 'A'
			default:
				gap = n > 0
				continue
			}
			if gap {
				add(' ', false)
				gap = false
			}
			add(r, false)
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r) {
			gap = n > 0
			continue
		}
		if gap {
			add(' ', false)
			gap = false
		}
		r = unicode.ToLower(r)
		add(r, unicode.Is(unicode.Han, r))
	}
}

// empty is the start of every signature: no shingle seen.
var empty = func() (s Signature) {
	for i := range s {
		s[i] = ^uint32(0)
	}
	return s
}()

// folder folds shingle hashes into a signature. A text repeats many of its
// shingles ("the ", "ion "); folding one again cannot change the minima,
// so a hash already seen is skipped after a probe of a small table rather
// than costing Size multiply-adds. Once the table is three-quarters full,
// new hashes are folded without being recorded: the result is the same.
//
// New hashes wait in pend and are folded four at a time: a minimum does
// not depend on the order it is taken in, and one pass over the hash
// functions for four hashes loads each function's constants and minimum
// once instead of four times, which leaves the multiplier, not the loads,
// as the limit.
type folder struct {
	sig  Signature
	any  bool
	seen [1 << 12]uint64
	used int
	pend [4]uint64
	n    int // hashes waiting in pend
}

func (f *folder) fold(h uint64) {
	f.any = true
	if h != 0 { // 0 marks a free slot
		mask := uint64(len(f.seen) - 1)
		i := h & mask
		for f.seen[i] != 0 { // never full, so a free slot ends the probe
			if f.seen[i] == h {
				return
			}
			i = (i + 1) & mask
		}
		if f.used < len(f.seen)*3/4 {
			f.seen[i] = h
			f.used++
		}
	}
	f.pend[f.n] = h
	if f.n++; f.n == len(f.pend) {
		f.flush()
	}
}

// flush folds the waiting hashes. A partial group fills its empty places
// with its first hash: folding a hash twice changes nothing.
func (f *folder) flush() {
	if f.n == 0 {
		return
	}
	for j := f.n; j < len(f.pend); j++ {
		f.pend[j] = f.pend[0]
	}
	f.n = 0
	h0, h1, h2, h3 := f.pend[0], f.pend[1], f.pend[2], f.pend[3]
	for i := range f.sig {
		// h_i = high half of a_i*h + b_i: one multiply-add per
		// function, cheap enough for whole documents.
		a, b := perm[i][0], perm[i][1]
		f.sig[i] = min(f.sig[i],
			uint32((a*h0+b)>>32), uint32((a*h1+b)>>32),
			uint32((a*h2+b)>>32), uint32((a*h3+b)>>32))
	}
}

// perm holds the multipliers (odd) and addends of the hash functions,
// fixed so that signatures stored by one process compare with those of
// another. It is never written after initialisation.
var perm = func() (p [Size][2]uint64) {
	x := uint64(0x243f6a8885a308d3)
	for i := range p {
		x += 0x9e3779b97f4a7c15
		p[i][0] = mix(x) | 1
		x += 0x9e3779b97f4a7c15
		p[i][1] = mix(x)
	}
	return p
}()

func shingleHash(w []rune) uint64 {
	var h uint64 = 0xcbf29ce484222325
	for _, r := range w {
		h ^= uint64(r)
		h *= 0x100000001b3
	}
	return mix(h)
}

// mix is the splitmix64 finaliser.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// Similarity estimates the Jaccard similarity of the shingle sets of the
// texts a and b were made from. An empty signature is similar to nothing.
func Similarity(a, b Signature) float64 {
	if a.Empty() || b.Empty() {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / Size
}

// Empty reports the signature of a text without shingles.
func (s Signature) Empty() bool { return s == Signature{} }
