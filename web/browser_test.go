package web_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/compoundwatch/compoundwatch/web"
)

// These tests drive the search page in a real headless Chromium. Without
// one they skip (in CI, CI=true, they fail): install Debian's package with
// `apt-get install -y chromium`, or point CHROME_PATH at a Chrome/Chromium.
// Screenshots go to testdata/ and, when set, to $SCREENSHOT_DIR.

func chromePath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium found: install it with `apt-get update && apt-get install -y chromium` (Debian) or set CHROME_PATH"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// browser starts a headless Chromium for one test.
func browser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	// Chromium's helpers may still write to the profile just after it
	// quits, which would fail t.TempDir's cleanup: remove it with retries.
	profile, err := os.MkdirTemp("", "cw-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromePath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for i := 0; i < 20; i++ {
			if err := os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove the browser profile %s", profile)
	})
	if err := chromedp.Run(ctx); err != nil { // start the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// updateScreenshots rewrites the pictures of the pages kept in testdata/
// for reviewers; a plain test run leaves the tracked files alone.
var updateScreenshots = flag.Bool("update", false, "rewrite the screenshots in testdata")

// saveScreenshot writes png to testdata/ with -update, and to
// $SCREENSHOT_DIR when set.
func saveScreenshot(t *testing.T, name string, png []byte) {
	t.Helper()
	var dirs []string
	if *updateScreenshots {
		dirs = append(dirs, "testdata")
	}
	if d := os.Getenv("SCREENSHOT_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("screenshot dir: %v", err)
		}
		p := filepath.Join(d, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatalf("save screenshot: %v", err)
		}
		t.Logf("screenshot: %s", p)
	}
}

// waitJS polls a JavaScript condition. A timeout names the condition and
// what the page's body said then, so that a failure under load can be told
// from a page that never got there.
func waitJS(cond string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		err := chromedp.Poll(cond, nil, chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)).Do(ctx)
		if err == nil {
			return nil
		}
		var text string
		if terr := chromedp.Evaluate(`document.body ? document.body.innerText.slice(0, 2000) : ""`, &text).Do(ctx); terr != nil {
			text = "(unreadable: " + terr.Error() + ")"
		}
		return fmt.Errorf("waiting for %s: %w; the page said: %q", cond, err, text)
	})
}

// cspWatch records Content-Security-Policy violations of the page.
const cspWatch = `window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI)); true`

