package repotest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Articles returns n distinct article-sized texts (about 4.9 KB): a
// "Title:"/"Published:" header, then 25 to 45 sentences drawn at random
// from the example documents, a quarter of them ending a paragraph. The
// same n gives the same texts, so benchmarks of different stages measure
// the same corpus.
func Articles(tb testing.TB, n int) []string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(Root(tb), "examples", "*.txt"))
	var sentences []string
	split := regexp.MustCompile(`[.!?]\s+`)
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		text := string(body)
		if i := strings.Index(text, "\n\n"); i >= 0 {
			text = text[i+2:] // past the header lines
		}
		for _, s := range split.Split(text, -1) {
			if s = strings.Join(strings.Fields(s), " "); len(s) > 40 {
				sentences = append(sentences, s+".")
			}
		}
	}
	if len(sentences) < 100 {
		tb.Fatalf("only %d sentences in the examples", len(sentences))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	texts := make([]string, n)
	for i := range texts {
		var sb strings.Builder
		day := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(1400))
		fmt.Fprintf(&sb, "Title: Report %d on the compounds\nPublished: %s\n\n", i, day.Format(time.DateOnly))
		for range 25 + rng.IntN(21) {
			sb.WriteString(sentences[rng.IntN(len(sentences))])
			if rng.IntN(4) == 0 {
				sb.WriteString("\n\n")
			} else {
				sb.WriteByte(' ')
			}
		}
		texts[i] = sb.String()
	}
	return texts
}

// BenchDocs is the corpus size a benchmark uses: CW_BENCH_DOCS when set
// (a positive number, or the benchmark fails naming it), else def.
func BenchDocs(tb testing.TB, def int) int {
	tb.Helper()
	return EnvInt(tb, "CW_BENCH_DOCS", def, 1)
}

// EnvInt is a benchmark's setting from the environment variable name: a
// whole number of at least min when set (else the benchmark fails naming
// the variable), def when not.
func EnvInt(tb testing.TB, name string, def, min int) int {
	tb.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < min {
		tb.Fatalf("%s=%q: want a whole number of at least %d", name, s, min)
	}
	return v
}
