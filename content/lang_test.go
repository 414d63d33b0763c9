package content

import (
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
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

// isEnglishPlain is isEnglish's definition: words are runs of letters
// and apostrophes, matched against the list in lower case.
func isEnglishPlain(sample string) bool {
	words, function := 0, 0
	for _, w := range strings.FieldsFunc(sample, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		words++
		if _, ok := englishFunctionWords[strings.Map(asciiLower, w)]; ok {
			function++
		}
	}
	return words >= 30 && function*8 >= words
}

// asciiLower lowers ASCII capitals only, as isEnglish does: "İT" is not
// "it".
func asciiLower(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// TestIsEnglishMatchesPlain holds isEnglish's byte loop to its
// definition on the example documents, the shared corpus and random
// texts of function words, other words, non-ASCII letters, apostrophes
// and invalid bytes.
func TestIsEnglishMatchesPlain(t *testing.T) {
	var texts []string
	for _, dir := range []string{filepath.Join(repotest.Root(t), "examples"), filepath.Join(repotest.Shared(t, "corpus"), "docs")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				texts = append(texts, string(b))
			}
		}
	}
	if len(texts) == 0 {
		t.Fatal("no documents read")
	}
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"the ", "The", "of", "'", " ", "é", "黄", "\xff", "a", "Z", ",", "and", "x", "THE", "ſ", "İt", "it"}
	for range 20000 {
		var b strings.Builder
		for range r.IntN(200) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	english := 0
	for _, s := range texts {
		for _, n := range []int{len(s), min(len(s), languageSampleSize), min(len(s), 300)} {
			got, want := isEnglish(s[:n]), isEnglishPlain(s[:n])
			if got != want {
				t.Fatalf("isEnglish(%q) = %v, want %v", s[:n], got, want)
			}
			if got {
				english++
			}
		}
	}
	if english == 0 || english == 3*len(texts) {
		t.Fatalf("%d of %d texts English: the test cannot tell the answers apart", english, 3*len(texts))
	}
}

// TestHTMLLanguage: a page is given the language of its text, as the same
// text in a plain-text file is, whatever the page declares.
func TestHTMLLanguage(t *testing.T) {
	x := New(Options{})
	defer x.Close()
	for path, text := range languageTexts(t) {
		for _, declared := range []string{"", "en"} {
			var page strings.Builder
			page.WriteString("<!doctype html><html")
			if declared != "" {
				page.WriteString(` lang="` + declared + `"`)
			}
			page.WriteString("><head><title>A report</title></head><body><nav><a href=\"/\">Home</a></nav><article>")
			for _, para := range strings.Split(text, "\n\n") {
				page.WriteString("<p>" + html.EscapeString(para) + "</p>")
			}
			page.WriteString("</article><footer>Contact us</footer></body></html>")
			got, err := x.Extract(t.Context(), []byte(page.String()), "text/html", "https://news.example/a")
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			want := detectLanguage(text)
			if want == "" {
				want = declared
			}
			t.Logf("%s declared %q: %q (text file %q)", filepath.Base(path), declared, got.Language, want)
			if got.Language != want {
				t.Errorf("%s, declared %q: page language %q, the text's %q", filepath.Base(path), declared, got.Language, want)
			}
		}
	}
}

// TestHTMLLanguageDeclared: where the text cannot tell, the page's
// declared language stands.
func TestHTMLLanguageDeclared(t *testing.T) {
	x := New(Options{})
	defer x.Close()
	rows := strings.Repeat("<tr><td>2023</td><td>1,200</td><td>3,400</td></tr>", 20)
	for _, declared := range []string{"km", "zh-Hant", ""} {
		page := `<html lang="` + declared + `"><head><title>Figures</title></head><body><article><h1>2023–2024</h1><table>` + rows + `</table></article></body></html>`
		got, err := x.Extract(t.Context(), []byte(page), "text/html", "https://news.example/t")
		if err != nil {
			t.Fatalf("declared %q: %v", declared, err)
		}
		if want := normLang(declared); got.Language != want {
			t.Errorf("declared %q: language %q, want %q (text %q)", declared, got.Language, want, got.Text[:min(len(got.Text), 60)])
		}
	}
}
