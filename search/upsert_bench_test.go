//go:build unix

package search_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
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
	docs := articleDocs(b, benchDocsOr(b, 2000))
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
				t0, c0 := time.Now(), cpuTime(b)
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
				cpu += cpuTime(b) - c0
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

// cpuTime is the user and system CPU time of the process so far.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// articleDocs builds n distinct article-sized documents from the
// examples' sentences, as the pipeline's throughput benchmark does, and
// tags them as the pipeline would: read from a file, extracted with the
// shipped gazetteer, turned into search.Docs.
func articleDocs(tb testing.TB, n int) []search.Doc {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(repotest.Root(tb), "examples", "*.txt"))
	var sentences []string
	split := regexp.MustCompile(`[.!?]\s+`)
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		text := string(body)
		if i := strings.Index(text, "\n\n"); i >= 0 {
			text = text[i+2:] // past the header lines
		}
		for _, s := range split.Split(text, -1) {
			if s = strings.Join(strings.Fields(s), " "); len(s) > 40 {
				sentences = append(sentences, s+".")
			}
		}
	}
	if len(sentences) < 100 {
		tb.Fatalf("only %d sentences in the examples", len(sentences))
	}
	g, err := gazetteer.Default()
	if err != nil {
		tb.Fatal(err)
	}
	x := extractor.New(g)
	dir := tb.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	docs := make([]search.Doc, 0, n)
	for i := range n {
		var sb strings.Builder
		day := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(1400))
		fmt.Fprintf(&sb, "Title: Report %d on the compounds\nPublished: %s\n\n", i, day.Format(time.DateOnly))
		for range 25 + rng.IntN(21) {
			sb.WriteString(sentences[rng.IntN(len(sentences))])
			if rng.IntN(4) == 0 {
				sb.WriteString("\n\n")
			} else {
				sb.WriteByte(' ')
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("%05d.txt", i))
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
		raw, err := content.ReadFile(context.Background(), path)
		if err != nil {
			tb.Fatal(err)
		}
		docs = append(docs, search.FromTagged(x.Extract(raw), nil))
	}
	return docs
}
