package crawler

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

func testOptions(t testing.TB) Options {
	return Options{
		NoDelay:       true,
		Timeout:       time.Second,
		MaxBodySize:   2 << 20,
		RetryBackoff:  50 * time.Millisecond,
		Retries:       2,
		Depth:         8,
		MaxPerPattern: 6,
		Progress:      time.Second,
		PDFOptions:    content.PDFOptions{CacheDir: filepath.Join(os.TempDir(), "compoundwatch-test-pdfium")},
	}
}

func openBus(t testing.TB, dir string) *bus.Bus {
	t.Helper()
	b, err := bus.Open(context.Background(), bus.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newCrawler(t testing.TB, b *bus.Bus, opts Options, logs *repotest.SyncBuffer) *Crawler {
	t.Helper()
	var log *slog.Logger
	if logs != nil {
		log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	c, err := New(b, opts, log)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func readJSONL(t *testing.T, data []byte) map[string]jsonLine {
	out := map[string]jsonLine{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var l jsonLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("bad JSONL line %q: %v", sc.Text(), err)
		}
		out[l.URL] = l
	}
	return out
}

func TestOnceFixtureSite(t *testing.T) {
	f := newFixture(t)
	b := openBus(t, t.TempDir())
	defer b.Close()
	logs := &repotest.SyncBuffer{}
	opts := testOptions(t)
	var (
		fetchMu sync.Mutex
		fetched = map[string]int{} // host and status, as metrics see them
	)
	opts.Fetched = func(host string, status int) {
		fetchMu.Lock()
		fetched[fmt.Sprintf("%s %d", host, status)]++
		fetchMu.Unlock()
	}
	c := newCrawler(t, b, opts, logs)
	defer c.Close()

	var out bytes.Buffer
	start := []string{f.URL + "/", f.URL + "/sitemap_index.xml"}
	sum, err := c.Once(t.Context(), start, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("run 1: %s", sum)
	fetchMu.Lock()
	if got := fetched[hostOf(f.URL)+" 200"]; got != sum.Fetched {
		t.Errorf("fetch hook saw %d answers 200, the crawl handled %d (%v)", got, sum.Fetched, fetched)
	}
	fetchMu.Unlock()
	log := logs.String()
	if testing.Verbose() {
		t.Log(log)
	}
	docs := readJSONL(t, out.Bytes())
	u := func(p string) string { return f.URL + p }

	// Every article, the feed-only and sitemap-only ones included.
	for _, a := range articles {
		if _, ok := docs[u(a.Path)]; !ok {
			t.Errorf("article %s not crawled", a.Path)
		}
	}
	// Extraction quality on a real article.
	bavet := docs[u(articles[0].Path)]
	for _, want := range []string{"escorted 214 foreign workers", "took their passports on arrival", "without any visible response"} {
		if !strings.Contains(bavet.Text, want) {
			t.Errorf("Bavet text lacks %q:\n%s", want, bavet.Text)
		}
	}
	for _, bad := range []string{"Subscribe to our newsletter", "Ratanak88", "crypto signals", "Boat racing", "All rights reserved", "luxury condos", "Members area"} {
		if strings.Contains(bavet.Text, bad) {
			t.Errorf("Bavet text has boilerplate %q", bad)
		}
	}
	if bavet.Title != articles[0].Title || bavet.Published == nil || *bavet.Published != "2024-03-05" || bavet.DuplicateOf != "" {
		t.Errorf("Bavet: title %q published %v dup %q", bavet.Title, bavet.Published, bavet.DuplicateOf)
	}
	// Dates from JSON-LD, not dateModified nor the URL alone.
	for _, a := range articles {
		d, ok := docs[u(a.Path)]
		if ok && (d.Published == nil || *d.Published != a.Date[:10]) {
			t.Errorf("%s: published %v, want %s", a.Path, d.Published, a.Date[:10])
		}
	}
	// The PDF fact sheet, found through the gzipped sitemap and links, rows intact.
	pdf, ok := docs[u("/docs/factsheet-provinces.pdf")]
	if !ok {
		t.Fatal("PDF fact sheet not crawled")
	}
	for _, row := range []string{"Sihanoukville 80 40,000", "Svay Rieng 15 6,000", "Pursat 7 2,500"} {
		found := false
		for _, line := range strings.Split(pdf.Text, "\n") {
			if strings.Join(strings.Fields(line), " ") == row {
				found = true
			}
		}
		if !found {
			t.Errorf("PDF row %q not on one line:\n%s", row, pdf.Text)
		}
	}
	if pdf.ContentType != content.TypePDF || pdf.Published == nil || *pdf.Published != "2024-04-10" {
		t.Errorf("PDF: type %q published %v", pdf.ContentType, pdf.Published)
	}
	// The GBK page decoded.
	cn := docs[u("/cn/xigang.html")]
	if !strings.Contains(cn.Text, "每天要工作十四个小时") || cn.Language != "zh" || cn.Published == nil || *cn.Published != "2024-03-18" {
		t.Errorf("GBK page: %+v", cn)
	}
	// Duplicates: print copy is the same document (rel=canonical); the
	// shared link with tracking parameters is the same URL; the wire copy
	// and the spun rewrite are linked to the original.
	if _, ok := docs[u(printCopy.Path)]; ok {
		t.Errorf("print copy emitted as its own document")
	}
	if d := docs[u(wireCopy.Path)]; d.DuplicateOf != u(articles[0].Path) {
		t.Errorf("wire copy duplicate_of %q", d.DuplicateOf)
	}
	if d, ok := docs[u(spunCopy.Path)]; !ok || d.DuplicateOf != u(articles[0].Path) {
		t.Errorf("spun copy: present %v duplicate_of %q", ok, d.DuplicateOf)
	}
	for _, a := range articles[1:] {
		if d := docs[u(a.Path)]; d.DuplicateOf != "" {
			t.Errorf("%s wrongly a duplicate of %s", a.Path, d.DuplicateOf)
		}
	}
	full, _, _, off := f.counts()
	if full[articles[0].Path] != 1 {
		t.Errorf("Bavet article fetched %d times", full[articles[0].Path])
	}
	for k := range full {
		if strings.Contains(k, "utm_") {
			t.Errorf("tracking URL fetched: %s", k)
		}
	}
	// Politeness and scope.
	if f.hits["/private/members"] != 0 {
		t.Error("robots.txt ignored")
	}
	if sum.SkippedRobots < 1 || !strings.Contains(log, "skipped by robots.txt") {
		t.Errorf("robots skip not reported: %d", sum.SkippedRobots)
	}
	if off != 0 {
		t.Errorf("%d requests to a host outside the allowed list", off)
	}
	for ua := range f.userAgents {
		if !strings.Contains(ua, "compoundwatch") || !strings.Contains(ua, "https://") {
			t.Errorf("user agent %q", ua)
		}
	}
	// 429 honoured: the retry came after Retry-After.
	if len(f.busyHits) < 2 || f.busyHits[1].Sub(f.busyHits[0]) < 900*time.Millisecond {
		t.Errorf("429 retry timing: %v", f.busyHits)
	}
	// 5xx retried with backoff until it worked.
	if f.hits["/flaky"] != 3 || strings.Contains(log, "/flaky reason") {
		t.Errorf("flaky page: %d requests", f.hits["/flaky"])
	}
	// Each hostile case ends with a clear reason, and the crawl completed.
	failed := map[string]string{}
	for _, fl := range sum.Failed {
		failed[strings.TrimPrefix(fl.URL, f.URL)] = fl.Reason
	}
	for path, want := range map[string]string{
		"/loop/a": "redirect",
		"/slow":   "timeout",
		"/bomb":   "decompression bomb",
		"/huge":   "exceeds the 2097152-byte cap",
	} {
		if !strings.Contains(failed[path], want) {
			t.Errorf("%s: reason %q, want it to mention %q", path, failed[path], want)
		}
		if !strings.Contains(log, want) {
			t.Errorf("log lacks reason %q", want)
		}
	}
	if !strings.Contains(log, "/calendar/N/N (calendar or pagination trap?)") {
		t.Error("calendar trap not reported")
	}
	if !strings.Contains(log, "archive?page=N") {
		t.Error("pagination trap not reported")
	}
	if n := f.hits["/calendar/2024/03"]; n != 1 {
		t.Errorf("calendar start fetched %d times", n)
	}
	calendar := 0
	for k := range f.hits {
		if strings.HasPrefix(k, "/calendar/") {
			calendar++
		}
	}
	if calendar > 7 {
		t.Errorf("%d calendar pages fetched", calendar)
	}

	// Second run: conditional requests, nothing new published.
	f.reset()
	out.Reset()
	sum2, err := c.Once(t.Context(), start, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("run 2: %s", sum2)
	full2, notMod, cond, _ := f.counts()
	if sum2.Published != 0 {
		t.Errorf("second run published %d", sum2.Published)
	}
	if notMod < len(articles) || cond < notMod {
		t.Errorf("second run: %d conditional requests, %d answered 304", cond, notMod)
	}
	for _, a := range articles {
		if full2[a.Path] != 0 {
			t.Errorf("second run fetched %s in full", a.Path)
		}
	}
	if sum2.Unchanged < len(articles) {
		t.Errorf("second run unchanged %d", sum2.Unchanged)
	}
}

func TestResumeAfterKill(t *testing.T) {
	f := newFixture(t)
	f.latency = 5 * time.Millisecond
	dir := t.TempDir()
	opts := testOptions(t)
	start := []string{f.URL + "/", f.URL + "/sitemap_index.xml"}

	// Run 1: killed after the fifth full response.
	b := openBus(t, dir)
	c := newCrawler(t, b, opts, nil)
	ctx, cancel := context.WithCancel(t.Context())
	n := 0
	f.mu.Lock()
	f.onFull = func(string) {
		n++
		if n == 5 {
			cancel()
		}
	}
	f.mu.Unlock()
	sum1, err := c.Once(ctx, start, nil)
	if err == nil {
		t.Fatalf("run 1 was not interrupted: %s", sum1)
	}
	c.Close()
	b.Close()
	f.mu.Lock()
	f.onFull = nil
	f.mu.Unlock()
	full1, _, _, _ := f.counts()

	// Which pages did run 1 store?
	b = openBus(t, dir)
	defer b.Close()
	c = newCrawler(t, b, opts, nil)
	defer c.Close()
	stored := map[string]bool{}
	for p := range full1 {
		canon, _ := content.Canonicalize(f.URL + p)
		if st, ok, err := c.store.state(t.Context(), canon); err == nil && ok && !st.LastFetched.IsZero() {
			stored[p] = true
		}
	}
	if len(stored) == 0 {
		t.Fatal("run 1 stored nothing")
	}
	t.Logf("run 1 fetched %d pages, stored %d", len(full1), len(stored))

	f.reset()
	var out bytes.Buffer
	sum2, err := c.Once(t.Context(), start, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !sum2.Resumed {
		t.Error("run 2 did not resume")
	}
	full2, _, _, _ := f.counts()
	for p := range stored {
		if f.hits[p] != 0 {
			t.Errorf("%s stored in run 1 but requested again (%d)", p, f.hits[p])
		}
	}
	// Nothing missed: every article fetched in one run or the other.
	for _, a := range articles {
		if full1[a.Path]+full2[a.Path] == 0 {
			t.Errorf("%s never fetched", a.Path)
		}
	}
	if full1["/docs/factsheet-provinces.pdf"]+full2["/docs/factsheet-provinces.pdf"] == 0 {
		t.Error("PDF never fetched")
	}
	// And the bus holds every article once.
	onBus := map[string]int{}
	err = bus.Replay(t.Context(), b, bus.StreamRaw, document.RawSchema, 100, func(raws []document.Raw, _ int) error {
		for _, r := range raws {
			onBus[r.ID]++
		}
		return nil
	}, func(subject string, err error) { t.Errorf("%s: %v", subject, err) })
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range articles {
		canon, _ := content.Canonicalize(f.URL + a.Path)
		if onBus[docIDFor(canon)] != 1 {
			t.Errorf("%s is on the bus %d times, want once", a.Path, onBus[docIDFor(canon)])
		}
	}
}

func TestTrapReason(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for raw, trap := range map[string]bool{
		"https://x.example/news/2024/03/05/story":       false,
		"https://x.example/calendar/2031/05":            true,
		"https://x.example/calendar/1987-12":            true,
		"https://x.example/events?month=2040-01":        true,
		"https://x.example/article/1234":                false,
		"https://x.example/a/b/a/b/a/b":                 true,
		"https://x.example/events?year=2024&m=3":        false,
		"https://x.example/events?year=2999&m=3":        true,
		"https://x.example/" + strings.Repeat("p/", 20): true,
	} {
		u, _ := parseURL(raw)
		if got := trapReason(u, now) != ""; got != trap {
			t.Errorf("%s: trap %v (%q), want %v", raw, got, trapReason(u, now), trap)
		}
	}
}

func TestNearDuplicates(t *testing.T) {
	d := newDedupIndex()
	orig := strings.Join(articles[0].Paras, "\n")
	now := time.Now()
	root, fp := d.match("a", "https://x/a", "h1", orig, now)
	if root != "" {
		t.Fatal(root)
	}
	d.add(fp)
	for i, other := range articles[1:] {
		if r, _ := d.match("o"+string(rune('0'+i)), "https://x/o", "h", strings.Join(other.Paras, "\n"), now); r != "" {
			t.Errorf("%s matched as duplicate", other.Path)
		}
	}
	spun := strings.Join(spunCopy.Paras, "\n")
	var sig1, sig2 signature
	sig1 = d.sign(shingles(orig))
	sig2 = d.sign(shingles(spun))
	t.Logf("spun similarity %.2f", similarity(&sig1, &sig2))
	if r, _ := d.match("s", "https://y/s", "h2", spun, now); r != "https://x/a" {
		t.Errorf("spun copy not matched: %q", r)
	}
	if r, _ := d.match("w", "https://y/w", "h1", orig, now); r != "https://x/a" {
		t.Errorf("exact copy not matched: %q", r)
	}
}

func docIDFor(canon string) string { return document.IDFor(canon) }
