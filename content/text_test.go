package content

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// controlsLoop is controls' definition, a character at a time.
func controlsLoop(s string) (ctrl, total int) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		total++
		if r == utf8.RuneError || unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			ctrl++
		}
		i += n
	}
	return ctrl, total
}

func TestControls(t *testing.T) {
	for _, s := range []string{
		"",
		"plain words, eight by eight and then some more",
		"line one\nline two\r\n\ttabbed\f and fed",
		"bell\a in the middle of a long run of printable text",
		"del\x7f at the start of a run of printable text",
		"ក្រុមហ៊ុន 黄乐 Majestic 2 \u0085 and \u200b, and \ufffd as written",
		"caf\xe9 au lait, \xff\xfe broken, and a long tail of text after",
		strings.Repeat("\x01\x02\x03", 9),
	} {
		ctrl, total := controls(s)
		wantCtrl, wantTotal := controlsLoop(s)
		if ctrl != wantCtrl || total != wantTotal {
			t.Errorf("controls(%q) = %d, %d; want %d, %d", s, ctrl, total, wantCtrl, wantTotal)
		}
	}
}

// FuzzControls holds controls, which counts printable ASCII eight bytes
// at a time, to its definition:
//
//	go test ./content -run '^$' -fuzz FuzzControls -fuzztime 60s
func FuzzControls(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		ctrl, total := controls(s)
		wantCtrl, wantTotal := controlsLoop(s)
		if ctrl != wantCtrl || total != wantTotal {
			t.Fatalf("controls(%q) = %d, %d; want %d, %d", s, ctrl, total, wantCtrl, wantTotal)
		}
	})
}

// BenchmarkControls sets controls against its definition on the
// benchmark articles: decodeText counts every text it reads.
func BenchmarkControls(b *testing.B) {
	text := strings.Join(repotest.Articles(b, 200), "\n\n")
	for _, c := range []struct {
		name string
		f    func(string) (int, int)
	}{{"loop", controlsLoop}, {"controls", controls}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				c.f(text)
			}
		})
	}
}

// FuzzCleanText holds isClean, by which cleanText returns a clean text
// without copying it, to what cleaning does: a text is clean exactly when
// squeezing it changes nothing.
//
//	go test ./content -run '^$' -fuzz FuzzCleanText -fuzztime 60s
func FuzzCleanText(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.ReplaceAll(s, "\r", "\n")
		if clean, same := isClean(s), squeeze(s) == s; clean != same {
			t.Fatalf("isClean(%q) = %v, but squeezing it gives %q", s, clean, squeeze(s))
		}
		if got := cleanText(s); got != squeeze(s) {
			t.Fatalf("cleanText(%q) = %q, want %q", s, got, squeeze(s))
		}
	})
}
