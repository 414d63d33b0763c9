package content

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// TestVendoredTrafilatura runs the tests third_party/patch-trafilatura.sh
// adds to our copy of go-trafilatura: go test ./... does not reach a
// dependency's packages.
func TestVendoredTrafilatura(t *testing.T) {
	const mod = "github.com/markusmobius/go-trafilatura"
	cmd := exec.Command("go", "test", "-count=1", mod)
	cmd.Dir = repotest.Root(t)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test %s: %v\n%s", mod, err, out)
	}
	if !strings.HasPrefix(string(out), "ok ") {
		t.Fatalf("go test %s ran no test:\n%s", mod, out)
	}
}
