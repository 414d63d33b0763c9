package alerts

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/indexer"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/pipeline"
	"github.com/compoundwatch/compoundwatch/search/embedded"
)

// BenchmarkAlertLatency measures the time from publishing a raw document
// to the webhook receiving its alert, through the whole embedded default
// (extractor, indexer with the embedded index, alerts stage, webhook
// deliverer), with 1,000 subscriptions: entity and query ones mixed.
//
//	go test ./alerts -run '^$' -bench AlertLatency -benchtime 200x
//
// "one" documents match the followed subscription only; "many" match
// about 26 of the 1,000, which all get their webhook.
func BenchmarkAlertLatency(b *testing.B) {
	b.Run("one", func(b *testing.B) {
		benchLatency(b, "Officials said the managers had left the country a week before.")
	})
	b.Run("many", func(b *testing.B) {
		benchLatency(b, "Officials said guards had taken their passport papers and the managers had crossed the border a week before.")
	})
}

func benchLatency(b *testing.B, tail string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := b.TempDir()
	bs := openBusB(b, dir)
	st, err := OpenStore(ctx, bs)
	if err != nil {
		b.Fatal(err)
	}
	g := testGazetteer(b)
	var (
		mu       sync.Mutex
		calls    int
		followID string
	)
	arrived := map[string]chan time.Time{} // document id → receipt
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		body, _ := io.ReadAll(r.Body)
		var a Alert
		json.Unmarshal(body, &a)
		mu.Lock()
		calls++
		if c, ok := arrived[a.Document.ID]; ok && a.SubscriptionID == followID {
			select {
			case c <- now:
			default:
			}
		}
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	v := Validator{Gazetteer: g, Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}
	follow, _ := v.New(Spec{Entities: []string{"Huang Le"}, Webhook: srv.URL + "/hook", Secret: testSecret})
	mu.Lock()
	followID = follow.ID
	mu.Unlock()
	var ids []string
	for _, r := range g.Records("") {
		ids = append(ids, r.ID)
	}
	for _, w := range repotest.Watchlist(1000, ids) {
		s := Spec{Webhook: srv.URL + "/hook", Secret: testSecret, Query: w.Query}
		if w.Entity != "" {
			s.Entities = []string{w.Entity}
		}
		sub, err := v.New(s)
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Add(ctx, sub); err != nil {
			b.Fatal(err)
		}
	}
	st.Add(ctx, follow)
	ix, err := embedded.Open(filepath.Join(dir, "index"), embedded.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	w, err := NewWorker(bs, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	d, err := NewDeliverer(bs, DeliverOptions{Allow: v.Allow}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	go pipeline.Run(ctx, extractor.NewWorker(bs, extractor.New(g), slog.New(slog.DiscardHandler)),
		indexer.New(bs, ix, slog.New(slog.DiscardHandler), nil), w, d)
	time.Sleep(500 * time.Millisecond) // the stages bind their consumers and load the subscriptions

	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		raw := &document.Raw{Source: fmt.Sprintf("https://news.example/story-%d", i), CanonicalURL: fmt.Sprintf("https://news.example/story-%d", i),
			Title: fmt.Sprintf("Raid number %d", i), Outlet: "Mekong Wire",
			Text: fmt.Sprintf("Report %d: police searched the Majestic 2 compound in Sihanoukville and found %d workers held there. %s", i, 100+i, tail)}
		raw.Finalize()
		c := make(chan time.Time, 1)
		mu.Lock()
		arrived[raw.ID] = c
		mu.Unlock()
		start := time.Now()
		if _, err := bs.PublishRaw(ctx, raw); err != nil {
			b.Fatal(err)
		}
		select {
		case at := <-c:
			lat = append(lat, at.Sub(start))
		case <-time.After(30 * time.Second):
			b.Fatalf("no alert for document %d", i)
		}
	}
	b.StopTimer()
	mu.Lock()
	b.ReportMetric(float64(calls)/float64(b.N), "alerts/doc")
	mu.Unlock()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
}
