package embedded

import (
	"bytes"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
)

// TestFoldFilter checks the ASCII shortcut against bleve's filter, and
// that its output never shares the input's bytes.
func TestFoldFilter(t *testing.T) {
	bleveFold, ours := asciifolding.New(), foldFilter{asciifolding.New()}
	for _, s := range []string{"", "Plain ASCII, 42 words.", "Café Ñoño Straße", "黄乐园区 and Jin Bei", "bad \xff utf-8", "\x7f\x00", "It’s “Café” in 黄乐园区, cut \xe9\xbb", "Ærø\xc3"} {
		in := []byte(s)
		got, want := ours.Filter(in), bleveFold.Filter([]byte(s))
		if !bytes.Equal(got, want) {
			t.Errorf("Filter(%q) = %q, want %q", s, got, want)
		}
		for i := range got {
			got[i] = '#'
		}
		if string(in) != s {
			t.Errorf("Filter(%q) shares the input's bytes", s)
		}
	}
}

func FuzzFoldFilter(f *testing.F) {
	f.Add([]byte("It’s “Café” in 黄乐园区, cut \xe9\xbb"))
	bleveFold, ours := asciifolding.New(), foldFilter{asciifolding.New()}
	f.Fuzz(func(t *testing.T, in []byte) {
		if got, want := ours.Filter(in), bleveFold.Filter(bytes.Clone(in)); !bytes.Equal(got, want) {
			t.Errorf("Filter(%q) = %q, want %q", in, got, want)
		}
	})
}
