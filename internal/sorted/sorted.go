// Package sorted searches sorted slices on the extraction's hot paths.
package sorted

import "cmp"

// Before returns the number of elements of sorted s less than x: the
// index slices.BinarySearch returns. Its halving steps choose with a
// conditional add rather than a branch. The extractor asks for each
// mention and candidate where its folded offsets fall in the text, for
// each capitalised word whether a mention covers it, for each mention
// where its context's white space starts, for each event which mentions
// fall inside it; the branches of a search there mispredicted at every
// other step, and that cost more than the search.
func Before[E cmp.Ordered](s []E, x E) int {
	if len(s) == 0 {
		return 0
	}
	base := 0
	for n := len(s); n > 1; {
		half := n / 2
		less := 0
		if s[base+half] < x {
			less = 1
		}
		base += half & -less
		n -= half
	}
	if s[base] < x {
		base++
	}
	return base
}

// BeforeFrom is Before for a run of questions whose x never decreases:
// k is the answer to the last one, and it counts on from there instead of
// searching again. Between two questions a scan passes few elements,
// where a search costs a dozen steps.
func BeforeFrom[E cmp.Ordered](s []E, x E, k int) int {
	for k < len(s) && s[k] < x {
		k++
	}
	return k
}
