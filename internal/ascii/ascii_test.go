package ascii

import (
	"strings"
	"testing"
)

func TestIsAlnum(t *testing.T) {
	for _, tc := range []struct {
		c    byte
		want bool
	}{
		{'0', true}, {'9', true}, {'a', true}, {'z', true}, {'A', true}, {'Z', true},
		{'/', false}, {':', false}, {'@', false}, {'[', false}, {'`', false}, {'{', false},
		{' ', false}, {'_', false}, {'-', false}, {0, false}, {0x7f, false},
		{0xc3, false}, {0xe1, false}, {0xff, false}, // high bytes, even where c&0x7f is a letter
	} {
		if got := IsAlnum(tc.c); got != tc.want {
			t.Errorf("IsAlnum(%q) = %v, want %v", tc.c, got, tc.want)
		}
	}
}

// TestIsAlnumEveryByte checks the table against the range tests it
// replaces.
func TestIsAlnumEveryByte(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		want := '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
		if got := IsAlnum(b); got != want {
			t.Errorf("IsAlnum(%#x) = %v, want %v", b, got, want)
		}
	}
}

// lowerEndLoop is the plain byte loop LowerEnd must agree with.
func lowerEndLoop(s string, i int) int {
	for i < len(s) && 'a' <= s[i] && s[i] <= 'z' {
		i++
	}
	return i
}

func TestLowerEnd(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    string
		i    int
		want int
	}{
		{"empty", "", 0, 0},
		{"at end", "abc", 3, 3},
		{"short word, end of text", "abc", 0, 3},
		{"short word then space", "abc def", 0, 3},
		{"not a letter at i", " abc", 0, 0},
		{"capital stops", "abcDef", 0, 3},
		{"digit stops", "abc1", 0, 3},
		{"from the middle", "xx abcdef", 3, 9},
		{"exactly eight", "abcdefgh", 0, 8},
		{"eight then space", "abcdefgh ", 0, 8},
		{"nine", "abcdefghi", 0, 9},
		{"end in second word", "abcdefghijk,lmnop", 0, 11},
		{"long run", strings.Repeat("z", 40) + ".", 0, 40},
		{"bytes next to the range", "a`b", 0, 1},
		{"brace after z", "az{", 0, 2},
		{"high byte that masks to a letter", "ab\xe1cdefghij", 0, 2}, // 0xe1 & 0x7f == 'a'
		{"high byte 0xfa", "abcdefg\xfa", 0, 7},
		{"0xff does not carry", "\xffabcdefgh", 1, 9},
		{"non-ASCII letter", "caf\u00e9s", 0, 3},
		{"tail after a full word", "abcdefghij", 2, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := LowerEnd(tc.s, tc.i); got != tc.want {
				t.Errorf("LowerEnd(%q, %d) = %d, want %d", tc.s, tc.i, got, tc.want)
			}
			if got := lowerEndLoop(tc.s, tc.i); got != tc.want {
				t.Errorf("the test is wrong: the loop gives %d, want %d", got, tc.want)
			}
		})
	}
}

// TestLowerEndEveryByte puts each byte value at each position of a word
// of letters, so every lane of the word meets every byte.
func TestLowerEndEveryByte(t *testing.T) {
	buf := []byte(strings.Repeat("m", 19))
	for pos := range buf {
		for c := range 256 {
			buf[pos] = byte(c)
			s := string(buf)
			for i := range 3 {
				if got, want := LowerEnd(s, i), lowerEndLoop(s, i); got != want {
					t.Fatalf("LowerEnd(%q, %d) = %d, want %d", s, i, got, want)
				}
			}
		}
		buf[pos] = 'm'
	}
}

