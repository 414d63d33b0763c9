package content

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/markusmobius/go-htmldate"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"github.com/compoundwatch/compoundwatch/document"
)

// DecodeHTML converts an HTML body to UTF-8, using the charset of the
// Content-Type header, a byte-order mark or a <meta> declaration, in the
// order the HTML standard gives them.
func DecodeHTML(body []byte, contentType string) ([]byte, string, error) {
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" {
		body = bytes.TrimPrefix(body, []byte("\ufeff"))
		return body, name, nil
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, name, fmt.Errorf("%w: decode %s: %v", ErrBinary, name, err)
	}
	return out, name, nil
}

func extractHTML(body []byte, contentType, sourceURL string) (Extracted, error) {
	if bytes.Count(body[:min(len(body), 4096)], []byte{0}) > 0 {
		// UTF-16 pages carry NULs; anything else with them is binary.
		if _, name, _ := charset.DetermineEncoding(body, contentType); !strings.HasPrefix(name, "utf-16") {
			return Extracted{}, fmt.Errorf("%w: NUL bytes in HTML", ErrBinary)
		}
	}
	decoded, _, err := DecodeHTML(body, contentType)
	if err != nil {
		return Extracted{}, err
	}
	if !utf8.Valid(decoded) {
		decoded = bytes.ToValidUTF8(decoded, []byte("\uFFFD"))
	}
	doc, err := html.Parse(bytes.NewReader(decoded))
	if err != nil {
		return Extracted{}, fmt.Errorf("parse HTML: %w", err)
	}
	base, _ := url.Parse(sourceURL)
	if base != nil && !base.IsAbs() {
		base = nil
	}
	if b := baseHref(doc); b != "" && base != nil {
		if u, err := base.Parse(b); err == nil {
			base = u
		}
	}

	x := Extracted{ContentType: TypeHTML}
	x.CanonicalURL = canonicalLink(doc, base)
	x.Links = links(doc, base)

	opts := trafilatura.Options{
		EnableFallback:  true,
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Disabled, // dates are done below, in our order of trust
		Deduplicate:     false,
		MaxTreeSize:     0,
		// trafilatura's classifier reads the whole text, a third of the
		// crawler's CPU; ours reads a sample (detectLanguage).
		SkipLanguageDetection: true,
	}
	if base != nil {
		opts.OriginalURL = base
	}
	// trafilatura and its fallbacks join blocks that no white space
	// separates in the source and trim the spaces at inline elements'
	// edges ("the raid</div><div>Police", "<b>Police</b> raided"): mark
	// both on a copy before, and turn the marks back into separators after.
	marked := clone(doc)
	markBoundaries(marked)
	res, err := trafilatura.ExtractDocument(marked, opts)
	if err != nil {
		return Extracted{}, fmt.Errorf("%w: %v", ErrEmpty, err)
	}
	x.Text = renderText(res.ContentNode)
	if strings.TrimSpace(x.Text) == "" {
		x.Text = unmark(res.ContentText)
	}
	x.Text = cleanText(x.Text)
	x.Title = strings.TrimSpace(unmark(res.Metadata.Title))
	if strings.TrimSpace(x.Text) == "" || sameWords(x.Text, x.Title) || sameWords(x.Text, docTitle(doc)) {
		// The fallback extractors echo the <title> of a page without text.
		return Extracted{}, ErrEmpty
	}
	x.Byline = strings.TrimSpace(unmark(res.Metadata.Author))
	x.Outlet = strings.TrimSpace(unmark(res.Metadata.Sitename))
	// The text's language before the page's declaration, which templates
	// often set once for a whole site.
	if x.Language = detectLanguage(x.Text); x.Language == "" {
		x.Language = normLang(htmlLang(doc))
	}
	if x.CanonicalURL == "" && res.Metadata.URL != "" && base != nil {
		if u, err := base.Parse(res.Metadata.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			x.CanonicalURL = u.String()
		}
	}
	dateURL := sourceURL
	if x.CanonicalURL != "" {
		dateURL = x.CanonicalURL
	}
	x.Published = pageDate(doc, dateURL)
	return x, nil
}

// pageDate finds the publication date, trusting in order: <meta> and
// JSON-LD metadata, then <time> and dated elements, then the URL, then
// the page text.
func pageDate(doc *html.Node, pageURL string) string {
	format := func(r htmldate.Result, err error) string {
		if err != nil || r.IsZero() {
			return ""
		}
		return r.DateTime.Format(time.DateOnly)
	}
	// 1. Metadata, JSON-LD and <time>: htmldate on the head, the JSON-LD
	// scripts and the <time>/<abbr> elements only, without URL or text.
	if d := format(htmldate.FromDocument(markupOnly(doc), htmldate.Options{
		UseOriginalDate: true, SkipExtensiveSearch: true,
	})); d != "" {
		return d
	}
	// 2. The URL (/2024/03/05/…).
	if pageURL != "" {
		empty, _ := html.Parse(strings.NewReader("<html><head></head><body></body></html>"))
		if d := format(htmldate.FromDocument(empty, htmldate.Options{
			UseOriginalDate: true, SkipExtensiveSearch: true, URL: pageURL,
		})); d != "" {
			return d
		}
	}
	// 3. The text, extensively, but only a date the text writes out to the
	// day ("Posted on 14 January 2021"): a year or a month in running text
	// ("operating since 2002") is no publication date, and a page without
	// a trustworthy date stays undated rather than showing a guess.
	d := format(htmldate.FromDocument(doc, htmldate.Options{UseOriginalDate: true}))
	if d == "" {
		return ""
	}
	t, err := time.Parse(time.DateOnly, d)
	if err != nil || !writesDay(visibleText(doc), t) {
		return ""
	}
	return d
}

