package embedded

import (
	"bytes"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"

	"github.com/compoundwatch/compoundwatch/internal/hant"
)

// refFold is the index's fold written plainly: bleve's filter over the
// whole text, then hant.Simplify.
func refFold(in []byte) []byte {
	return []byte(hant.Simplify(string(asciifolding.New().Filter(bytes.Clone(in)))))
}

// TestFoldFilter checks the ASCII shortcut against refFold, and that the output never shares the input's bytes.
func TestFoldFilter(t *testing.T) {
	ours := foldFilter{asciifolding.New()}
	for _, s := range []string{"", "Plain ASCII, 42 words.", "Café Ñoño Straße", "黄乐园区 and Jin Bei", "bad \xff utf-8", "\x7f\x00", "It’s “Café” in 黄乐园区, cut \xe9\xbb", "Ærø\xc3",
		"詐騙園區 in 柬埔寨", "陳志，太子集團", "黃樂園區 Café", "㑮 and 𧵳", "詐\xff騙"} {
		in := []byte(s)
		got, want := ours.Filter(in), refFold(in)
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
	f.Add([]byte("詐騙園區 in 柬埔寨 \xe8\xa9"))
	ours := foldFilter{asciifolding.New()}
	f.Fuzz(func(t *testing.T, in []byte) {
		if got, want := ours.Filter(in), refFold(in); !bytes.Equal(got, want) {
			t.Errorf("Filter(%q) = %q, want %q", in, got, want)
		}
	})
}
