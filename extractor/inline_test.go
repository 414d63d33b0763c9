package extractor

import (
	"os/exec"
	"regexp"
	"testing"
)

// TestLowerEndInlined guards a speed-up that no output shows: the
// tokenizer's word scan pays off only while the compiler inlines
// ascii.LowerEnd at its call sites (its cost is just under the inliner's
// budget); as a call per word it made the tokenizer about 15% slower.
// An edit that pushes it over the budget fails here, not silently in a
// benchmark.
func TestLowerEndInlined(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to ask the compiler")
	}
	out, err := exec.Command(goTool, "build", "-gcflags=github.com/compoundwatch/compoundwatch/extractor=-m", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	calls := regexp.MustCompile(`(?m)^\S+: inlining call to ascii\.LowerEnd$`).FindAll(out, -1)
	if len(calls) < 2 {
		t.Errorf("ascii.LowerEnd inlined at %d call sites, want the tokenizer's 2 (run go build -gcflags=-m=2 on internal/ascii for its cost)", len(calls))
	}
}