// writesDay reports whether text writes t with its day: "14 January 2021",
// "January 14, 2021", "14th Jan 2021", "2021-01-14", "14/01/2021"…
func writesDay(text string, t time.Time) bool {
	text = document.CollapseSpace(text)
	day := strconv.Itoa(t.Day())
	ord := day + ordinalSuffix(t.Day())
	year := strconv.Itoa(t.Year())
	var forms []string
	for _, m := range []string{t.Month().String(), t.Month().String()[:3], t.Month().String()[:3] + "."} {
		for _, d := range []string{day, ord, fmt.Sprintf("%02d", t.Day())} {
			forms = append(forms, d+" "+m+" "+year, d+" "+m+", "+year, m+" "+d+", "+year, m+" "+d+" "+year)
		}
	}
	forms = append(forms, t.Format("2006-01-02"), t.Format("02/01/2006"), t.Format("01/02/2006"), t.Format("2/1/2006"),
		t.Format("1/2/2006"), t.Format("02.01.2006"), t.Format("2006/01/02"))
	lower := strings.ToLower(text)
	for _, f := range forms {
		if strings.Contains(lower, strings.ToLower(f)) {
			return true
		}
	}
	return false
}

func ordinalSuffix(d int) string {
	switch {
	case d%100 >= 11 && d%100 <= 13:
		return "th"
	case d%10 == 1:
		return "st"
	case d%10 == 2:
		return "nd"
	case d%10 == 3:
		return "rd"
	}
	return "th"
}

// visibleText is the text of doc's body, without scripts and styles.
func visibleText(doc *html.Node) string {
	var b strings.Builder
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode {
			switch strings.ToLower(n.Data) {
			case "script", "style", "noscript", "template", "head":
				return false
			}
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		return true
	})
	return b.String()
}

// markupOnly returns a document holding doc's <head> plus its JSON-LD
// scripts and <time>/<abbr> elements, so that htmldate cannot take a date
// from free text at this stage.
func markupOnly(doc *html.Node) *html.Node {
	out, _ := html.Parse(strings.NewReader("<html><head></head><body></body></html>"))
	var head, body *html.Node
	walk(out, func(n *html.Node) bool {
		switch n.DataAtom {
		case atom.Head:
			head = n
		case atom.Body:
			body = n
		}
		return true
	})
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Head:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				head.AppendChild(clone(c))
			}
			return false
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
				body.AppendChild(clone(n))
			}
			return false
		case atom.Time, atom.Abbr:
			body.AppendChild(clone(n))
			return false
		case atom.Meta:
			body.AppendChild(clone(n))
		}
		return true
	})
	return out
}

func clone(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace,
		Attr: append([]html.Attribute(nil), n.Attr...)}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c.AppendChild(clone(k))
	}
	return c
}

// walk visits n and its descendants depth first; f returns false to skip
// a node's children.
func walk(n *html.Node, f func(*html.Node) bool) {
	if !f(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

func baseHref(doc *html.Node) string {
	var href string
	walk(doc, func(n *html.Node) bool {
		if href == "" && n.DataAtom == atom.Base {
			href = attr(n, "href")
		}
		return href == ""
	})
	return href
}

func docTitle(doc *html.Node) string {
	var t string
	walk(doc, func(n *html.Node) bool {
		if n.DataAtom == atom.Title && n.FirstChild != nil && t == "" {
			t = n.FirstChild.Data
		}
		return n.DataAtom != atom.Body
	})
	return t
}

func htmlLang(doc *html.Node) string {
	var lang string
	walk(doc, func(n *html.Node) bool {
		if n.DataAtom == atom.Html {
			lang = attr(n, "lang")
			return false
		}
		return true
	})
	return lang
}

func normLang(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	if len(l) != 2 {
		return ""
	}
	return l
}

// canonicalLink returns the absolute <link rel=canonical> href, or the
// og:url, or "".
func canonicalLink(doc *html.Node, base *url.URL) string {
	var canon, og string
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Link:
			if canon == "" && hasToken(attr(n, "rel"), "canonical") {
				canon = attr(n, "href")
			}
		case atom.Meta:
			if og == "" && strings.EqualFold(attr(n, "property"), "og:url") {
				og = attr(n, "content")
			}
		case atom.Body:
			return false
		}
		return true
	})
	for _, c := range []string{canon, og} {
		if c == "" {
			continue
		}
		u, err := url.Parse(c)
		if err != nil {
			continue
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
		if u.IsAbs() && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			u.Fragment = ""
			return u.String()
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for f := range strings.FieldsSeq(strings.ToLower(list)) {
		if f == tok {
			return true
		}
	}
	return false
}

// links returns the page's absolute http(s) links (a, area, and link
// rel=alternate/next), in order, without duplicates or fragments.
func links(doc *html.Node, base *url.URL) []string {
	seen := map[string]bool{}
	var out []string
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		var href string
		switch n.DataAtom {
		case atom.A, atom.Area:
			href = attr(n, "href")
		case atom.Link:
			rel := attr(n, "rel")
			if hasToken(rel, "alternate") || hasToken(rel, "next") {
				href = attr(n, "href")
			}
		}
		if href == "" || strings.HasPrefix(href, "#") {
			return true
		}
		u, err := url.Parse(href)
		if err != nil {
			return true
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
		if !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return true
		}
		u.Fragment = ""
		s := u.String()
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
		return true
	})
	return out
}

