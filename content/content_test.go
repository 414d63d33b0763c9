package content

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/compoundwatch/compoundwatch/internal/pdfgen"
)

const articleHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Raid on Bavet casino frees workers | Mekong Ledger</title>
<meta property="og:title" content="Raid on Bavet casino frees workers">
<meta property="og:site_name" content="Mekong Ledger">
<link rel="canonical" href="https://ledger.example/news/2024/raid-on-bavet-casino?utm_source=x">
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"NewsArticle","headline":"Raid on Bavet casino frees workers",
 "datePublished":"2024-03-05T08:30:00+07:00","dateModified":"2024-03-09T10:00:00+07:00",
 "author":{"@type":"Person","name":"Sokha Lim"}}
</script>
</head>
<body>
<header><nav class="menu"><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/business">Business section</a> <a href="/subscribe">Subscribe to our newsletter today</a></nav></header>
<div class="ad-banner">Advertisement: cheap flights to Phnom Penh, book now</div>
<main>
<article>
<h1>Raid on Bavet casino frees workers</h1>
<p class="byline">By Sokha Lim</p>
<p>Police in Svay Rieng province entered a casino complex near the Bavet border crossing on Tuesday and escorted more than two hundred foreign workers out of the guarded dormitories behind the gaming floor.</p>
<p>Several of the workers told reporters that recruiters had promised them office jobs in Thailand, then drove them across two borders at night and took their passports on arrival at the compound.</p>
<p>Provincial officials said the building would be sealed while labour inspectors reviewed the company's licences, and that the men would be handed to their embassies within a week.</p>
<p>Rights groups welcomed the operation but said the same compound had been reported to authorities at least three times since early 2023 without any visible response.</p>
</article>
</main>
<section id="comments" class="comments">
<h3>Comments</h3>
<div class="comment"><p>Reader99 wrote: this is fake news and nobody believes it, lol.</p></div>
<div class="comment"><p>KhmerDad wrote: finally somebody did something about that place.</p></div>
</section>
<aside class="related"><h3>Most read</h3><ul><li><a href="/sport/football-cup">Football cup final tickets sold out</a></li></ul></aside>
<footer><p>Copyright 2024 Mekong Ledger. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>`

func TestExtractHTMLArticle(t *testing.T) {
	x, err := Extract(t.Context(), []byte(articleHTML), "text/html; charset=utf-8", "https://ledger.example/news/2024/raid-on-bavet-casino?fbclid=1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"escorted more than two hundred foreign workers", "took their passports on arrival", "reported to authorities at least three times"} {
		if !strings.Contains(x.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, x.Text)
		}
	}
	for _, bad := range []string{"Subscribe to our newsletter", "fake news", "KhmerDad", "Football cup", "All rights reserved", "cheap flights"} {
		if strings.Contains(x.Text, bad) {
			t.Errorf("text has boilerplate %q:\n%s", bad, x.Text)
		}
	}
	if x.Title != "Raid on Bavet casino frees workers" {
		t.Errorf("title %q", x.Title)
	}
	if x.Published != "2024-03-05" {
		t.Errorf("published %q, want 2024-03-05 (datePublished, not dateModified)", x.Published)
	}
	if x.Byline != "Sokha Lim" {
		t.Errorf("byline %q", x.Byline)
	}
	if x.CanonicalURL != "https://ledger.example/news/2024/raid-on-bavet-casino?utm_source=x" {
		t.Errorf("canonical %q", x.CanonicalURL)
	}
	if x.Language != "en" || x.ContentType != TypeHTML {
		t.Errorf("language %q type %q", x.Language, x.ContentType)
	}
	if !contains(x.Links, "https://ledger.example/politics") {
		t.Errorf("links %v", x.Links)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestDateOrderOfTrust(t *testing.T) {
	page := func(head, body string) string {
		return "<html><head>" + head + "</head><body><article><h1>Heading here</h1>" + body +
			"<p>" + strings.Repeat("The inspectors counted the rooms and wrote down what they saw in each one. ", 8) + "</p></article></body></html>"
	}
	cases := []struct {
		name, html, url, want string
	}{
		{"meta beats URL and text", page(`<meta property="article:published_time" content="2023-11-02T10:00:00Z">`, `<p>Updated on 14 January 2024.</p>`),
			"https://x.example/2022/05/06/story", "2023-11-02"},
		{"time beats URL", page("", `<p><time datetime="2023-08-19">19 Aug</time></p>`), "https://x.example/2022/05/06/story", "2023-08-19"},
		{"URL beats text", page("", `<p>Posted 14 January 2021.</p>`), "https://x.example/2022/05/06/story", "2022-05-06"},
		{"text last", page("", `<p>Posted on 14 January 2021.</p>`), "https://x.example/story", "2021-01-14"},
		{"none", page("", ""), "https://x.example/story", ""},
		// Issue 12: a year or a month in running text is no publication date.
		{"only a year in the text", page("", `<p>The casino has been operating since 2002 on the highway.</p>`), "https://x.example/story", ""},
		{"only a month in the text", page("", `<p>Police raided the tower in March 2024, officials said.</p>`), "https://x.example/story", ""},
		{"a day in the text", page("", `<p>Posted 3rd March 2024 by the desk.</p>`), "https://x.example/story", "2024-03-03"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, err := Extract(t.Context(), []byte(c.html), "text/html", c.url)
			if err != nil {
				t.Fatal(err)
			}
			if x.Published != c.want {
				t.Errorf("published %q, want %q", x.Published, c.want)
			}
		})
	}
}

func TestExtractLegacyChinese(t *testing.T) {
	const body = `<p>西港警方周二突袭一处园区，解救了一百多名被困的外国员工。员工们说他们的护照在抵达时被没收，每天被迫工作十六个小时。当地官员表示，该建筑将被查封，劳工部门将审查该公司的营业执照。</p><p>人权组织表示，这个园区过去两年曾多次被举报。</p>`
	for _, tc := range []struct {
		name, charset string
		enc           func(string) ([]byte, error)
	}{
		{"gbk", "gbk", func(s string) ([]byte, error) { return simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s)) }},
		{"gb18030", "gb18030", func(s string) ([]byte, error) { return simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s)) }},
		{"big5", "big5", func(s string) ([]byte, error) {
			return traditionalchinese.Big5.NewEncoder().Bytes([]byte(strings.NewReplacer("港", "港", "园区", "園區", "解救", "解救").Replace(s)))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := body
			if tc.name == "big5" {
				src = `<p>西港警方週二突襲一處園區，解救了一百多名被困的外國員工。員工們說他們的護照在抵達時被沒收，每天被迫工作十六個小時。當地官員表示，該建築將被查封。</p><p>人權組織表示，這個園區過去兩年曾多次被舉報。</p>`
			}
			page := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=` + tc.charset + `"><title>西港 園區</title></head><body><article>` + src + `</article></body></html>`
			enc, err := tc.enc(page)
			if err != nil {
				t.Fatal(err)
			}
			// The charset comes from the <meta> alone: the header says nothing.
			x, err := Extract(t.Context(), enc, "text/html", "https://cn.example/a")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(x.Text, "西港警方") || !strings.Contains(x.Text, "十六个小时") && !strings.Contains(x.Text, "十六個小時") {
				t.Errorf("text not decoded: %q", x.Text)
			}
			if x.Language != "zh" {
				t.Errorf("language %q", x.Language)
			}
		})
	}
}

