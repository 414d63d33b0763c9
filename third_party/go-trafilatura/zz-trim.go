// Added by compoundwatch's third_party/patch-trafilatura.sh: trim as
// upstream's strings.TrimSpace(strings.Join(strings.Fields(s), " ")),
// without the slice of fields, and without a copy of text already
// collapsed.

package trafilatura

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

func trim(s string) string {
	// s as it is when its words are already one space apart.
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			clean = false
		case c == ' ':
			clean = i > 0 && i+1 < len(s) && s[i+1] != ' '
		case c < ' ':
			clean = !asciiSpace(c)
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	start := -1 // of the word being read
	for i := 0; i < len(s); {
		c, size := rune(s[i]), 1
		space := false
		if c < utf8.RuneSelf {
			space = asciiSpace(byte(c))
		} else {
			c, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(c)
		}
		switch {
		case space && start >= 0:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[start:i])
			start = -1
		case !space && start < 0:
			start = i
		}
		i += size
	}
	if start >= 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[start:])
	}
	return b.String()
}

// asciiSpace is unicode.IsSpace for an ASCII byte.
func asciiSpace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ' '
}
