package gazetteer

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// levenshtein is the distance by its definition: the whole table.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// TestEditDistanceBand holds the banded editDistance to the whole table:
// the distance itself up to max, max+1 beyond, for every max it is called
// with and more, on close and far pairs of random names, short and longer
// than its stack buffer.
func TestEditDistanceBand(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		max  int
		want int
	}{
		{"mingxuechen", "mingxuechang", 2, 2},
		{"kitten", "sitting", 2, 3},
		{"", "ab", 2, 2},
		{"abc", "", 2, 3},
		{"same", "same", 0, 0},
		{"ab", "ba", 1, 2},
	} {
		if got := editDistance(tc.a, tc.b, tc.max); got != tc.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.max, got, tc.want)
		}
	}
	w := randomWords{rand.New(rand.NewPCG(9, 10)), "abcde"}
	for range 50000 {
		a := w.word(w.r.IntN(60))
		b := w.edit(a, w.r.IntN(5)) // a few edits, so that near pairs are common
		if w.r.IntN(4) == 0 {
			b = w.word(w.r.IntN(60))
		}
		max := w.r.IntN(5)
		want := min(levenshtein(a, b), max+1)
		if got := editDistance(a, b, max); got != want {
			t.Fatalf("editDistance(%q, %q, %d) = %d, want %d", a, b, max, got, want)
		}
	}
}

// TestFewLettersApart holds the letter-set screen to its promise: it never
// rules out a pair two edits apart or closer, over an alphabet wide
// enough that letters share bits ('a' and '!'), and it does rule out
// names that share few letters.
func TestFewLettersApart(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"mingxuechen", "mingxuechang", true},
		{"abcd", "abxy", true},
		{"abcd", "axyz", false},
		{"lyyongphat", "chenzhi", false},
	} {
		if got := fewLettersApart(letterSet(tc.a), letterSet(tc.b)); got != tc.want {
			t.Errorf("fewLettersApart(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	w := randomWords{rand.New(rand.NewPCG(11, 12)), "abcdefghijklmnopqrstuvwxyz0123456789 !\"#-"}
	for range 50000 {
		a := w.word(1 + w.r.IntN(20))
		b := w.edit(a, w.r.IntN(4))
		if levenshtein(a, b) <= 2 && !fewLettersApart(letterSet(a), letterSet([]byte(b))) {
			t.Fatalf("fewLettersApart rules out %q and %q, %d edits apart", a, b, levenshtein(a, b))
		}
	}
}

// randomWords makes random words over an alphabet, and near copies of
// them, for the tests of the edit distance and its screen.
type randomWords struct {
	r        *rand.Rand
	alphabet string
}

func (w randomWords) word(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(w.alphabet[w.r.IntN(len(w.alphabet))])
	}
	return b.String()
}

// edit returns s after n random insertions, deletions and substitutions
// (a deletion or substitution past the end does nothing).
func (w randomWords) edit(s string, n int) string {
	for range n {
		p := w.r.IntN(len(s) + 1)
		switch w.r.IntN(3) {
		case 0:
			s = s[:p] + w.word(1) + s[p:]
		case 1:
			if p < len(s) {
				s = s[:p] + s[p+1:]
			}
		default:
			if p < len(s) {
				s = s[:p] + w.word(1) + s[p+1:]
			}
		}
	}
	return s
}
