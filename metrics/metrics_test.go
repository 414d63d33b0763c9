package metrics_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/internal/metricstest"
	"github.com/compoundwatch/compoundwatch/metrics"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
)

// scrape fetches /metrics and parses it with Prometheus's own text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	fams, err := metricstest.Scrape(url)
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

// value returns the counter, gauge or histogram count of the series with
// exactly these labels (name, value pairs in name order), or -1 when
// there is none.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	if v, ok := metricstest.Lookup(fams, name, labels...); ok {
		return v
	}
	return -1
}

func TestMetricsMatchWhatWasSent(t *testing.T) {
	m := metrics.New()
	var o bus.Observer = m
	for range 7 {
		o.Consumed("extractor", 3)
	}
	for range 19 {
		o.Settled("extractor", "ok")
	}
	o.Settled("extractor", "retry")
	o.Settled("extractor", "dead")
	o.Settled("indexer", "ok")
	for i := range 5 {
		o.Handled("extractor", 4, time.Duration(i)*time.Millisecond)
	}
	o.Published("CW_RAW", nil)
	o.Published("CW_RAW", nil)
	o.Published("CW_RAW", errors.New("maximum messages exceeded"))
	m.SearchTask("add", 40*time.Millisecond, nil)
	m.SearchTask("add", 90*time.Millisecond, errors.New("invalid_document_id"))
	m.Fetched("news.example.org", 200)
	m.Fetched("news.example.org", 200)
	m.Fetched("news.example.org", 404)
	m.Fetched("slow.example.net", 0)
	m.AlertDelivery("delivered", 2*time.Second)
	m.AlertDelivery("retried", 0)
	m.AlertDelivery("retried", 0)
	m.AlertDelivery("dead", 0)
	m.WatchBus(func(context.Context) (bus.Stats, error) {
		return bus.Stats{Streams: []bus.StreamStats{{Name: "CW_TAGGED", Messages: 120, Bytes: 4096, Replicas: 3, MaxBytes: 1 << 30,
			Consumers: []bus.ConsumerStats{{Name: "indexer", Pending: 37, AckPending: 8}}}, {Name: "CW_RAW", MaxBytes: -1}}}, nil
	}, slog.New(slog.DiscardHandler))

	srv := httptest.NewServer(metrics.Handler(m, nil))
	defer srv.Close()
	fams := scrape(t, srv.URL)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"cw_stage_consumed_total", []string{"stage", "extractor"}, 21},
		{"cw_stage_settled_total", []string{"outcome", "ok", "stage", "extractor"}, 19},
		{"cw_stage_settled_total", []string{"outcome", "retry", "stage", "extractor"}, 1},
		{"cw_stage_settled_total", []string{"outcome", "dead", "stage", "extractor"}, 1},
		{"cw_stage_settled_total", []string{"outcome", "ok", "stage", "indexer"}, 1},
		{"cw_stage_batch_size", []string{"stage", "extractor"}, 5},
		{"cw_stage_handle_seconds", []string{"stage", "extractor"}, 5},
		{"cw_published_total", []string{"result", "ok", "stream", "CW_RAW"}, 2},
		{"cw_published_total", []string{"result", "refused", "stream", "CW_RAW"}, 1},
		{"cw_search_task_seconds", []string{"op", "add"}, 2},
		{"cw_search_task_failures_total", []string{"op", "add"}, 1},
		{"cw_crawler_fetches_total", []string{"host", "news.example.org", "status", "200"}, 2},
		{"cw_crawler_fetches_total", []string{"host", "news.example.org", "status", "404"}, 1},
		{"cw_crawler_fetches_total", []string{"host", "slow.example.net", "status", "0"}, 1},
		{"cw_alerts_total", []string{"result", "delivered"}, 1},
		{"cw_alerts_total", []string{"result", "retried"}, 2},
		{"cw_alerts_total", []string{"result", "dead"}, 1},
		{"cw_alert_delivery_seconds", nil, 1},
		{"cw_bus_stats_up", nil, 1},
		{"cw_consumer_pending", []string{"consumer", "indexer", "stream", "CW_TAGGED"}, 37},
		{"cw_consumer_ack_pending", []string{"consumer", "indexer", "stream", "CW_TAGGED"}, 8},
		{"cw_stream_messages", []string{"stream", "CW_TAGGED"}, 120},
		{"cw_stream_max_bytes", []string{"stream", "CW_TAGGED"}, 1 << 30},
		{"cw_stream_replicas", []string{"stream", "CW_TAGGED"}, 3},
		{"cw_stream_messages", []string{"stream", "CW_RAW"}, 0},
	} {
		if got := value(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if value(fams, "cw_stream_max_bytes", "stream", "CW_RAW") != -1 {
		t.Error("a stream without a byte limit exports one")
	}
	if fams["go_goroutines"] == nil || fams["process_resident_memory_bytes"] == nil {
		t.Error("no Go runtime or process metrics")
	}
}

// TestBusStatsDown: a failed stats read is visible as cw_bus_stats_up 0,
// and the rest of the page still serves.
func TestBusStatsDown(t *testing.T) {
	m := metrics.New()
	m.WatchBus(func(context.Context) (bus.Stats, error) {
		return bus.Stats{}, errors.New("nats: no servers available")
	}, slog.New(slog.DiscardHandler))
	m.Consumed("indexer", 2)
	srv := httptest.NewServer(metrics.Handler(m, nil))
	defer srv.Close()
	fams := scrape(t, srv.URL)
	if got := value(fams, "cw_bus_stats_up"); got != 0 {
		t.Errorf("cw_bus_stats_up = %v, want 0", got)
	}
	if got := value(fams, "cw_stage_consumed_total", "stage", "indexer"); got != 2 {
		t.Errorf("consumed = %v, want 2", got)
	}
}

// TestRegistriesAreSeparate: two Metrics in one process (two stages of
// `run`, or parallel tests) neither collide nor see each other's counts.
func TestRegistriesAreSeparate(t *testing.T) {
	a, b := metrics.New(), metrics.New()
	a.Consumed("extractor", 5)
	srv := httptest.NewServer(metrics.Handler(b, nil))
	defer srv.Close()
	if got := value(scrape(t, srv.URL), "cw_stage_consumed_total", "stage", "extractor"); got != -1 {
		t.Errorf("b sees a's count: %v", got)
	}
}

func TestNilMetricsIgnoresCalls(t *testing.T) {
	var m *metrics.Metrics
	m.Consumed("x", 1)
	m.Settled("x", "ok")
	m.Handled("x", 1, time.Second)
	m.Published("S", nil)
	m.SearchTask("add", time.Second, nil)
	m.Fetched("h", 200)
	m.AlertDelivery("delivered", time.Second)
}

func TestHealthAndReadiness(t *testing.T) {
	var natsErr, searchErr error
	var checks metrics.Checks
	h := metrics.Handler(metrics.New(), &checks)
	if code, body := getFrom(h, "/readyz"); code != 503 || body != "starting: no connection opened yet\n" {
		t.Errorf("/readyz before any check: %d %q", code, body)
	}
	checks.Add("nats", func(context.Context) error { return natsErr })
	checks.Add("search", func(context.Context) error { return searchErr })
	get := func(path string) (int, string) { return getFrom(h, path) }
	for _, tc := range []struct {
		name         string
		nats, search error
		code         int
		body         string
	}{
		{"ready", nil, nil, 200, "ok\n"},
		{"search engine down", nil, errors.New("connection refused"), 503, "search: connection refused\n"},
		{"both down", errors.New("not connected"), errors.New("timeout"), 503, "nats: not connected\nsearch: timeout\n"},
		{"back", nil, nil, 200, "ok\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			natsErr, searchErr = tc.nats, tc.search
			if code, body := get("/readyz"); code != tc.code || body != tc.body {
				t.Errorf("/readyz = %d %q, want %d %q", code, body, tc.code, tc.body)
			}
			if code, body := get("/healthz"); code != 200 || body != "ok\n" {
				t.Errorf("/healthz = %d %q", code, body)
			}
		})
	}
}

