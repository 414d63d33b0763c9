package meili

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/search"
)

// fakeMeili answers GET /indexes/i/stats after failing the first
// `failures` requests in the given way.
func fakeMeili(t *testing.T, failures int64, fail func(w http.ResponseWriter)) (*Index, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= failures {
			fail(w)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"numberOfDocuments": 3, "isIndexing": false}`))
	}))
	t.Cleanup(srv.Close)
	x := Connect(srv.URL, "key", "i", Options{RetryBudget: 2 * time.Second, RequestTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { x.Close() })
	return x, &n
}

func TestRetry(t *testing.T) {
	drop := func(w http.ResponseWriter) {
		c, _, _ := w.(http.Hijacker).Hijack()
		c.Close()
	}
	for _, c := range []struct {
		name     string
		failures int64
		fail     func(w http.ResponseWriter)
		wantErr  bool
		requests int64
	}{
		{"503 then ok", 3, func(w http.ResponseWriter) { http.Error(w, "busy", http.StatusServiceUnavailable) }, false, 4},
		{"dropped then ok", 2, drop, false, 3},
		{"timeout then ok", 1, func(w http.ResponseWriter) { time.Sleep(400 * time.Millisecond) }, false, 2},
		{"400 is final", 1, func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"message":"no","code":"bad_request","type":"invalid_request","link":""}`))
		}, true, 1},
		{"budget spent", 1000, func(w http.ResponseWriter) { http.Error(w, "down", http.StatusBadGateway) }, true, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			x, n := fakeMeili(t, c.failures, c.fail)
			start := time.Now()
			got, err := x.Count(t.Context())
			if c.wantErr != (err != nil) {
				t.Fatalf("Count = %d, %v; want error %v", got, err, c.wantErr)
			}
			if !c.wantErr && got != 3 {
				t.Errorf("Count = %d, want 3", got)
			}
			if c.requests > 0 && n.Load() != c.requests {
				t.Errorf("%d requests, want %d", n.Load(), c.requests)
			}
			if d := time.Since(start); d > 4*time.Second {
				t.Errorf("took %s, budget is 2s", d)
			}
			if err != nil && !strings.Contains(err.Error(), "meili index i") {
				t.Errorf("error %q does not name the index", err)
			}
		})
	}
}

func TestMarkHTMLSentinels(t *testing.T) {
	in := "a <b>" + preTag + "Huang" + postTag + " & " + preTag + "Le" + postTag + " <script>x</script>"
	want := "a &lt;b&gt;<mark>Huang</mark> &amp; <mark>Le</mark> &lt;script&gt;x&lt;/script&gt;"
	if got := search.MarkHTML(in, preTag, postTag); got != want {
		t.Errorf("MarkHTML = %q, want %q", got, want)
	}
	// Unbalanced or stray sentinels still give balanced, safe HTML.
	if got := search.MarkHTML(postTag+"x"+preTag+"<y", preTag, postTag); got != "x<mark>&lt;y</mark>" {
		t.Errorf("stray sentinels: %q", got)
	}
}
