package search_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
)

// BenchmarkEmbeddedUpsert measures the embedded index's own write rate on
// documents shaped as the pipeline produces them: article-sized texts
// (a title, a date and 25 to 45 sentences drawn from the examples, about
// 4.4 KB) tagged by the extractor with the shipped gazetteer, so they
// carry entities, figures and dated events. Each run loads the corpus
// into a fresh index in batches of 1,000 (a bulk load or reindex) and of
// 200, one at a time and three at once (as the indexer sends them), and
// reports docs/s, the CPU time of the whole process per document (which
// a busy shared machine disturbs less than the wall clock) and
// allocations. The first run of a process is slower: run it a few
// times. 2,000 documents by default; CW_BENCH_DOCS overrides. Run it with
//
//	go test -run '^$' -bench EmbeddedUpsert -benchtime 3x ./search/
func BenchmarkEmbeddedUpsert(b *testing.B) {
	docs := searchtest.Articles(b, repotest.BenchDocs(b, 2000))
	var text, events int
	for _, d := range docs {
		text += len(d.Text)
		events += len(d.Events)
	}
	b.Logf("%d docs, %.1f KB of text and %.1f events on average", len(docs),
		float64(text)/float64(len(docs))/1e3, float64(events)/float64(len(docs)))
	for _, c := range []struct{ batch, inFlight int }{{1000, 1}, {200, 1}, {200, 3}} {
		b.Run(fmt.Sprintf("batch=%d/in-flight=%d", c.batch, c.inFlight), func(b *testing.B) {
			b.ReportAllocs()
			var took, cpu time.Duration
			for range b.N {
				b.StopTimer()
				x, err := embedded.Open(filepath.Join(b.TempDir(), "index"), embedded.Options{})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				t0, c0 := time.Now(), repotest.CPUTime()
				var wg sync.WaitGroup
				slots := make(chan struct{}, c.inFlight)
				for i := 0; i < len(docs); i += c.batch {
					slots <- struct{}{}
					wg.Go(func() {
						defer func() { <-slots }()
						rej, err := x.Upsert(context.Background(), docs[i:min(i+c.batch, len(docs))])
						if err != nil || len(rej) > 0 {
							b.Errorf("Upsert: %v, rejected %v", err, rej)
						}
					})
				}
				wg.Wait()
				took += time.Since(t0)
				cpu += repotest.CPUTime() - c0
				b.StopTimer()
				if n, err := x.Count(context.Background()); err != nil || n != len(docs) {
					b.Fatalf("Count = %d, %v; want %d", n, err, len(docs))
				}
				x.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.N*len(docs))/took.Seconds(), "docs/s")
			b.ReportMetric(cpu.Seconds()*1e3/float64(b.N*len(docs)), "cpu-ms/doc")
		})
	}
}
