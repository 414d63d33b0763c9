package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/query"
	"github.com/compoundwatch/compoundwatch/search"
)

// searchFacets are the facets the search page shows.
func searchFacets() []string {
	return []string{search.FacetCompounds, search.FacetTycoons, search.FacetProvinces, search.FacetOutlet, search.FacetYear}
}

// SearchResponse is the body of GET /api/search.
type SearchResponse struct {
	Query   string `json:"query"`
	Notice  string `json:"notice,omitempty"`
	Total   int    `json:"total"`
	Offset  int    `json:"offset"`
	Limit   int    `json:"limit"`
	TookMS  int64  `json:"took_ms"`
	Hits    []Hit  `json:"hits"`
	Filters Filter `json:"filters"`
	// Facets maps a facet (compounds, tycoons, provinces, outlet, year) to
	// its values, the most frequent first.
	Facets map[string][]FacetValue `json:"facets"`
}

// Filter echoes the filters applied, with display names.
type Filter struct {
	Compounds   []EntityRef `json:"compounds,omitempty"`
	Tycoons     []EntityRef `json:"tycoons,omitempty"`
	Provinces   []EntityRef `json:"provinces,omitempty"`
	Outlets     []string    `json:"outlets,omitempty"`
	From        string      `json:"from,omitempty"`
	To          string      `json:"to,omitempty"`
	Sort        string      `json:"sort,omitempty"`
	DuplicateOf string      `json:"duplicate_of,omitempty"`
}

// Hit is one search result as the page shows it.
type Hit struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url,omitempty"` // http(s) only
	// Source is where the document came from as given (a URL or a file
	// path): text to show, never a link.
	Source string `json:"source,omitempty"`
	Outlet string `json:"outlet,omitempty"`
	Date   string `json:"date,omitempty"`
	// Snippet is HTML: escaped text with <mark> around matches, and no
	// other markup.
	Snippet  string      `json:"snippet"`
	Entities []EntityRef `json:"entities"`
	// DuplicateOf is the URL of the earlier copy of this story.
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// Story is the URL identifying the story (DuplicateOf, else this
	// document's canonical URL); Copies searches every copy of it.
	Story  string `json:"story,omitempty"`
	Copies string `json:"copies,omitempty"`
	// CopyCount is, for an original, how many later copies of it are
	// indexed.
	CopyCount int `json:"copy_count,omitempty"`
}