// cleanText trims lines and squeezes runs of blank lines.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	// Most texts read from files are clean but for the line breaks at
	// their ends: a copy of them would be the same string again.
	if t := strings.Trim(s, "\n"); isClean(t) {
		return t
	}
	return squeeze(s)
}

// lineSpace is the white space cleanText trims from the ends of lines.
const lineSpace = " \t\u00a0"

// squeeze is cleanText on a text without carriage returns.
func squeeze(s string) string {
	var b strings.Builder
	b.Grow(len(s)) // never longer than s: only trims and squeezes
	blank := 0
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.Trim(line, lineSpace)
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			if blank > 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		blank = 0
		b.WriteString(line)
	}
	return b.String()
}

// isClean reports whether cleanText leaves s as it is: no line with
// white space at either end (or of white space only), and no empty line
// first, last or after another.
func isClean(s string) bool {
	if s == "" {
		return true
	}
	blank := true // an empty first line is dropped
	for line := range strings.SplitSeq(s, "\n") {
		if line == "" {
			if blank {
				return false
			}
			blank = true
			continue
		}
		first, _ := utf8.DecodeRuneInString(line)
		last, _ := utf8.DecodeLastRuneInString(line)
		if strings.ContainsRune(lineSpace, first) || strings.ContainsRune(lineSpace, last) {
			return false
		}
		blank = false
	}
	return !blank
}

// renderText turns extracted content into text with one paragraph,
// heading, list item or table row per line (cells separated by a space),
// since trafilatura's own ContentText runs paragraphs together.
func renderText(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			// Keep the spaces at the edges ("a <b>b</b> c"); lines are
			// collapsed at the end.
			b.WriteString(n.Data)
			return
		case html.ElementNode:
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				rec(c)
			}
			return
		}
		tag := strings.ToLower(n.Data)
		switch tag {
		case "script", "style", "noscript", "template":
			return
		case "br", "hr", "lb":
			b.WriteByte('\n')
			return
		case "td", "th", "cell":
			b.WriteByte(' ')
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				rec(c)
			}
			b.WriteByte(' ')
			return
		}
		block := !inlineTag(tag)
		if block {
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
		if block {
			b.WriteByte('\n')
		}
	}
	rec(n)
	lines := strings.Split(unmark(b.String()), "\n")
	for i, l := range lines {
		lines[i] = document.CollapseSpace(l)
	}
	return strings.Join(lines, "\n")
}

// Marks put into the text before main-text extraction (markBoundaries).
const (
	markSpace = "\uE000" // a space at an inline element's edge
	markBlock = "\uE001" // the edge of a block element
)

// markBoundaries puts markBlock before and after every block element
// and markSpace in front of the white space at the edges of inline
// elements, so that neither survives extraction as glue. Scripts, styles
// and the head are left alone.
func markBoundaries(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.ElementNode:
			tag := strings.ToLower(c.Data)
			switch tag {
			case "head", "title", "script", "style", "noscript", "template", "textarea":
				c = next
				continue
			}
			if !inlineTag(tag) && tag != "html" && tag != "body" {
				n.InsertBefore(&html.Node{Type: html.TextNode, Data: markBlock}, c)
				n.InsertBefore(&html.Node{Type: html.TextNode, Data: markBlock}, next)
			}
			markBoundaries(c)
		case html.TextNode:
			if d := c.Data; d != "" {
				if isSpaceByte(d[0]) && c.PrevSibling != nil && c.PrevSibling.Type == html.ElementNode {
					c.Data = markSpace + d
				}
				if isSpaceByte(d[len(d)-1]) && next != nil && next.Type == html.ElementNode {
					c.Data += markSpace
				}
			}
		}
		c = next
	}
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// unmark turns the marks of markBoundaries back into separators.
func unmark(s string) string {
	if !strings.Contains(s, markSpace) && !strings.Contains(s, markBlock) {
		return s
	}
	return strings.NewReplacer(markSpace+" ", " ", " "+markSpace, " ", markSpace, " ", markBlock, "\n").Replace(s)
}

func inlineTag(tag string) bool {
	switch tag {
	case "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img",
		"ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
		"time", "u", "var", "wbr", "hi", "ref":
		return true
	}
	return false
}
