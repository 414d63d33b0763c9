package crawler

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"

	"github.com/compoundwatch/compoundwatch/content"
)

// Page kinds.
const (
	kindHTML    = "html"
	kindFeed    = "feed"
	kindSitemap = "sitemap"
	kindPDF     = "pdf"
	kindText    = "text"
	hintArticle = "article"
)

// detectKind decides what a response is from its Content-Type and bytes.
func detectKind(contentType string, body []byte) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	head := strings.ToLower(string(body[:min(len(body), 1024)]))
	head = strings.TrimLeft(head, "\ufeff \t\r\n")
	xmlish := strings.HasPrefix(head, "<?xml") || strings.HasPrefix(head, "<rss") ||
		strings.HasPrefix(head, "<feed") || strings.HasPrefix(head, "<urlset") || strings.HasPrefix(head, "<sitemapindex")
	switch {
	case strings.Contains(head, "<urlset") || strings.Contains(head, "<sitemapindex"):
		if xmlish || strings.Contains(mt, "xml") {
			return kindSitemap
		}
	case strings.Contains(head, "<rss") || strings.Contains(head, "<rdf:rdf") ||
		(strings.Contains(head, "<feed") && strings.Contains(head, "atom")):
		if xmlish || strings.Contains(mt, "xml") || strings.Contains(mt, "rss") || strings.Contains(mt, "atom") {
			return kindFeed
		}
	}
	switch content.Kind(body, contentType) {
	case content.TypeHTML:
		return kindHTML
	case content.TypePDF:
		return kindPDF
	case content.TypeText:
		return kindText
	}
	return ""
}

// feedItems returns a feed's item links with their publication dates.
func feedItems(body []byte, base *url.URL) ([]job, error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	var out []job
	for _, it := range f.Items {
		link := it.Link
		if link == "" && len(it.Links) > 0 {
			link = it.Links[0]
		}
		if link == "" {
			continue
		}
		u, err := base.Parse(strings.TrimSpace(link))
		if err != nil {
			continue
		}
		j := job{URL: u.String(), Hint: hintArticle}
		if it.PublishedParsed != nil {
			j.Date = it.PublishedParsed.UTC().Format(time.DateOnly)
		} else if it.UpdatedParsed != nil {
			j.Date = it.UpdatedParsed.UTC().Format(time.DateOnly)
		}
		out = append(out, j)
		// Enclosed PDFs (reports) are documents too.
		for _, enc := range it.Enclosures {
			if enc != nil && strings.Contains(enc.Type, "pdf") {
				if u, err := base.Parse(enc.URL); err == nil {
					out = append(out, job{URL: u.String(), Hint: hintArticle, Date: j.Date})
				}
			}
		}
	}
	return out, nil
}

// sitemapEntries parses a sitemap or sitemap index (Google News and image
// extensions tolerated): child sitemaps get Hint sitemap, pages Hint
// article with the news publication date when it is a date
// (content.ISODate). lastmod is not read: it is when a page last changed,
// which a site's templates move on every page at once.
func sitemapEntries(body []byte, base *url.URL, maxEntries int) ([]job, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	var (
		out     []job
		inIndex bool
		cur     *job
		field   string
		// The entry's loc and publication date so far, appended to
		// rather than concatenated: a comment can split a text into
		// any number of pieces, and a string grown piece by piece is
		// copied whole at each (a 1.2 MB loc took 14 s).
		loc, date []byte
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(out) > 0 {
				break // keep what parsed before the damage
			}
			return nil, fmt.Errorf("parse sitemap: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sitemapindex":
				inIndex = true
			case "sitemap", "url":
				if sitemapElement(t.Name) {
					cur, loc, date = &job{}, loc[:0], date[:0]
					if t.Name.Local == "sitemap" || inIndex {
						cur.Hint = kindSitemap
					} else {
						cur.Hint = hintArticle
					}
				}
			case "loc":
				field = ""
				if sitemapElement(t.Name) {
					field = "loc"
				}
			case "publication_date":
				field = "publication_date"
			}
		case xml.CharData:
			if cur == nil || field == "" {
				continue
			}
			// Past its bound a text is no longer read: the entry is
			// dropped (a loc) or the date is not one.
			switch field {
			case "loc":
				if len(loc) <= maxSitemapLoc {
					loc = append(loc, bytes.TrimSpace(t)...)
				}
			case "publication_date":
				if len(date) <= maxSitemapDate {
					date = append(date, t...)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "publication_date":
				if cur != nil && field == "publication_date" {
					cur.Date = content.ISODate(string(bytes.TrimSpace(date)))
				}
				field, date = "", date[:0]
			case "loc":
				field = ""
			case "sitemap", "url":
				if !sitemapElement(t.Name) {
					continue
				}
				if cur != nil && len(loc) > 0 && len(loc) <= maxSitemapLoc {
					if u, err := base.Parse(string(loc)); err == nil {
						cur.URL = u.String()
						out = append(out, *cur)
					}
				}
				cur = nil
				if len(out) >= maxEntries {
					return out, nil
				}
			}
		}
	}
	return out, nil
}

