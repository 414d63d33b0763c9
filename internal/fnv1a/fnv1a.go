// Package fnv1a is hash/fnv's 64-bit FNV-1a continued over strings and
// byte slices from a state, without the allocation hash.Hash64's Write
// costs a call. The values are hash/fnv's exactly: the crawler's
// near-duplicate signatures are built from them and kept in its state.
package fnv1a

// Offset is the hash of nothing, where every hash starts.
const Offset = 14695981039346656037

// Prime is the multiplier of each step. The alerts' near-duplicate
// signature takes steps of whole runes with it, not of bytes.
const Prime = 1099511628211

// Add continues the hash h over s.
func Add[T string | []byte](h uint64, s T) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * Prime
	}
	return h
}
