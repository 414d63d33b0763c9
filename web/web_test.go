package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/metrics"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/web"
)

func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp, body
}

func searchAPI(t *testing.T, srv *httptest.Server, params url.Values) web.SearchResponse {
	t.Helper()
	resp, body := get(t, srv, "/api/search?"+params.Encode())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("search %v: %d %s", params, resp.StatusCode, body)
	}
	var r web.SearchResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("search %v: %v", params, err)
	}
	return r
}

func hitURLs(r web.SearchResponse) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.URL)
	}
	slices.Sort(out)
	return out
}

func facet(r web.SearchResponse, name, value string) (web.FacetValue, bool) {
	for _, v := range r.Facets[name] {
		if v.Value == value {
			return v, true
		}
	}
	return web.FacetValue{}, false
}

func TestSearchFacetsAndNames(t *testing.T) {
	srv := newServer(t, web.Options{})
	r := searchAPI(t, srv, url.Values{"q": {"Huang Le"}})
	if r.Total != 4 {
		t.Fatalf("total %d, want 4 (%v)", r.Total, hitURLs(r))
	}
	for _, tc := range []struct{ facet, value, name string }{
		{search.FacetCompounds, "huang-le-majestic-two", "Huang Le compound"},
		{search.FacetProvinces, "preah-sihanouk", "Preah Sihanouk"},
		{search.FacetProvinces, "svay-rieng", "Svay Rieng"},
		{search.FacetTycoons, "ly-kuong", "Ly Kuong"},
		{search.FacetOutlet, "Mekong Ledger", "Mekong Ledger"},
		{search.FacetYear, "2024", "2024"},
	} {
		v, ok := facet(r, tc.facet, tc.value)
		if !ok || v.Name != tc.name || v.Count < 1 {
			t.Errorf("facet %s/%s = %+v, %v; want name %q", tc.facet, tc.value, v, ok, tc.name)
		}
	}
	if v, _ := facet(r, search.FacetProvinces, "preah-sihanouk"); v.Count != 3 {
		t.Errorf("preah-sihanouk count %d, want 3", v.Count)
	}
	if got := r.Facets[search.FacetYear]; len(got) < 2 || got[0].Value < got[1].Value {
		t.Errorf("years should be newest first: %+v", got)
	}
	// Hits carry names, links and duplicate links.
	var dup *web.Hit
	for i, h := range r.Hits {
		if h.URL == urlRaidDup {
			dup = &r.Hits[i]
		}
		if h.Title == "" || h.Date == "" || h.Snippet == "" || len(h.Entities) == 0 {
			t.Errorf("hit lacks fields: %+v", h)
		}
	}
	if dup == nil {
		t.Fatal("duplicate copy not found")
	}
	if dup.DuplicateOf != urlRaid || dup.Story != urlRaid || dup.Copies != "/?duplicate_of="+url.QueryEscape(urlRaid) {
		t.Errorf("duplicate links: %+v", dup)
	}
	if i := slices.IndexFunc(dup.Entities, func(e web.EntityRef) bool { return e.ID == "huang-le-majestic-two" }); i < 0 ||
		dup.Entities[i].Name != "Huang Le compound" || dup.Entities[i].URL != "/entity/huang-le-majestic-two" {
		t.Errorf("entities: %+v", dup.Entities)
	}
	if !strings.Contains(dup.Snippet, "<mark>") {
		t.Errorf("snippet has no highlight: %q", dup.Snippet)
	}

	// The copies link finds the copy.
	c := searchAPI(t, srv, url.Values{"duplicate_of": {urlRaid}})
	if got := hitURLs(c); !slices.Equal(got, []string{urlRaidDup}) {
		t.Errorf("copies: %v", got)
	}
}

