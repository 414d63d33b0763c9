package gazetteer

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPhrasesAt compares phrases.at, which tries the phrases of a
// position's first byte, with a scan of every phrase in order, on random
// phrases and texts over a few letters and both separators, phrases
// sharing first bytes and prefixes of one another, and positions at and
// past the end.
func TestPhrasesAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	word := func(n int) string { return string(randomBytes(rng, "abc  |", n)) }
	for range 2000 {
		var keys []string
		for range 1 + rng.IntN(8) {
			if k := strings.Trim(word(1+rng.IntN(5)), " |"); k != "" {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			continue
		}
		sortByLenDesc(keys)
		p := newPhrases(keys)
		b := []byte(word(rng.IntN(12)))
		for i := 0; i <= len(b)+1; i++ {
			want := 0
			for _, k := range keys {
				if i <= len(b) && bytes.HasPrefix(b[i:], []byte(k)) && !wordAt(b, i+len(k)) {
					want = len(k)
					break
				}
			}
			if got := p.at(b, i); got != want {
				t.Fatalf("phrases %q at %d of %q: %d, want %d", keys, i, b, got, want)
			}
		}
	}
}
