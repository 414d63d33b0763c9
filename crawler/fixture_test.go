package crawler

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/compoundwatch/compoundwatch/internal/pdfgen"
)

// The fixture news site: "The Mekong Ledger", an outlet with section
// listings and pagination, articles full of boilerplate, an RSS feed, a
// sitemap index (Google News sitemap and a gzipped one), a PDF fact
// sheet, a GBK page, robots.txt, and hostile corners: a redirect loop, a
// 429, a slow page, an endless calendar, endless pagination, a gzip bomb
// and an oversized page. All texts are written for this test.

type article struct {
	Path      string
	Title     string
	Date      string // JSON-LD datePublished
	Byline    string
	Paras     []string
	Canonical string // rel=canonical path, "" for none
	NoMarkup  bool   // a copy without article markup (wire service page)
}

var articles = []article{
	{
		Path: "/news/2024/03/05/bavet-casino-raid", Title: "Police raid Bavet casino complex, free 214 workers",
		Date: "2024-03-05T08:30:00+07:00", Byline: "Sokha Lim",
		Paras: []string{
			"Police in Svay Rieng province entered a casino complex near the Bavet border crossing on Tuesday morning and escorted 214 foreign workers out of guarded dormitories behind the gaming floor.",
			"Several of the workers told this newspaper that recruiters had promised them customer service jobs in Bangkok, then drove them across two borders at night and took their passports on arrival.",
			"Provincial officials said the building would be sealed while labour inspectors reviewed the operator's licences, and that the men and women would be handed to their embassies within a week.",
			"Rights groups welcomed the operation but noted that the same compound had been reported to the authorities at least three times since early 2023 without any visible response.",
		},
	},
	{
		Path: "/news/2024/02/11/tycoon-assets-frozen", Title: "Sanctioned tycoon's hotel assets frozen",
		Date: "2024-02-11T10:00:00+07:00", Byline: "Dara Chan",
		Paras: []string{
			"A court in Phnom Penh has frozen the bank accounts of a hotel group whose owner was placed under foreign sanctions last year for links to forced labour in online fraud operations.",
			"Lawyers for the group argued that the hotels had no connection to the scam business and that the freeze would leave hundreds of ordinary staff without wages before the new year holiday.",
			"The prosecutor's office said investigators had traced rental payments from the hotels to a company that managed a walled site on the outskirts of Sihanoukville until its closure in August.",
		},
	},
	{
		Path: "/news/2024/01/20/kampot-warehouse", Title: "Kampot warehouse turned into call centre, villagers say",
		Date: "2024-01-20T07:15:00+07:00", Byline: "Srey Mom",
		Paras: []string{
			"Residents of a fishing village outside Kampot say a former pepper warehouse has been fitted with bunk beds, window bars and a generator, and that buses arrive there after dark.",
			"A commune chief said he had asked the owner for permits twice and been told the building was a training school for hotel staff, which villagers find hard to believe.",
			"Nobody answered the telephone number painted on the gate when this newspaper called it on several days last week.",
		},
	},
	{
		Path: "/news/2023/12/02/rescued-sisters", Title: "Two sisters recount eight months inside a scam compound",
		Date: "2023-12-02T12:00:00+07:00", Byline: "Vanna Keo",
		Paras: []string{
			"The sisters, aged nineteen and twenty-two, answered an advertisement for shop assistants and ended up typing scripted love messages to strangers for fourteen hours a day.",
			"They were fined for every missed target, they said, and their debt to the company grew faster than any salary they were promised, until a relative paid a ransom in cryptocurrency.",
			"Both are now back in their home province and say they want other young people to check job offers with the labour ministry before they travel anywhere for work.",
		},
	},
	{
		Path: "/news/2024/04/02/feed-only-border-checks", Title: "Border checks tightened at Poipet crossing",
		Date: "2024-04-02T09:00:00+07:00", Byline: "Sokha Lim",
		Paras: []string{
			"Immigration officers at the Poipet crossing have begun questioning young travellers who say they are going to work in casinos, after a series of trafficking cases in the northwest.",
			"Travellers now need a signed contract and the name of the employer, and officers telephone the employer before letting anyone through, an official at the checkpoint explained.",
			"Bus companies complain that queues have doubled since the new rules started, while migrant support groups call the checks overdue but too easy to dodge by using smaller crossings.",
		},
	},
	{
		Path: "/news/2024/05/14/sitemap-only-ministry", Title: "Ministry publishes list of licensed recruiters",
		Date: "2024-05-14T11:00:00+07:00", Byline: "Dara Chan",
		Paras: []string{
			"The labour ministry has put online a list of the recruitment agencies that hold valid licences, so that job seekers can check an offer before signing anything or handing over documents.",
			"The list names fewer than two hundred agencies, far fewer than the number advertising overseas work on social media each week, according to a count made by a youth association.",
			"Officials said agencies missing from the list should be reported by telephone, and promised to update the page every month.",
		},
	},
	{
		// 429 then fine.
		Path: "/news/2024/06/01/busy-desk", Title: "Hotline receives record number of calls",
		Date: "2024-06-01T09:00:00+07:00", Byline: "Vanna Keo",
		Paras: []string{
			"A hotline for people trapped in fraud compounds received more calls in May than in any month since it opened, its coordinators said, many of them from relatives abroad.",
			"Volunteers answer in five languages and pass locations to the police, who have asked callers to describe landmarks because many compounds have no street address at all.",
			"The coordinators want the hotline number printed on bus tickets sold to the border towns.",
		},
	},
}