func TestExtractText(t *testing.T) {
	x, err := Extract(t.Context(), []byte("Title: Border town compounds emptied\nPublished: 2024-06-30\nSource: Mekong Ledger\n\nWorkers left the compounds in buses.\nThe police watched.\n"), "text/plain", "")
	if err != nil {
		t.Fatal(err)
	}
	if x.Title != "Border town compounds emptied" || x.Published != "2024-06-30" || x.Outlet != "Mekong Ledger" {
		t.Errorf("header: %+v", x)
	}
	if x.Text != "Workers left the compounds in buses.\nThe police watched." {
		t.Errorf("text %q", x.Text)
	}

	x, err = Extract(t.Context(), []byte("\n\n  Scam hubs move inland  \n\nSource: a rumour, says nobody.\nMore text.\n"), "text/plain", "")
	if err != nil {
		t.Fatal(err)
	}
	if x.Title != "Scam hubs move inland" || x.Outlet != "" || !strings.HasPrefix(x.Text, "Scam hubs move inland") {
		t.Errorf("no header: %+v", x)
	}
}

func TestRejects(t *testing.T) {
	for _, c := range []struct {
		name, ct string
		body     []byte
		want     error
	}{
		{"nul in text", "text/plain", []byte("hello\x00world and more"), ErrBinary},
		{"invalid utf8", "text/plain", []byte("caf\xe9 au lait, \xff\xfe broken"), ErrBinary},
		{"empty text", "text/plain", []byte("  \n\n \t"), ErrEmpty},
		{"empty html", "text/html", []byte("<html><head><title>t</title></head><body><script>var a = 1;</script><div> </div></body></html>"), ErrEmpty},
		{"binary html", "text/html", append([]byte("<html>"), make([]byte, 100)...), ErrBinary},
		{"image", "image/png", []byte("\x89PNG\r\n\x1a\n...."), ErrUnsupported},
		{"fake pdf", "application/pdf", []byte("not a pdf at all"), ErrBinary},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Extract(t.Context(), c.body, c.ct, "")
			if !errors.Is(err, c.want) {
				t.Errorf("err %v, want %v", err, c.want)
			}
		})
	}
	// Latin-1 text is accepted when its charset is declared.
	x, err := Extract(t.Context(), []byte("Caf\xe9 owners in Kampot\nreport visits."), "text/plain; charset=iso-8859-1", "")
	if err != nil || !strings.Contains(x.Text, "Café") {
		t.Errorf("latin-1: %q %v", x.Text, err)
	}
}

