package minhash

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// reference is Of as first written, one multiply-add per function for
// every shingle, kept to hold the faster Of to the same signatures:
// stored signatures must compare with new ones.
func reference(s string) Signature {
	var sig Signature
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	var (
		win [Shingle]rune
		n   int
		gap bool // a run of other characters, written once before the next letter
		any bool
	)
	add := func(r rune) {
		copy(win[:], win[1:])
		win[Shingle-1] = r
		width := Shingle
		if unicode.Is(unicode.Han, r) {
			width = 2
		}
		if n++; n < width {
			return
		}
		h := shingleHash(win[Shingle-width:])
		any = true
		for i := range sig {
			// h_i = high half of a_i*h + b_i: one multiply-add per
			// function, cheap enough for whole documents.
			if v := uint32((perm[i][0]*h + perm[i][1]) >> 32); v < sig[i] {
				sig[i] = v
			}
		}
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r) {
			gap = n > 0
			continue
		}
		if gap {
			add(' ')
			gap = false
		}
		add(unicode.ToLower(r))
	}
	if !any {
		return Signature{}
	}
	return sig
}

func TestOfMatchesReference(t *testing.T) {
	texts := []string{"", "a", "Ab", "THE the The", "Police raided the compound.", "警方突击搜查了诈骗园区", "ប៉ូលិសបានវាយឆ្មក់", "İstanbul ǅemal Σίσυφος", "\xff\xfe bad utf-8 ok", "12 345 678 9"}
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	// Longer than the table of seen shingles holds.
	texts = append(texts, strings.Join(texts, " "))
	for _, s := range texts {
		if got, want := Of(s), reference(s); got != want {
			t.Errorf("Of(%.40q…) differs from the reference", s)
		}
	}
}

func FuzzOfMatchesReference(f *testing.F) {
	for _, s := range []string{"", "a b", "Police raided the compound.", "警方突击搜查", "ប៉ូលិស", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Of(s) != reference(s) {
			t.Errorf("Of(%q) differs from the reference", s)
		}
	})
}

// BenchmarkOfArticles runs Of on the example articles, with their
// repeated words, against the reference.
func BenchmarkOfArticles(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.txt"))
	var texts []string
	size := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(raw))
		size += len(raw)
	}
	for _, bc := range []struct {
		name string
		of   func(string) Signature
	}{{"Of", Of}, {"reference", reference}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, s := range texts {
					bc.of(s)
				}
			}
		})
	}
}
