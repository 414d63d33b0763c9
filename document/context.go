package document

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	w := text[a:b]
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < ' ' || c == ' ' && i+1 < len(w) && w[i+1] == ' ' || c >= utf8.RuneSelf {
			return strings.Join(strings.Fields(w), " ")
		}
	}
	return w // the common case: one line of ASCII, no copy
}

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
