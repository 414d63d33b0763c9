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
// Chinese, which UAX #29 splits into characters, gives each character and
// each pair of adjacent ones (a character and the pair it starts share a
// start). A query asks for the pairs of its runs (QueryWords), so that
// 园区 (compound) finds the word and not every text that holds 园 and 区
// somewhere, such as one on a park (公园) and a neighbourhood (社区); a
// query of one character still finds it alone.
//
// The percolator of package alerts reads texts with Words too, so that a
// saved search matches exactly what search would find.
//
// Words splits ASCII itself, by the rules of UAX #29 as package segment
// has them, and hands the segmenter only the stretches around other
// characters: its segmenter allocates for every segment and runs a
// state machine over the whole Unicode word-break table, four-fifths of
// splitting an article. TestWordsASCII holds the two to the same
// segments.
func Words(text []byte, yield func(start, end int) bool) { words(text, false, yield) }

// QueryWords calls yield with the words of a query, as Words splits a
// text but with only the pairs of a run of two Chinese characters or
// more: the query's word is then the sequence of its pairs, as it is in
// Khmer.
func QueryWords(text []byte, yield func(start, end int) bool) { words(text, true, yield) }

// words is Words, or QueryWords for a query.
func words(text []byte, query bool, yield func(start, end int) bool) {
	if !utf8.Valid(text) {
		// The segmenter stops at a stray byte; where depends on what
		// is around it.
		segmentWords(text, 0, query, yield)
		return
	}
	for i := 0; i < len(text); {
		switch c := wordBreak[text[i]]; {
		case c&wbWord != 0:
			end := asciiWordEnd(text, i)
			if asciiSettled(text, end) {
				if !yield(i, end) {
					return
				}
				i = end
				continue
			}
		case c != wbNonASCII:
			// A space, punctuation or a control: a segment of its
			// own, unless a mark or format character follows.
			if i+1 == len(text) || text[i+1] < utf8.RuneSelf {
				i++
				continue
			}
		}
		// Other characters near i, which is a boundary: the segmenter
		// takes them up to the next certain boundary.
		end := certainBreak(text, i+1)
		if !segmentWords(text[i:end], i, query, yield) {
			return
		}
		i = end
	}
}

// The Word_Break classes of ASCII bytes (UAX #29, Unicode 8.0, as package
// segment has them). Letters, digits and the underscore make words; a
// middle character joins two letters or two digits that it stands
// between.
const (
	wbLetter    = 1 << iota
	wbDigit     // Numeric
	wbUnderline // ExtendNumLet
	wbMidLetter // ':' and, as MidNumLet or Single_Quote, '.' and '\''
	wbMidNum    // ',' and ';' and, as MidNumLet or Single_Quote, '.' and '\''
	wbQuote     // '"', which joins two Hebrew letters
	wbNonASCII

	wbWord = wbLetter | wbDigit | wbUnderline
)

// wordBreak is the class of every byte; 0 for the rest of ASCII (spaces,
// punctuation, controls, CR), which never joins anything.
var wordBreak = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = wbLetter, wbLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = wbDigit
	}
	t['_'] = wbUnderline
	t[':'] = wbMidLetter
	t[','], t[';'] = wbMidNum, wbMidNum
	t['.'], t['\''] = wbMidLetter|wbMidNum, wbMidLetter|wbMidNum
	t['"'] = wbQuote
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = wbNonASCII
	}
	return t
}()

// asciiWordEnd is the end of the ASCII word at i: letters, digits and
// underscores, with a middle character between two letters (WB6, WB7) or
// two digits (WB11, WB12) that it joins.
func asciiWordEnd(text []byte, i int) int {
	for {
		for i < len(text) && wordBreak[text[i]]&wbWord != 0 {
			i++
		}
		if i+1 >= len(text) {
			return i
		}
		prev, mid, next := wordBreak[text[i-1]], wordBreak[text[i]], wordBreak[text[i+1]]
		if !(prev == wbLetter && next == wbLetter && mid&wbMidLetter != 0 ||
			prev == wbDigit && next == wbDigit && mid&wbMidNum != 0) {
			return i
		}
		i += 2
	}
}

