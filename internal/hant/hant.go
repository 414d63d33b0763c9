// Package hant folds traditional Chinese characters to simplified ones,
// one character at a time: outlets in Hong Kong and Taiwan write the
// names and words of this beat in the one script, the mainland's and
// Cambodia's Chinese press in the other, and a reader asks in either.
// Search folds both the texts and the queries (so 詐騙 finds 诈骗 and
// 陳志 finds 陈志), and the gazetteer folds the text it matches names in
// (so 水溝谷 is the 水沟谷 it lists).
//
// The fold is by character, not by phrase as OpenCC converts text: a few
// traditional characters that share one simplified form (髮 and 發 are
// both 发) find each other, which a search and a list of names can
// afford. A character becomes one character, so a text and its fold have
// the same number of runes.
package hant

import (
	"slices"
	"unicode/utf8"
)

//go:generate go run ./internal/hantgen -out table.go

// AppendSimplified appends b to dst with each traditional character
// replaced by its simplified form.
func AppendSimplified(dst, b []byte) []byte {
	i := hanLead(b)
	dst, b = append(dst, b[:i]...), b[i:]
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if t, ok := Rune(r); ok {
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
	k := hanLead(s)
	for i, r := range s[k:] {
		if _, ok := Rune(r); ok {
			return string(AppendSimplified([]byte(s[:k+i]), []byte(s[k+i:])))
		}
	}
	return s
}

// hanLead is the index of the first byte of b that may start a character
// the table folds, or len(b). The table starts at U+346E, whose encoding
// starts with 0xE3, and no byte from 0xE3 up continues a sequence: a run
// of Latin letters with accents, or of quotes and dashes, is passed over
// byte by byte without decoding.
func hanLead[T ~string | ~[]byte](b T) int {
	for i := 0; i < len(b); i++ {
		if b[i] >= 0xe3 {
			return i
		}
	}
	return len(b)
}

// Rune returns the simplified form of r and true, or r and false where r
// is not a traditional character the table folds.
func Rune(r rune) (rune, bool) {
	if r < hantFrom[0] {
		return r, false
	}
	i, ok := slices.BinarySearch(hantFrom[:], r)
	if !ok {
		return r, false
	}
	return hantTo[i], true
}
