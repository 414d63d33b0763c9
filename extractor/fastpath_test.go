package extractor

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The scanners' fast paths must answer as the plain definitions below
// do, on every input: they are compared on hand-picked cases and on
// random strings built from the pieces that make the fast paths branch
// (both cases, the two non-ASCII runes that lower to ASCII, other white
// space, invalid bytes, chunk boundaries).

// containsFoldPlain is containsFold's definition.
func containsFoldPlain(s, sub string) bool {
	return strings.Contains(strings.Map(unicode.ToLower, s), sub)
}

func TestContainsFold(t *testing.T) {
	for _, tc := range []struct {
		s, sub string
		want   bool
	}{
		{"The DEADLINE passed", "deadline", true},
		{"a dead line", "deadline", false},
		{"Estimates vary", "estimat", true},
		{"broken down by Country", "by country", true},
		{"Nationalities", "nationalit", true},
		{"KİN", "kin", true},      // the dotted capital I lowers to i
		{"\u212Aid", "kid", true}, // the Kelvin sign lowers to k
		{"", "deadline", false},
		{"deadlin", "deadline", false},
	} {
		if got := containsFold(tc.s, tc.sub); got != tc.want {
			t.Errorf("containsFold(%q, %q) = %v, want %v", tc.s, tc.sub, got, tc.want)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"d", "D", "e", "E", "a", "A", "l", "L", "i", "I", "n", "N", "İ", "\u212A", "k", " ", "x", "é", "\xff", "dead", "DEADLINE", "line", "est", "imat", "by", " country", "nationalit"}
	for range 50000 {
		s := randomString(r, pieces, 30)
		for _, sub := range []string{"deadline", "estimat", "by country", "nationalit", "kin", "id", "d"} {
			// strings.Map turns an invalid byte into U+FFFD, which
			// matches no ASCII sub either way.
			if got, want := containsFold(s, sub), containsFoldPlain(s, sub); got != want {
				t.Fatalf("containsFold(%q, %q) = %v, want %v", s, sub, got, want)
			}
		}
	}
}

// needsCollapsePlain is needsCollapse's definition: white space other
// than single spaces.
func needsCollapsePlain(s string) bool {
	prevSpace := false
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return true
			}
			prevSpace = true
			continue
		case r != utf8.RuneError && unicode.IsSpace(r):
			return true
		}
		prevSpace = false
	}
	return false
}

func TestNeedsCollapse(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"one two three", false},
		{"one  two", true},
		{"twelve chars  then two", true}, // the pair across an 8-byte chunk
		{"one\ttwo", true},
		{"one\ntwo", true},
		{"one\u00a0two", true},
		{"control \x01 bytes stay", false},
		{"", false},
	} {
		if got := needsCollapse(tc.s); got != tc.want {
			t.Errorf("needsCollapse(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "b", " ", " ", "\x01", "\t", "\n", "\u00a0", "\u2009", "é", "\xff", "\x7f", "word", "xx ", "~", "!"}
	for range 100000 {
		s := randomString(r, pieces, 40)
		if got, want := needsCollapse(s), needsCollapsePlain(s); got != want {
			t.Fatalf("needsCollapse(%q) = %v, want %v", s, got, want)
		}
	}
}

func randomString(r *rand.Rand, pieces []string, n int) string {
	var b strings.Builder
	for range r.IntN(n) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}
