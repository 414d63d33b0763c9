package extractor

import (
	"strings"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/ascii"
)

// Sites named in Khmer reports: a Khmer noun for a site, then its name in
// guillemets ("កាស៊ីណូ «មេចេស៊ី»") or in Latin letters ("អគារ ORCHID",
// "ខុនដូ LOTUS"), which the press prints in capitals. A name in Khmer
// script with no marks around it has no edge to read: Khmer sets no
// space between the words of a phrase.

// khmerSiteNouns are the nouns of a site.
var khmerSiteNouns = [...]string{
	"តំបន់សេដ្ឋកិច្ចពិសេស", // special economic zone
	"កាស៊ីណូ", "កាសុីណូ", // casino, as typed either way
	"រមណីយដ្ឋាន", // resort
	"សណ្ឋាគារ",   // hotel
	"អគារ",       // building
	"ខុនដូ",      // condominium
	"បុរី",       // borey, a gated estate
	"ភូមិគ្រឹះ",  // villa
}

// khmerSites appends to out the sites named after a site noun in t, a
// Khmer word.
func khmerSites(out []found, text string, t token) []found {
	word := text[t.start:t.end]
	for _, noun := range khmerSiteNouns {
		for j := range indexes(word, noun) {
			p := t.start + j
			if n := p + len(noun); strings.HasPrefix(text[n:], "ឈ្មោះ") {
				// "អគារឈ្មោះ Great Wall Park", a building named …: the
				// name alone, in capitals or as a title.
				n = skipSpace(text, n+len("ឈ្មោះ"))
				if e := titleWords(text, n); e > n {
					out = append(out, found{typ: document.Compound, name: text[n:e], start: n, end: e, conf: confQuoted})
				}
			} else if e := khmerSiteName(text, n); e > 0 {
				out = append(out, found{typ: document.Compound, name: text[p:e], start: p, end: e, conf: confQuoted})
			}
		}
	}
	return out
}

// khmerSiteName reads the name after a site noun that ends at text[q]: in
// guillemets, or one or two words in Latin capitals ("ORCHID", "GOLDEN
// FORTUNE", "K99"), a space before it or not; "Star5" and "Orchid" are
// not read, as a Khmer report prints a site's Latin name in capitals. It
// returns the end of the name, 0 when none follows.
func khmerSiteName(text string, q int) int {
	q = skipSpace(text, q)
	if strings.HasPrefix(text[q:], "«") {
		e := strings.Index(text[q:min(len(text), q+120)], "»")
		if e <= len("«") || strings.ContainsAny(text[q:q+e], "\n។") {
			return 0
		}
		return q + e + len("»")
	}
	e := q + capsWord(text[q:])
	if e == q {
		return 0
	}
	if e+1 < len(text) && text[e] == ' ' {
		if n := capsWord(text[e+1:]); n > 0 {
			e += 1 + n
		}
	}
	return e
}

// capsWord returns the length of the word of Latin capitals and digits
// that s starts with, two letters at least and nothing of the word after
// it; 0 when s starts with none.
func capsWord(s string) int {
	n, letters := 0, 0
	for ; n < len(s); n++ {
		if c := s[n]; 'A' <= c && c <= 'Z' {
			letters++
		} else if !isDigit(c) {
			break
		}
	}
	if letters < 2 || n < len(s) && (ascii.IsAlnum(s[n]) || s[n] == '-') {
		return 0
	}
	return n
}

// titleWords returns the end of the one to four words at text[i] that
// start with a Latin capital ("Great Wall Park", "ORCHID"), i when none.
func titleWords(text string, i int) int {
	e := i
	for n := 0; n < 4; n++ {
		j := e
		if n > 0 {
			if j >= len(text) || text[j] != ' ' {
				break
			}
			j++
		}
		if j >= len(text) || text[j] < 'A' || text[j] > 'Z' {
			break
		}
		k := j + 1
		for k < len(text) && ascii.IsAlnum(text[k]) {
			k++
		}
		e = k
	}
	return e
}
