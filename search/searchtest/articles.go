package searchtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/search"
)

// Articles builds n distinct article-sized documents
// (repotest.Articles, as the pipeline's throughput benchmark does) and
// tags them as the pipeline would: read from a file, extracted with the
// shipped gazetteer, turned into search.Docs with every alias of the
// entities they name, as `ingest` and `run` index them.
func Articles(tb testing.TB, n int) []search.Doc {
	tb.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		tb.Fatal(err)
	}
	x := extractor.New(g)
	dir := tb.TempDir()
	docs := make([]search.Doc, 0, n)
	for i, text := range repotest.Articles(tb, n) {
		path := filepath.Join(dir, fmt.Sprintf("%05d.txt", i))
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
		raw, err := content.ReadFile(context.Background(), path)
		if err != nil {
			tb.Fatal(err)
		}
		docs = append(docs, search.FromTagged(x.Extract(raw), g.AppendAliases))
	}
	return docs
}
