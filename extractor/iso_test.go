package extractor

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// isoPlain is ymd.appendISO's definition, through fmt: the year to four
// digits, the month and day to two, each zero-padded.
func isoPlain(a ymd) string {
	s := fmt.Sprintf("%04d", a.y)
	if a.d > 0 || a.m > 0 {
		s += fmt.Sprintf("-%02d", a.m)
	}
	if a.d > 0 {
		s += fmt.Sprintf("-%02d", a.d)
	}
	return s
}

// TestAppendISO: appendISO, whose dates of a four-digit year are written
// digit by digit, writes what fmt does, on the edges of that path and
// on random dates inside and outside it.
func TestAppendISO(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	check := func(a ymd) {
		t.Helper()
		if got, want := string(a.appendISO([]byte("x"))), "x"+isoPlain(a); got != want {
			t.Fatalf("appendISO(%+v) = %q, want %q", a, got, want)
		}
	}
	for _, y := range []int{-1, 0, 7, 999, 1000, 1900, 2024, 9999, 10000, 12345} {
		for _, m := range []int{-1, 0, 1, 9, 10, 12, 99, 100} {
			for _, d := range []int{-1, 0, 1, 9, 10, 31, 99, 100} {
				check(ymd{y, m, d})
			}
		}
	}
	for range 100000 {
		check(ymd{r.IntN(24000) - 2000, r.IntN(130) - 10, r.IntN(130) - 10})
	}
}
