package pipeline_test

import (
	"os"
	"testing"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// TestMain runs the tests with the heap the commands have, so that the
// benchmarks' pipelines and bulk loads, in this process and in the fresh
// ones of TestBulkProcess, run with the memory that `ingest` and `run`
// have.
func TestMain(m *testing.M) { os.Exit(repotest.RunAdvised(m)) }
