package embedded

import (
	"slices"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/compoundwatch/compoundwatch/internal/hant"
)

// foldName is the index's char filter: bleve's asciifolding filter,
// which folds rune by rune, applied to the runs of non-ASCII bytes only
// (bleve's converts the whole text to runes and back, about twenty bytes
// allocated per byte, though ASCII folds to itself and articles are
// mostly ASCII), then traditional Chinese characters folded to
// simplified ones (hant.AppendSimplified).
const foldName = "cw_asciifolding"

type foldFilter struct{ analysis.CharFilter }

// Filter returns new bytes, as bleve's filter does: the lowercase token
// filter after it writes over the bytes it is given. A run ends before
// an ASCII byte, which no UTF-8 sequence holds, so each run decodes as
// it would within the whole text.
func (f foldFilter) Filter(in []byte) []byte {
	out := make([]byte, 0, len(in))
	for len(in) > 0 {
		i := slices.IndexFunc(in, nonASCII)
		if i < 0 {
			return append(out, in...)
		}
		out = append(out, in[:i]...)
		in = in[i:]
		j := slices.IndexFunc(in, func(c byte) bool { return !nonASCII(c) })
		if j < 0 {
			j = len(in)
		}
		out = hant.AppendSimplified(out, f.CharFilter.Filter(in[:j]))
		in = in[j:]
	}
	return out
}

func nonASCII(c byte) bool { return c >= utf8.RuneSelf }

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
		"tokenizer":     tokenizerName,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return err
	}
	im.DefaultAnalyzer = analyzerName
	return nil
}
