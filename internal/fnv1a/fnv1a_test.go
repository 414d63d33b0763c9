package fnv1a

import (
	"hash/fnv"
	"testing"
)

// FuzzAdd: Add over two parts is hash/fnv's New64a over both, from a
// string or from bytes.
func FuzzAdd(f *testing.F) {
	f.Add("", "")
	f.Add("compound", "\x00")
	f.Add("黄乐", "ប៉ូលិស\xff")
	f.Fuzz(func(t *testing.T, a, b string) {
		h := fnv.New64a()
		h.Write([]byte(a))
		h.Write([]byte(b))
		want := h.Sum64()
		if got := Add(Add(Offset, a), b); got != want {
			t.Fatalf("Add(%q, %q) = %#x, hash/fnv %#x", a, b, got, want)
		}
		if got := Add(Add(Offset, []byte(a)), []byte(b)); got != want {
			t.Fatalf("Add([]byte %q, %q) = %#x, hash/fnv %#x", a, b, got, want)
		}
	})
}
