package hugepage

import "testing"

func TestMode(t *testing.T) {
	for _, tc := range []struct{ enabled, want string }{
		{"always [madvise] never\n", "madvise"},
		{"[always] madvise never\n", "always"},
		{"always madvise [never]\n", "never"},
		{"", ""},
		{"always madvise never", ""},
		{"always [madvise", ""},
	} {
		if got := Mode(tc.enabled); got != tc.want {
			t.Errorf("Mode(%q) = %q, want %q", tc.enabled, got, tc.want)
		}
	}
}
