package gazetteer

import (
	"encoding/binary"
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/compoundwatch/compoundwatch/internal/ascii"
	"github.com/compoundwatch/compoundwatch/internal/hant"
	"github.com/compoundwatch/compoundwatch/internal/sorted"
)

// Separator bytes in folded text. A soft separator stands for spacing and
// in-name punctuation (hyphens, apostrophes, dots inside "K.B"), so
// "O'Smach", "O-Smach" and "O  Smach" fold alike. A hard separator stands
// for punctuation that ends a name (commas, quotes, brackets); no pattern
// contains one, so no match crosses it.
const (
	soft = ' '
	hard = '|'
)

// folded is text normalised for matching: lower case, no Latin diacritics,
// Chinese in simplified characters, "&" spelt "and", separators collapsed.
//
// The map back to the original text is kept as shift points rather than an
// offset per byte: in running text the distance between a folded byte and
// its source only changes at collapsed spaces and non-ASCII letters, so
// this is a fraction of the memory and of the work. Every position a match
// can start or end at (a rune start in the folded text) maps to a rune start
// in the original.
type folded struct {
	b []byte
	// shifts are the shift points, in order, each a folded position
	// above the distance (an int32) from there on to the original text:
	// sorted as plain integers, they are sorted by position.
	shifts []uint64
	delta  int // current source-minus-folded distance
	n      int // length of the original text
	// starts lists, in order, where a pattern of the trie fold was given
	// may start: the ASCII words its first-word filter lets through and
	// the other bytes a pattern starts with. Finding them while folding
	// saves a second pass over the text.
	starts []int
	word   int // start of the ASCII word being folded, or -1
	// hash is the word's hash (hashChunk) so far, when hashed reports
	// that fold's fast path folded all of it, in one run from its start.
	// Other words pass the first-word filter unhashed: they are few (a
	// letter with a diacritic, a word after "&"), and the walk decides.
	hash   uint64
	hashed bool
	// hits is FindWith's working list of matches, and groupOf the
	// grouping of its mentions by record (see entities), kept with the
	// folded text so that they are reused too.
	hits    []hit
	groupOf []int32
}

// scan accounts in starts for the bytes folded from mark on.
func (f *folded) scan(t *trie, mark int) {
	if t == nil {
		return
	}
	for p := mark; p < len(f.b); p++ {
		if c := f.b[p]; ascii.IsAlnum(c) {
			if f.word < 0 {
				f.word = p
			}
			f.hashed = false
		} else {
			f.endWord(t, p)
			if c >= utf8.RuneSelf && t.canStart(c) {
				f.starts = append(f.starts, p)
			}
		}
	}
}

// endWord ends the ASCII word being folded at end, where another byte or
// the end of the text follows.
func (f *folded) endWord(t *trie, end int) {
	s := f.word
	if t == nil || s < 0 {
		return
	}
	f.word = -1
	// A word that goes on in non-ASCII bytes is not filtered: its first
	// word may be longer (see mayStart).
	if t.startsWord(f.b[s], f.hashed && (end >= len(f.b) || f.b[end] < utf8.RuneSelf), f.hash, end-s) {
		f.starts = append(f.starts, s)
	}
}

// origFrom is origAt for a run of positions that never decreases: k is
// the number of shift points at or before the last position asked
// (sorted.BeforeFrom).
func (f *folded) origFrom(k *int, i int) int {
	*k = sorted.BeforeFrom(f.shifts, uint64(i+1)<<32, *k)
	return f.origWith(i, *k)
}

// origAt maps folded position i (0..len(b)) back to the original text.
func (f *folded) origAt(i int) int {
	return f.origWith(i, sorted.Before(f.shifts, uint64(i+1)<<32))
}

// origWith maps folded position i back to the original text, given n, the
// number of shift points at or before it.
func (f *folded) origWith(i, n int) int {
	switch {
	case i >= len(f.b):
		return f.n
	case n == 0:
		return i
	}
	return i + int(int32(f.shifts[n-1]))
}

// mark records that the next folded byte comes from text[at]: a shift
// point where the distance between the two changes.
func (f *folded) mark(at int) {
	if d := at - len(f.b); d != f.delta {
		f.delta = d
		f.shifts = append(f.shifts, uint64(len(f.b))<<32|uint64(uint32(int32(d))))
	}
}

