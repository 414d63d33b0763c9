package gazetteer

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// pairKeyRef is appendVariantKey's loop over the letters as it was written
// before it switched on the first letter: one case per pair, in order.
func pairKeyRef(letters []byte) []byte {
	var dst []byte
	emit := func(c byte) {
		if n := len(dst); n > 0 {
			last := dst[n-1]
			if last == c || c == 'h' && !isVowel(last) {
				return
			}
		}
		dst = append(dst, c)
	}
	for i := 0; i < len(letters); i++ {
		c := letters[i]
		var d byte
		if i+1 < len(letters) {
			d = letters[i+1]
		}
		two := true
		switch {
		case c == 'e' && d == 'e':
			emit('i')
		case c == 'z' && d == 'h':
			emit('j')
		case c == 'h' && d == 's':
			emit('s')
		case d == 'h' && (c == 'p' || c == 't' || c == 'k' || c == 'g'):
			emit(c)
		case c == 'c' && d == 'h':
			emit('k')
		case c == 'o' && (d == 'u' || d == 'o'):
			emit('u')
		case c == 'e' && d == 'a':
			emit('e')
		case c == 'o' && d == 'e' && i+2 < len(letters) && letters[i+2] == 'u':
			emit('e')
		default:
			two = false
			switch c {
			case 'c', 'q':
				c = 'k'
			case 'x':
				c = 's'
			case 'w':
				c = 'v'
			case 'y':
				c = 'i'
			}
			emit(c)
		}
		if two {
			i++
		}
	}
	if n := len(dst); n > 1 && dst[n-1] == 'h' {
		dst = dst[:n-1]
	}
	return dst
}

// TestVariantKeyPairs holds variantKey to the pair-by-pair reference, on
// random lower-case words rich in the letters of the pairs, and on every
// word of the default gazetteer's aliases.
func TestVariantKeyPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 17))
	words := []string{}
	for range 20000 {
		words = append(words, string(randomBytes(rng, "aeiouhzscptkgqxwyn", 1+rng.IntN(12))))
	}
	g := defaultGaz(t)
	for _, typ := range []string{"compound", "tycoon", "province"} {
		for _, r := range g.Records(typ) {
			for _, a := range r.Aliases {
				words = append(words, strings.Fields(key(a))...)
			}
		}
	}
	for _, w := range words {
		if strings.ContainsFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) {
			continue
		}
		if got, want := variantKey(w), string(pairKeyRef([]byte(w))); got != want {
			t.Fatalf("variantKey(%q) = %q, want %q", w, got, want)
		}
	}
}