// Bounds on a sitemap entry's texts. The protocol holds a loc to 2,048
// characters; a date with its time and zone is under 40 bytes.
const (
	maxSitemapLoc  = 8 << 10
	maxSitemapDate = 64
)

// sitemapElement reports an element of the sitemap protocol's own
// namespace (or of none), not an extension's: <image:loc> and <video:url>
// sit inside a <url> and must neither set nor close its entry.
func sitemapElement(n xml.Name) bool {
	return n.Space == "" || strings.Contains(n.Space, "sitemaps.org")
}

// pageInfo is what the crawler reads from an HTML page itself (the
// document text comes from content.Extract).
type pageInfo struct {
	Links     []string
	Feeds     []string
	PDFs      []string
	Canonical string
	IsArticle bool // marked up as one article
	IsListing bool // marked up as a list of teasers
}

// inspectHTML finds a page's links and whether it presents itself as an
// article (og:type article, JSON-LD *Article/Report, article:published_time)
// or as a listing (several <article> teasers, pagination).
func inspectHTML(decoded []byte, base *url.URL) (pageInfo, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(decoded))
	if err != nil {
		return pageInfo{}, fmt.Errorf("parse HTML: %w", err)
	}
	var p pageInfo
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(href); err == nil {
			base = b
		}
	}
	resolve := func(href string) string {
		href = strings.TrimSpace(href)
		if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") || strings.HasPrefix(strings.ToLower(href), "mailto:") {
			return ""
		}
		u, err := base.Parse(href)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return ""
		}
		return u.String()
	}
	seen := map[string]bool{}
	doc.Find("a[href], area[href], link[rel~=next][href], link[rel~=prev][href]").Each(func(_ int, s *goquery.Selection) {
		if rel, _ := s.Attr("rel"); strings.Contains(strings.ToLower(rel), "nofollow") && goquery.NodeName(s) == "a" {
			// nofollow is a hint about ranking, not crawling; comments and
			// ads use it, so their links are skipped.
			return
		}
		href, _ := s.Attr("href")
		if u := resolve(href); u != "" && !seen[u] {
			seen[u] = true
			if strings.HasSuffix(strings.ToLower(strings.SplitN(u, "?", 2)[0]), ".pdf") {
				p.PDFs = append(p.PDFs, u)
			} else {
				p.Links = append(p.Links, u)
			}
		}
	})
	doc.Find(`link[rel~=alternate][href]`).Each(func(_ int, s *goquery.Selection) {
		t, _ := s.Attr("type")
		if strings.Contains(t, "rss") || strings.Contains(t, "atom") {
			href, _ := s.Attr("href")
			if u := resolve(href); u != "" {
				p.Feeds = append(p.Feeds, u)
			}
		}
	})
	if href, ok := doc.Find(`link[rel~=canonical][href]`).First().Attr("href"); ok {
		p.Canonical = resolve(href)
	}
	og, _ := doc.Find(`meta[property="og:type"]`).First().Attr("content")
	_, hasPubTime := doc.Find(`meta[property="article:published_time"]`).First().Attr("content")
	ldArticle := false
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		if jsonLDIsArticle([]byte(s.Text())) {
			ldArticle = true
		}
	})
	teasers := doc.Find("article").Length()
	p.IsListing = teasers >= 3 || doc.Find(`[itemtype*="ItemList"]`).Length() > 0
	p.IsArticle = (strings.EqualFold(og, "article") || ldArticle || hasPubTime) && teasers < 3
	return p, nil
}

// jsonLDIsArticle reports JSON-LD describing a news article, report or
// press release (possibly inside @graph).
func jsonLDIsArticle(data []byte) bool {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return false
	}
	var walk func(any, int) bool
	walk = func(v any, depth int) bool {
		if depth > 4 {
			return false
		}
		switch t := v.(type) {
		case []any:
			for _, e := range t {
				if walk(e, depth+1) {
					return true
				}
			}
		case map[string]any:
			types := []any{t["@type"]}
			if list, ok := t["@type"].([]any); ok {
				types = list
			}
			for _, ty := range types {
				if s, ok := ty.(string); ok {
					switch s {
					case "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
						"Report", "ScholarlyArticle", "PressRelease", "OpinionNewsArticle", "BackgroundNewsArticle":
						return true
					}
				}
			}
			if g, ok := t["@graph"]; ok {
				return walk(g, depth+1)
			}
		}
		return false
	}
	return walk(v, 0)
}
