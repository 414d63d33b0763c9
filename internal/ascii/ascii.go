// Package ascii holds the byte tests that the gazetteer's folding and the
// extractor's tokenizer apply to every byte of every document, so that
// both share one definition and one fast implementation.
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
	low7s = 0x7f7f_7f7f_7f7f_7f7f
	highs = 0x8080_8080_8080_8080
	fromA = 0x1f1f_1f1f_1f1f_1f1f // 'a'+0x1f has the high bit: 0x80
	pastZ = 0x0505_0505_0505_0505 // 'z'+1+0x05 has the high bit: 0x80
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

// notLower returns x with the high bit of each byte set where that byte is
// not 'a'..'z' and every other bit clear. The high bits are cleared before
// the additions, so that no byte carries into the next.
func notLower(x uint64) uint64 {
	y := x & low7s
	return (^(y + fromA) | (y + pastZ) | x) & highs
}
