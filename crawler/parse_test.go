package crawler

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestSitemapEntries(t *testing.T) {
	const (
		open  = `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">`
		close = `</urlset>`
	)
	news := func(loc, date string) string {
		return `<url><loc>` + loc + `</loc><news:news><news:publication_date>` + date + `</news:publication_date></news:news></url>`
	}
	tests := []struct {
		name string
		body string
		max  int
		want []job
	}{
		{
			name: "news dates as written, the time dropped",
			body: open + news("/a", "2024-05-14T11:00:00+07:00") + news("https://example.org/b", "2023-12-01") + close,
			want: []job{
				{URL: "https://example.org/a", Hint: hintArticle, Date: "2024-05-14"},
				{URL: "https://example.org/b", Hint: hintArticle, Date: "2023-12-01"},
			},
		},
		{
			// Raw.Published holds only dates: what is not one is dropped
			// rather than cut to ten bytes.
			name: "dates that are not dates",
			body: open + news("/a", "May 14, 2024 at noon") + news("/b", "2024-13-45") + news("/c", "2024-05") +
				news("/d", "  2024-05-14  ") + news("/e", "") + close,
			want: []job{
				{URL: "https://example.org/a", Hint: hintArticle},
				{URL: "https://example.org/b", Hint: hintArticle},
				{URL: "https://example.org/c", Hint: hintArticle},
				{URL: "https://example.org/d", Hint: hintArticle, Date: "2024-05-14"},
				{URL: "https://example.org/e", Hint: hintArticle},
			},
		},
		{
			name: "a date in pieces around a comment",
			body: open + news("/a", "2024-05<!-- cache -->-14") + close,
			want: []job{{URL: "https://example.org/a", Hint: hintArticle, Date: "2024-05-14"}},
		},
		{
			name: "lastmod is not a publication date",
			body: open + `<url><loc>/a</loc><lastmod>2024-04-10</lastmod></url>` + close,
			want: []job{{URL: "https://example.org/a", Hint: hintArticle}},
		},
		{
			// An extension's loc and url neither set nor close the entry:
			// the date after the video still belongs to the page.
			name: "extensions inside an entry",
			body: open + `<url><loc>/a</loc><image:image><image:loc>/a.jpg</image:loc></image:image>` +
				`<video:video><video:url>/v.mp4</video:url></video:video>` +
				`<news:news><news:publication_date>2024-01-02</news:publication_date></news:news></url>` + close,
			want: []job{{URL: "https://example.org/a", Hint: hintArticle, Date: "2024-01-02"}},
		},
		{
			name: "an index names sitemaps",
			body: `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/s1.xml</loc></sitemap><sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>`,
			want: []job{
				{URL: "https://example.org/s1.xml", Hint: kindSitemap},
				{URL: "https://example.org/s2.xml", Hint: kindSitemap},
			},
		},
		{
			name: "at most max entries",
			body: open + news("/a", "2024-01-01") + news("/b", "2024-01-02") + news("/c", "2024-01-03") + close,
			max:  2,
			want: []job{
				{URL: "https://example.org/a", Hint: hintArticle, Date: "2024-01-01"},
				{URL: "https://example.org/b", Hint: hintArticle, Date: "2024-01-02"},
			},
		},
		{
			name: "what parsed before the damage is kept",
			body: open + news("/a", "2024-01-01") + `<url><loc>/b</loc><<<`,
			want: []job{{URL: "https://example.org/a", Hint: hintArticle, Date: "2024-01-01"}},
		},
		{
			name: "a loc in pieces around comments",
			body: open + `<url><loc>/a` + strings.Repeat(`<!---->b`, 1000) + `</loc></url>` + close,
			want: []job{{URL: "https://example.org/a" + strings.Repeat("b", 1000), Hint: hintArticle}},
		},
		{
			// The protocol's bound is 2,048 characters; past 8 KB a loc
			// is no address a site means.
			name: "a loc past its bound is dropped",
			body: open + `<url><loc>/` + strings.Repeat("a", maxSitemapLoc) + `</loc></url>` +
				`<url><loc>/` + strings.Repeat("b", 4000) + `<!---->` + strings.Repeat("b", 4191) + `</loc></url>` +
				`<url><loc>/` + strings.Repeat("c", 2047) + `</loc></url>` + close,
			want: []job{
				{URL: "https://example.org/" + strings.Repeat("b", 8191), Hint: hintArticle},
				{URL: "https://example.org/" + strings.Repeat("c", 2047), Hint: hintArticle},
			},
		},
		{
			name: "entries with no loc are skipped",
			body: open + `<url></url>` + news(" ", "2024-01-01") + news("/a", "2024-01-01") + close,
			want: []job{{URL: "https://example.org/a", Hint: hintArticle, Date: "2024-01-01"}},
		},
	}
	base, _ := url.Parse("https://example.org/sitemap.xml")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			max := tc.max
			if max == 0 {
				max = 100
			}
			got, err := sitemapEntries([]byte(tc.body), base, max)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	if _, err := sitemapEntries([]byte("<<<not xml"), base, 10); err == nil || !strings.Contains(err.Error(), "parse sitemap") {
		t.Errorf("damaged from the start: error %v, want one naming the sitemap", err)
	}
}