func (f *folded) emit(c byte, at int) {
	f.mark(at)
	f.b = append(f.b, c)
}

func (f *folded) sep(kind byte, at int) {
	switch n := len(f.b); {
	case n == 0 || f.b[n-1] == hard:
	case f.b[n-1] == soft:
		f.b[n-1] = kind // hard > soft: a hard separator wins
	default:
		f.emit(kind, at)
	}
}

// fold normalises text into f, reusing its buffers. It never fails:
// invalid UTF-8 bytes act as hard separators.
//
// With a trie, it also lists where the trie's patterns may start.
func fold(dst *folded, text string, t *trie) {
	// Fold into a copy on the stack: a store into the pooled, heap-allocated
	// dst would cost a write barrier each while the collector runs.
	f := &folded{b: slices.Grow(dst.b[:0], len(text)+8), shifts: dst.shifts[:0], n: len(text),
		starts: dst.starts[:0], word: -1, hits: dst.hits, groupOf: dst.groupOf}
	defer func() { *dst = *f }()
	for i := 0; i < len(text); {
		mark := len(f.b)
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case ascii.IsAlnum(c):
				// Fast path for a run of letters and digits: they map one
				// to one, so the shift can only change at the first.
				f.mark(i)
				b, h := f.b, f.hash
				// Room for the rest of the text, which this path copies byte
				// for byte, and for a chunk stored whole past it: the loop
				// need not ask for room for each chunk.
				if need := len(text) - i + 8; cap(b)-len(b) < need {
					b = slices.Grow(b, need)
				}
				if f.word < 0 {
					f.word, h, f.hashed = len(b), 0, true
				} else {
					f.hashed = false // the word began outside this path
				}
				for {
					// Eight bytes at a time: stored lowered and whole, then
					// cut to the letters and digits, and hashed.
					for {
						w, n := ascii.Alnum8(ascii.Load8(text, i))
						binary.LittleEndian.PutUint64(b[len(b):len(b)+8], w)
						b, i = b[:len(b)+n], i+n
						if n < 8 {
							if n > 0 {
								h = hashChunk(h, w&(1<<(8*n)-1))
							}
							break
						}
						h = hashChunk(h, w)
					}
					// The commonest separator, one space between two words,
					// ends this word and starts the next at once, as the
					// space case below and this case again would.
					if i+1 >= len(text) || text[i] != ' ' || !ascii.IsAlnum(text[i+1]) {
						break
					}
					// endWord, kept in registers: a soft separator follows.
					if s := f.word; t != nil && t.startsWord(b[s], f.hashed, h, len(b)-s) {
						f.starts = append(f.starts, s)
					}
					b, h = append(b, soft), 0
					f.word, f.hashed = len(b), true
					i++
				}
				f.b, f.hash = b, h
				continue
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '-' || c == '\'' || c == '_':
				if n := len(f.b); n > 0 && f.b[n-1] != soft && f.b[n-1] != hard && i-n == f.delta {
					// sep's common case: one space after a word. It ends
					// the word, which is all scan would do with it.
					f.b = append(f.b, soft)
					f.endWord(t, n)
					i++
					continue
				} else {
					f.sep(soft, i)
				}
			case c == '.':
				// A dot inside an abbreviation ("K.B", "L.Y.P") is soft;
				// a full stop is hard.
				if i+1 < len(text) && ascii.IsAlnum(text[i+1]) && i > 0 && ascii.IsAlnum(text[i-1]) {
					f.sep(soft, i)
				} else {
					f.sep(hard, i)
				}
			case c == '&':
				f.sep(soft, i)
				f.emit('a', i)
				f.emit('n', i)
				f.emit('d', i)
				f.sep(soft, i)
				f.scan(t, mark)
				i++
				continue
			default:
				f.sep(hard, i)
			}
			// A separator folds to one separator byte or none: all scan
			// would do with it is end the word before it.
			if len(f.b) > mark {
				f.endWord(t, mark)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			f.sep(hard, i)
		case r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '\u2010' || r == '\u2011' || r == '\u2013':
			f.sep(soft, i)
		case unicode.IsSpace(r):
			f.sep(soft, i)
		case 0x300 <= r && r <= 0x36f:
			// Combining diacritic: dropped, like precomposed ones.
		case isLatin(r):
			foldLatin(f, r, i)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			// Bytes of a copied rune map to themselves, so the shift
			// stays put across runs of Han or Khmer.
			lr := unicode.ToLower(r)
			if s, ok := hant.Rune(r); ok {
				lr = s // 水溝谷 is 水沟谷 (internal/hant)
			} else if r == 'ដ' && i >= 3 && text[i-3:i] == "\u17d2" {
				lr = 'ត' // subscript da and ta are written alike: "កណ្ដាល" is "កណ្តាល"
			}
			if lr != r && utf8.RuneLen(lr) == size {
				var buf [utf8.UTFMax]byte
				utf8.EncodeRune(buf[:], lr)
				for k := range size {
					f.emit(buf[k], i+k)
				}
			} else if lr != r {
				var buf [utf8.UTFMax]byte
				n := utf8.EncodeRune(buf[:], lr)
				for _, b := range buf[:n] {
					f.emit(b, i)
				}
			} else {
				for k := range size {
					f.emit(text[i+k], i+k)
				}
			}
		default:
			f.sep(hard, i)
		}
		f.scan(t, mark)
		i += size
	}
	f.endWord(t, len(f.b))
}