func TestSearchFiltersByNameOrID(t *testing.T) {
	srv := newServer(t, web.Options{})
	want := []string{urlRaid, urlLyKuong, urlRaidDup}
	slices.Sort(want)
	for _, province := range []string{"Preah Sihanouk", "preah-sihanouk", "Sihanoukville", "kampong som"} {
		r := searchAPI(t, srv, url.Values{"q": {"Huang Le"}, "province": {province}})
		if got := hitURLs(r); !slices.Equal(got, want) {
			t.Errorf("province=%s: %v, want %v", province, got, want)
		}
		if len(r.Filters.Provinces) != 1 || r.Filters.Provinces[0].ID != "preah-sihanouk" || r.Filters.Provinces[0].Name != "Preah Sihanouk" {
			t.Errorf("province=%s: filters %+v", province, r.Filters.Provinces)
		}
	}
	// An alias of the compound, a tycoon by name, an outlet, dates, sort.
	r := searchAPI(t, srv, url.Values{"compound": {"Majestic 2"}, "sort": {"date:asc"}})
	if r.Total != 4 || r.Hits[0].URL != urlLyKuong || r.Hits[3].URL != urlRaidDup {
		t.Errorf("compound=Majestic 2 sorted asc: %v", hitURLs(r))
	}
	r = searchAPI(t, srv, url.Values{"tycoon": {"Li Kuong"}, "outlet": {"Mekong Ledger"}})
	if got := hitURLs(r); !slices.Equal(got, []string{urlLyKuong, urlRaid}) {
		t.Errorf("tycoon+outlet: %v", got)
	}
	r = searchAPI(t, srv, url.Values{"from": {"2024-01-01"}, "to": {"2024-03-12"}, "sort": {"date"}})
	if len(r.Hits) != 2 || r.Hits[0].URL != urlRaid || r.Hits[1].URL != urlHostile {
		t.Errorf("date range: %v", hitURLs(r))
	}
	// Limits are capped, long queries cut politely.
	r = searchAPI(t, srv, url.Values{"limit": {"100000"}})
	if r.Limit != 100 || r.Total != len(fixtures()) {
		t.Errorf("limit %d total %d", r.Limit, r.Total)
	}
	r = searchAPI(t, srv, url.Values{"q": {"Huang Le compound raid workers one two three four five six seven eight"}})
	if r.Notice == "" || len(strings.Fields(r.Query)) != 10 {
		t.Errorf("long query: notice %q query %q", r.Notice, r.Query)
	}
	// A crawled javascript: link never becomes a URL.
	r = searchAPI(t, srv, url.Values{"province": {"Kampot"}})
	if len(r.Hits) != 1 || r.Hits[0].URL != "" || r.Hits[0].Story == "" {
		t.Errorf("javascript: link: %+v", r.Hits)
	}
}

func TestSearchBadParams(t *testing.T) {
	srv := newServer(t, web.Options{})
	for _, tc := range []struct{ query, param, mention string }{
		{"province=Atlantis", "province", "Atlantis"},
		{"compound=Preah+Sihanouk", "compound", "Preah Sihanouk"},
		{"tycoon=Nobody+Atall", "tycoon", "Nobody Atall"},
		{"from=2024-02-30", "from", "YYYY-MM-DD"},
		{"to=yesterday", "to", "YYYY-MM-DD"},
		{"from=2024-05-01&to=2024-01-01", "to", "before"},
		{"sort=popular", "sort", "popular"},
		{"limit=ten", "limit", "whole number"},
		{"offset=-3", "offset", "negative"},
		{"offset=99999", "offset", "below"},
	} {
		resp, body := get(t, srv, "/api/search?"+tc.query)
		var e struct{ Error, Param string }
		if err := json.Unmarshal(body, &e); err != nil {
			t.Errorf("%s: not JSON: %s", tc.query, body)
			continue
		}
		if resp.StatusCode != http.StatusBadRequest || e.Param != tc.param || !strings.Contains(e.Error, tc.mention) {
			t.Errorf("%s: %d %+v; want 400 on %s mentioning %q", tc.query, resp.StatusCode, e, tc.param, tc.mention)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: content type %q", tc.query, ct)
		}
	}
}

// onlyMarks reports whether s has no markup but <mark> and </mark>.
func onlyMarks(s string) bool {
	s = strings.ReplaceAll(s, "<mark>", "")
	s = strings.ReplaceAll(s, "</mark>", "")
	return !strings.ContainsAny(s, "<>")
}

func TestHostileTextStaysText(t *testing.T) {
	srv := newServer(t, web.Options{})
	r := searchAPI(t, srv, url.Values{"q": {"scraped markup"}})
	i := slices.IndexFunc(r.Hits, func(h web.Hit) bool { return h.URL == urlHostile })
	if i < 0 {
		t.Fatalf("hostile doc not found: %v", hitURLs(r))
	}
	h := r.Hits[i]
	if !onlyMarks(h.Snippet) {
		t.Errorf("snippet carries markup: %q", h.Snippet)
	}
	if !strings.Contains(h.Snippet, "&lt;script&gt;") && !strings.Contains(h.Snippet, "&lt;img") {
		t.Errorf("snippet should show the payload as escaped text: %q", h.Snippet)
	}
	// The title is plain text in JSON (the page sets it with textContent).
	if !strings.Contains(h.Title, scriptPayload) {
		t.Errorf("title changed: %q", h.Title)
	}

	resp, body := get(t, srv, "/entity/jin-bei-casino-hotel")
	page := string(body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("entity page: %d", resp.StatusCode)
	}
	for _, bad := range []string{scriptPayload, imgPayload, alertPayload, imgAlert, "<img", "onerror=\"window", "<script>"} {
		if strings.Contains(page, bad) {
			t.Errorf("entity page contains raw %q", bad)
		}
	}
	for _, want := range []string{"Jin Bei casino report &lt;script&gt;window.__pwned=1&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("entity page lacks escaped %q", want)
		}
	}
}

