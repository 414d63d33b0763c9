package extractor

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
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

// TestAppendISO: appendISO, whose years, months and days that fit their
// widths appendPadded writes digit by digit, writes what fmt does, on
// the edges of that path and on random dates inside and outside it.
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

// TestMonthAtAndValidDate: monthAt, which screens a token by its shape
// and looks it up once in lower case, names the month of every
// capitalised month's name, in any case and with or without its dot, and
// of nothing else; validDate, which passes days up to 28 unread, agrees
// with the calendar on every day of every month of four centuries.
func TestMonthAtAndValidDate(t *testing.T) {
	texts := repotest.Articles(t, 30)
	r := rand.New(rand.NewPCG(23, 24))
	pieces := []string{"March", "MARCH", "march", "Mar", "Mar.", "Sept.", "Sept", "May", "Mayor", "Jun", "June", "Julyx", "É", "Day", " ", ". ", "3", "\n"}
	for range 5000 {
		texts = append(texts, randomString(r, pieces, 8))
	}
	seen := 0
	for _, text := range texts {
		s := newScanner(text, tokenize(nil, text))
		for i := -1; i <= len(s.toks); i++ {
			// The definition: a capitalised word that is a month's name
			// in any case, with or without an abbreviation's dot; no
			// screen of its shape.
			want := 0
			if i >= 0 && i < len(s.toks) && s.toks[i].kind == tWord && s.toks[i].has(fUpper) {
				want, _ = s.lx.months.getFold(strings.TrimSuffix(s.tok(i), "."))
			}
			if want != 0 {
				seen++
			}
			if got := s.monthAt(i); got != want {
				t.Fatalf("monthAt(%d) = %d, want %d in %q", i, got, want, text)
			}
		}
	}
	if seen < 1000 {
		t.Fatalf("only %d months: the test reads too few", seen)
	}
	for y := 1900; y < 2300; y++ {
		for m := -1; m <= 13; m++ {
			for d := -1; d <= 32; d++ {
				want := m >= 1 && m <= 12 && d >= 1 && time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() == d
				if got := validDate(y, m, d); got != want {
					t.Fatalf("validDate(%d, %d, %d) = %v, want %v", y, m, d, got, want)
				}
			}
		}
	}
}

// ordinalDayPlain is ordinalDay's definition: the suffix letters
// trimmed, then one or two digits read as a day of the month.
func ordinalDayPlain(s string) int {
	s = strings.TrimRight(s, "stndrh")
	if len(s) == 0 || len(s) > 2 {
		return 0
	}
	d, err := strconv.Atoi(s)
	if err != nil || d < 1 || d > 31 {
		return 0
	}
	return d
}

// TestOrdinalDay: ordinalDay, which reads one or two digits directly,
// reads every string of up to four bytes from digits, suffix letters,
// signs and others as the suffix loop and strconv.Atoi do.
func TestOrdinalDay(t *testing.T) {
	alphabet := []string{"0", "1", "3", "9", "s", "t", "n", "d", "r", "h", "+", "-", " ", "x", "\xff"}
	var all func(prefix string, n int)
	all = func(prefix string, n int) {
		if got, want := ordinalDay(prefix), ordinalDayPlain(prefix); got != want {
			t.Fatalf("ordinalDay(%q) = %d, want %d", prefix, got, want)
		}
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			all(prefix+c, n-1)
		}
	}
	all("", 4)
	for d := range 100 {
		for _, s := range []string{strconv.Itoa(d), fmt.Sprintf("%02d", d), strconv.Itoa(d) + "th"} {
			if got, want := ordinalDay(s), ordinalDayPlain(s); got != want {
				t.Fatalf("ordinalDay(%q) = %d, want %d", s, got, want)
			}
		}
	}
}
