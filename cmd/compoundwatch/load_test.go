package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// BenchmarkClusterScaling is the load table: the whole path (ingest →
// CW_RAW → extract-worker replicas → CW_TAGGED → one index-worker →
// Meilisearch) on a loopback three-node cluster with streams R3, with 1, 2
// and 4 extract-worker processes. It reports documents per second from
// the first publish until the last document is indexed, and the median
// backlog (pending plus unacknowledged) of each stage over the middle half
// of the run, the steady state. Run with:
//
//	bash -c 'source .ci/meili.sh && go test ./cmd/compoundwatch -run "^$" -bench ClusterScaling -benchtime 1x'
func BenchmarkClusterScaling(b *testing.B) {
	if os.Getenv("MEILI_URL") == "" {
		b.Skip("MEILI_URL is not set (source .ci/meili.sh)")
	}
	const n = 1500
	for _, replicas := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("extract-workers=%d", replicas), func(b *testing.B) {
			for range b.N {
				rig := newClusterRig(b)
				for range replicas {
					rig.start("extract-worker")
				}
				rig.start("index-worker")
				docs := filepath.Join(rig.dir, "docs")
				os.MkdirAll(docs, 0o755)
				writeDocs(b, docs, n)

				nc, err := nats.Connect(rig.cl.URLs())
				if err != nil {
					b.Fatal(err)
				}
				js, _ := jetstream.New(nc)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
				waitConsumers(b, ctx, js, rig)

				var (
					mu      sync.Mutex
					samples [][3]float64 // seconds since start, extract backlog, index backlog
					stop    = make(chan struct{})
					sampled = make(chan struct{})
				)
				start := time.Now()
				go func() {
					defer close(sampled)
					for {
						select {
						case <-stop:
							return
						case <-time.After(200 * time.Millisecond):
						}
						e, i := backlog(ctx, js, bus.StreamRaw, bus.ConsumerExtractor), backlog(ctx, js, bus.StreamTagged, bus.ConsumerIndexer)
						mu.Lock()
						samples = append(samples, [3]float64{time.Since(start).Seconds(), e, i})
						mu.Unlock()
					}
				}()
				out, err := rig.command("ingest", "--workers", "remote", docs).CombinedOutput()
				took := time.Since(start)
				close(stop)
				<-sampled
				cancel()
				nc.Close()
				if err != nil {
					b.Fatalf("ingest: %v\n%s\n%s", err, out, rig.logs())
				}
				var mid [2][]float64
				for _, s := range samples {
					if s[0] >= took.Seconds()/4 && s[0] <= took.Seconds()*3/4 {
						mid[0], mid[1] = append(mid[0], s[1]), append(mid[1], s[2])
					}
				}
				b.ReportMetric(float64(n)/took.Seconds(), "docs/s")
				b.ReportMetric(repotest.Median(mid[0]), "extract-backlog")
				b.ReportMetric(repotest.Median(mid[1]), "index-backlog")
				b.Logf("%d extract-workers: %d documents in %s; %s", replicas, n, took.Round(time.Millisecond), lastLine(string(out)))
			}
		})
	}
}

// waitConsumers waits until the stages have created their durable
// consumers, so the clock starts with the pipeline ready.
func waitConsumers(b *testing.B, ctx context.Context, js jetstream.JetStream, rig *clusterRig) {
	b.Helper()
	for {
		_, e1 := js.Consumer(ctx, bus.StreamRaw, bus.ConsumerExtractor)
		_, e2 := js.Consumer(ctx, bus.StreamTagged, bus.ConsumerIndexer)
		if e1 == nil && e2 == nil {
			return
		}
		select {
		case <-ctx.Done():
			b.Fatalf("stages never created their consumers\n%s", rig.logs())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func backlog(ctx context.Context, js jetstream.JetStream, stream, durable string) float64 {
	if info := consumerInfo(ctx, js, stream, durable); info != nil {
		return float64(info.NumPending) + float64(info.NumAckPending)
	}
	return 0
}
