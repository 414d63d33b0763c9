package alerts

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/compoundwatch/compoundwatch/internal/fnv1a"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
)

// analyzer splits and folds text as the search index does (Unicode word
// segmentation, ASCII folding, lower case), so a saved query matches a
// document in the percolator exactly when its words would match it in
// search. Unlike the index it keeps each word's byte offsets into the
// original text, for the passages an alert quotes.
type analyzer struct{ a analysis.Analyzer }

func newAnalyzer() (analyzer, error) {
	a, err := embedded.Analyzer()
	return analyzer{a}, err
}

// token is a folded word and where it is in the text.
type token struct {
	term       string
	start, end int
}

// tokens segments text into folded words with offsets, as the index
// does (embedded.Words).
func (an analyzer) tokens(text string) []token { return an.split(text, embedded.Words) }

// split segments text into folded words with offsets, as words does.
func (an analyzer) split(text string, words func([]byte, func(start, end int) bool)) []token {
	var out []token
	b := []byte(text)
	words(b, func(start, end int) bool {
		if t := an.fold(b[start:end]); t != "" {
			out = append(out, token{term: t, start: start, end: end})
		}
		return true
	})
	return out
}

// fold folds one segment. ASCII words, the common case, skip the
// analyzer's allocations.
func (an analyzer) fold(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(string(b))
	}
	ts := an.a.Analyze(b)
	var sb strings.Builder
	for _, t := range ts {
		sb.Write(t.Term)
	}
	return sb.String()
}

// qword is a query word and the typos it tolerates (search.Typos).
type qword struct {
	term  string
	typos int
}

// qwords reads a query's words as search does (embedded.QueryWords).
func (an analyzer) qwords(s string) []qword {
	ts := an.split(s, embedded.QueryWords)
	out := make([]qword, len(ts))
	for i, t := range ts {
		out[i] = qword{term: t.term, typos: search.Typos(t.term)}
	}
	return out
}

// matchesTerm applies search's typo rule (Meilisearch's): within the
// word's typos when the first letter is the same, one typo fewer when it
// differs, a transposition counting as one typo.
func (w qword) matchesTerm(t string) bool {
	if t == w.term {
		return true
	}
	if w.typos == 0 {
		return false
	}
	wr, tr := []rune(w.term), []rune(t)
	if d := len(wr) - len(tr); d > w.typos || -d > w.typos {
		return false
	}
	k := w.typos
	if len(tr) == 0 || wr[0] != tr[0] {
		k--
	}
	return k > 0 && damerau(wr, tr) <= k
}

// damerau is the optimal-string-alignment distance.
func damerau(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// variants calls f with a hash of s and of every string made by deleting
// up to k runes of it, some more than once: two words within k edits
// share one (the symmetric-delete trick), which lets the percolator find
// typo candidates by map lookups. Hashing the variants in place, rather
// than building them, keeps a document's thousands of them off the heap.
func variants(s string, k int, f func(uint64)) {
	var buf [64]int
	at := buf[:0] // byte offset of each rune, then len(s)
	for i := range s {
		at = append(at, i)
	}
	n := len(at)
	at = append(at, len(s))
	f(fnv1a.Add(fnv1a.Offset, s))
	if k < 1 {
		return
	}
	for i := range n {
		f(fnv1a.Add(fnv1a.Add(fnv1a.Offset, s[:at[i]]), s[at[i+1]:]))
	}
	if k < 2 || n <= 2 {
		return
	}
	for i := range n {
		h := fnv1a.Add(fnv1a.Offset, s[:at[i]])
		for j := i + 1; j < n; j++ {
			f(fnv1a.Add(fnv1a.Add(h, s[at[i+1]:at[j]]), s[at[j+1]:]))
		}
	}
}
