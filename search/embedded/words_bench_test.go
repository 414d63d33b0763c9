package embedded

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// BenchmarkTokenize sets the index's tokenizer against bleve's unicode
// tokenizer, which it extends, on generated articles (no unspaced script):
// what the extension costs a text that does not need it.
func BenchmarkTokenize(b *testing.B) {
	var texts [][]byte
	size := 0
	for _, a := range repotest.Articles(b, 50) {
		texts = append(texts, []byte(a))
		size += len(a)
	}
	for _, tc := range []struct {
		name string
		tok  analysis.Tokenizer
	}{
		{"unicode", unicode.NewUnicodeTokenizer()},
		{"index", tokenizer{}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, t := range texts {
					tc.tok.Tokenize(t)
				}
			}
		})
	}
}
