package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/mmcdole/gofeed"

	"github.com/compoundwatch/compoundwatch/alerts"
	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/web"
)

const apiToken = "test-token"

// alertService is a real alerts service on an embedded JetStream.
func alertService(t *testing.T) *alerts.Service {
	t.Helper()
	b, err := bus.Open(context.Background(), bus.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	st, err := alerts.OpenStore(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return &alerts.Service{Bus: b, Store: st, Validator: alerts.Validator{Gazetteer: testGazetteer(t)}}
}

func call(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func TestAlertsAPI(t *testing.T) {
	svc := alertService(t)
	srv := newServer(t, web.Options{APIToken: apiToken, Alerts: svc})
	for _, tc := range []struct {
		name, token, body string
		status            int
		param             string
	}{
		{"no token", "", `{"entities":["Huang Le"],"atom":true}`, http.StatusUnauthorized, ""},
		{"wrong token", "nope", `{"entities":["Huang Le"],"atom":true}`, http.StatusForbidden, ""},
		{"unknown entity", apiToken, `{"entities":["Nowhere Xyz"],"atom":true}`, http.StatusBadRequest, "entity"},
		{"bad webhook", apiToken, `{"entities":["Huang Le"],"webhook":"not a url","secret":"whsec_x"}`, http.StatusBadRequest, "webhook"},
		{"bad secret", apiToken, `{"entities":["Huang Le"],"webhook":"https://example.org/h","secret":"s3cret"}`, http.StatusBadRequest, "secret"},
		{"bad query", apiToken, `{"query":"(raid","atom":true}`, http.StatusBadRequest, "query"},
		{"unknown field", apiToken, `{"entity":["Huang Le"],"atom":true}`, http.StatusBadRequest, ""},
	} {
		status, body := call(t, "POST", srv.URL+"/api/alerts", tc.token, tc.body)
		if status != tc.status || tc.param != "" && body["param"] != tc.param {
			t.Errorf("%s: %d %v, want %d naming %q", tc.name, status, body, tc.status, tc.param)
		}
	}
	if subs, _ := svc.List(context.Background()); len(subs) != 0 {
		t.Fatalf("bad input stored %d subscriptions", len(subs))
	}
	status, body := call(t, "POST", srv.URL+"/api/alerts", apiToken, `{"entities":["黄乐"],"atom":true,"note":"port city"}`)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, body)
	}
	id, feed := body["id"].(string), body["feed"].(string)
	if status, body = call(t, "GET", srv.URL+"/api/alerts", apiToken, ""); status != 200 || len(body["subscriptions"].([]any)) != 1 {
		t.Errorf("list: %d %v", status, body)
	}
	if status, body = call(t, "GET", srv.URL+"/api/alerts/"+id, apiToken, ""); status != 200 || body["note"] != "port city" {
		t.Errorf("show: %d %v", status, body)
	}

	// The feed: the token opens it, nothing else does.

	now := time.Now().UTC()
	for i, title := range []string{"Older story", "Newer story"} {
		a := alerts.Alert{Schema: alerts.Schema, DeliveryKey: id + ":d" + string(rune('0'+i)) + ":1", SubscriptionID: id, Kind: alerts.KindNew,
			Created: now.Add(time.Duration(i) * time.Second), Document: alerts.DocRef{ID: "d", Title: title, URL: "https://news.example/" + title}}
		if err := alerts.Publish(context.Background(), svc.Bus, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []string{srv.URL + "/alerts/" + id + "/feed.atom", srv.URL + "/alerts/" + id + "/feed.atom?token=" + strings.Repeat("0", 32)} {
		if resp, err := http.Get(u); err != nil || resp.StatusCode != 404 {
			t.Errorf("%s without the right token: %v %v", u, resp.Status, err)
		}
	}
	resp, err := http.Get(srv.URL + feed)
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %v %v", resp, err)
	}
	raw, _ := io.ReadAll(resp.Body)
	f, err := gofeed.NewParser().Parse(bytes.NewReader(raw))
	if err != nil || len(f.Items) != 2 || f.Items[0].Title != "Newer story" || f.FeedLink != srv.URL+feed {
		t.Errorf("feed parsed as %+v (%v):\n%s", f, err, raw)
	}

	if status, _ = call(t, "DELETE", srv.URL+"/api/alerts/"+id, "", ""); status != http.StatusUnauthorized {
		t.Errorf("delete without token: %d", status)
	}
	if status, _ = call(t, "DELETE", srv.URL+"/api/alerts/"+id, apiToken, ""); status != http.StatusNoContent {
		t.Errorf("delete: %d", status)
	}
	if status, _ = call(t, "GET", srv.URL+"/api/alerts/"+id, apiToken, ""); status != http.StatusNotFound {
		t.Errorf("show after delete: %d", status)
	}
}

// The Follow button on an entity page and on a search makes an Atom
// subscription and shows a feed URL that works.
func TestBrowserFollow(t *testing.T) {
	ctx := browser(t)
	svc := alertService(t)
	srv := newServer(t, web.Options{APIToken: apiToken, Alerts: svc})
	var entityFeed, searchFeed, wrongToken string
	var csp []string
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/entity/huang-le-majestic-two"),
		chromedp.WaitVisible("#follow .follow-button", chromedp.ByQuery),
		chromedp.Evaluate(cspWatch, nil),
		chromedp.Click("#follow .follow-button", chromedp.ByQuery),
		chromedp.WaitVisible("#follow input[name=token]", chromedp.ByQuery),
		chromedp.SendKeys("#follow input[name=token]", "wrong", chromedp.ByQuery),
		chromedp.Click("#follow form button[type=submit]", chromedp.ByQuery),
		waitJS(`document.querySelector('#follow .follow-result').textContent.includes('wrong API token')`),
		chromedp.Text("#follow .follow-result", &wrongToken, chromedp.ByQuery),
		chromedp.SetValue("#follow input[name=token]", apiToken, chromedp.ByQuery),
		chromedp.Click("#follow form button[type=submit]", chromedp.ByQuery),
		waitJS(`document.querySelector('#follow a.feed-url') !== null`),
		chromedp.Evaluate(`document.querySelector('#follow a.feed-url').href`, &entityFeed),
		chromedp.Evaluate(`window.__csp`, &csp),
		chromedp.Navigate(srv.URL+"/?q=forced+labour&province=banteay-meanchey"),
		chromedp.WaitVisible("#follow .follow-button", chromedp.ByQuery),
		chromedp.Click("#follow .follow-button", chromedp.ByQuery),
		// The token typed on the entity page is remembered for the tab.
		waitJS(`document.querySelector('#follow input[name=token]').value === '`+apiToken+`'`),
		chromedp.Click("#follow form button[type=submit]", chromedp.ByQuery),
		waitJS(`document.querySelector('#follow a.feed-url') !== null`),
		chromedp.Evaluate(`document.querySelector('#follow a.feed-url').href`, &searchFeed),
	)
	if err != nil {
		t.Fatalf("follow: %v", err)
	}
	if len(csp) > 0 {
		t.Errorf("CSP violations: %q", csp)
	}
	subs, _ := svc.List(context.Background())
	if len(subs) != 2 {
		t.Fatalf("%d subscriptions, want 2", len(subs))
	}
	if e := subs[0].Entities; len(e) != 1 || e[0].ID != "huang-le-majestic-two" || !subs[0].Channels.Atom {
		t.Errorf("entity subscription %+v", subs[0])
	}
	if q := subs[1].Query; q == nil || q.Text != "forced labour" || len(q.Provinces) != 1 || q.Provinces[0] != "banteay-meanchey" {
		t.Errorf("search subscription %+v", subs[1])
	}
	for _, u := range []string{entityFeed, searchFeed} {
		resp, err := http.Get(u)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("feed %s: %v %v", u, resp, err)
			continue
		}
		if _, err := gofeed.NewParser().Parse(resp.Body); err != nil {
			t.Errorf("feed %s: %v", u, err)
		}
		resp.Body.Close()
	}
}
