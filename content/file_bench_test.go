package content

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// BenchmarkReadFile reads the article-sized text files the pipeline's
// throughput benchmark ingests (sentences of the examples), MB/s of the
// files and what a file allocates: what `ingest` pays before the bus.
//
//	go test ./content -run '^$' -bench ReadFile -benchmem
func BenchmarkReadFile(b *testing.B) {
	dir := b.TempDir()
	var files []string
	total := 0
	for i, text := range repotest.Articles(b, 200) {
		body := fmt.Sprintf("Title: Article %d\nPublished: 2025-06-02\n\n%s\n", i, text)
		f := filepath.Join(dir, fmt.Sprintf("a%03d.txt", i))
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
		files, total = append(files, f), total+len(body)
	}
	e := New(Options{})
	defer e.Close()
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			if _, err := e.ReadFile(b.Context(), f); err != nil {
				b.Fatal(err)
			}
		}
	}
}