func TestEntityPages(t *testing.T) {
	srv := newServer(t, web.Options{})
	resp, body := get(t, srv, "/entity/huang-le-majestic-two")
	page := string(body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("entity page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		"<h1>Huang Le compound", "Majestic 2", // aliases
		`lang="zh"`, "黄乐", "unverified", // scripts, with their doubt
		`href="/entity/ly-kuong"`, `href="/entity/preah-sihanouk"`, // linked entities, province
		`<svg class="chart"`, "<title>2024-03: 2</title>", "<title>2023-01: 0</title>", // chart, gaps filled
		"Police enter the Huang Le compound before dawn", // latest coverage
		"about 700 people", "about 700 workers", // figures
		`href="/?compound=huang-le-majestic-two"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("entity page lacks %q", want)
		}
	}
	// Uncertain records say so.
	_, body = get(t, srv, "/entity/royal-paradise-sihanoukville")
	if !strings.Contains(string(body), "unconfirmed") {
		t.Error("uncertain record not marked")
	}
	// A province lists its compounds; a tycoon its compounds (reverse links too).
	_, body = get(t, srv, "/entity/preah-sihanouk")
	if !strings.Contains(string(body), `href="/entity/huang-le-majestic-two"`) {
		t.Error("province page does not list its compounds")
	}

	// JSON.
	resp, body = get(t, srv, "/api/entity/huang-le-majestic-two")
	var e web.Entity
	if err := json.Unmarshal(body, &e); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("api entity: %d %v %s", resp.StatusCode, err, body)
	}
	if e.Name != "Huang Le compound" || e.Type != document.Compound || e.Mentions.Total != 4 || len(e.Coverage) != 4 ||
		e.Province == nil || e.Province.ID != "preah-sihanouk" || !slices.Contains(e.Aliases, "Majestic 2") {
		t.Errorf("api entity: %+v", e)
	}
	if e.Coverage[0].URL != urlRaidDup {
		t.Errorf("coverage should be newest first: %s", e.Coverage[0].URL)
	}
	if n := len(e.Mentions.Months); n != 22 || e.Mentions.Months[0].Month != "2022-06" || e.Mentions.Months[n-1] != (web.MonthCount{Month: "2024-03", Count: 2}) {
		t.Errorf("months: %+v", e.Mentions.Months)
	}
	if len(e.Figures) != 1 || e.Figures[0].Value != 700 || e.Figures[0].URL != urlRaid {
		t.Errorf("figures: %+v", e.Figures)
	}
	if !slices.ContainsFunc(e.Linked, func(r web.EntityRef) bool { return r.ID == "ly-kuong" && r.Name == "Ly Kuong" }) {
		t.Errorf("linked: %+v", e.Linked)
	}
}

func TestNotFound(t *testing.T) {
	srv := newServer(t, web.Options{})
	for _, tc := range []struct{ path, ctype string }{
		{"/entity/no-such-thing", "text/html"},
		{"/api/entity/no-such-thing", "application/json"},
		{"/api/nothing-here", "application/json"},
		{"/static/missing.js", "text/plain"},
		{"/static/", "text/plain"},
		{"/nowhere", "text/plain"},
	} {
		resp, _ := get(t, srv, tc.path)
		if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) {
			t.Errorf("%s: %d %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	resp, err := srv.Client().Post(srv.URL+"/api/search", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /api/search: %d", resp.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv := newServer(t, web.Options{})
	for _, path := range []string{"/", "/static/app.js", "/static/style.css", "/api/search?q=x", "/entity/kampot", "/entity/nope", "/healthz"} {
		resp, body := get(t, srv, path)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
		// No inline scripts or styles in any page: everything is a file.
		if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			p := string(body)
			if strings.Count(p, "<script") != strings.Count(p, `<script src="/static/`) || strings.Contains(p, "<style") || strings.Contains(p, " style=") {
				t.Errorf("%s: inline script or style", path)
			}
		}
	}
	_, body := get(t, srv, "/")
	if !strings.Contains(string(body), `<script src="/static/app.js" defer></script>`) {
		t.Error("search page does not load app.js")
	}
}

