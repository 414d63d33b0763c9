package indexer_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/indexer"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/meili"
)

// Proxy modes.
const (
	healthy = iota
	failing // every request fails: 503, dropped connection or a timeout
	flaky   // a mix of failures, slow answers and good answers
)

// faultProxy is an HTTP proxy in front of Meilisearch that can fail in
// the ways a network and an overloaded server do, and be taken down
// (connection refused) and up again on the same address.
type faultProxy struct {
	t      *testing.T
	target *url.URL
	rp     *httputil.ReverseProxy
	mode   atomic.Int32
	n      atomic.Int64
	addr   string

	mu  sync.Mutex
	srv *http.Server

	// What was injected, by kind.
	s503, dropBefore, dropAfter, timeouts, slow, passed atomic.Int64
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{t: t, target: u, rp: httputil.NewSingleHostReverseProxy(u)}
	p.rp.ErrorLog = nil
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.down)
	return p
}

func (p *faultProxy) URL() string { return "http://" + p.addr }

func (p *faultProxy) serve(ln net.Listener) {
	srv := &http.Server{Handler: p, ErrorLog: nil}
	p.mu.Lock()
	p.srv = srv
	p.mu.Unlock()
	go srv.Serve(ln)
}

// down closes the listener and every connection: clients get refused.
func (p *faultProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.srv != nil {
		p.srv.Close()
		p.srv = nil
	}
}

// up listens again on the same address.
func (p *faultProxy) up() {
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		p.t.Errorf("proxy up: %v", err)
		return
	}
	p.serve(ln)
}

func (p *faultProxy) drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := p.n.Add(1)
	mode := p.mode.Load()
	if mode == healthy {
		p.passed.Add(1)
		p.rp.ServeHTTP(w, r)
		return
	}
	kind := n % 5
	if mode == failing && kind == 4 {
		kind = 0
	}
	switch kind {
	case 0:
		p.s503.Add(1)
		http.Error(w, "upstream overloaded", http.StatusServiceUnavailable)
	case 1:
		p.dropBefore.Add(1)
		p.drop(w)
	case 2:
		// The request reaches Meilisearch (a task may be enqueued) but
		// the client never hears back, so it retries: upserts must be
		// idempotent.
		p.dropAfter.Add(1)
		out := r.Clone(context.WithoutCancel(r.Context()))
		out.URL.Scheme, out.URL.Host, out.RequestURI = p.target.Scheme, p.target.Host, ""
		if resp, err := http.DefaultTransport.RoundTrip(out); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		p.drop(w)
	case 3:
		// Longer than the client's request timeout.
		p.timeouts.Add(1)
		select {
		case <-r.Context().Done():
		case <-time.After(1500 * time.Millisecond):
		}
		p.drop(w)
	default:
		p.slow.Add(1)
		time.Sleep(300 * time.Millisecond)
		p.rp.ServeHTTP(w, r)
	}
}

