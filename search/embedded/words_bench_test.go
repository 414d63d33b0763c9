package embedded

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// BenchmarkTokenize sets the index's tokenizer against bleve's unicode
// tokenizer, whose words it keeps on text without unspaced scripts, on
// generated articles: what Words's own splitting of ASCII saves.
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
