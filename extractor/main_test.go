package extractor

import (
	"os"
	"testing"

	"github.com/compoundwatch/compoundwatch/internal/hugepage"
)

// TestMain advises the heap as every command that runs the extractor does
// (internal/hugepage), so that BenchmarkExtract measures Extract with the
// memory `extract`, `ingest`, `crawl` and `run` give it. Without the
// advice a pass over the articles that grows the heap paid for 45,000
// page faults; with it, 6,600 (five alternated runs of the benchmark).
func TestMain(m *testing.M) {
	hugepage.Advise(hugepage.Heap)
	os.Exit(m.Run())
}
