package crawler

import (
	"hash/fnv"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// shinglesBefore is shingles as it was when the crawl state's first
// signatures were written, through hash/fnv: the reference shingles must
// keep to, or a re-crawl would no longer find its own earlier copies.
func shinglesBefore(text string) map[uint64]struct{} {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r)
	})
	out := map[uint64]struct{}{}
	h := fnv.New64a()
	add := func(parts ...string) {
		h.Reset()
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
		out[h.Sum64()] = struct{}{}
	}
	long := 0
	for _, w := range words {
		if utf8.RuneCountInString(w) > 20 {
			long++
		}
	}
	if len(words) >= 8 && long*4 < len(words) {
		for i := 1; i < len(words); i++ {
			add(words[i-1], words[i])
		}
		return out
	}
	runes := []rune(strings.Join(words, ""))
	for i := 4; i <= len(runes); i++ {
		add(string(runes[i-4 : i]))
	}
	return out
}

// TestShinglesUnchanged: the same shingles as before, on the examples
// (English, Chinese), the benchmark articles and texts in Khmer, Thai and
// other scripts.
func TestShinglesUnchanged(t *testing.T) {
	texts := repotest.Articles(t, 20)
	for _, pattern := range []string{
		filepath.Join(repotest.Root(t), "examples", "*.txt"),
		filepath.Join(repotest.Root(t), "content", "testdata", "lang", "*.txt"),
	} {
		files, _ := filepath.Glob(pattern)
		if len(files) == 0 {
			t.Fatalf("no files match %s", pattern)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, string(b))
		}
	}
	spaceless := 0
	for _, text := range texts {
		got, want := shingles(text), shinglesBefore(text)
		if !maps.Equal(got, want) {
			t.Errorf("%.40q: %d shingles, %d before, not the same", text, len(got), len(want))
		}
		if strings.Count(text, " ") < 8 {
			spaceless++
		}
	}
	if spaceless == 0 {
		t.Error("no text without word spaces: the 4-gram path went untested")
	}
}

// FuzzShingles: the same shingles as before on any text.
func FuzzShingles(f *testing.F) {
	f.Add("Police raided the compound in Poipet on Monday and freed 300 workers from nine countries.")
	f.Add("柬埔寨警方在西港查获一处诈骗园区")
	f.Add("ប៉ូលិសបានរំដោះកម្មករ ៣០០ នាក់")
	f.Add("abc\xffdef ghi\u0301 jkl")
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := shingles(text), shinglesBefore(text); !maps.Equal(got, want) {
			t.Fatalf("%q: %d shingles, %d before", text, len(got), len(want))
		}
	})
}

// BenchmarkShingles sets shingles against shinglesBefore on the benchmark
// articles, in one run.
func BenchmarkShingles(b *testing.B) {
	texts := repotest.Articles(b, 200)
	for _, bc := range []struct {
		name string
		f    func(string) int
	}{
		{"now", func(t string) int { return len(shingles(t)) }},
		{"before", func(t string) int { return len(shinglesBefore(t)) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, t := range texts {
					bc.f(t)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(texts)), "µs/text")
		})
	}
}