// FuzzParsePage holds the crawler's readers of fetched bodies to what the
// rest of the crawl relies on, on any bytes a site may send: no panic,
// only absolute http(s) links, dates that are dates, and no more entries
// than asked for. The seeds, in testdata/fuzz/FuzzParsePage, are a page of
// each kind the crawler reads.
func FuzzParsePage(f *testing.F) {
	base, _ := url.Parse("https://example.org/dir/page")
	absolute := func(t *testing.T, what, u string) {
		t.Helper()
		p, err := url.Parse(u)
		if err != nil || !p.IsAbs() || p.Host == "" && p.Opaque == "" {
			t.Fatalf("%s %q is not an absolute URL (%v)", what, u, err)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		switch k := detectKind(contentType, body); k {
		case "", kindHTML, kindFeed, kindSitemap, kindPDF, kindText:
		default:
			t.Fatalf("detectKind: %q", k)
		}
		const max = 5
		entries, err := sitemapEntries(body, base, max)
		if err == nil && len(entries) > max {
			t.Fatalf("sitemap: %d entries, at most %d asked for", len(entries), max)
		}
		items, _ := feedItems(body, base)
		for _, j := range append(entries, items...) {
			absolute(t, "entry", j.URL)
			if j.Hint != hintArticle && j.Hint != kindSitemap {
				t.Fatalf("entry %q: hint %q", j.URL, j.Hint)
			}
			if _, err := time.Parse(time.DateOnly, j.Date); j.Date != "" && err != nil {
				t.Fatalf("entry %q: date %q is not YYYY-MM-DD", j.URL, j.Date)
			}
		}
		p, err := inspectHTML(body, base)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, u := range slices.Concat(p.Links, p.PDFs, p.Feeds, []string{p.Canonical}) {
			if u == "" {
				continue
			}
			absolute(t, "link", u)
			if s := strings.ToLower(u); !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
				t.Fatalf("link %q is not http(s)", u)
			}
			if !utf8.ValidString(u) {
				t.Fatalf("link %q is not UTF-8", u)
			}
		}
		for _, u := range slices.Concat(p.Links, p.PDFs) {
			if seen[u] {
				t.Fatalf("link %q listed twice", u)
			}
			seen[u] = true
		}
		jsonLDIsArticle(body)
	})
}

// BenchmarkSitemapEntries reads a sitemap of 1,000 news entries, and one
// of 1.25 MB whose only loc a comment splits 160,000 times: its pieces
// were concatenated, copying the loc whole at each (14 s an op).
func BenchmarkSitemapEntries(b *testing.B) {
	var news strings.Builder
	news.WriteString(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">`)
	for i := range 1000 {
		fmt.Fprintf(&news, `<url><loc>/news/%d</loc><news:news><news:publication_date>2024-05-14T11:00:00+07:00</news:publication_date></news:news></url>`, i)
	}
	news.WriteString(`</urlset>`)
	base, _ := url.Parse("https://example.org/sitemap.xml")
	for _, bc := range []struct{ name, body string }{
		{"news", news.String()},
		{"split-loc", `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>` + strings.Repeat("a<!---->", 160000) + `</loc></url></urlset>`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sitemapEntries([]byte(bc.body), base, 50000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
