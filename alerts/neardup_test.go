package alerts

import "testing"

// TestFnv64Stored pins the shingle hash of the near-duplicate signature:
// signatures are kept in the ledger, so its values must not change.
func TestFnv64Stored(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want uint64
	}{
		{"", 0xcbf29ce484222325},
		{"huang", 0xb44c54c248124182},
		{"黄乐园区x", 0x100dc2c57cfdb71e},
		{"ប៉ូលិ", 0x918009bfc8db45b0},
	} {
		if got := fnv64([]rune(tc.s)); got != tc.want {
			t.Errorf("fnv64(%q) = %#x, want %#x", tc.s, got, tc.want)
		}
	}
}