func tagged(i, version int) document.Tagged {
	raw := document.Raw{
		Source:    fmt.Sprintf("https://news.example.org/story/%d", i),
		Title:     fmt.Sprintf("Story %d version %d about Golden Lotus", i, version),
		Text:      fmt.Sprintf("Body of story %d: workers left the Golden Lotus site near Bavet (v%d).", i, version),
		Published: time.Date(2024, 1, 1+i%28, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
		Outlet:    "faultwire",
		Language:  "en",
	}
	raw.Finalize()
	t := document.Tagged{Raw: raw, Entities: []document.Entity{{
		Type: document.Compound, ID: "golden-lotus", Name: "Golden Lotus", Known: true, Confidence: 1,
	}}}
	t.Schema = document.TaggedSchema
	return t
}

func publish(t *testing.T, b *bus.Bus, d document.Tagged) {
	t.Helper()
	_, err := b.Publish(t.Context(), bus.TaggedSubject(d.ID), d.ID+":"+d.ContentHash, document.TaggedSchema, d,
		nats.Header{bus.HeaderContentHash: {d.ContentHash}})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFaultyMeilisearch puts a failing proxy between the indexer and
// Meilisearch: the backlog must wait in JetStream and drain once the
// proxy heals, with every document indexed exactly once in its latest
// version and nothing dead-lettered.
func TestFaultyMeilisearch(t *testing.T) {
	meiliURL, key := os.Getenv("MEILI_URL"), os.Getenv("MEILI_API_KEY")
	if meiliURL == "" {
		t.Skip("set MEILI_URL and MEILI_API_KEY to run against a real Meilisearch (see .ci/meili.sh)")
	}
	const n, updated = 300, 40
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	quiet := slog.New(slog.DiscardHandler)

	proxy := newFaultProxy(t, meiliURL)
	name := "cwfault_" + rand.Text()
	backend, err := meili.Open(ctx, proxy.URL(), key, name, meili.Options{
		Logger:         quiet,
		MaxBatchDocs:   25, // several tasks per upsert, so some succeed before one fails
		RetryBudget:    1500 * time.Millisecond,
		RequestTimeout: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	direct, err := meili.Open(ctx, meiliURL, key, name, meili.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		direct.DeleteIndex(context.Background())
		direct.Close()
		backend.Close()
	}()

	b, err := bus.Open(ctx, bus.Options{DataDir: t.TempDir(), Logger: quiet, Name: "faulttest"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i := range n {
		publish(t, b, tagged(i, 1))
	}

	proxy.mode.Store(failing)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- indexer.New(b, backend, quiet, nil).Run(runCtx) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("indexer Run: %v", err)
		}
	}()

	// Everything fails: the backlog waits in the stream.
	time.Sleep(3 * time.Second)
	pending, err := b.Pending(ctx, bus.StreamTagged, bus.ConsumerIndexer)
	if err != nil {
		t.Fatal(err)
	}
	if pending == 0 {
		t.Errorf("nothing pending while Meilisearch is unreachable")
	}
	indexed, _ := direct.Count(ctx)
	t.Logf("while failing: %d pending, %d indexed", pending, indexed)
	// New versions of some documents arrive during the outage.
	for i := range updated {
		publish(t, b, tagged(i, 2))
	}
	// Connection refused for a while, then a flaky phase.
	proxy.down()
	time.Sleep(1500 * time.Millisecond)
	proxy.up()
	proxy.mode.Store(flaky)
	time.Sleep(4 * time.Second)
	proxy.mode.Store(healthy)
	t.Logf("faults injected: %d×503, %d dropped before, %d dropped after forwarding, %d timeouts, %d slow; %d passed while healthy",
		proxy.s503.Load(), proxy.dropBefore.Load(), proxy.dropAfter.Load(), proxy.timeouts.Load(), proxy.slow.Load(), proxy.passed.Load())
	for name, c := range map[string]*atomic.Int64{"503": &proxy.s503, "drop before": &proxy.dropBefore,
		"drop after": &proxy.dropAfter, "timeout": &proxy.timeouts} {
		if c.Load() == 0 {
			t.Errorf("no %s fault was injected", name)
		}
	}

	// Healed: the backlog drains.
	healed := time.Now()
	for {
		pending, err = b.Pending(ctx, bus.StreamTagged, bus.ConsumerIndexer)
		if err != nil {
			t.Fatal(err)
		}
		count, err := direct.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if pending == 0 && count == n {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("backlog did not drain: %d pending, %d of %d indexed", pending, count, n)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("drained %s after healing", time.Since(healed).Round(100*time.Millisecond))

	// Exactly n documents, each in its latest version.
	if count, err := direct.Count(ctx); err != nil || count != n {
		t.Fatalf("Count = %d, %v; want %d", count, err, n)
	}
	r, err := direct.Search(ctx, search.Query{Compounds: []string{"golden-lotus"}, Limit: 1})
	if err != nil || r.Total != n {
		t.Fatalf("search total = %v, %v; want %d", r, err, n)
	}
	for i := range n {
		want := tagged(i, 1)
		if i < updated {
			want = tagged(i, 2)
		}
		got, err := direct.Get(ctx, want.ID)
		if err != nil {
			t.Errorf("doc %d (%s): %v", i, want.ID, err)
			continue
		}
		if got.Title != want.Title {
			t.Errorf("doc %d: title %q, want %q", i, got.Title, want.Title)
		}
	}
	// Nothing was dead-lettered: outages are not the documents' fault.
	if st, err := b.Stats(ctx); err != nil {
		t.Error(err)
	} else if n := st.Stream(bus.StreamDead).Messages; n != 0 {
		t.Errorf("%d messages dead-lettered", n)
	}
}
