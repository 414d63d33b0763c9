package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/timeline"
	"github.com/compoundwatch/compoundwatch/web"
)

// A report about another compound of the made-up gazetteer, written for
// this test, beside the timeline package's raid fixtures.
const copperGateDoc = `Title: Copper Gate casino closes its doors
Outlet: Border Post
Published: 2025-02-20
URL: https://news.example/copper-gate-closes

The Copper Gate casino in Bavet shut on February 18, 2025, after its licence lapsed, staff said.
`

// newTimelineServer serves the raid fixtures of package timeline, read
// and tagged as the pipeline would, with its made-up gazetteer.
func newTimelineServer(t *testing.T) (*httptest.Server, timeline.Timeline) {
	t.Helper()
	data, err := os.ReadFile("../timeline/testdata/gazetteer.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g, err := gazetteer.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "copper-gate.txt"), []byte(copperGateDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../timeline/testdata/raid/*.txt")
	files = append(files, filepath.Join(dir, "copper-gate.txt"))
	x := extractor.New(g)
	var docs []search.Doc
	for _, f := range files {
		raw, err := content.ReadFile(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		raw.Finalize()
		docs = append(docs, search.FromTagged(x.Extract(raw), nil))
	}
	ix, err := embedded.Open(filepath.Join(t.TempDir(), "index"), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if rej, err := ix.Upsert(t.Context(), docs); err != nil || len(rej) > 0 {
		t.Fatalf("index: %v %v", rej, err)
	}
	evs, err := ix.Events(t.Context(), search.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(ix, g, web.Options{Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(srv.Close)
	return srv, timeline.Build(evs, timeline.Options{})
}

func TestAPITimeline(t *testing.T) {
	srv, all := newTimelineServer(t)
	if len(all.Entries) != 3 {
		t.Fatalf("fixtures: %d entries, want 3 (raid, charge, closure)", len(all.Entries))
	}
	get := func(query string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/api/timeline?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	resp, body := get("entity=Silver+Lagoon&from=2025-03-01&to=2025-03-31")
	var tl timeline.Timeline
	if err := json.Unmarshal(body, &tl); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s: %v\n%s", resp.Status, err, body)
	}
	if len(tl.Entries) != 2 || tl.Title != "Timeline: Silver Lagoon, 2025-03-01 to 2025-03-31" {
		t.Errorf("entity filter: %d entries, title %q", len(tl.Entries), tl.Title)
	}
	for _, e := range tl.Entries {
		for _, en := range e.Entities {
			if en.ID == "silver-lagoon" && en.URL != "/entity/silver-lagoon" {
				t.Errorf("entity link %q", en.URL)
			}
		}
	}
	for _, tt := range []struct{ query, param string }{
		{"from=2025-04-01&to=2025-03-01", "from"},
		{"format=pdf", "format"},
		{"entity=Nowhere+Plaza", "entity"},
		{"to=yesterday", "to"},
	} {
		resp, body := get(tt.query)
		var e struct{ Error, Param string }
		json.Unmarshal(body, &e)
		if resp.StatusCode != 400 || e.Param != tt.param || e.Error == "" {
			t.Errorf("%s: %s %s", tt.query, resp.Status, body)
		}
	}
	resp, body = get("format=csv")
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.Contains(resp.Header.Get("Content-Disposition"), "timeline.csv") {
		t.Errorf("csv: %s, %s", ct, resp.Header.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Errorf("csv: %d rows, %v", len(rows), err)
	}
	resp, _ = get("format=ics")
	if resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Errorf("ics content type %q", resp.Header.Get("Content-Type"))
	}
}

func TestBrowserTimeline(t *testing.T) {
	ctx := browser(t)
	srv, _ := newTimelineServer(t)
	downloads := t.TempDir()

	var (
		before, after, visible int
		headings, csp          []string
		png                    []byte
	)
	err := chromedp.Run(ctx,
		cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(downloads).WithEventsEnabled(true),
		chromedp.Navigate(srv.URL+"/timeline"),
		chromedp.WaitVisible("#tl-entity", chromedp.ByID),
		chromedp.Evaluate(cspWatch, nil),
		chromedp.Evaluate(`document.querySelectorAll('.tl-entry').length`, &before),
		// Filter by an entity, by name.
		chromedp.SendKeys("#tl-entity", "Silver Lagoon", chromedp.ByID),
		chromedp.Click("#tl-apply", chromedp.ByID),
	)
	if err != nil {
		t.Fatalf("timeline page: %v", err)
	}
	// The form's submission loads a new page: poll across the navigation.
	var filtered bool
	for deadline := time.Now().Add(20 * time.Second); !filtered && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		_ = chromedp.Run(ctx, chromedp.Evaluate(`location.search.includes('entity=Silver+Lagoon') && document.readyState === 'complete' && !!document.querySelector('#tl-status')`, &filtered))
	}
	if !filtered {
		t.Fatal("the filtered page did not load")
	}
	err = chromedp.Run(ctx,
		chromedp.Evaluate(cspWatch, nil),
		chromedp.Evaluate(`document.querySelectorAll('.tl-entry').length`, &after),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('.tl-month h2')).map(e => e.textContent)`, &headings),
		// Expand the sources of the raid.
		chromedp.Click(`//li[contains(@class,'tl-entry')][.//h3[contains(., 'raided')]]//summary`, chromedp.BySearch),
		waitJS(`Array.from(document.querySelectorAll('.tl-entry details[open] .tl-source')).filter(e => e.offsetParent !== null).length > 0`),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('.tl-entry details[open] .tl-source')).filter(e => e.offsetParent !== null).length`, &visible),
		chromedp.FullScreenshot(&png, 100),
		// Download the CSV of what is shown.
		chromedp.Click(`a.tl-download[data-format="timeline.csv"]`, chromedp.ByQuery),
		chromedp.Evaluate(`window.__csp`, &csp),
	)
	if err != nil {
		t.Fatalf("timeline page: %v", err)
	}
	saveScreenshot(t, "timeline-screenshot.png", png)
	if before != 3 || after != 2 {
		t.Errorf("entries: %d unfiltered, %d for Silver Lagoon; want 3 and 2", before, after)
	}
	if len(headings) != 1 || headings[0] != "March 2025" {
		t.Errorf("month headings %q", headings)
	}
	if visible != 3 {
		t.Errorf("%d sources visible after expanding the raid, want 3", visible)
	}
	if len(csp) > 0 {
		t.Errorf("CSP violations: %q", csp)
	}
	var data []byte
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if data, err = os.ReadFile(filepath.Join(downloads, "timeline.csv")); err == nil && len(data) > 0 {
			break
		}
	}
	if err != nil {
		entries, _ := os.ReadDir(downloads)
		t.Fatalf("no downloaded timeline.csv (%v); the folder holds %v", err, entries)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][0] != "id" {
		t.Errorf("downloaded CSV: %d rows, %v\n%s", len(rows), err, data)
	}
}

// TestTimelineJSLoads loads the TimelineJS export of the shared corpus
// and the fixtures into the real TimelineJS library (npm
// @knight-lab/timelinejs 3.9; .ci/run installs it and sets
// CW_TIMELINEJS_DIR to its dist folder) in Chromium, and checks that it
// reports no error and holds every exported event.
func TestTimelineJSLoads(t *testing.T) {
	dist := os.Getenv("CW_TIMELINEJS_DIR")
	if dist == "" {
		home, _ := os.UserCacheDir()
		dist = filepath.Join(home, "compoundwatch", "npm", "node_modules", "@knight-lab", "timelinejs", "dist")
	}
	if _, err := os.Stat(filepath.Join(dist, "js", "timeline.js")); err != nil {
		msg := fmt.Sprintf("TimelineJS not installed (%v): npm install --prefix ~/.cache/compoundwatch/npm @knight-lab/timelinejs@3.9.11, or see .ci/run", err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ctx := browser(t)
	srv, tl := newTimelineServer(t)
	resp, err := http.Get(srv.URL + "/api/timeline?format=timelinejs")
	if err != nil {
		t.Fatal(err)
	}
	export, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var tljs timeline.TLJS
	if err := json.Unmarshal(export, &tljs); err != nil {
		t.Fatal(err)
	}
	// The year-month-day entries of a larger timeline too, with the same
	// merge, a month- and a year-precision entry, and a range of days
	// across a new year.
	more := tl
	more.Entries = append(more.Entries,
		timeline.Entry{ID: "tl-month", Date: "2024-05", Precision: document.Month, Headline: "A month <b>only</b>", Summary: "Known to the month & no more."},
		timeline.Entry{ID: "tl-year", Date: "2021", Precision: document.Year, Headline: "A year only", Summary: "Known to the year."},
		timeline.Entry{ID: "tl-days", Date: "2024-12-30", Until: "2025-01-02", Precision: document.Day, Headline: "Four days", Summary: "From one year into the next."},
		timeline.Entry{ID: "tl-months", Date: "2024-08", Until: "2024-09", Precision: document.Month, Headline: "Two months", Summary: "August and September."})
	tljs.Events = append(tljs.Events, timeline.ToTimelineJS(more).Events[len(tl.Entries):]...)
	data, err := json.Marshal(tljs)
	if err != nil {
		t.Fatal(err)
	}
	page := `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/dist/css/timeline.css">
<script>window.__errors = []; window.addEventListener('error', e => window.__errors.push(String(e.message)));
const ce = console.error; console.error = (...a) => { window.__errors.push(a.join(' ')); ce(...a); };</script>
<script src="/dist/js/timeline.js"></script></head><body><div id="tl" style="width: 900px; height: 600px"></div>
<script>window.__tl = new TL.Timeline('tl', ` + string(data) + `); window.__tl.on('loaded', () => { window.__loaded = true; });</script></body></html>`
	mux := http.NewServeMux()
	mux.Handle("/dist/", http.StripPrefix("/dist/", http.FileServer(http.Dir(dist))))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, page) })
	lib := httptest.NewServer(mux)
	defer lib.Close()

	var (
		n       int
		valid   bool
		errs    []string
		ids     []string
		libErrs string
		span    float64 // tl-days' end less its start, in days, as TimelineJS reads them
		months  []int   // tl-months' start and end, year and month, as TimelineJS reads them
	)
	err = chromedp.Run(ctx,
		chromedp.Navigate(lib.URL+"/"),
		waitJS(`window.__loaded === true || (window.__tl && window.__tl.config && !window.__tl.config.isValid())`),
		chromedp.Evaluate(`window.__tl.config.events.length`, &n),
		chromedp.Evaluate(`window.__tl.config.isValid()`, &valid),
		chromedp.Evaluate(`window.__tl.config.getErrors(' | ')`, &libErrs),
		chromedp.Evaluate(`window.__tl.config.events.map(e => e.unique_id)`, &ids),
		chromedp.Evaluate(`(() => { const e = window.__tl.config.events.find(e => e.unique_id === 'tl-days');
			return e && e.end_date ? (e.end_date.getTime() - e.start_date.getTime()) / 86400000 : -1; })()`, &span),
		chromedp.Evaluate(`(() => { const e = window.__tl.config.events.find(e => e.unique_id === 'tl-months');
			return e && e.end_date ? [e.start_date.data.year, e.start_date.data.month, e.end_date.data.year, e.end_date.data.month] : []; })()`, &months),
		chromedp.Evaluate(`window.__errors`, &errs),
	)
	if err != nil {
		t.Fatalf("TimelineJS page: %v", err)
	}
	if !valid || libErrs != "" || len(errs) > 0 {
		t.Errorf("TimelineJS reports errors: valid %v, %q, console %q", valid, libErrs, errs)
	}
	if span != 3 {
		t.Errorf("TimelineJS reads the range of days 2024-12-30 to 2025-01-02 as %v days past its start, want 3", span)
	}
	if !slices.Equal(months, []int{2024, 8, 2024, 9}) {
		t.Errorf("TimelineJS reads the range of months 2024-08 to 2024-09 as %v", months)
	}
	if n != len(tljs.Events) || n != len(tl.Entries)+4 {
		t.Errorf("TimelineJS holds %d events, exported %d", n, len(tljs.Events))
	}
	for i, e := range tljs.Events {
		if i < len(ids) && !slices.Contains(ids, e.UniqueID) {
			t.Errorf("unique_id %q renamed or lost by TimelineJS: %q", e.UniqueID, ids)
		}
	}
}
