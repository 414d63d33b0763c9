package repotest

import (
	"testing"

	"github.com/compoundwatch/compoundwatch/internal/hugepage"
)

// RunAdvised advises the heap as the commands that read, tag and index in
// bulk do (internal/hugepage) and then runs the package's tests, for a
// TestMain whose benchmarks must measure with the memory those commands
// have: on these virtual machines a page first touched costs about 15
// µs, and a benchmark that grows its heap would time the faults.
func RunAdvised(m *testing.M) int {
	hugepage.Advise(hugepage.Heap)
	return m.Run()
}
