package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/search/meili"
)

// BenchmarkThroughput measures, in one run on one generated corpus, how
// close each path comes to its physical limit, the search engine's own
// bulk indexing rate:
//
//   - pipeline → Meilisearch (ingest until searchable) against a raw bulk
//     load of the same documents into a fresh index with the same
//     settings, in batches of 1,000, all enqueued at once (needs
//     MEILI_URL, as `source .ci/meili.sh` sets);
//   - pipeline on the embedded default against the embedded index's own
//     bulk rate for the same documents, in batches of 1,000;
//   - the `compoundwatch extract` command on the corpus folder, in MB/s.
//
// The corpus: CW_BENCH_DOCS (default 2,000) distinct article-sized
// documents of about 4.4 KB, each a title, a date and 25 to 45 sentences
// drawn at random from the example documents. Run it with
//
//	bash -c 'source .ci/meili.sh && go test ./pipeline -run "^$" -bench Throughput -benchtime 1x'
func BenchmarkThroughput(b *testing.B) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("CW_BENCH_DOCS")); err == nil && v > 0 {
		n = v
	}
	src := b.TempDir()
	corpusBytes := generateCorpus(b, src, n)
	b.Logf("corpus: %d documents, %.1f MB, %.1f KB on average", n, float64(corpusBytes)/1e6, float64(corpusBytes)/float64(n)/1e3)

	type row struct {
		what string
		rate float64 // docs/s, or MB/s for extract
		unit string
	}
	var rows []row
	for range b.N {
		// Embedded: the pipeline, then the index's own bulk rate on the
		// documents the pipeline produced.
		dir := b.TempDir()
		e := start(b, dir)
		pipe := timeIngest(b, e, src, n)
		docs := taggedDocs(b, e.bus)
		e.stop()
		rows = append(rows, row{"pipeline → embedded", pipe, "docs/s"})
		x, err := embedded.Open(filepath.Join(b.TempDir(), "index"), embedded.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rows = append(rows, row{"embedded bulk", bulkUpsert(b, x, docs), "docs/s"})
		x.Close()

		if url := os.Getenv("MEILI_URL"); url != "" {
			key := os.Getenv("MEILI_API_KEY")
			uid := fmt.Sprintf("bench_pipe_%d", time.Now().UnixNano())
			mx, err := meili.Open(context.Background(), url, key, uid, meili.Options{})
			if err != nil {
				b.Fatal(err)
			}
			e := startWith(b, b.TempDir(), mx)
			rows = append(rows, row{"pipeline → Meilisearch", timeIngest(b, e, src, n), "docs/s"})
			e.stop()
			bulk := fmt.Sprintf("bench_bulk_%d", time.Now().UnixNano())
			bx, err := meili.Open(context.Background(), url, key, bulk, meili.Options{})
			if err != nil {
				b.Fatal(err)
			}
			rows = append(rows, row{"Meilisearch bulk", meiliBulk(b, url, key, bulk, docs), "docs/s"})
			for _, ix := range []*meili.Index{meili.Connect(url, key, uid, meili.Options{}), bx} {
				ix.DeleteIndex(context.Background())
				ix.Close()
			}
		} else {
			b.Log("MEILI_URL is not set: the Meilisearch rows are left out")
		}
		rows = append(rows, row{"extract command", extractCommand(b, src, corpusBytes), "MB/s"})
	}
	rate := map[string]float64{}
	var out strings.Builder
	fmt.Fprintf(&out, "\n%-24s %10s\n", "path", "rate")
	for _, r := range rows {
		rate[r.what] = r.rate
		fmt.Fprintf(&out, "%-24s %10.1f %s\n", r.what, r.rate, r.unit)
		b.ReportMetric(r.rate, strings.NewReplacer(" → ", "-to-", " ", "-").Replace(r.what)+"-"+strings.ReplaceAll(r.unit, "/", "/"))
	}
	for _, pair := range [][2]string{{"pipeline → Meilisearch", "Meilisearch bulk"}, {"pipeline → embedded", "embedded bulk"}} {
		if rate[pair[1]] > 0 && rate[pair[0]] > 0 {
			fmt.Fprintf(&out, "%s / %s = %.0f%%\n", pair[0], pair[1], 100*rate[pair[0]]/rate[pair[1]])
		}
	}
	b.Log(out.String())
}

