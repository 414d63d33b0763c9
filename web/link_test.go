package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/web"
)

// TestDiscoveredShownByName: a discovered entity appears on a hit by its
// name as written, marked as discovered, never as its raw id.
func TestDiscoveredShownByName(t *testing.T) {
	ix, err := embedded.Open(t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	raw := document.Raw{Source: "https://news.example.org/family", Title: "A family of bosses", Published: "2024-02-01",
		Text: "The court named Bai Yingcang, a son of the family head, among the accused."}
	raw.Finalize()
	tg := document.Tagged{Raw: raw, Entities: []document.Entity{{Type: document.Tycoon, ID: "candidate:tycoon:bai-yingcang",
		Name: "Bai Yingcang", Kind: "person", Confidence: 0.5, Mentions: []document.Mention{{Text: "Bai Yingcang", Start: 16, End: 28}}}}}
	if rej, err := ix.Upsert(context.Background(), []search.Doc{search.FromTagged(tg, nil)}); err != nil || len(rej) > 0 {
		t.Fatal(rej, err)
	}
	srv := httptest.NewServer(web.New(ix, testGazetteer(t), web.Options{}))
	t.Cleanup(srv.Close)
	r := searchAPI(t, srv, url.Values{"q": {"family"}})
	if len(r.Hits) != 1 || len(r.Hits[0].Entities) != 1 {
		t.Fatalf("hits %+v", r.Hits)
	}
	e := r.Hits[0].Entities[0]
	if e.Name != "Bai Yingcang" || e.Label != web.LabelDiscovered || e.URL != "" {
		t.Errorf("entity %+v, want the name as written, discovered, no page", e)
	}
	resp, body := get(t, srv, "/static/app.js")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "e.label") {
		t.Errorf("the page does not show entity labels")
	}
}

func TestLinkAPI(t *testing.T) {
	const token = "link-token-for-tests"
	var got []gazetteer.Link
	var fail error
	link := func(_ context.Context, l gazetteer.Link) error {
		if fail != nil {
			return fail
		}
		got = append(got, l)
		return nil
	}
	disabled := newServer(t, web.Options{Link: link})
	if code, _ := postTo(t, disabled, "/api/entity/ly-kuong/links", "Bearer x", `{"name":"Kuong Lee"}`); code != http.StatusForbidden {
		t.Errorf("no token configured: %d", code)
	}
	srv := newServer(t, web.Options{APIToken: token, Link: link})
	for _, tc := range []struct {
		name, path, auth, body string
		code                   int
	}{
		{"no token", "/api/entity/ly-kuong/links", "", `{"name":"Kuong Lee"}`, http.StatusUnauthorized},
		{"wrong token", "/api/entity/ly-kuong/links", "Bearer nope", `{"name":"Kuong Lee"}`, http.StatusForbidden},
		{"unknown entity", "/api/entity/no-such-id/links", "Bearer " + token, `{"name":"Kuong Lee"}`, http.StatusNotFound},
		{"no name", "/api/entity/ly-kuong/links", "Bearer " + token, `{"name":"  "}`, http.StatusBadRequest},
		{"unknown field", "/api/entity/ly-kuong/links", "Bearer " + token, `{"name":"Kuong Lee","id":"x"}`, http.StatusBadRequest},
		{"ok", "/api/entity/ly-kuong/links", "Bearer " + token, `{"name":"Kuong  Lee"}`, http.StatusCreated},
	} {
		if code, body := postTo(t, srv, tc.path, tc.auth, tc.body); code != tc.code {
			t.Errorf("%s: %d %s, want %d", tc.name, code, body, tc.code)
		}
	}
	if len(got) != 1 || got[0].Name != "Kuong  Lee" || got[0].ID != "ly-kuong" || got[0].Type != document.Tycoon || got[0].By != "api" {
		t.Errorf("links recorded %+v", got)
	}
	fail = errors.New(`"Kuong Li" already names ly-kuong`)
	if code, body := postTo(t, srv, "/api/entity/ly-kuong/links", "Bearer "+token, `{"name":"Kuong Li"}`); code != http.StatusUnprocessableEntity || !strings.Contains(body, "already names") {
		t.Errorf("refused link: %d %s", code, body)
	}
	nolink := newServer(t, web.Options{APIToken: token})
	if code, _ := postTo(t, nolink, "/api/entity/ly-kuong/links", "Bearer "+token, `{"name":"Kuong Lee"}`); code != http.StatusServiceUnavailable {
		t.Errorf("no overlay: %d", code)
	}
}

func postTo(t *testing.T, srv *httptest.Server, path, auth, body string) (int, string) {
	t.Helper()
	return postPath(t, srv, path, auth, "application/json", body)
}

// TestBrowserLinkFromEntityPage: an editor links a name found in coverage
// from the entity's page, with the API token, in a real browser.
func TestBrowserLinkFromEntityPage(t *testing.T) {
	const token = "link-token-for-the-browser"
	var got []gazetteer.Link
	srv := newServer(t, web.Options{APIToken: token, Link: func(_ context.Context, l gazetteer.Link) error {
		got = append(got, l)
		return nil
	}})
	ctx := browser(t)
	var wrong, done string
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/entity/ly-kuong"),
		chromedp.WaitVisible("#link .link-button", chromedp.ByQuery),
		chromedp.Click("#link .link-button", chromedp.ByQuery),
		chromedp.WaitVisible("#link input[name=name]", chromedp.ByQuery),
		chromedp.SendKeys("#link input[name=name]", "Kuong Lee", chromedp.ByQuery),
		chromedp.SendKeys("#link input[name=token]", "wrong", chromedp.ByQuery),
		chromedp.Click("#link form button[type=submit]", chromedp.ByQuery),
		waitJS(`document.querySelector('#link .link-result').textContent.includes('token')`),
		chromedp.Text("#link .link-result", &wrong, chromedp.ByQuery),
		chromedp.SetValue("#link input[name=token]", token, chromedp.ByQuery),
		chromedp.Click("#link form button[type=submit]", chromedp.ByQuery),
		waitJS(`document.querySelector('#link .link-result').textContent.startsWith('Linked')`),
		chromedp.Text("#link .link-result", &done, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("link from the entity page: %v", err)
	}
	if len(got) != 1 || got[0].Name != "Kuong Lee" || got[0].ID != "ly-kuong" {
		t.Fatalf("links recorded %+v (page said %q, then %q)", got, wrong, done)
	}
	if !strings.Contains(done, "Kuong Lee") || !strings.Contains(done, "reindex") {
		t.Errorf("the page says %q", done)
	}
}
