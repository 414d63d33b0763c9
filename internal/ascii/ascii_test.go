package ascii

import "testing"

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