func TestBrowserSearchFacetsAndHighlights(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t, web.Options{})

	var (
		titles, marks, csp []string
		chips, location    string
		pressed            bool
		png, entityPNG     []byte
	)
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.Evaluate(cspWatch, nil),
		// The empty page lists the latest coverage.
		waitJS(`document.querySelectorAll('#hits li.hit').length === 7`),
		chromedp.SendKeys("#q", "Huang Le", chromedp.ByID),
		waitJS(`document.querySelector('#status').textContent.startsWith('4 documents')`),
		chromedp.Click(`#facets ul[data-facet="provinces"] button[data-value="preah-sihanouk"]`, chromedp.ByQuery),
		waitJS(`document.querySelector('#status').textContent.startsWith('3 documents') && document.querySelectorAll('#hits li.hit').length === 3`),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#hits .hit h3')).map(e => e.textContent)`, &titles),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#hits .snippet mark')).map(e => e.textContent)`, &marks),
		chromedp.Evaluate(`document.querySelector('#facets button[data-value="preah-sihanouk"]').getAttribute('aria-pressed') === 'true'`, &pressed),
		chromedp.Evaluate(`document.querySelector('#active').textContent`, &chips),
		chromedp.Evaluate(`location.search`, &location),
		chromedp.Evaluate(`window.__csp`, &csp),
		chromedp.FullScreenshot(&png, 100),
	)
	if err != nil {
		t.Fatalf("search page: %v", err)
	}
	saveScreenshot(t, "screenshot.png", png)

	slices.Sort(titles)
	want := []string{"Huang Le compound raided, hundreds freed", "Police enter the Huang Le compound before dawn", "Who is Ly Kuong?"}
	if !slices.Equal(titles, want) {
		t.Errorf("hits after the province facet: %q, want %q", titles, want)
	}
	if !slices.ContainsFunc(marks, func(m string) bool { return strings.Contains(strings.ToLower(m), "huang") }) {
		t.Errorf("no highlighted <mark> for the compound name: %q", marks)
	}
	if !pressed || !strings.Contains(chips, "Preah Sihanouk") {
		t.Errorf("facet not shown as active: pressed %v, chips %q", pressed, chips)
	}
	if !strings.Contains(location, "province=preah-sihanouk") || !strings.Contains(location, "q=Huang+Le") {
		t.Errorf("state not in the URL: %q", location)
	}
	if len(csp) > 0 {
		t.Errorf("the page violates its own Content-Security-Policy: %q", csp)
	}

	// Follow the compound's entity link from a hit.
	var heading string
	err = chromedp.Run(ctx,
		chromedp.Click(`#hits a.entity[href="/entity/huang-le-majestic-two"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`svg.chart`, chromedp.ByQuery),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		chromedp.FullScreenshot(&entityPNG, 100),
	)
	if err != nil {
		t.Fatalf("entity page: %v", err)
	}
	saveScreenshot(t, "entity-screenshot.png", entityPNG)
	if !strings.Contains(heading, "Huang Le compound") {
		t.Errorf("entity page heading %q", heading)
	}
}

func TestBrowserCrawledScriptNeverRuns(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t, web.Options{})

	var (
		pwned              string
		title, snippet     string
		injected           int
		entityPwned        string
		entityText         string
		entityInjected     int
		searchCSP, entCSP  []string
		sawTitle, sawEmpty bool
	)
	err := chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("#q", chromedp.ByID),
		chromedp.Evaluate(cspWatch, nil),
		chromedp.SendKeys("#q", "scraped markup", chromedp.ByID),
		waitJS(`Array.from(document.querySelectorAll('#hits .hit h3')).some(e => e.textContent.includes('__pwned'))`),
		chromedp.Sleep(500*time.Millisecond), // give an <img onerror> time to fire, were there one
		chromedp.Evaluate(`typeof window.__pwned`, &pwned),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#hits .hit h3')).map(e => e.textContent).find(t => t.includes('__pwned'))`, &title),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#hits .snippet')).map(e => e.textContent).join('\n')`, &snippet),
		chromedp.Evaluate(`document.querySelectorAll('#hits script, #hits img, #hits [onerror]').length`, &injected),
		chromedp.Evaluate(`window.__csp`, &searchCSP),
		chromedp.Evaluate(`document.body.innerText.includes('<script>window.__pwned=1</script>')`, &sawTitle),
	)
	if err != nil {
		t.Fatalf("search page: %v", err)
	}
	if pwned != "undefined" {
		t.Errorf("crawled script ran: typeof window.__pwned = %s", pwned)
	}
	if injected != 0 {
		t.Errorf("%d script/img elements made it into the results", injected)
	}
	if !strings.Contains(title, scriptPayload) || !strings.Contains(title, imgPayload) || !sawTitle {
		t.Errorf("payload not shown as text in the title: %q", title)
	}
	if !strings.Contains(snippet, "<script>") && !strings.Contains(snippet, "<img src=x") {
		t.Errorf("payload not shown as text in the snippet: %q", snippet)
	}
	if len(searchCSP) > 0 {
		t.Logf("CSP violations (blocked): %q", searchCSP)
	}

	err = chromedp.Run(ctx,
		chromedp.Navigate(srv.URL+"/entity/jin-bei-casino-hotel"),
		chromedp.WaitVisible("h1", chromedp.ByQuery),
		chromedp.Evaluate(cspWatch, nil),
		chromedp.Sleep(500*time.Millisecond),
		chromedp.Evaluate(`typeof window.__pwned`, &entityPwned),
		chromedp.Evaluate(`document.querySelector('main').innerText`, &entityText),
		chromedp.Evaluate(`document.querySelectorAll('main script, main img, main [onerror]').length`, &entityInjected),
		chromedp.Evaluate(`window.__csp`, &entCSP),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('script')).every(s => s.src === location.origin + '/static/write.js')`, &sawEmpty),
	)
	if err != nil {
		t.Fatalf("entity page: %v", err)
	}
	if entityPwned != "undefined" || entityInjected != 0 {
		t.Errorf("entity page: typeof __pwned %s, %d injected elements", entityPwned, entityInjected)
	}
	for _, want := range []string{scriptPayload, alertPayload} {
		if !strings.Contains(entityText, want) {
			t.Errorf("entity page does not show %q as text", want)
		}
	}
	if !sawEmpty {
		t.Error("the entity page should load no script but the Follow button's own")
	}
}
