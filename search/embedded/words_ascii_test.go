package embedded

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
)

// sameWords fails t unless Words splits text exactly as the segmenter
// does over the whole text.
func sameWords(t *testing.T, text string) {
	t.Helper()
	type span struct{ start, end int }
	var got, want []span
	Words([]byte(text), func(s, e int) bool { got = append(got, span{s, e}); return true })
	segmentWords([]byte(text), 0, false, func(s, e int) bool { want = append(want, span{s, e}); return true })
	if !slices.Equal(got, want) {
		t.Fatalf("Words(%q) = %v, the segmenter %v", text, got, want)
	}
}

// wordsAlphabet has every ASCII class of wordBreak and, beside them, what
// joins or splits differently around ASCII: a letter and a digit of other
// scripts, marks and format characters that cling to what precedes them,
// non-ASCII middle characters, Hebrew letters (which a '"' joins),
// Katakana, Han, Khmer, a regional indicator and a stray byte.
var wordsAlphabet = []string{
	"a", "Z", "7", "_", ":", ".", "'", ",", ";", "\"", " ", "\t", "\r", "\n", "\v", "-", "(",
	"é", "\u0301", "\u00ad", "\u200d", "’", "·", "א", "ア", "黄", "ក", "្", "٣", "🇰", "\xff",
}

// TestWordsASCII holds Words's own splitting of ASCII to the segmenter's:
// every string of up to three characters of wordsAlphabet, random longer
// ones, and the texts the index sees.
func TestWordsASCII(t *testing.T) {
	var all func(prefix string, n int)
	all = func(prefix string, n int) {
		sameWords(t, prefix)
		if n == 0 {
			return
		}
		for _, c := range wordsAlphabet {
			all(prefix+c, n-1)
		}
	}
	all("", 3)

	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		var b strings.Builder
		for range 4 + r.IntN(12) {
			if r.IntN(3) == 0 {
				b.WriteString(wordsAlphabet[r.IntN(len(wordsAlphabet))])
			} else {
				b.WriteString(wordsAlphabet[r.IntN(17)]) // ASCII, mostly
			}
		}
		sameWords(t, b.String())
	}

	texts := repotest.Articles(t, 200)
	for _, d := range searchtest.Fixtures() {
		texts = append(texts, d.Title, d.Text)
	}
	texts = append(texts, readAll(t, filepath.Join(repotest.Root(t), "examples"))...)
	for i, text := range texts {
		t.Run(fmt.Sprint(i), func(t *testing.T) { sameWords(t, text) })
	}
	t.Run("shared", func(t *testing.T) {
		for _, text := range readAll(t, repotest.Shared(t, "corpus", "docs")) {
			sameWords(t, text)
		}
	})
}

// readAll returns the contents of every file in dir, which has some.
func readAll(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Fatalf("no files in %s", dir)
	}
	var texts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	return texts
}

// FuzzWordsASCII is TestWordsASCII on any text. Seeds:
// testdata/fuzz/FuzzWordsASCII.
func FuzzWordsASCII(f *testing.F) { f.Fuzz(sameWords) }