// generateCorpus writes n distinct documents built from the examples'
// sentences into dir and returns their total size.
func generateCorpus(tb testing.TB, dir string, n int) int {
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
	rng := rand.New(rand.NewPCG(1, 2))
	total := 0
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
		total += sb.Len()
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%05d.txt", i)), []byte(sb.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return total
}

// timeIngest ingests the folder and returns documents per second until
// every document is searchable.
func timeIngest(tb testing.TB, e *env, src string, n int) float64 {
	tb.Helper()
	t0 := time.Now()
	c := e.ingest(tb, src)
	d := time.Since(t0)
	if int(c.Accepted) != n {
		tb.Fatalf("accepted %d of %d", c.Accepted, n)
	}
	if got, err := e.backend.Count(context.Background()); err != nil || got != n {
		tb.Fatalf("index holds %d (%v), want %d", got, err, n)
	}
	return float64(n) / d.Seconds()
}

// taggedDocs reads back what the pipeline indexed, as the engines store it.
func taggedDocs(tb testing.TB, b *bus.Bus) []search.Doc {
	tb.Helper()
	var docs []search.Doc
	err := bus.Replay(context.Background(), b, bus.StreamTagged, document.TaggedSchema, 500, func(ts []document.Tagged, _ int) error {
		for _, t := range ts {
			docs = append(docs, search.FromTagged(t, nil))
		}
		return nil
	}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}

func bulkUpsert(tb testing.TB, x search.Backend, docs []search.Doc) float64 {
	tb.Helper()
	t0 := time.Now()
	for i := 0; i < len(docs); i += 1000 {
		if rej, err := x.Upsert(context.Background(), docs[i:min(i+1000, len(docs))]); err != nil || len(rej) > 0 {
			tb.Fatalf("bulk upsert: %v, %d rejected", err, len(rej))
		}
	}
	return float64(len(docs)) / time.Since(t0).Seconds()
}

// meiliBulk enqueues every batch at once over plain HTTP, as a bulk
// loader would, and waits for the last task: the engine's own rate.
func meiliBulk(tb testing.TB, url, key, uid string, docs []search.Doc) float64 {
	tb.Helper()
	call := func(method, path string, body []byte) map[string]any {
		req, _ := http.NewRequest(method, url+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			tb.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil || resp.StatusCode >= 300 {
			tb.Fatalf("%s %s: %s %s", method, path, resp.Status, data)
		}
		return v
	}
	t0 := time.Now()
	var last float64
	for i := 0; i < len(docs); i += 1000 {
		body, err := json.Marshal(docs[i:min(i+1000, len(docs))])
		if err != nil {
			tb.Fatal(err)
		}
		last = call(http.MethodPost, "/indexes/"+uid+"/documents?primaryKey=id", body)["taskUid"].(float64)
	}
	for {
		task := call(http.MethodGet, fmt.Sprintf("/tasks/%d", int64(last)), nil)
		switch task["status"] {
		case "succeeded":
			return float64(len(docs)) / time.Since(t0).Seconds()
		case "failed", "canceled":
			tb.Fatalf("bulk task: %v", task["error"])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// extractCommand runs the built `compoundwatch extract --json` on the
// folder, as a user would, and returns MB/s for the whole process.
func extractCommand(tb testing.TB, src string, corpusBytes int) float64 {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "compoundwatch")
	build := exec.Command("go", "build", "-o", bin, "./cmd/compoundwatch")
	build.Dir = repotest.Root(tb)
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "extract", "--json", src)
	cmd.Stdout = io.Discard
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		tb.Fatalf("extract: %v\n%s", err, stderr.String())
	}
	return float64(corpusBytes) / 1e6 / time.Since(t0).Seconds()
}
