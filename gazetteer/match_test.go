package gazetteer

import (
	"bytes"
	"math/rand/v2"
	"slices"
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

func TestHanSpacings(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"KK园区", []string{"KK园区", "KK 园区"}},
		{"KK 園區", []string{"KK 園區", "KK園區"}},
		{"A 区 B9栋", []string{"A 区 B9栋", "A 区 B9 栋", "A区B9栋"}},
		{"水沟谷", []string{"水沟谷"}},
		{"Shwe Kokko", []string{"Shwe Kokko"}},
		{"ក្រុង 金边", []string{"ក្រុង 金边"}}, // Khmer is not spaced from Chinese
	} {
		if got := hanSpacings(c.in); !slices.Equal(got, c.want) {
			t.Errorf("hanSpacings(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