// copies of the Bavet story under other URLs.
var (
	printCopy = article{Path: "/print/bavet-casino-raid", Title: articles[0].Title, Date: articles[0].Date, Byline: articles[0].Byline,
		Paras: articles[0].Paras, Canonical: articles[0].Path}
	wireCopy = article{Path: "/wire/bavet-casino-raid", Title: articles[0].Title, Date: articles[0].Date, Byline: "Wire staff",
		Paras: articles[0].Paras}
	spunCopy = article{Path: "/partner/bavet-gambling-hall-operation", Title: "Officers raid Bavet gambling complex, release 214 labourers",
		Date: "2024-03-06T08:30:00+07:00", Byline: "Partner desk",
		Paras: []string{
			"Officers in Svay Rieng province went into a casino complex close to the Bavet border crossing on Tuesday morning and escorted 214 foreign labourers out of guarded dormitories behind the gambling floor.",
			"Several of the labourers told this publication that recruiters had promised them customer care jobs in Bangkok, then drove them across two frontiers at night and took their passports upon arrival.",
			"Provincial authorities said the building would be sealed while labour inspectors reviewed the operator's permits, and that the men and women would be handed to their embassies within a week.",
			"Rights organisations welcomed the operation but noted that the same compound had been reported to the authorities at least three times since early 2023 without any visible reaction.",
		}}
)

const (
	navHTML     = `<header class="site-header"><nav class="main-nav"><a href="/">Home</a> <a href="/news/">Latest news</a> <a href="/opinion/">Opinion</a> <a href="/subscribe">Subscribe to our newsletter for daily briefings</a> <a href="/private/members">Members area</a></nav></header>`
	commentHTML = `<section class="comments" id="comments"><h3>Reader comments</h3><div class="comment"><p><b>Ratanak88</b> wrote: I drove past that place last year and the guards waved sticks at us.</p></div><div class="comment"><p><b>anon</b> wrote: click my profile for cheap crypto signals!!!</p></div></section>`
	footerHTML  = `<aside class="most-read"><h3>Most read</h3><ul><li><a href="/sport/boat-race">Boat racing festival draws record crowds</a></li></ul></aside><div class="advert">Sponsored: luxury condos in BKK1, ask for the spring discount</div><footer><p>© 2024 The Mekong Ledger. All rights reserved.</p><a href="/about">About us</a></footer>`
)

func (a article) html(base string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>` + html.EscapeString(a.Title) + ` | The Mekong Ledger</title>`)
	if !a.NoMarkup {
		b.WriteString(`<meta property="og:type" content="article"><meta property="og:site_name" content="The Mekong Ledger">`)
		fmt.Fprintf(&b, `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":%q,"datePublished":%q,"dateModified":"2024-07-01T00:00:00+07:00","author":{"@type":"Person","name":%q}}</script>`,
			a.Title, a.Date, a.Byline)
	}
	if a.Canonical != "" {
		b.WriteString(`<link rel="canonical" href="` + base + a.Canonical + `">`)
	}
	b.WriteString(`<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>` + navHTML + `<main><article class="story"><h1>` + html.EscapeString(a.Title) + `</h1><p class="byline">By ` + a.Byline + `</p>`)
	for _, p := range a.Paras {
		b.WriteString("<p>" + html.EscapeString(p) + "</p>")
	}
	b.WriteString(`<p><a href="/docs/factsheet-provinces.pdf">Download our fact sheet (PDF)</a></p></article></main>` + commentHTML + footerHTML + `</body></html>`)
	return b.String()
}

