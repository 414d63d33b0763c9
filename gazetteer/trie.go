package gazetteer

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/internal/ascii"
)

// trie finds the longest pattern starting at a position of folded text.
// Mentions can only start at word starts (or anywhere in scripts without
// spaces), so a walk from each such position, which usually ends after a
// byte or two, costs far less than an automaton stepping through every
// byte.
type trie struct {
	nodes []trieNode
	edges []trieEdge // children of sparse nodes, sorted by byte
	dense [][256]int32
	// words is a one-hash Bloom filter of the patterns' first words: most
	// words of a text start no pattern, and one lookup here tells so
	// without a walk.
	words [1 << 10]uint64
}

// denseMin is the number of children from which a node gets a table row:
// the root and the first letters of names branch widely, and a scan of
// their children would dominate the walk.
const denseMin = 6

type trieNode struct {
	pat        int32 // the pattern ending here, or -1
	dense      int32 // row in dense, or -1
	first, end int32 // edges[first:end] are the children of a sparse node
	only       int16 // the byte to a node's only child, the next node, or -1
}

type trieEdge struct {
	c  byte
	to int32
}

func newTrie(keys []string) trie {
	// Insert the keys in byte order: each node's children then arrive in
	// byte order, and a key shares its path with the key before it, so
	// the child to follow, when there is one, is the last one added. A
	// stable sort keeps equal keys in their order, so the last one wins,
	// as it would inserted in the given order. Then flatten depth first:
	// most nodes past a name's first letters have one child, and a walk
	// down such a chain then reads consecutive nodes, a few to a cache
	// line, instead of a node and an edge somewhere else at every step.
	byKey := make([]int32, len(keys))
	for i := range byKey {
		byKey[i] = int32(i)
	}
	slices.SortStableFunc(byKey, func(a, b int32) int { return strings.Compare(keys[a], keys[b]) })
	kids := [][]trieEdge{nil} // children by old id, to old ids
	pats := []int32{-1}
	for _, i := range byKey {
		k, n := keys[i], int32(0)
		for j := 0; j < len(k); j++ {
			if ks := kids[n]; len(ks) > 0 && ks[len(ks)-1].c == k[j] {
				n = ks[len(ks)-1].to
				continue
			}
			c := int32(len(kids))
			kids[n] = append(kids[n], trieEdge{k[j], c})
			kids = append(kids, nil)
			pats = append(pats, -1)
			n = c
		}
		pats[n] = i
	}
	var order []int32 // old ids in depth-first order
	id := make([]int32, len(kids))
	for stack := []int32{0}; len(stack) > 0; {
		old := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		id[old] = int32(len(order))
		order = append(order, old)
		for k := len(kids[old]) - 1; k >= 0; k-- { // the first child on top
			stack = append(stack, kids[old][k].to)
		}
	}
	t := trie{nodes: make([]trieNode, len(kids))}
	for _, k := range keys {
		// A first word that goes on in non-ASCII bytes only matches where
		// the text's ASCII run does too; mayStart lets those through.
		if n, h := asciiWord(k); n > 0 && (n == len(k) || k[n] < utf8.RuneSelf) {
			t.words[h>>54] |= 1 << (h >> 48 & 63)
		}
	}
	for n, old := range order {
		m := kids[old]
		nd := &t.nodes[n]
		nd.pat, nd.dense, nd.first, nd.only = pats[old], -1, int32(len(t.edges)), -1
		switch {
		case n > 0 && len(m) == 1:
			nd.only = int16(m[0].c) // its child is the next node
		case n == 0 || len(m) >= denseMin:
			nd.dense = int32(len(t.dense))
			t.dense = append(t.dense, [256]int32{})
			for _, e := range m {
				t.dense[nd.dense][e.c] = id[e.to]
			}
		default:
			for _, e := range m {
				t.edges = append(t.edges, trieEdge{e.c, id[e.to]})
			}
		}
		nd.end = int32(len(t.edges))
	}
	return t
}

// canStart reports whether a pattern starts with byte c.
func (t *trie) canStart(c byte) bool { return t.dense[0][c] != 0 }

// mayStart reports whether a pattern may start with an ASCII word (letters
// and digits, followed in the text by an ASCII byte or the end) of hash h.
// A pattern that starts with a word starts with that whole word: it either
// goes on with a separator or ends, where a match must end at a word edge.
func (t *trie) mayStart(h uint64) bool {
	return t.words[h>>54]&(1<<(h>>48&63)) != 0
}

// startsWord reports whether a pattern may start with a word of n bytes
// that starts with first: by its hash h when the word is filtered (hashed
// whole, and not going on in non-ASCII bytes), and by its first byte. The
// hash goes first: nearly every letter starts some pattern, while the
// filter turns away most words.
func (t *trie) startsWord(first byte, filtered bool, h uint64, n int) bool {
	return (!filtered || t.mayStart(finishHash(h, n))) && t.canStart(first)
}

// asciiWord returns the length of the run of ASCII letters and digits
// that s starts with, and its hash.
func asciiWord(s string) (n int, h uint64) {
	for n < len(s) && ascii.IsAlnum(s[n]) {
		n++
	}
	for i := 0; i < n; i += 8 {
		h = hashChunk(h, ascii.Load8(s[:n], i))
	}
	return n, finishHash(h, n)
}

// hashChunk and finishHash hash a word eight bytes at a time, the first
// in the low byte, the last chunk padded with zeros: a multiply per
// chunk, which is all a filter of a few thousand words needs. Folding
// hashes each chunk as it stores it, with no work per byte.
func hashChunk(h, w uint64) uint64 { return (h ^ w) * 0xff51afd7ed558ccd }

func finishHash(h uint64, n int) uint64 { return (h ^ uint64(n)) * 0x9e3779b97f4a7c15 }

// longest returns the longest pattern that b[s:] starts with, or -1.
func (t *trie) longest(b []byte, s int) int32 {
	best := int32(-1)
	n := t.dense[0][b[s]] // the root is row 0
	for i := s + 1; n != 0; i++ {
		nd := &t.nodes[n]
		if nd.pat >= 0 {
			best = nd.pat
		}
		if i == len(b) {
			break
		}
		c := b[i]
		if nd.only >= 0 {
			if n++; nd.only != int16(c) {
				break
			}
			continue
		}
		if nd.dense >= 0 {
			n = t.dense[nd.dense][c]
			continue
		}
		n = 0
		for _, e := range t.edges[nd.first:nd.end] {
			if e.c >= c {
				if e.c == c {
					n = e.to
				}
				break
			}
		}
	}
	return best
}