func factSheet() []byte {
	cols := []float64{72, 260, 380}
	return pdfgen.Doc{
		Title:        "Fact sheet: compounds by province",
		CreationDate: "D:20240412090000+07'00'",
		Pages: [][]pdfgen.Line{{
			pdfgen.Text("Fact sheet: suspected scam compounds by province"),
			pdfgen.Text("Counts compiled from field visits in the first quarter."),
			pdfgen.Row(cols, "Province", "Sites", "Workers (est.)"),
			pdfgen.Row(cols, "Sihanoukville", "80", "40,000"),
			pdfgen.Row(cols, "Pursat", "7", "2,500"),
			pdfgen.Row(cols, "Svay Rieng", "15", "6,000"),
		}, {
			pdfgen.Text("Method: visits were made by two-person teams."),
		}},
	}.Bytes()
}

func TestExtractPDFTable(t *testing.T) {
	p, err := NewPDFExtractor(t.Context(), PDFOptions{CacheDir: filepath.Join(os.TempDir(), "compoundwatch-test-pdfium")})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	e := New(Options{PDF: p})
	defer e.Close()
	x, err := e.Extract(t.Context(), factSheet(), "application/pdf", "https://ngo.example/factsheet.pdf")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(x.Text, "\n")
	for _, row := range [][]string{{"Sihanoukville", "80", "40,000"}, {"Pursat", "7", "2,500"}, {"Svay Rieng", "15", "6,000"}} {
		found := false
		for _, l := range lines {
			if strings.Join(strings.Fields(l), " ") == strings.Join(row, " ") {
				found = true
			}
		}
		if !found {
			t.Errorf("row %v not on one line in:\n%s", row, x.Text)
		}
	}
	if !strings.Contains(x.Text, "two-person teams") {
		t.Errorf("page 2 missing:\n%s", x.Text)
	}
	if x.Title != "Fact sheet: compounds by province" || x.Published != "2024-04-12" || x.ContentType != TypePDF {
		t.Errorf("meta: title %q published %q type %q", x.Title, x.Published, x.ContentType)
	}
}

// TestExtractPDFWrapped: a PDF page gives its text a visual line at a
// time; a paragraph's lines come out as one, and a heading over it and
// the table's rows on the next page stay lines of their own.
func TestExtractPDFWrapped(t *testing.T) {
	p, err := NewPDFExtractor(t.Context(), PDFOptions{CacheDir: filepath.Join(os.TempDir(), "compoundwatch-test-pdfium")})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	doc := pdfgen.Doc{Pages: [][]pdfgen.Line{{
		pdfgen.Text("Raids along the border in the first week of May"),
		pdfgen.Text("Police raided a casino near the border crossing on 5 May 2024 and"),
		pdfgen.Text("detained forty people, an official of the provincial police said. The"),
		pdfgen.Text("casino had reopened under a new name a month before the raid."),
	}}}
	x, err := p.Extract(t.Context(), doc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := "Raids along the border in the first week of May\n" +
		"Police raided a casino near the border crossing on 5 May 2024 and detained forty people, an official of the provincial police said. The casino had reopened under a new name a month before the raid."
	if x.Text != want {
		t.Errorf("text\n%q\nwant\n%q", x.Text, want)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	txt := write("a.txt", []byte("Title: Kampot warehouse\nPublished: 2025-01-02\nSource: Coast Post\n\nA warehouse was searched.\n"))
	raw, err := ReadFile(t.Context(), txt)
	if err != nil {
		t.Fatal(err)
	}
	if raw.ID == "" || raw.ContentHash == "" || raw.Schema == "" || raw.Title != "Kampot warehouse" || raw.Outlet != "Coast Post" || raw.Source != txt {
		t.Errorf("raw %+v", raw)
	}
	htmlPath := write("b.html", []byte(articleHTML))
	if raw, err = ReadFile(t.Context(), htmlPath); err != nil || raw.Published != "2024-03-05" {
		t.Errorf("html: %+v %v", raw, err)
	}
	pdfPath := write("c.pdf", factSheet())
	e := New(Options{PDFOptions: PDFOptions{CacheDir: filepath.Join(os.TempDir(), "compoundwatch-test-pdfium")}, MaxFileSize: 1 << 20})
	defer e.Close()
	if raw, err = e.ReadFile(t.Context(), pdfPath); err != nil || !strings.Contains(raw.Text, "Sihanoukville") {
		t.Errorf("pdf: %+v %v", raw, err)
	}
	big := write("big.txt", []byte(strings.Repeat("word ", 300_000)))
	_, err = e.ReadFile(t.Context(), big)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), big) || !strings.Contains(err.Error(), "1500000 bytes") {
		t.Errorf("oversized: %v", err)
	}
	bin := write("bin.txt", []byte("abc\x00\x01\x02"))
	if _, err = ReadFile(t.Context(), bin); !errors.Is(err, ErrBinary) || !strings.Contains(err.Error(), bin) {
		t.Errorf("binary: %v", err)
	}
	if _, err = ReadFile(t.Context(), filepath.Join(dir, "missing.txt")); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing: %v", err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Extract(ctx, []byte("x"), "text/plain", ""); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v", err)
	}
}

