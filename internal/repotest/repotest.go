// Package repotest locates the repository and the shared development data
// beside it (<repo>/../shared), so that tests work from whatever folder
// `go test` runs them in.
package repotest

import (
	"os"
	"path/filepath"
	"testing"
)

// RequireEnv names the variable that turns missing shared data into a
// failure instead of a skip. .ci/run sets it, so the tests that score
// against the shared corpus cannot pass in CI by skipping.
const RequireEnv = "CW_REQUIRE_SHARED"

// Root returns the folder that holds go.mod.
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// Shared returns <repo>/../shared/<elem...>. When that path is missing it
// skips the test, saying what was expected where, or fails it when
// RequireEnv is set.
func Shared(tb testing.TB, elem ...string) string {
	tb.Helper()
	p := filepath.Join(append([]string{Root(tb), "..", "shared"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv(RequireEnv) != "" {
			tb.Fatalf("shared data missing and %s is set: %v", RequireEnv, err)
		}
		tb.Skipf("shared data not found: %v (expected the shared folder beside the repository; CI has it)", err)
	}
	return p
}
