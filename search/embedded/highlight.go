package embedded

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
)

// cropWords is the snippet length in words (Meilisearch's cropLength).
const cropWords = 30

// cropMarker marks text cut from either end of a snippet.
const cropMarker = "…"

type span struct{ start, end int }

// highlighter finds the query words in a text (exact, prefix for the last
// word, within the allowed typos) and renders an escaped, marked snippet.
type highlighter struct {
	alts [][]qword
	fold *asciifolding.AsciiFoldingFilter
}

func newHighlighter(alts [][]qword) *highlighter {
	return &highlighter{alts: alts, fold: asciifolding.New()}
}

// tokens splits text into words with their byte offsets: runs of letters,
// digits and marks; each ideograph or kana is a word by itself.
func tokens(text string) []span {
	var out []span
	start := -1
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
		single := unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
		if start >= 0 && (!word || single) {
			out = append(out, span{start, i})
			start = -1
		}
		switch {
		case single:
			out = append(out, span{i, i + utf8.RuneLen(r)})
		case word && start < 0:
			start = i
		}
	}
	if start >= 0 {
		out = append(out, span{start, len(text)})
	}
	return out
}

// match returns the index of the query word tok matches, or -1.
func (h *highlighter) match(tok string) int {
	norm := strings.ToLower(string(h.fold.Filter([]byte(tok))))
	n := 0
	for _, ws := range h.alts {
		for _, w := range ws {
			switch {
			case norm == w.term,
				w.prefix && strings.HasPrefix(norm, w.term),
				w.typos > 0 && withinTypos(norm, w.term, w.typos):
				return n
			}
			n++
		}
	}
	return -1
}

// withinTypos reports whether a and b are within k edits (Levenshtein)
// with the same first letter.
func withinTypos(a, b string, k int) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 || len(rb) == 0 || ra[0] != rb[0] || abs(len(ra)-len(rb)) > k {
		return false
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)] <= k
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// snippet returns about cropWords words of text around the best cluster
// of matches, HTML-escaped first, then with matches wrapped in <mark>.
func (h *highlighter) snippet(text string) string {
	if text == "" {
		return ""
	}
	toks := tokens(text)
	if len(toks) == 0 {
		return html.EscapeString(truncateRunes(text, 200))
	}
	matched := make([]int, len(toks)) // query word index+1, 0 for none
	var hits []int
	if len(h.alts) > 0 {
		for i, t := range toks {
			if m := h.match(text[t.start:t.end]); m >= 0 {
				matched[i] = m + 1
				hits = append(hits, i)
			}
		}
	}
	first, last := 0, min(cropWords, len(toks))-1
	if len(hits) > 0 {
		// The window of cropWords words with the most distinct query
		// words, then the most matches; the earliest on ties.
		bestDistinct, bestCount := -1, -1
		for a := range hits {
			seen := map[int]bool{}
			count := 0
			b := a
			for ; b < len(hits) && hits[b]-hits[a] < cropWords; b++ {
				seen[matched[hits[b]]] = true
				count++
			}
			if len(seen) > bestDistinct || len(seen) == bestDistinct && count > bestCount {
				bestDistinct, bestCount = len(seen), count
				first, last = hits[a], hits[b-1]
			}
		}
		// Centre the matches in the window.
		pad := cropWords - (last - first + 1)
		first = max(0, first-pad/2)
		last = min(len(toks)-1, first+cropWords-1)
		first = max(0, last-cropWords+1)
	}
	var b strings.Builder
	b.Grow(cropWords*12 + 64)
	if first > 0 {
		b.WriteString(cropMarker)
	}
	pos := toks[first].start
	if first == 0 {
		pos = 0
	}
	for i := first; i <= last; i++ {
		t := toks[i]
		if matched[i] == 0 {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:t.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[t.start:t.end]))
		b.WriteString("</mark>")
		pos = t.end
	}
	end := toks[last].end
	if last == len(toks)-1 {
		end = len(text)
	}
	b.WriteString(html.EscapeString(text[pos:end]))
	if last < len(toks)-1 {
		b.WriteString(cropMarker)
	}
	return b.String()
}

func truncateRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
