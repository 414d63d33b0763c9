package document

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/internal/ascii"
)

// contextRadius is how much text either side of a mention Context keeps.
const contextRadius = 80

// Context returns the text around text[start:end] on one line, cut at
// rune boundaries, for showing a mention to a reader. Offsets that do not
// fit the text give "".
func Context(text string, start, end int) string {
	if start < 0 || end < start || end > len(text) {
		return ""
	}
	a, b := contextWindow(text, start, end)
	return CollapseSpace(text[a:b])
}

// CollapseSpace returns w on one line, its runs of white space as single
// spaces and none at its ends: strings.Join(strings.Fields(w), " "), but
// w itself when it is that already, else a copy made in one pass and one
// allocation. Fields' slice and Join's copy were a tenth of `extract`'s
// CPU in Context, most windows holding a line break.
func CollapseSpace(w string) string {
	var b strings.Builder
	copied := false
	done := 0 // w[:done] is in b, once copied
	for i := 0; i < len(w); {
		// Eight bytes of words and single spaces at once, unless a space
		// among them begins w or may begin a run with what follows. (A
		// space at i > 0 follows a byte that is not white space: every
		// step below stops on such a byte, or on a word byte after a
		// space.)
		if i+8 <= len(w) {
			if sp, ok := ascii.SingleSpaced8(ascii.Load8(w, i)); ok && (i > 0 || sp&0x80 == 0) &&
				(sp>>63 == 0 || i+8 < len(w) && wordByte[w[i+8]]) {
				i += 8
				continue
			}
		}
		// Most other bytes are ASCII in a word, or a space between two
		// such: passed over here, as spaceAt is not inlined.
		if c := w[i]; wordByte[c] {
			i++
			continue
		} else if c == ' ' && i > 0 && i+1 < len(w) && wordByte[w[i+1]] {
			i += 2
			continue
		}
		n, space := spaceAt(w, i)
		if !space {
			i += n
			continue
		}
		j := i + n
		for j < len(w) {
			if n, space = spaceAt(w, j); !space {
				break
			}
			j += n
		}
		// w[i:j] is white space: it stays only as one space between words.
		if j == i+1 && w[i] == ' ' && i > 0 && j < len(w) {
			i = j
			continue
		}
		if !copied {
			b.Grow(len(w))
			copied = true
		}
		b.WriteString(w[done:i])
		if b.Len() > 0 && j < len(w) {
			b.WriteByte(' ')
		}
		done, i = j, j
	}
	if !copied {
		return w
	}
	b.WriteString(w[done:])
	return b.String()
}

// spaceAt returns the length of the rune at w[i] and whether
// strings.Fields takes it for white space.
func spaceAt(w string, i int) (n int, space bool) {
	if c := w[i]; c < utf8.RuneSelf {
		return 1, asciiSpace[c]
	}
	r, n := utf8.DecodeRuneInString(w[i:])
	return n, unicode.IsSpace(r)
}

// asciiSpace is unicode.IsSpace for ASCII, as strings.Fields tests it.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// wordByte tells the bytes that are ASCII and not white space.
var wordByte = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = !asciiSpace[c]
	}
	return t
}()

// contextWindow returns the window of Context: contextRadius bytes either
// side, cut at rune boundaries, without white space at its ends. In text
// that is not UTF-8 a boundary is looked for no further than a rune's
// length, so a run of stray bytes cannot widen the window.
func contextWindow(text string, start, end int) (a, b int) {
	a, b = max(0, start-contextRadius), min(len(text), end+contextRadius)
	for k := 1; k < utf8.UTFMax && a > 0 && !utf8.RuneStart(text[a]); k++ {
		a--
	}
	for k := 1; k < utf8.UTFMax && b < len(text) && !utf8.RuneStart(text[b]); k++ {
		b++
	}
	w := text[a:b]
	t := strings.TrimLeftFunc(w, unicode.IsSpace)
	a += len(w) - len(t)
	return a, a + len(strings.TrimRightFunc(t, unicode.IsSpace))
}

// CutContexts sets the Context of each of t's mentions that has none
// from Text and its offsets, for a reader that shows them. The extractor
// leaves them out: of the stages only the mention events show one, the
// first of each entity's, and a context cut for every mention of every
// document was a fifth of an extraction's allocations.
func (t *Tagged) CutContexts() {
	for _, e := range t.Entities {
		for i := range e.Mentions {
			if m := &e.Mentions[i]; m.Context == "" {
				m.Context = Context(t.Text, m.Start, m.End)
			}
		}
	}
}

// IsFullStop reports whether s is a full stop of Chinese or Japanese
// text, "。", "！" or "？", which ends a sentence with no space after it,
// or of Khmer, "។" or "៕", which a space may follow or not.
// The extractor's sentences and the alerts' quoted passages end at the
// same marks.
func IsFullStop(s string) bool {
	switch s {
	case "。", "！", "？", "។", "៕":
		return true
	}
	return false
}

// LastBreak returns the byte offset in s of its last place to cut a line
// short: a space, or a Chinese mark that ends a clause ("，", "；", "、",
// "：", "。"), which the cut leaves out. Chinese sets no space between
// words, so a text cut at spaces only was cut inside a number
// ("已破案件200…" for 2000). It is -1 when s has none.
func LastBreak(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		switch c := s[i]; {
		case c == ' ':
			return i
		case c >= 0x80 && utf8.RuneStart(c):
			if r, _ := utf8.DecodeRuneInString(s[i:]); strings.ContainsRune("，；、：。", r) {
				return i
			}
		}
	}
	return -1
}
