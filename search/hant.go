package search

import (
	"slices"
	"unicode/utf8"
)

//go:generate go run ./internal/hantgen -out hant_table.go

// AppendSimplified appends b to dst with each traditional Chinese
// character replaced by its simplified form (hantTo), so that 詐騙 finds
// 诈骗 and 陳志 finds 陈志: outlets in Hong Kong and Taiwan write the
// names and words of this beat in the one script, the mainland's and
// Cambodia's Chinese press in the other. Both backends search the folded
// text: the embedded index folds in its char filter, and the Meilisearch
// backend sends the folded text beside the original, as Meilisearch
// folds only some characters (詐 and 诈, not 園 and 园).
//
// The fold is by character, not by phrase as OpenCC converts text: a few
// traditional characters that share one simplified form (髮 and 發 are
// both 发) find each other, which a search can afford. A character
// becomes one character, so a text and its fold have the same number of
// runes.
func AppendSimplified(dst, b []byte) []byte {
	// The table starts at U+346E, whose encoding starts with 0xE3: a
	// run of Latin letters with accents, or of quotes and dashes, has
	// nothing to fold.
	i := slices.IndexFunc(b, func(c byte) bool { return c >= 0xe3 })
	if i < 0 {
		return append(dst, b...)
	}
	dst, b = append(dst, b[:i]...), b[i:]
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if t, ok := simplified(r); ok {
			dst = utf8.AppendRune(dst, t)
		} else {
			dst = append(dst, b[:n]...)
		}
		b = b[n:]
	}
	return dst
}

// Simplify returns s folded as AppendSimplified folds it, and s itself
// when it has no traditional character.
func Simplify(s string) string {
	for i, r := range s {
		if _, ok := simplified(r); ok {
			return string(AppendSimplified([]byte(s[:i]), []byte(s[i:])))
		}
	}
	return s
}

func simplified(r rune) (rune, bool) {
	if r < hantFrom[0] {
		return r, false
	}
	i, ok := slices.BinarySearch(hantFrom[:], r)
	if !ok {
		return r, false
	}
	return hantTo[i], true
}