// isLatin reports a non-ASCII Latin letter (Latin-1 to Latin Extended-B and
// Latin Extended Additional, which covers Vietnamese).
func isLatin(r rune) bool {
	return (0xc0 <= r && r < 0x250 || 0x1e00 <= r && r < 0x1f00) && unicode.IsLetter(r)
}

// foldLatin emits r without diacritics, in lower case.
func foldLatin(f *folded, r rune, at int) {
	switch r {
	case 'ß', 'ẞ':
		f.emit('s', at)
		f.emit('s', at)
		return
	case 'æ', 'Æ':
		f.emit('a', at)
		f.emit('e', at)
		return
	case 'œ', 'Œ':
		f.emit('o', at)
		f.emit('e', at)
		return
	case 'ø', 'Ø':
		f.emit('o', at)
		return
	case 'đ', 'Đ':
		f.emit('d', at)
		return
	case 'ł', 'Ł':
		f.emit('l', at)
		return
	case 'ı':
		f.emit('i', at)
		return
	case 'þ', 'Þ':
		f.emit('t', at)
		f.emit('h', at)
		return
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if d := norm.NFD.Properties(buf[:n]).Decomposition(); len(d) > 0 {
		r, _ = utf8.DecodeRune(d)
	}
	r = unicode.ToLower(r)
	if r < utf8.RuneSelf {
		f.emit(byte(r), at)
		return
	}
	n = utf8.EncodeRune(buf[:], r)
	for _, b := range buf[:n] {
		f.emit(b, at)
	}
}

// key normalises a name for lookup and for building patterns: like fold,
// but every separator is a single space, trimmed.
func key(s string) string {
	var f folded
	return string(appendKey(nil, &f, s))
}

// appendKey appends key(s) to dst, folding s into f.
func appendKey(dst []byte, f *folded, s string) []byte {
	fold(f, s, nil)
	start := len(dst)
	for _, c := range f.b {
		if c == hard {
			c = soft
		}
		if c == soft && (len(dst) == start || dst[len(dst)-1] == soft) {
			continue
		}
		dst = append(dst, c)
	}
	for len(dst) > start && dst[len(dst)-1] == soft {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// isWordRune reports a rune that continues a word in a spaced script.
// Scripts written without spaces (Han, Khmer, Thai…) have no word
// boundaries, so they never block a match.
func isWordRune(r rune) bool {
	return r < 0x530 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// wordBefore reports whether folded text b has a word rune ending at i.
func wordBefore(b []byte, i int) bool {
	if i <= 0 {
		return false
	}
	if c := b[i-1]; c < utf8.RuneSelf {
		return ascii.IsAlnum(c)
	}
	r, _ := utf8.DecodeLastRune(b[:i])
	return isWordRune(r)
}

// wordAt reports whether folded text b has a word rune starting at i.
func wordAt(b []byte, i int) bool {
	if i >= len(b) {
		return false
	}
	if c := b[i]; c < utf8.RuneSelf {
		return ascii.IsAlnum(c)
	}
	r, _ := utf8.DecodeRune(b[i:])
	return isWordRune(r)
}
