package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// wholeTextLanguage is how the language was detected before detection
// went to a bounded sample: whatlanggo on the first 4,000 bytes. The
// sample must give the same answer.
func wholeTextLanguage(text string) string {
	if len(text) > 4000 {
		text = text[:4000]
		for !utf8.ValidString(text) {
			text = text[:len(text)-1]
		}
	}
	info := whatlanggo.Detect(text)
	if info.Confidence < 0.2 {
		return ""
	}
	return info.Lang.Iso6391()
}

func languageTexts(t testing.TB) map[string]string {
	t.Helper()
	texts := map[string]string{}
	for _, pattern := range []string{
		filepath.Join(repotest.Root(t), "examples", "*"),
		filepath.Join("testdata", "lang", "*.txt"),
	} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, ".md") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			texts[f] = string(data)
		}
	}
	if len(texts) < 30 {
		t.Fatalf("only %d texts found", len(texts))
	}
	return texts
}

// TestLanguageSample: the bounded sample detects the same language as the
// whole text did, on the examples and on the multilingual set, and the
// right language where the file name says which (testdata/lang).
func TestLanguageSample(t *testing.T) {
	for path, text := range languageTexts(t) {
		got := detectLanguage(text)
		if want := wholeTextLanguage(text); got != want {
			t.Errorf("%s: sample says %q, whole text %q", path, got, want)
		}
		if dir := filepath.Dir(path); filepath.Base(dir) == "lang" {
			if want, _, _ := strings.Cut(filepath.Base(path), "-"); got != want {
				t.Errorf("%s: detected %q, want %q", path, got, want)
			}
		}
	}
}

// TestLanguageSampleLongText: a long text is judged by a bounded sample,
// so a long English article with a Chinese appendix stays English and a
// short English lead on a long French body is French.
func TestLanguageSampleLongText(t *testing.T) {
	en, _ := os.ReadFile(filepath.Join("testdata", "lang", "en-1.txt"))
	fr, _ := os.ReadFile(filepath.Join("testdata", "lang", "fr-1.txt"))
	zh, _ := os.ReadFile(filepath.Join("testdata", "lang", "zh-1.txt"))
	for _, tc := range []struct {
		name, text, want string
	}{
		{"english with chinese appendix", strings.Repeat(string(en), 20) + string(zh), "en"},
		{"french body", "Breaking news.\n" + strings.Repeat(string(fr), 20), "fr"},
		{"empty", "", ""},
		{"numbers only", "12 34 56 78 90", ""},
	} {
		if got := detectLanguage(tc.text); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// BenchmarkDetectLanguage compares the sample with whole-text detection,
// on English texts (the commonest case) and on the others.
func BenchmarkDetectLanguage(b *testing.B) {
	sets := map[string][]string{}
	for _, t := range languageTexts(b) {
		set := "other"
		if wholeTextLanguage(t) == "en" {
			set = "en"
		}
		sets[set] = append(sets[set], t)
	}
	for _, bc := range []struct {
		name string
		f    func(string) string
	}{{"sample", detectLanguage}, {"whole", wholeTextLanguage}} {
		for _, set := range []string{"en", "other"} {
			texts := sets[set]
			n := 0
			for _, t := range texts {
				n += len(t)
			}
			b.Run(bc.name+"/"+set, func(b *testing.B) {
				b.SetBytes(int64(n))
				for b.Loop() {
					for _, t := range texts {
						bc.f(t)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(texts)), "µs/text")
			})
		}
	}
}

// TestFunctionWordsFit: isEnglish skips words longer than
// maxFunctionWord, so no function word may be longer.
func TestFunctionWordsFit(t *testing.T) {
	for w := range englishFunctionWords {
		if len(w) > maxFunctionWord {
			t.Errorf("function word %q is longer than maxFunctionWord (%d)", w, maxFunctionWord)
		}
	}
	if !isEnglish(strings.Repeat("THE Report Said That It Was Over And Done. ", 5)) {
		t.Error("capitalised function words are not counted")
	}
}
