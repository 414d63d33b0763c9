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
		if got := mode(tc.enabled); got != tc.want {
			t.Errorf("mode(%q) = %q, want %q", tc.enabled, got, tc.want)
		}
	}
}
