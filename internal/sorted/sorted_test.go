package sorted

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBefore compares Before with slices.BinarySearch's index on sorted
// random slices of every length up to 200, with repeats, for values
// below, among and above their elements, as ints and as uint64s.
func TestBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 23))
	for n := range 200 {
		s := make([]int, n)
		u := make([]uint64, n)
		for i := range s {
			s[i] = r.IntN(50)
		}
		slices.Sort(s)
		for i, v := range s {
			u[i] = uint64(v) << 32
		}
		for x := -1; x <= 51; x++ {
			want, _ := slices.BinarySearch(s, x)
			if got := Before(s, x); got != want {
				t.Fatalf("Before(%v, %d) = %d, want %d", s, x, got, want)
			}
			if x >= 0 {
				if got := Before(u, uint64(x)<<32); got != want {
					t.Fatalf("Before(%v, %d<<32) = %d, want %d", s, x, got, want)
				}
			}
		}
	}
}

// TestBeforeFrom asks BeforeFrom, on the same slices as TestBefore, runs
// of values that never decrease (some repeated, some skipped) and holds
// every answer to Before's.
func TestBeforeFrom(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 31))
	for n := range 200 {
		s := make([]int, n)
		for i := range s {
			s[i] = r.IntN(50)
		}
		slices.Sort(s)
		k := 0
		for x := -1; x <= 51; x += r.IntN(3) {
			k = BeforeFrom(s, x, k)
			if want := Before(s, x); k != want {
				t.Fatalf("BeforeFrom(%v, %d) = %d, want %d", s, x, k, want)
			}
		}
	}
}
