// Package ascii holds the byte tests that the gazetteer's folding, the
// extractor's tokenizer, the collapsing of white space and content's
// telling text from binary apply to every byte of every document, so that
// each has one definition and one fast implementation.
//
// Everything here is a pure function of its arguments: the lookup table
// is a constant, not a package variable, so nothing can change it behind
// a caller's back.
package ascii

import (
	"encoding/binary"
	"math/bits"
)

// alnum[c] is '1' for the ASCII letters and digits. A string constant
// rather than a [256]bool variable, so the table cannot be changed, and
// it is as fast: one load, with no bounds check for a byte index.
const alnum = "" +
	"0000000000000000" + // 0x00
	"0000000000000000" + // 0x10
	"0000000000000000" + // 0x20  !"#$%&'()*+,-./
	"1111111111000000" + // 0x30 0123456789:;<=>?
	"0111111111111111" + // 0x40 @ABCDEFGHIJKLMNO
	"1111111111100000" + // 0x50 PQRSTUVWXYZ[\]^_
	"0111111111111111" + // 0x60 `abcdefghijklmno
	"1111111111100000" + // 0x70 pqrstuvwxyz{|}~
	"0000000000000000" + // 0x80
	"0000000000000000" + // 0x90
	"0000000000000000" + // 0xa0
	"0000000000000000" + // 0xb0
	"0000000000000000" + // 0xc0
	"0000000000000000" + // 0xd0
	"0000000000000000" + // 0xe0
	"0000000000000000" //   0xf0

// IsAlnum reports whether c is an ASCII letter or digit. The scanning
// loops call it on every byte: a table load is cheaper there than the
// three range tests, whose outcome running text makes hard to predict.
func IsAlnum(c byte) bool { return alnum[c] == '1' }

// Masks for the eight bytes of a word.
const (
	low7s    = 0x7f7f_7f7f_7f7f_7f7f
	highs    = 0x8080_8080_8080_8080
	fromA    = 0x1f1f_1f1f_1f1f_1f1f // 'a'+0x1f has the high bit: 0x80
	pastZ    = 0x0505_0505_0505_0505 // 'z'+1+0x05 has the high bit: 0x80
	fromCapA = 0x3f3f_3f3f_3f3f_3f3f // 'A'+0x3f has the high bit: 0x80
	pastCapZ = 0x2525_2525_2525_2525 // 'Z'+1+0x25 has the high bit: 0x80
	from0    = 0x5050_5050_5050_5050 // '0'+0x50 has the high bit: 0x80
	past9    = 0x4646_4646_4646_4646 // '9'+1+0x46 has the high bit: 0x80
	fromSp   = 0x6060_6060_6060_6060 // ' '+0x60 has the high bit: 0x80
	pastDel  = 0x0101_0101_0101_0101 // '~'+1+0x01 (DEL) has the high bit: 0x80
	// caseBits is the bit that tells a lower-case ASCII letter from its
	// capital; digits have it set already.
	caseBits = 0x2020_2020_2020_2020
)

// LowerEnd returns the end of the run of lower-case ASCII letters ('a' to
// 'z') that starts at s[i]: the first index from i on that holds another
// byte, or len(s).
//
// Most words in running text are such runs. Reading eight bytes at a time
// ends most of them in one step instead of a mispredicted branch at the
// end of a byte loop. The function is kept small enough for the compiler
// to inline it: a call per word would cost more than the loop it saves.
func LowerEnd(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		// Little-endian, so that byte k of the text is byte k of the word.
		if m := notLower(binary.LittleEndian.Uint64([]byte(s[i : i+8]))); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(s) && 'a' <= s[i] && s[i] <= 'z' {
		i++
	}
	return i
}

// Alnum8 takes eight bytes of text, the first in the low byte, and
// returns them with the letters in lower case, and how many of them, from
// the first, are ASCII letters or digits: 8 when all are.
//
// Folding copies and lowers runs of letters and digits; doing it eight
// bytes at a time, where the lowered word can be stored whole and cut to
// n, takes the byte loop and its branch out of the commonest path. Bytes
// past the n-th are lowered as if they were letters, so a caller keeps
// only n.
func Alnum8(x uint64) (lower uint64, n int) {
	return x | caseBits, bits.TrailingZeros64(^alnums(x)&highs) / 8
}

// Load8 returns the eight bytes of s from i on, the first in the low
// byte, with zeros for those past the end of s.
func Load8(s string, i int) uint64 {
	if i+8 <= len(s) {
		return binary.LittleEndian.Uint64([]byte(s[i : i+8]))
	}
	return loadTail(s, i) // apart, so that Load8 is inlined
}

// First8 returns the first eight bytes of s, which must hold eight, the
// first in the low byte: Load8 without the test for the end of s, for a
// loop that has tested for the room of several chunks at once (one load;
// not Load8's body, which would no longer be inlined).
func First8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func loadTail(s string, i int) uint64 {
	var x uint64
	for k := len(s) - 1; k >= i; k-- {
		x = x<<8 | uint64(s[k])
	}
	return x
}

// SingleSpaced8 takes eight bytes of text, the first in the low byte, and
// reports whether they are printable ASCII words with single spaces
// between them: every byte a space or from '!' to DEL, and no two spaces
// side by side. spaces has the high bit of each byte that is a space, so
// a caller can tell whether the first or the last is one, where the bytes
// around decide.
//
// Most of a sentence is such runs, and collapsing its white space has
// nothing to do in them: one test passes over eight bytes.
func SingleSpaced8(x uint64) (spaces uint64, ok bool) {
	const blanks = 0x2020_2020_2020_2020
	// A byte below ' ' (the test is exact about whether there is one,
	// though not which) or with its high bit set.
	odd := (x-blanks)&^x&highs | x&highs
	y := x ^ blanks // a zero byte for each space
	spaces = ^((y&low7s + low7s) | y | low7s)
	return spaces, odd == 0 && spaces&(spaces>>8) == 0
}

// Printable8 reports whether the eight bytes of x are all printable
// ASCII, from ' ' to '~': none a control character (C0 or DEL) and none a
// byte of a longer UTF-8 sequence. As in alnums, the high bits are cleared
// before the additions, so no byte carries into the next.
//
// Nearly all of a text is such runs, and telling text from binary by its
// share of control characters has nothing to count in them.
func Printable8(x uint64) bool {
	y := x & low7s
	return (y+fromSp)&^(y+pastDel)&^x&highs == highs
}

// Lower8 returns the eight bytes of x with the ASCII capitals in lower
// case and every other byte as it was.
func Lower8(x uint64) uint64 {
	y := x & low7s
	upper := (y + fromCapA) &^ (y + pastCapZ) &^ x & highs
	return x | upper>>2 // the high bit, shifted to the case bit
}

// alnums returns x with the high bit of each byte set where that byte is
// an ASCII letter or digit, and every other bit clear. As in notLower, the
// high bits are cleared before the additions, so no byte carries into the
// next, and bytes whose own high bit is set are dropped at the end.
func alnums(x uint64) uint64 {
	y := x & low7s
	l := y | caseBits // upper-case letters to lower; '@'..'_' to '`'..DEL
	letter := (l + fromA) &^ (l + pastZ)
	digit := (y + from0) &^ (y + past9)
	return (letter | digit) &^ x & highs
}

// notLower returns x with the high bit of each byte set where that byte is
// not 'a'..'z' and every other bit clear. The high bits are cleared before
// the additions, so that no byte carries into the next.
func notLower(x uint64) uint64 {
	y := x & low7s
	return (^(y + fromA) | (y + pastZ) | x) & highs
}
