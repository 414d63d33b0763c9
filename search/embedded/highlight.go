package embedded

import (
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"

	"github.com/compoundwatch/compoundwatch/search"
)

// cropWords is the snippet length in words (Meilisearch's cropLength).
const cropWords = 30

// cropMarker marks text cut from either end of a snippet.
const cropMarker = "…"

type span struct{ start, end int }

// highlighter marks in a text the terms the query words matched in the
// text field, so a snippet marks exactly what matched.
type highlighter struct {
	words map[string]int // term → index of the query word that matched it
	fold  foldFilter     // the index's, so a term is marked where it matched
}

func newHighlighter(alts [][]qword) *highlighter {
	h := &highlighter{words: map[string]int{}, fold: foldFilter{asciifolding.New()}}
	n := 0
	for _, ws := range alts {
		for _, w := range ws {
			for _, t := range slices.Concat(w.terms[fText].exact, w.terms[fText].typo) {
				if _, ok := h.words[t]; !ok {
					h.words[t] = n
				}
			}
			n++
		}
	}
	return h
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
	if i, ok := h.words[strings.ToLower(string(h.fold.Filter([]byte(tok))))]; ok {
		return i
	}
	return -1
}

// matchAll returns the query word each token matched (index+1, 0 for
// none). A run of Khmer, Thai, Lao or Myanmar, one token here, was indexed
// as pairs of clusters (Words): it is split into the stretches its
// matching pairs cover, merged where they overlap, and the text between
// them, so that a snippet marks "ពលករ" inside "បានរំដោះពលករ" as
// Meilisearch marks the word its dictionary found. A run of Chinese
// characters, a token each here, was indexed as its characters and their
// pairs: the stretches its matching words cover are marked the same way,
// and the other characters stay tokens of their own.
func (h *highlighter) matchAll(text string, toks []span) ([]span, []int) {
	out := make([]span, 0, len(toks))
	matched := make([]int, 0, len(toks))
	// marks appends the stretches of run that its matching words cover,
	// with gap for the text between them.
	marks := func(run span, gap func(from, to int)) {
		pos := run.start
		var cur span // the stretch being merged
		m := 0
		flush := func() {
			if m == 0 {
				return
			}
			gap(pos, cur.start)
			out, matched = append(out, cur), append(matched, m)
			pos, m = cur.end, 0
		}
		word := text[run.start:run.end]
		Words([]byte(word), func(s, e int) bool {
			i := h.match(word[s:e])
			if i < 0 {
				return true
			}
			s, e = s+run.start, e+run.start
			if m > 0 && s < cur.end {
				cur.end = max(cur.end, e)
				return true
			}
			flush()
			cur, m = span{s, e}, i+1
			return true
		})
		flush()
		gap(pos, run.end)
	}
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		r, _ := utf8.DecodeRuneInString(text[t.start:t.end])
		switch {
		case search.Unspaced(r):
			marks(t, func(from, to int) {
				if from < to {
					out, matched = append(out, span{from, to}), append(matched, 0)
				}
			})
		case unicode.Is(unicode.Han, r):
			j := k
			for j+1 < len(toks) && toks[j+1].start == toks[j].end && hanAt(text, toks[j+1].start) {
				j++
			}
			run := toks[k : j+1]
			marks(span{t.start, toks[j].end}, func(from, to int) {
				for _, c := range run {
					if from <= c.start && c.end <= to {
						out, matched = append(out, c), append(matched, 0)
					}
				}
			})
			k = j
		default:
			out = append(out, t)
			matched = append(matched, h.match(text[t.start:t.end])+1)
		}
	}
	return out, matched
}

// hanAt reports whether a Chinese character starts at text[i].
func hanAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.Is(unicode.Han, r)
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
	var matched []int // query word index+1, 0 for none
	if len(h.words) > 0 {
		toks, matched = h.matchAll(text, toks)
	} else {
		matched = make([]int, len(toks))
	}
	var hits []int
	for i, m := range matched {
		if m > 0 {
			hits = append(hits, i)
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