// FacetValue is one value of a facet with its count.
type FacetValue struct {
	Value string `json:"value"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

func (s *server) apiSearch(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	p := query.Params{
		Text:        v.Get("q"),
		Compounds:   v["compound"],
		Tycoons:     v["tycoon"],
		Provinces:   v["province"],
		Outlets:     v["outlet"],
		From:        v.Get("from"),
		To:          v.Get("to"),
		Sort:        v.Get("sort"),
		DuplicateOf: v.Get("duplicate_of"),
	}
	for _, n := range []struct {
		name string
		dst  *int
	}{{"limit", &p.Limit}, {"offset", &p.Offset}} {
		if s := v.Get(n.name); s != "" {
			i, err := strconv.Atoi(s)
			if err != nil {
				writeJSON(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("%s %q: must be a whole number", n.name, clip(s, 20)), Param: n.name})
				return
			}
			*n.dst = i
		}
	}
	q, err := query.Parse(s.gaz, p)
	if err != nil {
		var qe *query.Error
		if errors.As(err, &qe) {
			writeJSON(w, http.StatusBadRequest, apiError{Error: qe.Error(), Param: qe.Param})
			return
		}
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	q.Facets = searchFacets()
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.Timeout)
	defer cancel()
	res, err := s.backend.Search(ctx, q)
	if err != nil {
		status, msg := backendStatus(err)
		s.log.WarnContext(ctx, "search", "q", q.Text, "status", status, "err", err)
		writeError(w, status, msg)
		return
	}
	out := SearchResponse{
		Query:  q.Text,
		Total:  res.Total,
		Offset: q.Offset,
		Limit:  q.Limit,
		TookMS: res.Took.Milliseconds(),
		Hits:   make([]Hit, 0, len(res.Hits)),
		Filters: Filter{
			Compounds:   s.refs(q.Compounds),
			Tycoons:     s.refs(q.Tycoons),
			Provinces:   s.refs(q.Provinces),
			Outlets:     q.Outlets,
			From:        dateString(q.From),
			To:          dateString(q.To),
			Sort:        q.Sort,
			DuplicateOf: strings.TrimSpace(p.DuplicateOf),
		},
		Facets: s.facets(res.Facets, q.Facets),
	}
	if _, cut := query.Text(p.Text); cut {
		out.Notice = fmt.Sprintf("Only the first %d words of the query were searched.", query.MaxWords)
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, s.hit(h))
	}
	s.countCopies(ctx, out.Hits)
	writeJSON(w, http.StatusOK, out)
}

// ShapeHit is how every interface shows a search hit: the page and API
// here, and the CLI when it reads the index itself.
func ShapeHit(g *gazetteer.Gazetteer, h search.Hit) Hit { return (&server{gaz: g}).hit(h) }

func (s *server) hit(h search.Hit) Hit {
	d := h.Doc
	out := Hit{
		ID:          d.ID,
		Title:       d.Title,
		URL:         safeURL(d.URL),
		Source:      d.URL,
		Outlet:      d.Outlet,
		Date:        d.PublishedDate,
		Snippet:     cleanSnippet(h.Snippet),
		DuplicateOf: safeURL(d.DuplicateOf),
		Entities:    []EntityRef{},
	}
	if out.Title == "" {
		out.Title = cmp.Or(d.CanonicalURL, d.URL, d.ID)
	}
	if out.Snippet == "" {
		out.Snippet = html.EscapeString(clip(d.Text, 240))
	}
	for _, ids := range [][]string{d.Compounds, d.Tycoons, d.Provinces} {
		out.Entities = append(out.Entities, s.namedRefs(ids, d.Labels)...)
	}
	out.Story = cmp.Or(d.DuplicateOf, d.CanonicalURL, d.URL)
	if out.Story != "" {
		out.Copies = "/?duplicate_of=" + url.QueryEscape(out.Story)
	}
	return out
}

// countCopies sets CopyCount on the originals among hits, a few queries
// at a time. A failed count only hides the link to the copies.
func (s *server) countCopies(ctx context.Context, hits []Hit) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range hits {
		h := &hits[i]
		if h.DuplicateOf != "" || h.Story == "" {
			continue
		}
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				return
			}
			res, err := s.backend.Search(ctx, search.Query{Filter: []string{"duplicate_of=" + h.Story}, Limit: 1})
			if err != nil {
				s.log.DebugContext(ctx, "count copies", "story", h.Story, "err", err)
				return
			}
			h.CopyCount = res.Total
		})
	}
	wg.Wait()
}

// facets turns backend facet counts into display values, the most
// frequent first.
func (s *server) facets(in map[string]map[string]int, names []string) map[string][]FacetValue {
	out := make(map[string][]FacetValue, len(names))
	for _, f := range names {
		vals := []FacetValue{}
		for v, n := range in[f] {
			if v == "" || n <= 0 {
				continue
			}
			name := v
			switch f {
			case search.FacetCompounds, search.FacetTycoons, search.FacetProvinces:
				name = s.entityName(v)
			}
			vals = append(vals, FacetValue{Value: v, Name: name, Count: n})
		}
		slices.SortFunc(vals, func(a, b FacetValue) int {
			if f == search.FacetYear {
				return cmp.Compare(b.Value, a.Value) // newest year first
			}
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)))
		})
		out[f] = vals
	}
	return out
}

// cleanSnippet guarantees that a snippet holds no markup but <mark>
// tags: it splits at the marks, normalises the escaping of the text
// between them (so raw "<script>" from a misbehaving backend becomes
// text) and balances the marks.
func cleanSnippet(s string) string {
	var b strings.Builder
	open := false
	for s != "" {
		i := strings.Index(s, "<mark>")
		j := strings.Index(s, "</mark>")
		var text, tag string
		switch {
		case i < 0 && j < 0:
			text, s = s, ""
		case j < 0 || (i >= 0 && i < j):
			text, tag, s = s[:i], "<mark>", s[i+len("<mark>"):]
		default:
			text, tag, s = s[:j], "</mark>", s[j+len("</mark>"):]
		}
		b.WriteString(html.EscapeString(html.UnescapeString(text)))
		switch {
		case tag == "<mark>" && !open:
			b.WriteString(tag)
			open = true
		case tag == "</mark>" && open:
			b.WriteString(tag)
			open = false
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return b.String()
}

// safeURL returns u when it is an absolute http(s) URL, else "": a
// crawled "javascript:" link must never become an href.
func safeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return p.String()
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