// FuzzLowerEnd compares LowerEnd with the byte loop it replaces. Its
// seeds, in testdata, put word ends in every lane and the bytes around
// the range that a wrong mask would let in.
//
//	go test ./internal/ascii -run '^$' -fuzz FuzzLowerEnd -fuzztime 60s
func FuzzLowerEnd(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string, i int) {
		if i < 0 || i > len(s) {
			return
		}
		if got, want := LowerEnd(s, i), lowerEndLoop(s, i); got != want {
			t.Fatalf("LowerEnd(%q, %d) = %d, want %d", s, i, got, want)
		}
	})
}

// BenchmarkLowerEnd compares LowerEnd with the byte loop on words of
// varied length in a pseudo-random order, so that the branch predictor
// cannot learn where the words end. Both are called directly, so that
// both are inlined as in the tokenizer.
func BenchmarkLowerEnd(b *testing.B) {
	words := strings.Fields("the police said they had rescued workers from a guarded compound in sihanoukville " +
		"residents described buildings ringed by razor wire and a guard who said workers had left since ranking was announced")
	var sb strings.Builder
	for k := uint32(1); sb.Len() < 64<<10; {
		k = k*1664525 + 1013904223
		sb.WriteString(words[k>>16%uint32(len(words))])
		sb.WriteByte(" ,."[k>>8%3])
	}
	text := sb.String()
	b.Run("swar", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			for i := 0; i < len(text); {
				i = LowerEnd(text, i) + 1
			}
		}
	})
	b.Run("loop", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			for i := 0; i < len(text); {
				i = lowerEndLoop(text, i) + 1
			}
		}
	})
}

// alnum8Loop is the byte loop Alnum8 must agree with: the count of
// leading letters and digits, and the bytes with capitals lowered.
func alnum8Loop(s string, i int) (lower [8]byte, n int) {
	for k := range 8 {
		c := s[i+k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[k] = c
	}
	for n < 8 && IsAlnum(s[i+n]) {
		n++
	}
	return lower, n
}

// checkAlnum8 compares Alnum8 with the loop on the bytes the loop says
// are letters and digits: those past the n-th are the caller's to drop.
func checkAlnum8(t *testing.T, s string, i int) {
	t.Helper()
	got, n := Alnum8(Load8(s, i))
	want, wn := alnum8Loop(s, i)
	if n != wn {
		t.Fatalf("Alnum8(%q, %d) counts %d letters and digits, want %d", s, i, n, wn)
	}
	for k := range n {
		if b := byte(got >> (8 * k)); b != want[k] {
			t.Fatalf("Alnum8(%q, %d): byte %d is %q, want %q", s, i, k, b, want[k])
		}
	}
}

func TestAlnum8(t *testing.T) {
	for _, s := range []string{
		"abcdefgh", "ABCDEFGH", "01234567", "Mekong 2", "K.B Hotel", "tycoon's",
		"az{AZ[09", "@`/:[{\x7f ", "caf\u00e9 bar", "\xe1bcdefgh", "a\xc1\xdabcdef",
		"x-ray ab", "Ab3Cd4Ef", "\x00\x00\x00\x00\x00\x00\x00\x00",
	} {
		checkAlnum8(t, s, 0)
	}
}

// TestAlnum8EveryByte puts each byte value in each lane of a word of
// letters, digits and capitals.
func TestAlnum8EveryByte(t *testing.T) {
	for _, base := range []string{"mmmmmmmm", "MMMMMMMM", "55555555", "aZ9bY8cX"} {
		buf := []byte(base)
		for pos := range buf {
			for c := range 256 {
				buf[pos] = byte(c)
				checkAlnum8(t, string(buf), 0)
			}
			buf[pos] = base[pos]
		}
	}
}

func TestLoad8(t *testing.T) {
	for _, tc := range []struct {
		s    string
		i    int
		want uint64
	}{
		{"abcdefghij", 0, 0x6867666564636261},
		{"abcdefghij", 2, 0x6a69686766656463},
		{"abcdefghij", 5, 0x6a69686766},
		{"abc", 3, 0},
		{"", 0, 0},
	} {
		if got := Load8(tc.s, tc.i); got != tc.want {
			t.Errorf("Load8(%q, %d) = %#x, want %#x", tc.s, tc.i, got, tc.want)
		}
		if tc.i+8 <= len(tc.s) {
			if got := First8(tc.s[tc.i:]); got != tc.want {
				t.Errorf("First8(%q) = %#x, want %#x", tc.s[tc.i:], got, tc.want)
			}
		}
	}
}

// FuzzAlnum8 compares Alnum8 with the byte loop.
//
//	go test ./internal/ascii -run '^$' -fuzz FuzzAlnum8 -fuzztime 60s
func FuzzAlnum8(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string, i int) {
		if i < 0 || i+8 > len(s) {
			return
		}
		checkAlnum8(t, s, i)
	})
}

