// Package ascii holds the byte tests that the gazetteer's folding and the
// extractor's tokenizer apply to every byte of every document, so that
// both share one definition and one fast implementation.
//
// Everything here is a pure function of its arguments: the lookup table
// is a constant, not a package variable, so nothing can change it behind
// a caller's back.
package ascii

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