// keyedBackend fails with an error that names the Meilisearch key, as a
// client library's error might.
type keyedBackend struct {
	search.Backend
	key string
}

func (b keyedBackend) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	if q.Text == "fail" {
		return nil, errors.New("meilisearch http://127.0.0.1:7700 with Authorization: Bearer " + b.key + ": 500")
	}
	return b.Backend.Search(ctx, q)
}

func (b keyedBackend) Count(ctx context.Context) (int, error) {
	return 0, errors.New("meilisearch unreachable, key " + b.key)
}

func TestMeiliKeyNeverReachesTheBrowser(t *testing.T) {
	const key = "MASTER-KEY-9f8e7d6c5b4a"
	t.Setenv("MEILI_API_KEY", key)
	t.Setenv("MEILI_MASTER_KEY", key)
	srv := httptest.NewServer(web.New(keyedBackend{newBackend(t), key}, testGazetteer(t), web.Options{Logger: slog.New(slog.DiscardHandler)}))
	defer srv.Close()

	paths := []string{
		"/", "/?q=Huang+Le", "/healthz",
		"/api/search", "/api/search?q=Huang+Le", "/api/search?q=fail", "/api/search?province=Atlantis",
		"/entity/huang-le-majestic-two", "/api/entity/huang-le-majestic-two", "/entity/preah-sihanouk", "/entity/nope",
	}
	// Every embedded asset.
	err := fs.WalkDir(web.Assets(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, "/static/"+p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(paths, "/static/app.js") {
		t.Errorf("assets not listed: %v", paths)
	}
	for _, p := range paths {
		resp, body := get(t, srv, p)
		if strings.Contains(string(body), key) {
			t.Errorf("%s (%d) contains the Meilisearch key", p, resp.StatusCode)
		}
		for k, vs := range resp.Header {
			for _, v := range vs {
				if strings.Contains(v, key) {
					t.Errorf("%s: header %s contains the key", p, k)
				}
			}
		}
	}
	resp, _ := get(t, srv, "/api/search?q=fail")
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("backend failure: %d", resp.StatusCode)
	}
	resp, _ = get(t, srv, "/healthz")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz with a failing backend: %d", resp.StatusCode)
	}
}

func TestHealthz(t *testing.T) {
	srv := newServer(t, web.Options{})
	resp, body := get(t, srv, "/healthz")
	var h struct {
		Status    string
		Documents int
	}
	if err := json.Unmarshal(body, &h); err != nil || resp.StatusCode != http.StatusOK || h.Status != "ok" || h.Documents != len(fixtures()) {
		t.Errorf("healthz: %d %s", resp.StatusCode, body)
	}
}

type publisher struct {
	mu   sync.Mutex
	docs []document.Raw
	err  error
}

func (p *publisher) publish(_ context.Context, raw document.Raw) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	p.docs = append(p.docs, raw)
	return nil
}

func post(t *testing.T, srv *httptest.Server, auth, ctype, body string) (int, string) {
	t.Helper()
	return postPath(t, srv, "/api/documents", auth, ctype, body)
}

