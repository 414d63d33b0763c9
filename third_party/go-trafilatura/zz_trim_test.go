// Added by compoundwatch's third_party/patch-trafilatura.sh.

package trafilatura

import (
	"strings"
	"testing"
)

// FuzzTrim: trim answers as upstream's did.
func FuzzTrim(f *testing.F) {
	for _, s := range []string{
		"", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a \n b", "a\vb", "a\u00a0b", "\u3000a",
		"a\u0085", "x\xffy", "\x85 \xc2", "é b", "ab cd ef", "Police raided the compound.",
		"  Police\n\nraided  the\tcompound. ", "警方 在西港", "ប៉ូលិស\u200bបាន",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.TrimSpace(strings.Join(strings.Fields(s), " "))
		if got := trim(s); got != want {
			t.Fatalf("trim(%q) = %q, want %q", s, got, want)
		}
	})
}