// TestPrintable8EveryByte puts each byte value in each lane of words of
// printable bytes at both ends of the range, and compares Printable8
// with its definition byte by byte.
func TestPrintable8EveryByte(t *testing.T) {
	for _, base := range []string{"mmmmmmmm", "        ", "~~~~~~~~", " ~ ~ ~ ~", "!}!}!}!}"} {
		buf := []byte(base)
		for pos := range buf {
			for c := range 256 {
				buf[pos] = byte(c)
				want := true
				for _, b := range buf {
					want = want && ' ' <= b && b <= '~'
				}
				if got := Printable8(Load8(string(buf), 0)); got != want {
					t.Fatalf("Printable8(%q) = %v, want %v", buf, got, want)
				}
			}
			buf[pos] = base[pos]
		}
	}
}

// TestLower8EveryByte puts each byte value in each lane of a word and
// compares Lower8 with lowering byte by byte.
func TestLower8EveryByte(t *testing.T) {
	for _, base := range []string{"mmmmmmmm", "MMMMMMMM", "A@Z[a`z{"} {
		buf := []byte(base)
		for pos := range buf {
			for c := range 256 {
				buf[pos] = byte(c)
				got := Lower8(Load8(string(buf), 0))
				for k, b := range buf {
					if 'A' <= b && b <= 'Z' {
						b += 'a' - 'A'
					}
					if g := byte(got >> (8 * k)); g != b {
						t.Fatalf("Lower8(%q): byte %d is %#x, want %#x", buf, k, g, b)
					}
				}
			}
			buf[pos] = base[pos]
		}
	}
}

// singleSpacedLoop is SingleSpaced8's definition, a byte at a time.
func singleSpacedLoop(b []byte) (spaces uint64, ok bool) {
	ok = true
	for k, c := range b {
		if c == ' ' {
			spaces |= 0x80 << (8 * k)
			if k > 0 && b[k-1] == ' ' {
				ok = false
			}
		} else if c < '!' || c > 0x7f {
			ok = false
		}
	}
	return spaces, ok
}

// TestSingleSpaced8EveryByte puts each byte value in each lane of words
// with and without spaces, and spaces in every pair of lanes.
func TestSingleSpaced8EveryByte(t *testing.T) {
	check := func(buf []byte) {
		t.Helper()
		gotSp, gotOK := SingleSpaced8(Load8(string(buf), 0))
		wantSp, wantOK := singleSpacedLoop(buf)
		if gotSp != wantSp || gotOK != wantOK {
			t.Fatalf("SingleSpaced8(%q) = %#x, %v; want %#x, %v", buf, gotSp, gotOK, wantSp, wantOK)
		}
	}
	for _, base := range []string{"abcdefgh", "ab cd ef", " a b c d", "a b c d ", "~!~!~!~!", "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f"} {
		buf := []byte(base)
		for pos := range buf {
			for c := range 256 {
				buf[pos] = byte(c)
				check(buf)
			}
			buf[pos] = base[pos]
		}
	}
	for a := range 8 {
		for b := range 8 {
			buf := []byte("mmmmmmmm")
			buf[a], buf[b] = ' ', ' '
			check(buf)
		}
	}
}
