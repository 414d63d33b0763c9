package minhash_test

import (
	"testing"

	"github.com/compoundwatch/compoundwatch/timeline/minhash"
)

// The texts are written for this test.
func TestSimilarity(t *testing.T) {
	tests := []struct {
		name   string
		a, b   string
		lo, hi float64
	}{
		{"same text, other case and punctuation", "Police raided the compound, freeing 300.", "police raided the compound freeing 300", 1, 1},
		{"retelling", "Police raided the compound and freed 300 workers held there", "Police raided a compound and freed some 300 workers held inside", 0.3, 0.9},
		{"unrelated", "Police raided the compound and freed 300 workers", "The court charged the owner with money laundering", 0, 0.15},
		{"Chinese retelling, no spaces", "警方突击搜查了诈骗园区并解救了三百名工人", "警方突击搜查诈骗园区，解救三百名外国工人", 0.2, 0.9},
		{"Chinese unrelated", "警方突击搜查了诈骗园区并解救了三百名工人", "法院以洗钱罪起诉了赌场老板", 0, 0.1},
		{"Khmer retelling", "ប៉ូលិសបានវាយឆ្មក់ទីតាំងបោកប្រាស់", "ប៉ូលិសវាយឆ្មក់ទីតាំងបោកប្រាស់នៅបាវិត", 0.3, 0.95},
		{"empty", "", "anything", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := minhash.Similarity(minhash.Of(tt.a), minhash.Of(tt.b))
			if s < tt.lo || s > tt.hi {
				t.Errorf("similarity %.2f, want %.2f..%.2f", s, tt.lo, tt.hi)
			}
		})
	}
}

func BenchmarkOf(b *testing.B) {
	text := make([]byte, 0, 4096)
	for len(text) < 4000 {
		text = append(text, "Police raided the compound and freed workers held there. "...)
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		minhash.Of(string(text))
	}
}

func FuzzOf(f *testing.F) {
	for _, s := range []string{"", "a", "Police raided the compound.", "警方突击搜查", "ប៉ូលិស", "\xff\xfe bad utf-8", "   ...   "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sig := minhash.Of(s)
		if !sig.Empty() && minhash.Similarity(sig, minhash.Of(s)) != 1 {
			t.Errorf("a text is not fully similar to itself")
		}
	})
}
