package extractor

import "strings"

// Khmer sets no space between the words of a phrase, only between
// phrases, and its vowel signs and digits are no letters: the tokenizer
// makes one word (fKhmer) of a run of the script, and the readers of
// figures (khmerFigures) and dates (khmerDate) find numbers, counters and
// date words inside it, as the Chinese readers do. The digits are Khmer
// (០–៩) or Latin, and a number may stand apart from its counter ("២៨
// នាក់") or be glued to it ("២៨នាក់").

const zeroWidthSpace = '\u200b' // Khmer's invisible word break

// khmerWordRune reports whether r belongs to a Khmer word: a consonant,
// vowel or sign, the repetition mark ៗ or a digit. Khmer's punctuation
// (the full stops ។ and ៕, ៖) and the riel sign ៛ are not.
func khmerWordRune(r rune) bool {
	if r < 0x1780 || r > 0x17E9 {
		return false // most runes: two comparisons
	}
	return r <= 0x17D3 || r == 0x17D7 || r == 0x17DC || r == 0x17DD || r >= 0x17E0
}

// khmerDigitAt returns the value of the digit at text[i], Khmer or Latin,
// and its length in bytes (0 when none starts there).
func khmerDigitAt(text string, i int) (d, w int) {
	if i >= len(text) {
		return 0, 0
	}
	if c := text[i]; isDigit(c) {
		return int(c - '0'), 1
	}
	// ០–៩ are U+17E0–U+17E9: E1 9F A0–A9.
	if i+2 < len(text) && text[i] == 0xE1 && text[i+1] == 0x9F && text[i+2] >= 0xA0 && text[i+2] <= 0xA9 {
		return int(text[i+2] - 0xA0), 3
	}
	return 0, 0
}

// khmerDigitsAt reads a run of digits at text[i], with a comma or a full
// stop between two of them ("១,៥០០", "1.5"), as parseNumber reads Latin
// ones. It returns the value, the end and the count of digits.
func khmerDigitsAt(text string, i int) (v float64, end, n int, ok bool) {
	var buf [32]byte
	b := buf[:0]
	j := i
	for j < len(text) && len(b) < len(buf) {
		if d, w := khmerDigitAt(text, j); w > 0 {
			b = append(b, byte('0'+d))
			j += w
			n++
			continue
		}
		if (text[j] == ',' || text[j] == '.') && len(b) > 0 {
			if _, w := khmerDigitAt(text, j+1); w > 0 {
				sep := text[j]
				if sep == '.' && khmerGroupAt(text, j+1) {
					sep = ',' // "២.៧០០": Khmer print groups thousands with a full stop too
				}
				b = append(b, sep)
				j++
				continue
			}
		}
		break
	}
	if n == 0 {
		return 0, i, 0, false
	}
	v, ok = parseNumber(string(b))
	return v, j, n, ok
}

// khmerGroupAt reports whether exactly three digits start at text[i]:
// a group of thousands after a separator, not a decimal fraction, which
// print seldom gives three places.
func khmerGroupAt(text string, i int) bool {
	for n := 0; n < 3; n++ {
		_, w := khmerDigitAt(text, i)
		if w == 0 {
			return false
		}
		i += w
	}
	_, w := khmerDigitAt(text, i)
	return w == 0
}

// khmerValues are Khmer words and the number each stands for, each
// longest first where one begins another.
type khmerValues []struct {
	word string
	v    float64
}

// at returns the value of the word of vs at text[i] and its length (0, 0
// when none is there).
func (vs khmerValues) at(text string, i int) (float64, int) {
	for _, x := range vs {
		if strings.HasPrefix(text[i:], x.word) {
			return x.v, len(x.word)
		}
	}
	return 0, 0
}

// khmerScales are the words that multiply the number before them.
var khmerScales = khmerValues{
	{"ប៊ីលាន", 1e9}, {"ពាន់", 1e3}, {"ម៉ឺន", 1e4}, {"សែន", 1e5}, {"លាន", 1e6}, {"កោដិ", 1e7},
}

// khmerNumerals are the number words below a hundred ("ប្រាំមួយ"
// before "ប្រាំ").
var khmerNumerals = khmerValues{
	{"ប្រាំមួយ", 6}, {"ប្រាំពីរ", 7}, {"ប្រាំបី", 8}, {"ប្រាំបួន", 9}, {"ប្រាំ", 5},
	{"មួយ", 1}, {"ពីរ", 2}, {"បី", 3}, {"បួន", 4}, {"ដប់", 10}, {"ម្ភៃ", 20},
	{"សាមសិប", 30}, {"សែសិប", 40}, {"ហាសិប", 50}, {"ហុកសិប", 60}, {"ចិតសិប", 70},
	{"ប៉ែតសិប", 80}, {"កៅសិប", 90},
}

// khmerNumeralStart reports a rune that may start a number in Khmer: a
// Khmer digit, or the first letter of a number word (ម មួយ, ព ពីរ, ប បី,
// ដ ដប់, ស សាមសិប, ហ ហាសិប, ច ចិតសិប, ក កៅសិប).
func khmerNumeralStart(r rune) bool {
	switch r {
	case 'ម', 'ព', 'ប', 'ដ', 'ស', 'ហ', 'ច', 'ក':
		return true
	}
	return r >= 0x17E0 && r <= 0x17E9
}

// khmerNumberAt reads a number at text[p]: digits, or number words
// ("ម្ភៃប្រាំ" 25, "បីរយ" 300), then scale words ("២លាន", "១,៥ ពាន់
// លាន"), a space allowed before each. words reports a number told in
// words, which counts something only where a counter follows.
func khmerNumberAt(text string, p int) (v float64, end int, words, ok bool) {
	if d, e, _, ok := khmerDigitsAt(text, p); ok {
		v, end = d, e
	} else {
		// Words: tens and units add up, រយ (hundred) multiplies them.
		var section float64
		i := p
		for {
			if n, w := khmerNumerals.at(text, i); w > 0 {
				section += n
				i += w
				continue
			}
			if strings.HasPrefix(text[i:], "រយ") && section > 0 && section < 10 {
				section *= 100
				i += len("រយ")
				continue
			}
			break
		}
		if section == 0 {
			return 0, p, false, false
		}
		v, end, words = section, i, true
	}
	for {
		j := end
		if j < len(text) && text[j] == ' ' {
			j++
		}
		by, w := khmerScales.at(text, j)
		if w == 0 {
			break
		}
		v, end = v*by, j+w
	}
	return v, end, words, true
}

// khmerWordBefore returns the one of words that text[:i] ends with,
// spaces before i passed over, and where it starts.
func khmerWordBefore(text string, i int, words ...string) (string, int) {
	for i > 0 && text[i-1] == ' ' {
		i--
	}
	for _, w := range words {
		if strings.HasSuffix(text[:i], w) {
			return w, i - len(w)
		}
	}
	return "", i
}
