package embedded_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	gounicode "unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
)

func words(text string) []string {
	var out []string
	embedded.Words([]byte(text), func(start, end int) bool {
		out = append(out, text[start:end])
		return true
	})
	return out
}

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Police raided 2 casinos.", []string{"Police", "raided", "2", "casinos"}},
		// Chinese: each character and each pair of adjacent ones.
		{"黄乐园区", []string{"黄", "黄乐", "乐", "乐园", "园", "园区", "区"}},
		{"在黄乐。园区", []string{"在", "在黄", "黄", "黄乐", "乐", "园", "园区", "区"}},
		// Khmer: pairs of clusters; a coeng (្) joins the letter under it.
		{"ពលករ", []string{"ពល", "លក", "ករ"}},
		{"ក្រុង", []string{"ក្រុង"}},
		{"ខ្មែរ", []string{"ខ្មែរ"}},
		{"ស", []string{"ស"}},
		// A run ends at a space, at punctuation and at digits.
		{"ប៉ូលិស ៣០០ នាក់។ ok", []string{"ប៉ូលិ", "លិស", "៣០០", "នាក់", "ok"}},
		{"ตำรวจ 300", []string{"ตำ", "ำร", "รว", "วจ", "300"}},
		{"ရဲတပ်", []string{"ရဲတ", "တပ်"}},
		{"Poipetប៉ៃលិន", []string{"Poipet", "ប៉ៃលិ", "លិន"}},
	} {
		if got := words(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestWordsLikeUnicodeTokenizer: on text without Khmer, Thai, Lao or
// Myanmar, Words splits exactly as bleve's unicode tokenizer, which the
// index used before, but for the pairs of Chinese characters it adds:
// the search fixtures, the examples and generated articles.
func TestWordsLikeUnicodeTokenizer(t *testing.T) {
	texts := repotest.Articles(t, 50)
	for _, d := range searchtest.Fixtures() {
		texts = append(texts, d.Title, d.Text)
	}
	files, _ := filepath.Glob(filepath.Join(repotest.Root(t), "examples", "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	tok := unicode.NewUnicodeTokenizer()
	for _, text := range texts {
		var want []string
		for _, tk := range tok.Tokenize([]byte(text)) {
			want = append(want, string(tk.Term))
		}
		got := slices.DeleteFunc(words(text), func(w string) bool {
			rs := []rune(w)
			return len(rs) == 2 && gounicode.Is(gounicode.Han, rs[0]) && gounicode.Is(gounicode.Han, rs[1])
		})
		if !slices.Equal(got, want) {
			t.Errorf("%.60q: Words gives %d words, the unicode tokenizer %d", text, len(got), len(want))
		}
	}
}

// TestQueryWords: a query asks for the pairs of a run of Chinese
// characters, and for a character alone only where it has no neighbour.
func TestQueryWords(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"园区", []string{"园区"}},
		{"诈骗园区", []string{"诈骗", "骗园", "园区"}},
		{"园", []string{"园"}},
		{"黄乐 Huang Le 园", []string{"黄乐", "Huang", "Le", "园"}},
		{"园，区", []string{"园", "区"}},
		{"ពលករ", []string{"ពល", "លក", "ករ"}},
		{"Poipet 2025", []string{"Poipet", "2025"}},
	} {
		var got []string
		embedded.QueryWords([]byte(tc.text), func(start, end int) bool {
			got = append(got, tc.text[start:end])
			return true
		})
		if !slices.Equal(got, tc.want) {
			t.Errorf("QueryWords(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// FuzzWords: words start in order (a Chinese character and the pair it
// starts share a start, the longer after; pairs overlap, nothing else
// does), lie inside the text, are never empty, and in valid UTF-8 fall
// on rune boundaries. QueryWords gives a subset of them, in order.
func FuzzWords(f *testing.F) {
	// Seeds: testdata/fuzz/FuzzWords, and these.
	for _, s := range []string{"ប៉ូលិសបានរំដោះពលករ", "្្ក", "ตำรวจ", "a\u17d2", "ក\xff្ក", "ရဲ့"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		bound := map[int]bool{len(text): true} // where a rune (or a stray byte) starts
		for i := 0; i < len(text); {
			bound[i] = true
			_, n := utf8.DecodeRuneInString(text[i:])
			i += n
		}
		prev, prevEnd := -1, -1
		all := map[[2]int]bool{}
		embedded.Words([]byte(text), func(start, end int) bool {
			if start < 0 || start >= end || end > len(text) {
				t.Fatalf("word [%d, %d) of a %d-byte text", start, end, len(text))
			}
			if start < prev || start == prev && end <= prevEnd {
				t.Fatalf("word [%d, %d) after [%d, %d)", start, end, prev, prevEnd)
			}
			all[[2]int{start, end}] = true
			// Unicode segmentation cuts invalid UTF-8 where it can
			// ("\xe1\x94" then a Khmer sign comes out as one segment
			// of three bytes), as bleve's tokenizer did.
			if utf8.ValidString(text) && (!bound[start] || !bound[end]) {
				t.Fatalf("word [%d, %d) splits a rune of %q", start, end, text)
			}
			prev, prevEnd = start, end
			return true
		})
		qprev := -1
		embedded.QueryWords([]byte(text), func(start, end int) bool {
			if !all[[2]int{start, end}] || start <= qprev {
				t.Fatalf("query word [%d, %d) of %q: not a word, or not after %d", start, end, text, qprev)
			}
			qprev = start
			return true
		})
		if n := len(words(text)); n > 0 && strings.TrimSpace(text) == "" {
			t.Fatalf("%d words in blank text %q", n, text)
		}
	})
}
