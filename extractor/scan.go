package extractor

// Shared scanning for figures and events: a single pass splits the text into
// word, number and punctuation tokens with byte offsets, so that both
// extractors look around a candidate by index instead of re-scanning bytes
// or running large regular expressions over the whole document.

import (
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tWord  tokKind = iota // letters, possibly with digits, internal hyphens or apostrophes
	tNum                  // digits with internal , or . ("150,000", "12.5")
	tPunct                // one non-space, non-alphanumeric rune
	tNL                   // one or more line breaks
)

// Token flags.
const (
	fSpace  uint8 = 1 << iota // whitespace separates this token from the previous one
	fUpper                    // word starting with an upper-case letter
	fDigit                    // word containing a digit ("K99", "mid-2021", "14th")
	fPara                     // tNL token spanning a blank line
	fHyphen                   // word containing an internal hyphen
)

type token struct {
	start, end int
	kind       tokKind
	flags      uint8
}

func (t token) has(f uint8) bool { return t.flags&f != 0 }

// tokenize splits text into tokens. It accepts any bytes: an invalid UTF-8
// byte becomes a one-byte punctuation token, so offsets stay on boundaries
// of the input as given.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/5+8)
	space := true
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\n':
			j, nl := i, 0
			for j < len(text) && (text[j] == '\n' || text[j] == '\r' || text[j] == ' ' || text[j] == '\t') {
				if text[j] == '\n' {
					nl++
				}
				j++
			}
			var fl uint8 = fSpace
			if nl > 1 {
				fl |= fPara
			}
			toks = append(toks, token{start: i, end: i + 1, kind: tNL, flags: fl})
			i, space = j, true
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			space = true
		case c < utf8.RuneSelf:
			if isASCIIAlnum(c) {
				t := scanWord(text, i)
				if space {
					t.flags |= fSpace
				}
				toks = append(toks, t)
				i, space = t.end, false
				continue
			}
			var fl uint8
			if space {
				fl = fSpace
			}
			toks = append(toks, token{start: i, end: i + 1, kind: tPunct, flags: fl})
			i, space = i+1, false
		default:
			r, w := utf8.DecodeRuneInString(text[i:])
			switch {
			case r != utf8.RuneError && unicode.IsLetter(r):
				t := scanWord(text, i)
				if space {
					t.flags |= fSpace
				}
				toks = append(toks, t)
				i, space = t.end, false
			case r != utf8.RuneError && unicode.IsSpace(r):
				i += w
				space = true
			default:
				var fl uint8
				if space {
					fl = fSpace
				}
				toks = append(toks, token{start: i, end: i + w, kind: tPunct, flags: fl})
				i, space = i+w, false
			}
		}
	}
	return toks
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// alnumAt reports whether a letter or digit starts at text[i].
func alnumAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	if c := text[i]; c < utf8.RuneSelf {
		return isASCIIAlnum(c)
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// scanWord reads a word or number token starting at an alphanumeric rune.
// Hyphens and apostrophes join when letters or digits follow them
// ("one-third", "Cambodia’s"); "," and "." join only between digits so that
// "150,000" and "12.5" stay one number.
func scanWord(text string, i int) token {
	start := i
	allNum := true
	var fl uint8
	first := true
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case isDigit(c):
				fl |= fDigit
				i++
			case isASCIIAlnum(c):
				if first && c >= 'A' && c <= 'Z' {
					fl |= fUpper
				}
				allNum = false
				i++
			case (c == ',' || c == '.') && allNum && i > start && isDigit(text[i-1]) && i+1 < len(text) && isDigit(text[i+1]):
				i++
			case (c == '-' || c == '\'') && i > start && alnumAt(text, i+1):
				if c == '-' {
					fl |= fHyphen
				}
				allNum = false
				i++
			default:
				goto done
			}
			first = false
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		switch {
		case r != utf8.RuneError && unicode.IsLetter(r):
			if first && unicode.IsUpper(r) {
				fl |= fUpper
			}
			allNum = false
			i += w
		case (r == '’' || r == '\u2011') && i > start && alnumAt(text, i+w):
			allNum = false
			i += w
		default:
			goto done
		}
		first = false
	}
done:
	kind := tWord
	if allNum {
		kind = tNum
		fl &^= fDigit
	}
	return token{start: start, end: i, kind: kind, flags: fl}
}

// scanner bundles a text with its tokens and the shared word lists.
type scanner struct {
	text string
	toks []token
	lx   *lexicon
}

func (s *scanner) tok(i int) string { return s.text[s.toks[i].start:s.toks[i].end] }

// isPunct reports whether token i is the punctuation rune p.
func (s *scanner) isPunct(i int, p string) bool {
	return i >= 0 && i < len(s.toks) && s.toks[i].kind == tPunct && s.tok(i) == p
}

// sentenceStartsAt reports whether a sentence begins at token i: after a
// line break, or after . ! ? (possibly followed by a closing quote) when the
// word before the period is not an abbreviation or an initial ("U.S.").
func (s *scanner) sentenceStartsAt(i int) bool {
	if i <= 0 {
		return true
	}
	if i >= len(s.toks) {
		return true
	}
	p := i - 1
	if s.toks[p].kind == tNL {
		return true
	}
	if !s.toks[i].has(fSpace) {
		return false
	}
	// Skip closing quotes and brackets.
	for p >= 0 && s.toks[p].kind == tPunct && isCloser(s.tok(p)) {
		p--
	}
	if p < 0 || s.toks[p].kind != tPunct {
		return false
	}
	switch s.tok(p) {
	case "!", "?", "…":
		return true
	case ".":
	default:
		return false
	}
	if p > 0 && s.toks[p-1].kind == tWord {
		w := s.tok(p - 1)
		if utf8.RuneCountInString(w) == 1 || s.lx.abbrev[lowerASCII(w)] {
			return false
		}
	}
	// A sentence starts with an upper-case letter, a digit or a quote.
	t := s.toks[i]
	switch t.kind {
	case tWord:
		return t.has(fUpper)
	case tNum:
		return true
	case tPunct:
		return isOpener(s.tok(i))
	}
	return true
}

func isCloser(p string) bool {
	switch p {
	case "\"", "'", "”", "’", ")", "]", "»":
		return true
	}
	return false
}

func isOpener(p string) bool {
	switch p {
	case "\"", "'", "“", "‘", "(", "[", "«", "$", "•", "-", "–", "—":
		return true
	}
	return false
}

// sentence returns the token range [from, to) of the sentence holding token i.
func (s *scanner) sentence(i int) (from, to int) {
	from = i
	for from > 0 && !s.sentenceStartsAt(from) {
		from--
	}
	to = i + 1
	for to < len(s.toks) && !s.sentenceStartsAt(to) {
		to++
	}
	// Do not include a trailing line break.
	for to > from+1 && s.toks[to-1].kind == tNL {
		to--
	}
	return from, to
}

// lowerASCII folds ASCII letters; other bytes are kept.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// lookupFold looks s up in m after ASCII case folding, without allocating.
func lookupFold[V any](m map[string]V, s string) (V, bool) {
	var buf [32]byte
	if len(s) > len(buf) {
		var zero V
		return zero, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	v, ok := m[string(buf[:len(s)])]
	return v, ok
}
