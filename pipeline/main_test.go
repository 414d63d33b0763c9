package pipeline_test

import (
	"os"
	"testing"

	"github.com/compoundwatch/compoundwatch/internal/hugepage"
)

// TestMain advises the heap as the commands do (internal/hugepage), so
// that the benchmarks' pipelines and bulk loads, in this process and in
// the fresh ones of TestBulkProcess, run with the memory that `ingest`
// and `run` have.
func TestMain(m *testing.M) {
	hugepage.Advise(hugepage.Heap)
	os.Exit(m.Run())
}