func TestExtractHTMLTableRows(t *testing.T) {
	p := "<p>" + strings.Repeat("Inspectors visited the compound and counted the rooms, the beds and the guards at the gate. ", 4) + "</p>"
	page := `<html><body><nav><a href="/">Home</a></nav><article><h1>Site count</h1>` + p + p +
		`<table><tr><th>Province</th><th>Sites</th></tr><tr><td>Sihanoukville</td><td>80</td></tr><tr><td>Pursat</td><td>7</td></tr></table>` +
		`<p>Closing paragraph, with <b>bold</b> words and <a href="/x">a link</a>.</p></article></body></html>`
	x, err := Extract(t.Context(), []byte(page), "text/html", "https://ngo.example/count")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(x.Text, "\n")
	for _, want := range []string{"Sihanoukville 80", "Pursat 7", "Closing paragraph, with bold words and a link."} {
		if !contains(lines, want) {
			t.Errorf("no line %q in %q", want, x.Text)
		}
	}
}

// TestHTMLBlocksSeparated: every extraction path (the main one and the
// fallbacks that take over on pages without an article) keeps block
// elements apart and the spaces at inline elements' edges, even with
// nested inline markup and scripts.
func TestHTMLBlocksSeparated(t *testing.T) {
	filler := "<p>" + strings.Repeat("Inspectors went floor by floor and listed what every room held. ", 6) + "</p>"
	cases := []struct {
		name, html string
		want       []string // each inside one line
		glued      []string // must not appear
	}{
		{"divs in an article, inline tails", `<html><body><article><div><span>Officers ended the raid</span></div><div><span><b>Police</b> searched <i>the</i> <a href="/t">second tower</a></span><script>var n = 1;</script></div>` + filler + `</article></body></html>`,
			[]string{"Officers ended the raid", "Police searched"}, []string{"raidPolice", "Policesearched", "thesecond"}},
		{"bare divs, no article (fallback)", `<html><body><div>text of the raid</div><div>Police raided more</div><div><span>on Monday.</span><script>x()</script></div><div>More <em>text</em> follows.</div></body></html>`,
			[]string{"text of the raid", "Police raided more", "on Monday.", "More text follows."}, []string{"raidPolice", "Monday.More"}},
		{"sections and list items", `<html><body><main><section><span>Guards left the gate before the trucks arrived at the compound<noscript>js</noscript></span></section><ul><li><a href="#">Buses</a> came</li><li>then trucks</li></ul>` + filler + `</main></body></html>`,
			[]string{"Buses came", "then trucks"}, []string{"compoundBuses", "camethen", "Busescame"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, err := Extract(t.Context(), []byte(c.html), "text/html", "https://x.example/a")
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(x.Text, "\n")
			for _, w := range c.want {
				if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, w) }) {
					t.Errorf("no line holds %q in %q", w, x.Text)
				}
			}
			for _, g := range c.glued {
				if strings.Contains(x.Text, g) {
					t.Errorf("glued %q in %q", g, x.Text)
				}
			}
			if strings.ContainsAny(x.Text, markSpace+markBlock) {
				t.Errorf("marks left in %q", x.Text)
			}
		})
	}
}
