//go:build !linux

package hugepage

// Advise does nothing off Linux, whose transparent huge pages it
// concerns; it reports false.
func Advise(size int) (bool, error) { return false, nil }
