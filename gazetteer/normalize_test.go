package gazetteer

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestOrigAt compares origAt's search with a scan of the shift points,
// at every position of folded texts whose pieces shift it: runs of
// spaces, "&", letters with diacritics, Han and Khmer, invalid bytes.
func TestOrigAt(t *testing.T) {
	pieces := []string{"a", "Bc", " ", "  ", "\n\t", "&", "é", "Ǆ", "ß", "黄乐", "園區", "㑮", "ក្រុង", "\xff", "-", ".", "K.B", "ﬁ"}
	rng := rand.New(rand.NewPCG(29, 31))
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		var f folded
		fold(&f, b.String(), nil)
		k := 0 // origFrom's, asked at every position in order
		for i := 0; i <= len(f.b)+1; i++ {
			want := i
			for _, sh := range f.shifts {
				if int(sh>>32) <= i {
					want = i + int(int32(sh))
				}
			}
			if i >= len(f.b) {
				want = f.n
			}
			if got := f.origAt(i); got != want {
				t.Fatalf("%q folded %q: origAt(%d) = %d, want %d (shifts %x)", b.String(), f.b, i, got, want, f.shifts)
			}
			if i%3 == 0 || rng.IntN(2) == 0 { // a run that passes over some positions
				if got := f.origFrom(&k, i); got != want {
					t.Fatalf("%q folded %q: origFrom(%d) = %d, want %d (shifts %x)", b.String(), f.b, i, got, want, f.shifts)
				}
			}
		}
	}
}
