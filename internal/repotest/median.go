package repotest

import "slices"

// Median is the median of a benchmark's samples (the mean of the middle
// two for an even count, 0 for none), leaving xs as it is.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
