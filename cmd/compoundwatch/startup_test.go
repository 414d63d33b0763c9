package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gocolly/colly/v2"
	"google.golang.org/appengine/urlfetch"
)

// TestNoAppEngineRuntime: colly imports App Engine's urlfetch, and the
// real module's internals registered their protocol buffers at every
// start of every command (about 12 ms). go.mod replaces the module with
// third_party/appengine, which has urlfetch alone; a dependency that
// brought the real one back, or a lost replace line, fails here.
func TestNoAppEngineRuntime(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for pkg := range strings.Lines(string(out)) {
		pkg = strings.TrimSpace(pkg)
		if strings.HasPrefix(pkg, "google.golang.org/appengine/") && pkg != "google.golang.org/appengine/urlfetch" ||
			strings.HasPrefix(pkg, "github.com/golang/protobuf/") {
			t.Errorf("the command links %s", pkg)
		}
	}
}

// TestCollyAppengineFails: colly's App Engine client, which the crawler
// never uses, fails a fetch as the real one does off App Engine, and
// sends nothing.
func TestCollyAppengineFails(t *testing.T) {
	var hit atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hit.Store(true) }))
	defer srv.Close()
	c := colly.NewCollector()
	c.Appengine(context.Background())
	err := c.Visit(srv.URL)
	if !errors.Is(err, urlfetch.ErrNotAppEngine) {
		t.Fatalf("Visit through the App Engine client: %v, want %v", err, urlfetch.ErrNotAppEngine)
	}
	if hit.Load() {
		t.Fatal("the App Engine client reached the server")
	}
}