func listingHTML(title string, items []article, next string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>` + title + ` | The Mekong Ledger</title><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>` + navHTML + `<main><h1>` + title + `</h1>`)
	for _, a := range items {
		fmt.Fprintf(&b, `<article class="teaser"><h2><a href="%s">%s</a></h2><p>%s</p></article>`, a.Path, html.EscapeString(a.Title), html.EscapeString(a.Paras[0][:60]))
	}
	if next != "" {
		fmt.Fprintf(&b, `<nav class="pagination"><a rel="next" href="%s">Older stories</a></nav>`, next)
	}
	b.WriteString(`</main>` + footerHTML + `</body></html>`)
	return b.String()
}

type fixture struct {
	*httptest.Server
	offsite *httptest.Server
	pdf     []byte
	bomb    []byte
	latency time.Duration

	mu         sync.Mutex
	hits       map[string]int // path?query → requests
	full       map[string]int // 200 responses
	notMod     int            // 304 responses
	cond       int            // requests carrying If-None-Match or If-Modified-Since
	offHits    int
	flaky      int
	busyHits   []time.Time
	userAgents map[string]bool
	onFull     func(path string) // called after a 200 is written
}

func newFixture(t testing.TB) *fixture {
	f := &fixture{hits: map[string]int{}, full: map[string]int{}, userAgents: map[string]bool{}}
	f.offsite = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.offHits++
		f.mu.Unlock()
		fmt.Fprint(w, "<html><body>elsewhere</body></html>")
	}))
	t.Cleanup(f.offsite.Close)
	cols := []float64{72, 260, 380}
	f.pdf = pdfgen.Doc{Title: "Fact sheet: scam compounds by province", CreationDate: "D:20240410090000+07'00'",
		Pages: [][]pdfgen.Line{{
			pdfgen.Text("The Mekong Ledger fact sheet: suspected compounds by province"),
			pdfgen.Text("Counted from reporters' site visits, January to March 2024."),
			pdfgen.Row(cols, "Province", "Sites", "Workers (est.)"),
			pdfgen.Row(cols, "Sihanoukville", "80", "40,000"),
			pdfgen.Row(cols, "Svay Rieng", "15", "6,000"),
			pdfgen.Row(cols, "Pursat", "7", "2,500"),
		}}}.Bytes()
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 64 {
		zw.Write(zeros)
	}
	zw.Close()
	f.bomb = bomb.Bytes()
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Server.Close)
	return f
}

func (f *fixture) serve(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	f.mu.Lock()
	f.hits[key]++
	f.userAgents[r.UserAgent()] = true
	if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
		f.cond++
	}
	lat := f.latency
	f.mu.Unlock()
	if lat > 0 {
		time.Sleep(lat)
	}
	base := f.URL
	p := r.URL.Path
	byPath := map[string]article{}
	for _, a := range append(append([]article(nil), articles...), printCopy, wireCopy, spunCopy) {
		byPath[a.Path] = a
	}
	switch {
	case p == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n\nUser-agent: badbot\nDisallow: /\n")
	case p == "/":
		f.send(w, r, "text/html; charset=utf-8", []byte(listingHTML("The Mekong Ledger", articles[:2],
			"")+`<p><a href="/news/">More news</a> <a href="/calendar/2024/03">Events calendar</a> <a href="/archive?page=1">Archive</a> <a href="/print/bavet-casino-raid">Print</a> <a href="/news/2024/03/05/bavet-casino-raid?utm_source=twitter&amp;fbclid=xyz#comments">Shared link</a> <a href="/wire/bavet-casino-raid">Wire</a> <a href="/partner/bavet-gambling-hall-operation">Partner</a> <a href="/loop/a">Loop</a> <a href="/flaky">Flaky</a> <a href="/slow">Slow</a> <a href="/news/2024/06/01/busy-desk">Hotline</a> <a href="/bomb">Bomb</a> <a href="/huge">Huge</a> <a href="/cn/xigang.html">中文</a> <a href="`+f.offsite.URL+`/elsewhere">Partner site</a></p>`))
	case p == "/news/" && r.URL.Query().Get("page") == "":
		f.send(w, r, "text/html; charset=utf-8", []byte(listingHTML("Latest news", articles[:3], "/news/?page=2")))
	case p == "/news/" && r.URL.Query().Get("page") == "2":
		f.send(w, r, "text/html; charset=utf-8", []byte(listingHTML("Latest news, page 2", articles[3:4], "")))
	case byPath[p].Path != "" && p == "/news/2024/06/01/busy-desk" && f.busy():
		w.Header().Set("Retry-After", "1")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	case byPath[p].Path != "":
		f.send(w, r, "text/html; charset=utf-8", []byte(byPath[p].html(base)))
	case p == "/feed.xml":
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>The Mekong Ledger</title><link>` + base + `/</link><description>News</description>`)
		for _, a := range []article{articles[0], articles[2], articles[4]} {
			t, _ := time.Parse(time.RFC3339, a.Date)
			fmt.Fprintf(&b, `<item><title>%s</title><link>%s%s?utm_medium=rss</link><pubDate>%s</pubDate></item>`, html.EscapeString(a.Title), base, a.Path, t.Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		f.send(w, r, "application/rss+xml", []byte(b.String()))
	case p == "/sitemap_index.xml":
		f.send(w, r, "application/xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>`+base+`/sitemap-news.xml</loc></sitemap><sitemap><loc>`+base+`/sitemap-docs.xml.gz</loc></sitemap></sitemapindex>`))
	case p == "/sitemap-news.xml":
		f.send(w, r, "application/xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>`+base+articles[5].Path+`</loc><news:news><news:publication><news:name>The Mekong Ledger</news:name><news:language>en</news:language></news:publication><news:publication_date>2024-05-14T11:00:00+07:00</news:publication_date><news:title>Ministry publishes list</news:title></news:news></url><url><loc>`+base+articles[1].Path+`</loc></url></urlset>`))
	case p == "/sitemap-docs.xml.gz":
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>` + base + `/docs/factsheet-provinces.pdf</loc><lastmod>2024-04-10</lastmod></url></urlset>`))
		zw.Close()
		f.send(w, r, "application/x-gzip", b.Bytes())
	case p == "/docs/factsheet-provinces.pdf":
		f.send(w, r, "application/pdf", f.pdf)
	case p == "/cn/xigang.html":
		page := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>西港园区调查</title>` +
			`<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-18"}</script></head><body>` + navHTML +
			`<article><h1>西港园区调查</h1><p>记者上周走访了西港郊外的一处园区。围墙很高，大门有保安看守，附近居民说夜里常有大巴进出。</p><p>一名曾在园区工作的青年说，他每天要工作十四个小时，手机被收走，只有完成业绩才能离开宿舍。</p><p>当地官员表示，将与劳工部门一起核查该园区的经营执照。</p></article></body></html>`
		enc, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(page))
		f.send(w, r, "text/html", enc) // charset only in the <meta>
	case strings.HasPrefix(p, "/calendar/"):
		var y, m int
		fmt.Sscanf(p, "/calendar/%d/%d", &y, &m)
		prev, next := time.Date(y, time.Month(m-1), 1, 0, 0, 0, 0, time.UTC), time.Date(y, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC)
		f.send(w, r, "text/html", []byte(fmt.Sprintf(`<html><body>%s<h1>Events %04d-%02d</h1><p>No events.</p><a href="/calendar/%d/%02d">Previous</a> <a href="/calendar/%d/%02d">Next</a></body></html>`,
			navHTML, y, m, prev.Year(), prev.Month(), next.Year(), next.Month())))
	case p == "/archive":
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		f.send(w, r, "text/html", []byte(fmt.Sprintf(`<html><body><h1>Archive page %d</h1><p>Nothing here.</p><a rel="next" href="/archive?page=%d">Next page</a></body></html>`, n, n+1)))
	case p == "/flaky":
		f.mu.Lock()
		f.flaky++
		n := f.flaky
		f.mu.Unlock()
		if n <= 2 {
			http.Error(w, "upstream hiccup", http.StatusBadGateway)
			return
		}
		f.send(w, r, "text/html", []byte(`<html><body><h1>Back again</h1><p>Service restored.</p></body></html>`))
	case p == "/loop/a":
		http.Redirect(w, r, "/loop/b", http.StatusFound)
	case p == "/loop/b":
		http.Redirect(w, r, "/loop/a", http.StatusFound)
	case p == "/slow":
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
			return
		}
		fmt.Fprint(w, "<html><body>finally</body></html>")
	case p == "/bomb":
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(f.bomb)
	case p == "/huge":
		w.Header().Set("Content-Type", "text/html")
		chunk := bytes.Repeat([]byte("<p>padding padding padding padding</p>\n"), 1<<14)
		w.Write([]byte("<html><body>"))
		for range 200 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	default:
		http.NotFound(w, r)
	}
}

func (f *fixture) busy() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.busyHits = append(f.busyHits, time.Now())
	return len(f.busyHits) == 1
}

// send writes body with validators, answering conditional requests with 304.
func (f *fixture) send(w http.ResponseWriter, r *http.Request, ct string, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	lastMod := "Mon, 01 Jul 2024 00:00:00 GMT"
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", lastMod)
	if r.Header.Get("If-None-Match") == etag {
		f.mu.Lock()
		f.notMod++
		f.mu.Unlock()
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Write(body)
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	f.mu.Lock()
	f.full[key]++
	cb := f.onFull
	f.mu.Unlock()
	if cb != nil {
		cb(key)
	}
}

func (f *fixture) counts() (full map[string]int, notMod, cond, off int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	full = map[string]int{}
	for k, v := range f.full {
		full[k] = v
	}
	return full, f.notMod, f.cond, f.offHits
}

func (f *fixture) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.full = map[string]int{}
	f.hits = map[string]int{}
	f.notMod, f.cond = 0, 0
}
