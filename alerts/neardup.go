package alerts

import (
	"strings"
	"sync"
	"unicode"

	"github.com/compoundwatch/compoundwatch/internal/fnv1a"
)

// Near-duplicate stories (the same wire story spun by another outlet) are
// found by MinHash over character shingles of the folded text: character
// shingles work for Khmer and Chinese, which have no spaces. An LSH index
// of bands finds candidates without comparing against every story.
const (
	shingleRunes = 5
	numHashes    = 64
	bandRows     = 4
	// NearDupThreshold is the estimated Jaccard similarity of shingle sets
	// above which two texts are one story. Spun copies (words swapped for
	// synonyms, sentences reordered) measure 0.4–0.7 against their source;
	// different stories on the same compound stay under 0.15.
	NearDupThreshold = 0.35
)

// Signature is a MinHash signature.
type Signature []uint64

// hashSeed is fixed so signatures stored in the ledger stay comparable
// across processes.
var hashSeeds = func() [numHashes]uint64 {
	var s [numHashes]uint64
	x := uint64(0x9E3779B97F4A7C15)
	for i := range s {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		s[i] = x
	}
	return s
}()

// Sign computes text's signature; nil when the text is too short to say.
func Sign(text string) Signature {
	var rs []rune
	space := true
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			rs = append(rs, r)
			space = false
		case !space:
			rs = append(rs, ' ')
			space = true
		}
	}
	if len(rs) < shingleRunes*4 {
		return nil
	}
	sig := make(Signature, numHashes)
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for i := 0; i+shingleRunes <= len(rs); i++ {
		base := fnv64(rs[i : i+shingleRunes])
		for j, s := range hashSeeds {
			v := mix(base ^ s)
			if v < sig[j] {
				sig[j] = v
			}
		}
	}
	return sig
}

// fnv64 is FNV-1a over the runes, a step a rune rather than a byte:
// fixed, so signatures stored in the ledger stay comparable across
// processes and versions.
func fnv64(rs []rune) uint64 {
	h := uint64(fnv1a.Offset)
	for _, r := range rs {
		h = (h ^ uint64(r)) * fnv1a.Prime
	}
	return h
}

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// Similarity estimates the Jaccard similarity of the shingle sets.
func (s Signature) Similarity(o Signature) float64 {
	if len(s) != numHashes || len(o) != numHashes {
		return 0
	}
	same := 0
	for i := range s {
		if s[i] == o[i] {
			same++
		}
	}
	return float64(same) / numHashes
}

// storyIndex finds earlier stories similar to a text.
type storyIndex struct {
	mu    sync.Mutex
	bands map[uint64][]string // band hash → story keys
	sigs  map[string]Signature
}

func newStoryIndex() *storyIndex {
	return &storyIndex{bands: map[uint64][]string{}, sigs: map[string]Signature{}}
}

func bandKeys(sig Signature) []uint64 {
	keys := make([]uint64, 0, numHashes/bandRows)
	for b := 0; b < numHashes; b += bandRows {
		k := uint64(b)
		for _, v := range sig[b : b+bandRows] {
			k = mix(k ^ v)
		}
		keys = append(keys, k)
	}
	return keys
}

func (x *storyIndex) add(story string, sig Signature) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if sig == nil || x.sigs[story] != nil {
		return
	}
	x.sigs[story] = sig
	for _, k := range bandKeys(sig) {
		x.bands[k] = append(x.bands[k], story)
	}
}

// similar returns the most similar earlier story above the threshold,
// other than self.
func (x *storyIndex) similar(self string, sig Signature) (string, bool) {
	if sig == nil {
		return "", false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	best, bestSim := "", NearDupThreshold
	seen := map[string]bool{}
	for _, k := range bandKeys(sig) {
		for _, s := range x.bands[k] {
			if s == self || seen[s] {
				continue
			}
			seen[s] = true
			if sim := sig.Similarity(x.sigs[s]); sim >= bestSim || sim == bestSim && best == "" {
				best, bestSim = s, sim
			}
		}
	}
	return best, best != ""
}