// postPath posts body to path with the given Authorization and
// Content-Type (either may be empty) and returns the status and body.
func postPath(t *testing.T, srv *httptest.Server, path, auth, ctype, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestSubmitDocument(t *testing.T) {
	const token = "s3cret-token-for-tests"
	good := `{"url":"https://news.example.org/a-new-story","title":"A new story","published":"2024-05-01","text":"Workers left the Huang Le compound.","outlet":"Example News"}`

	disabled := newServer(t, web.Options{Publish: (&publisher{}).publish})
	if code, body := post(t, disabled, "Bearer anything", "application/json", good); code != http.StatusForbidden || !strings.Contains(body, "disabled") {
		t.Errorf("no token configured: %d %s", code, body)
	}

	pub := &publisher{}
	srv := newServer(t, web.Options{APIToken: token, Publish: pub.publish, MaxBodyBytes: 4096})
	for _, tc := range []struct {
		name, auth, ctype, body string
		code                    int
	}{
		{"no token", "", "application/json", good, http.StatusUnauthorized},
		{"basic auth", "Basic dXNlcjpwYXNz", "application/json", good, http.StatusUnauthorized},
		{"wrong token", "Bearer wrong", "application/json", good, http.StatusForbidden},
		{"token prefix", "Bearer " + token[:5], "application/json", good, http.StatusForbidden},
		{"token plus", "Bearer " + token + "x", "application/json", good, http.StatusForbidden},
		{"form", "Bearer " + token, "application/x-www-form-urlencoded", "url=x", http.StatusUnsupportedMediaType},
		{"bad json", "Bearer " + token, "application/json", `{"url":`, http.StatusBadRequest},
		{"unknown field", "Bearer " + token, "application/json", `{"url":"https://a.example/x","text":"t","admin":true}`, http.StatusBadRequest},
		{"no text", "Bearer " + token, "application/json", `{"url":"https://a.example/x"}`, http.StatusBadRequest},
		{"no url", "Bearer " + token, "application/json", `{"text":"t"}`, http.StatusBadRequest},
		{"javascript url", "Bearer " + token, "application/json", `{"url":"javascript:alert(1)","text":"t"}`, http.StatusBadRequest},
		{"bad date", "Bearer " + token, "application/json", `{"url":"https://a.example/x","text":"t","published":"May 1"}`, http.StatusBadRequest},
		{"too large", "Bearer " + token, "application/json", `{"url":"https://a.example/x","text":"` + strings.Repeat("a", 5000) + `"}`, http.StatusRequestEntityTooLarge},
		{"two values", "Bearer " + token, "application/json", good + good, http.StatusBadRequest},
		{"ok", "Bearer " + token, "application/json", good, http.StatusAccepted},
		{"ok source", "bearer " + token, "", `{"source":"leaked-memo.pdf","title":"Memo","text":"Some text."}`, http.StatusAccepted},
	} {
		code, body := post(t, srv, tc.auth, tc.ctype, tc.body)
		if code != tc.code {
			t.Errorf("%s: %d %s, want %d", tc.name, code, body, tc.code)
		}
		if !strings.HasPrefix(strings.TrimSpace(body), "{") {
			t.Errorf("%s: body is not JSON: %s", tc.name, body)
		}
	}
	if len(pub.docs) != 2 {
		t.Fatalf("published %d documents, want 2", len(pub.docs))
	}
	d := pub.docs[0]
	if d.Schema != document.RawSchema || d.ID != document.IDFor("https://news.example.org/a-new-story") ||
		d.Source != "https://news.example.org/a-new-story" || d.Title != "A new story" || d.Published != "2024-05-01" ||
		d.Outlet != "Example News" || d.ContentHash != document.ContentHash(d.Title, d.Published, d.Text) || d.FetchedAt.IsZero() {
		t.Errorf("published %+v", d)
	}

	// A pipeline failure is reported, not swallowed.
	pub.err = errors.New("nats: no responders")
	if code, body := post(t, srv, "Bearer "+token, "application/json", good); code != http.StatusServiceUnavailable || strings.Contains(body, "nats") {
		t.Errorf("publish failure: %d %s", code, body)
	}
	// No publisher wired.
	nopub := newServer(t, web.Options{APIToken: token})
	if code, _ := post(t, nopub, "Bearer "+token, "application/json", good); code != http.StatusServiceUnavailable {
		t.Errorf("no publisher: %d", code)
	}
}

func TestServeShutsDownOnCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	h := web.New(newBackend(t), testGazetteer(t), web.Options{Logger: slog.New(slog.DiscardHandler)})
	go func() { done <- web.ServeListener(ctx, ln, h, slog.New(slog.DiscardHandler)) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestOpsOnTheWebServer: with Ops set, the site also answers /metrics and
// /readyz, so the web server itself can be scraped and probed.
func TestOpsOnTheWebServer(t *testing.T) {
	var checks metrics.Checks
	checks.Add("index", func(context.Context) error { return errors.New("not open yet") })
	srv := newServer(t, web.Options{Ops: metrics.Handler(metrics.New(), &checks)})
	resp, body := get(t, srv, "/metrics")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "# TYPE ") {
		t.Errorf("/metrics: %d %.200s", resp.StatusCode, body)
	}
	resp, body = get(t, srv, "/readyz")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "index: not open yet") {
		t.Errorf("/readyz: %d %s", resp.StatusCode, body)
	}
	if resp, _ := get(t, newServer(t, web.Options{}), "/metrics"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics without Ops: %d", resp.StatusCode)
	}
}
