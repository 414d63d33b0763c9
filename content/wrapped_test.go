package content

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// TestWrappedTextExtractsAsUnwrapped reads the example documents, the
// second development set and the shared corpus as files twice: with one
// paragraph a line, and hard-wrapped at 60, 72 and 80 columns. Both must
// give the same text but for line breaks where a sentence ends, and the
// extractor the same entities, figures and events at the same offsets.
// Before unwrap, the wrapped files kept 30–50% of their events.
func TestWrappedTextExtractsAsUnwrapped(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	x := extractor.New(g)
	root := repotest.Root(t)
	bodies := map[string]string{}
	for _, dir := range []string{filepath.Join(root, "examples"), filepath.Join(root, "extractor", "testdata", "devset2", "docs"), repotest.Shared(t, "corpus", "docs")} {
		files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no documents in %s (%v)", dir, err)
		}
		for _, f := range files {
			raw, err := ReadFile(t.Context(), f)
			if err != nil {
				t.Fatal(err)
			}
			// The second development set's provenance header ends at "---".
			_, body, ok := strings.Cut(raw.Text, "\n---\n")
			if !ok {
				body = raw.Text
			}
			bodies[filepath.Base(f)] = body
		}
	}
	dir := t.TempDir()
	read := func(name, text string) document.Raw {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("Title: A document\nPublished: 2025-06-01\n\n"+text), 0o644); err != nil {
			t.Fatal(err)
		}
		raw, err := ReadFile(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	wrappedLines := 0
	for name, body := range bodies {
		var paras []string
		for line := range strings.SplitSeq(body, "\n") {
			if !strings.Contains(line, "\t") && !strings.Contains(line, "  ") {
				// Spaces as a wrapping tool leaves them: one between
				// words, none at a line's ends (cleanText trims a no-break
				// space there).
				line = strings.Join(strings.Fields(line), " ")
			}
			if line != "" {
				paras = append(paras, line)
			}
		}
		flat := read("flat.txt", strings.Join(paras, "\n\n"))
		want := summary(x.Extract(flat))
		for _, width := range []int{60, 72, 80} {
			var folded []string
			for _, p := range paras {
				f := fold(p, width)
				wrappedLines += strings.Count(f, "\n")
				folded = append(folded, f)
			}
			raw := read("wrapped.txt", strings.Join(folded, "\n\n"))
			if strings.ReplaceAll(raw.Text, "\n", " ") != strings.ReplaceAll(flat.Text, "\n", " ") {
				t.Errorf("%s wrapped at %d: the text read differs from its paragraphs' by more than line breaks", name, width)
				continue
			}
			if got := summary(x.Extract(raw)); !slices.Equal(got, want) {
				t.Errorf("%s wrapped at %d: extracted\n%s\nwant\n%s", name, width, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	}
	if wrappedLines == 0 {
		t.Fatal("no paragraph was wrapped: the test shows nothing")
	}
}

// fold wraps a paragraph at width runes between words, as `fmt` and `fold
// -s` do; table rows (runs of spaces, tabs) are left alone, as wrapping
// tools leave preformatted text.
func fold(p string, width int) string {
	if strings.ContainsAny(p, "\t") || strings.Contains(p, "  ") {
		return p
	}
	var lines []string
	line := ""
	for _, w := range strings.Split(p, " ") {
		if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}

// summary lists what the extractor found, with offsets, one item a line.
func summary(t document.Tagged) []string {
	var s []string
	for _, e := range t.Entities {
		for _, m := range e.Mentions {
			s = append(s, fmt.Sprintf("entity %s %d-%d", e.ID, m.Start, m.End))
		}
	}
	for _, f := range t.Figures {
		s = append(s, fmt.Sprintf("figure %g %s %s %d-%d", f.Value, f.Unit, f.Qualifier, f.Start, f.End))
	}
	for _, e := range t.Events {
		s = append(s, fmt.Sprintf("event %s %s %v %d-%d", e.Date, e.Precision, e.Entities, e.Start, e.End))
	}
	return s
}