// asciiSettled reports whether an ASCII word that ends at end ends there
// whatever follows: at the end, before ASCII that is not a middle
// character, or before a middle character that ASCII follows. Before a
// letter or a mark of another script, or a middle character with one
// after it, the word may go on.
func asciiSettled(text []byte, end int) bool {
	if end == len(text) {
		return true
	}
	switch c := wordBreak[text[end]]; {
	case c == wbNonASCII:
		return false
	case c&(wbMidLetter|wbMidNum) != 0:
		return end+1 == len(text) || text[end+1] < utf8.RuneSelf
	}
	return true
}

// certainBreak is the first position from i where UAX #29 breaks whatever
// came before: before an ASCII character that joins nothing (a quote can
// join Hebrew letters), or the end. Between a CR and a line feed it does
// not break, but both are segments that Words skips.
func certainBreak(text []byte, i int) int {
	for i < len(text) && wordBreak[text[i]] != 0 {
		i++
	}
	return i
}

// segmentWords is Words by package segment alone, for text that starts
// at a boundary and ends at one, at offset off of the whole text, for a
// query when query is set. It returns false when yield did.
func segmentWords(text []byte, off int, query bool, yield func(start, end int) bool) bool {
	seg := segment.NewWordSegmenterDirect(text)
	pos := 0
	run := -1       // start of the current run of unspaced text
	var chars []int // the starts of the current run of Chinese characters
	// flush yields the words of the open run, which ends at end; at
	// most one is open. A text's Chinese characters are words of their
	// own too; a query's only without a neighbour.
	flush := func(end int) bool {
		if len(chars) > 0 {
			ok := units(append(chars, end), off, !query, yield)
			chars = chars[:0]
			return ok
		}
		if run < 0 {
			return true
		}
		start := run
		run = -1
		return pairs(text[start:end], func(s, e int) bool { return yield(off+start+s, off+start+e) })
	}
	for seg.Segment() {
		b := seg.Bytes()
		start := pos
		pos += len(b)
		switch r, _ := utf8.DecodeRune(b); {
		case seg.Type() == segment.None && search.Unspaced(r) && (unicode.IsLetter(r) || unicode.IsMark(r)):
			if run < 0 {
				if !flush(start) {
					return false
				}
				run = start
			}
			continue
		case seg.Type() == segment.Ideo && unicode.Is(unicode.Han, r):
			if len(chars) == 0 && !flush(start) {
				return false
			}
			chars = append(chars, start)
			continue
		}
		if !flush(start) {
			return false
		}
		if seg.Type() != segment.None && !yield(off+start, off+pos) {
			return false
		}
	}
	return flush(pos)
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
	return units(append(starts, len(run)), 0, false, yield)
}

// units calls yield with the pairs of adjacent units of a run, whose
// starts and end are bounds (at offset off), and with each unit too if
// singles is set, or if the run has only one.
func units(bounds []int, off int, singles bool, yield func(start, end int) bool) bool {
	singles = singles || len(bounds) == 2
	for k := 0; k+1 < len(bounds); k++ {
		if singles && !yield(off+bounds[k], off+bounds[k+1]) ||
			k+2 < len(bounds) && !yield(off+bounds[k], off+bounds[k+2]) {
			return false
		}
	}
	return true
}

// tokenizer is the Tokenizer of tokenizerName, which splits with Words,
// and with query set the one of queries, which splits with QueryWords.
type tokenizer struct{ query bool }

// Tokenize allocates the tokens in chunks, as bleve's unicode tokenizer
// does: a text has thousands.
func (t tokenizer) Tokenize(input []byte) analysis.TokenStream {
	chunk := make([]analysis.Token, 0, len(input)/6+1)
	out := make(analysis.TokenStream, 0, cap(chunk))
	words(input, t.query, func(start, end int) bool {
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
