package embedded

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/segment"

	"github.com/compoundwatch/compoundwatch/search"
)

// tokenizerName is the index's tokenizer: bleve's unicode tokenizer, which
// drops what Unicode word segmentation cannot split into words, plus the
// words of Khmer, Thai, Lao and Myanmar text (see Words).
const tokenizerName = "cw_unicode"

// Words calls yield with the byte offsets of every word of text, as the
// index splits it, until yield returns false. Words are the segments of
// Unicode word segmentation (UAX #29) that hold letters, digits or
// ideographs; and, in a run of Khmer, Thai, Lao or Myanmar, which UAX #29
// leaves unsplit and which separates words with no space, every pair of
// adjacent clusters (a letter with its marks and subscript letters), or
// the one cluster of a run that has no other. A word of such a run, in a
// query or in a text, is then the sequence of its pairs: "ពលករ" (workers)
// is found inside "បានរំដោះពលករ" (freed workers), as Meilisearch's
// dictionaries would find it, and a run of one language never matches all
// documents for want of words. Without it, text in these scripts was not
// indexed at all, and a query in them, having no word, matched
// everything.
//
// The percolator of package alerts reads texts with Words too, so that a
// saved search matches exactly what search would find.
func Words(text []byte, yield func(start, end int) bool) {
	seg := segment.NewWordSegmenterDirect(text)
	pos, run := 0, -1 // run: start of the current run of unspaced text
	flush := func(end int) bool {
		if run < 0 {
			return true
		}
		start := run
		run = -1
		return pairs(text[start:end], func(s, e int) bool { return yield(start+s, start+e) })
	}
	for seg.Segment() {
		b := seg.Bytes()
		start := pos
		pos += len(b)
		if seg.Type() == segment.None {
			if r, _ := utf8.DecodeRune(b); search.Unspaced(r) && (unicode.IsLetter(r) || unicode.IsMark(r)) {
				if run < 0 {
					run = start
				}
				continue
			}
		}
		if !flush(start) {
			return
		}
		if seg.Type() != segment.None && !yield(start, pos) {
			return
		}
	}
	flush(pos)
}

// pairs calls yield with each pair of adjacent clusters of run, or with
// its only cluster.
func pairs(run []byte, yield func(start, end int) bool) bool {
	var starts []int
	joined := false // the previous rune joins the next letter to its cluster
	for i, r := range string(run) {
		if !(unicode.IsMark(r) || joined) || i == 0 {
			starts = append(starts, i)
		}
		// Khmer's coeng and Myanmar's virama write the next consonant
		// under the one before: one cluster.
		joined = r == '\u17d2' || r == '\u1039'
	}
	starts = append(starts, len(run))
	if len(starts) == 2 {
		return yield(starts[0], starts[1])
	}
	for k := 0; k+2 < len(starts); k++ {
		if !yield(starts[k], starts[k+2]) {
			return false
		}
	}
	return true
}

// tokenizer is the Tokenizer of tokenizerName.
type tokenizer struct{}

// Tokenize allocates the tokens in chunks, as bleve's unicode tokenizer
// does: a text has thousands.
func (tokenizer) Tokenize(input []byte) analysis.TokenStream {
	chunk := make([]analysis.Token, 0, len(input)/6+1)
	out := make(analysis.TokenStream, 0, cap(chunk))
	Words(input, func(start, end int) bool {
		if len(chunk) == cap(chunk) {
			chunk = make([]analysis.Token, 0, max(64, cap(chunk)/2))
		}
		chunk = append(chunk, analysis.Token{Term: input[start:end], Start: start, End: end,
			Position: len(out) + 1, Type: analysis.AlphaNumeric})
		out = append(out, &chunk[len(chunk)-1])
		return true
	})
	return out
}

func init() {
	err := registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return tokenizer{}, nil
	})
	if err != nil {
		panic(err)
	}
}