// TestHungCheck: a dependency that never answers makes /readyz say so
// within the check timeout instead of hanging the probe.
func TestHungCheck(t *testing.T) {
	var checks metrics.Checks
	checks.Add("search", func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	h := metrics.Handler(metrics.New(), &checks)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil).WithContext(ctx))
	if rec.Code != 503 || !strings.HasPrefix(rec.Body.String(), "search: context deadline exceeded") {
		t.Errorf("/readyz = %d %q", rec.Code, rec.Body.String())
	}
}

func TestListen(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	log := slog.New(slog.DiscardHandler)
	s, err := metrics.Listen(ctx, "127.0.0.1:0", metrics.Handler(metrics.New(), nil), log)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + s.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/healthz: %s", resp.Status)
	}
	if _, err := metrics.Listen(ctx, s.Addr(), metrics.Handler(metrics.New(), nil), log); err == nil || !strings.Contains(err.Error(), "--metrics "+s.Addr()) {
		t.Errorf("second listener on a busy address: %v", err)
	}
	cancel()
	if err := s.Wait(); err != nil {
		t.Errorf("Wait: %v", err)
	}
}

func getFrom(h http.Handler, path string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// TestBackendKeepsEvents: the timed wrapper that `run` and `serve` put
// around their backend still answers timeline queries.
func TestBackendKeepsEvents(t *testing.T) {
	x, err := embedded.Open(filepath.Join(t.TempDir(), "index"), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	b := metrics.New().Backend(x)
	if _, err := b.Upsert(t.Context(), searchtest.EventFixtures()); err != nil {
		t.Fatal(err)
	}
	es, ok := b.(search.EventStore)
	if !ok {
		t.Fatal("the wrapped backend is no search.EventStore")
	}
	got, err := es.Events(t.Context(), search.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := x.Events(t.Context(), search.EventQuery{})
	if len(got) == 0 || len(got) != len(want) {
		t.Fatalf("%d events through the wrapper, %d from the index itself", len(got), len(want))
	}
}
