package embedded

import (
	"bytes"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// foldName is bleve's asciifolding char filter with a shortcut for text
// that is all ASCII, which it leaves as is: bleve's converts every text
// to runes and back, about twenty bytes allocated per byte, a tenth of
// the CPU an upsert spends analysing.
const foldName = "cw_asciifolding"

type foldFilter struct{ analysis.CharFilter }

// Filter returns a copy, as bleve's filter does: the lowercase token
// filter after it writes over the bytes it is given.
func (f foldFilter) Filter(in []byte) []byte {
	for _, c := range in {
		if c >= utf8.RuneSelf {
			return f.CharFilter.Filter(in)
		}
	}
	return bytes.Clone(in)
}

func init() {
	// Bleve's analysis components are found by name in its registry,
	// which its own filters also fill from init.
	err := registry.RegisterCharFilter(foldName, func(map[string]any, *registry.Cache) (analysis.CharFilter, error) {
		return foldFilter{asciifolding.New()}, nil
	})
	if err != nil {
		panic(err)
	}
}

// addAnalyzer defines the analyzer both indexes split and fold text
// with, analyzerName, and makes it im's default.
func addAnalyzer(im *mapping.IndexMappingImpl) error {
	if err := im.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"char_filters":  []any{foldName},
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return err
	}
	im.DefaultAnalyzer = analyzerName
	return nil
}
