package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gocolly/colly/v2"
	"google.golang.org/appengine/urlfetch"

	"github.com/compoundwatch/compoundwatch/internal/hugepage"
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

// TestHugePagesSetting: a command that reads in bulk advises its heap for
// huge pages unless the setting huge_pages is off, by flag or by
// environment, and a command that does not leaves it alone. Where the
// host's policy is madvise the advice is taken (internal/hugepage's own
// tests check what it does to the heap).
func TestHugePagesSetting(t *testing.T) {
	madvise := hugepage.Policy() == "madvise"
	examples := filepath.Join("..", "..", "examples")
	for _, tc := range []struct {
		name string
		env  string
		args []string
		want bool
	}{
		{"extract", "", []string{"extract", "--json", examples}, true},
		{"off by flag", "", []string{"--huge-pages=false", "extract", "--json", examples}, false},
		{"off by environment", "false", []string{"extract", "--json", examples}, false},
		{"on by flag over the environment", "false", []string{"--huge-pages", "extract", "--json", examples}, true},
		{"not a bulk command", "", []string{"timeline", "--format", "json"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("COMPOUNDWATCH_HUGE_PAGES", tc.env)
			var stdout, stderr bytes.Buffer
			root := newRoot(&stdout, &stderr)
			root.SetArgs(append([]string{"--log-level", "debug", "--data", t.TempDir()}, tc.args...))
			if err := root.ExecuteContext(t.Context()); err != nil {
				t.Fatalf("%v\n%s", err, stderr.String())
			}
			log := stderr.String()
			if got := strings.Contains(log, `msg="heap advised for huge pages"`); got != tc.want {
				t.Fatalf("advice logged: %v, want %v\n%s", got, tc.want, log)
			}
			if tc.want && madvise && !strings.Contains(log, "advised=true") {
				t.Errorf("the policy is madvise, and the heap was not advised:\n%s", log)
			}
		})
	}
}
