package repotest

import (
	"os"
	"os/exec"
	"testing"
)

// Python returns a python3 that can import module (a Debian python3-*
// package that .ci/run installs, used as another tool's own parser of an
// output: feedparser for Atom, icalendar for iCalendar). Debian's
// /usr/bin/python3 comes first, since the packages install for it and a
// python3 earlier on PATH may lack them. Without one the test skips,
// saying what to install, or fails when RequireEnv is set (CI).
func Python(tb testing.TB, module, debianPackage string) string {
	tb.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(py)
		if err == nil && exec.Command(path, "-c", "import "+module).Run() == nil {
			return path
		}
	}
	if os.Getenv(RequireEnv) != "" {
		tb.Fatalf("no python3 can import %s and %s is set (apt-get install %s; .ci/run does)", module, RequireEnv, debianPackage)
	}
	tb.Skipf("no python3 can import %s (apt-get install %s)", module, debianPackage)
	return ""
}
