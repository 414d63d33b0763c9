package content

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
)

// checkExtracted holds for every successful extraction.
func checkExtracted(t *testing.T, x Extracted, err error) {
	if err != nil {
		if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrUnsupported) {
			// Parse errors are allowed but must say what failed.
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
		}
		return
	}
	if strings.TrimSpace(x.Text) == "" {
		t.Fatal("success with empty text")
	}
	for _, s := range []string{x.Text, x.Title, x.Byline, x.CanonicalURL} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Fatalf("not clean UTF-8: %q", s)
		}
	}
	if _, err := time.Parse(time.DateOnly, x.Published); x.Published != "" && err != nil {
		t.Fatalf("published %q is not YYYY-MM-DD", x.Published)
	}
}

func FuzzExtractHTML(f *testing.F) {
	f.Add([]byte(articleHTML), "text/html")
	f.Add([]byte(`<html><head><meta charset="gbk"></head><body><p>`+"\xce\xf7\xb8\xdb"+`</p></body></html>`), "text/html")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		if len(body) > 1<<16 || isPDF(body) || strings.Contains(strings.ToLower(ct), "pdf") {
			return
		}
		x, err := Extract(t.Context(), body, ct, "https://fuzz.example/a/b")
		checkExtracted(t, x, err)
	})
}

func FuzzExtractText(f *testing.F) {
	f.Add([]byte("Title: A\nPublished: 2024-01-02\nSource: B\n\nBody text."), "text/plain")
	f.Add([]byte("Plain first line\nsecond line"), "text/plain; charset=windows-1252")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		if len(body) > 1<<16 || strings.Contains(strings.ToLower(ct), "pdf") {
			return
		}
		x, err := extractText(body, ct, false)
		// Handed over, the bytes give the same result: owned changes
		// only whether the text is a copy.
		ox, oerr := extractText(bytes.Clone(body), ct, true)
		if !reflect.DeepEqual(ox, x) || fmt.Sprint(oerr) != fmt.Sprint(err) {
			t.Fatalf("owned: %+v, %v; copied: %+v, %v", ox, oerr, x, err)
		}
		if err == nil && strings.TrimSpace(x.Text) == "" {
			err = ErrEmpty
		}
		checkExtracted(t, x, err)
	})
}

// FuzzSameWords: sameWords answers as comparing document.CollapseSpace's results
// does, on any bytes (white space of every kind, invalid UTF-8).
func FuzzSameWords(f *testing.F) {
	f.Add("Raid on  Bavet\tcasino", " Raid on Bavet casino\n")
	f.Add("Raid on Bavet", "Raid on Bavet casino")
	f.Add("a\u00a0b\u3000c", "a b c")
	f.Add("", " \n\t")
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := sameWords(a, b), document.CollapseSpace(a) == document.CollapseSpace(b); got != want {
			t.Fatalf("sameWords(%q, %q) = %v, CollapseSpace says %v", a, b, got, want)
		}
	})
}
