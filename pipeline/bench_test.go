package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// BenchmarkPipeline measures documents per second through the whole
// embedded pipeline (read, publish, extract, index) on the example corpus
// repeated to 5,000 documents, and the process's peak resident memory.
func BenchmarkPipeline(b *testing.B) {
	examples, _ := filepath.Glob(filepath.Join("..", "examples", "*.txt"))
	if len(examples) == 0 {
		b.Fatal("no examples/*.txt")
	}
	n := repotest.BenchDocs(b, 5000)
	src := b.TempDir()
	for i := range n {
		body, err := os.ReadFile(examples[i%len(examples)])
		if err != nil {
			b.Fatal(err)
		}
		// A distinct copy each time, so no document is "unchanged".
		body = append(body, fmt.Sprintf("\nCopy %d of this report.\n", i)...)
		os.WriteFile(filepath.Join(src, fmt.Sprintf("%05d.txt", i)), body, 0o644)
	}
	b.ResetTimer()
	var elapsed time.Duration
	for range b.N {
		dir := b.TempDir()
		e := start(context.Background(), b, dir)
		t0 := time.Now()
		c := e.ingest(b, src)
		elapsed += time.Since(t0)
		e.stop()
		if int(c.Accepted) != n {
			b.Fatalf("accepted %d of %d", c.Accepted, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "docs/s")
	if rss, ok := repotest.PeakRSS(0); ok {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
	}
}
