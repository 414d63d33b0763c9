package extractor

import (
	"strings"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
)

// Figures written in Khmer are read as the Chinese ones are (hanFigures),
// from the bytes around a number: a count is a number and its counter,
// the counted noun usually before it ("ជនសង្ស័យចំនួន៧នាក់", seven
// suspects), and the qualifier before that ("ជាង ២០០នាក់", more than
// 200). A number without a counter, currency or percent counts nothing
// here: ages, times, house and street numbers have none.

// khmerCounters are the counters and currencies after a number, with the
// unit each gives; "" where the noun before the number tells it
// (khmerNounBefore).
var khmerCounters = [...]struct{ word, unit string }{
	{"នាក់", "people"}, {"រូប", "people"},
	{"គ្រឿង", ""}, {"ដើម", ""},
	{"កន្លែង", "sites"}, {"ទីតាំង", "sites"},
	{"ករណី", "cases"}, {"សំណុំរឿង", "cases"},
	{"ប្រទេស", "countries"}, {"សញ្ជាតិ", "nationalities"}, {"រាជធានី-ខេត្ត", "provinces"}, {"ខេត្ត", "provinces"},
	{"ពាក្យបណ្តឹង", "complaints"}, {"ពាក្យបណ្ដឹង", "complaints"}, {"បណ្តឹង", "complaints"}, {"បណ្ដឹង", "complaints"},
	{"ដុល្លារ", "USD"}, {"រៀល", "KHR"}, {"បាត", "THB"}, {"យ័ន", "CNY"}, {"យាន់", "CNY"}, {"យាន", "CNY"},
	{"ដុង", "VND"}, {"រីងហ្គីត", "MYR"},
	{"ភាគរយ", "percent"}, {"%", "percent"},
}

// khmerNouns tell what a count of people or things counts, the noun
// written before the number or after its counter.
var khmerNouns = [...]struct{ word, unit string }{
	{"ជនសង្ស័យ", "suspects"}, {"ជនជាប់សង្ស័យ", "suspects"}, {"ជនល្មើស", "suspects"},
	{"ជនជាប់ចោទ", "suspects"}, {"ជនត្រូវចោទ", "suspects"}, {"ឧក្រិដ្ឋជន", "suspects"},
	{"ជនរងគ្រោះ", "victims"},
	// People of no side, named so that a count of them is not read as
	// the suspects named before them in the phrase.
	{"ប៉ូលិស", "people"}, {"នគរបាល", "people"}, {"មន្ត្រី", "people"}, {"កម្លាំង", "people"}, {"ពលករ", "people"}, {"បុគ្គលិក", "people"},
	{"ទូរស័ព្ទ", "phones"}, {"ទូរសព្ទ", "phones"}, {"ទូរស័ព្វ", "phones"},
	{"កុំព្យូទ័រយួរដៃ", "laptops"}, {"ឡាប់ថប", "laptops"}, {"ឡាបថប", "laptops"}, {"laptop", "laptops"}, {"LAPTOP", "laptops"}, {"Laptop", "laptops"},
	{"កុំព្យូទ័រ", "computers"}, {"កំព្យូទ័រ", "computers"},
	{"iPad", "tablets"}, {"IPAD", "tablets"}, {"ថេប្លេត", "tablets"},
	{"លិខិតឆ្លងដែន", "passports"}, {"កាំភ្លើង", "firearms"},
}

// khmerQualifiers are written before a number, "ចំនួន" (a number of)
// between them or not.
var khmerQualifiers = [...]struct{ word, q string }{
	{"មិនតិចជាង", "at least"}, {"យ៉ាងហោចណាស់", "at least"}, {"យ៉ាងតិចបំផុត", "at least"}, {"យ៉ាងតិច", "at least"},
	{"ច្រើនជាង", "more than"}, {"ជាង", "more than"},
	{"ប្រមាណជា", "about"}, {"ប្រមាណ", "about"}, {"ប្រហែលជា", "about"}, {"ប្រហែល", "about"},
	{"ស្ទើរតែ", "nearly"}, {"ជិត", "nearly"},
	{"រហូតទៅដល់", "up to"}, {"រហូតដល់", "up to"}, {"ដល់ទៅ", "up to"},
	{"សរុប", "exact"},
}

// khmerBreakdown are the words that open a part of the count before
// them: "ក្នុងនោះស្រី ២៣នាក់" (among them 23 women).
var khmerBreakdown = [...]string{"ក្នុងនោះ", "ក្នុងចំណោម", "រួមមាន", "ដែលមាន", "ស្រី", "ប្រុស", "កុមារ", "ជនជាតិ"}

// khmerFigures reads the figures in token i, a Khmer word or a number a
// Khmer word follows, and returns the last token it used up (i when it
// found none).
func (fs *figureScanner) khmerFigures(i int) int {
	return fs.wordFigures(i, khmerNumeralStart, fs.khmerFigure)
}

// khmerFigure reads the figure whose number starts at text[p], if one
// does. It returns the byte after the figure; or, when it reads none,
// after the number (p when none starts there).
func (fs *figureScanner) khmerFigure(p int) (document.Figure, int, bool) {
	text := fs.text
	v, end, words, ok := khmerNumberAt(text, p)
	if !ok {
		return document.Figure{}, p, false
	}
	numEnd := end
	if w, _ := khmerWordBefore(text, p, "ទី", "លេខ", "អាយុ", "ឆ្នាំ", "ម៉ោង"); w != "" || isDigit(text[p]) && p > 0 && ascii26(text[p-1]) {
		return document.Figure{}, numEnd, false // "ថ្ងៃទី២៣", "ផ្ទះលេខ៣២២", "A7": a day, an address, a name
	}
	f := document.Figure{Value: v, Start: p, Qualifier: "exact"}
	// A range: "ពី ៥០ ទៅ ៦០នាក់", "៥០-៦០នាក់".
	j := skipSpace(text, end)
	if sep := listPrefix(text, j, []string{"ទៅ", "ដល់", "-", "–"}); sep != "" {
		if hi, e, _, ok := khmerNumberAt(text, skipSpace(text, j+len(sep))); ok && hi > v {
			f.Value, f.Qualifier, end = hi, "range", e
			j = skipSpace(text, end)
		}
	}
	unit := ""
	counter := ""
	for _, c := range khmerCounters {
		if strings.HasPrefix(text[j:], c.word) {
			unit, counter = c.unit, c.word
			break
		}
	}
	if counter == "ខេត្ត" && j > end {
		counter = "" // "៥ ខេត្តព្រះសីហនុ": a province's name, no count of provinces
	}
	if counter == "" {
		// "ទីតាំងចំនួន២": the noun before "ចំនួន" (a number of) counts
		// what no counter follows.
		w, from := khmerWordBefore(text, p, "ចំនួន")
		if w == "" || words {
			return document.Figure{}, numEnd, false
		}
		if unit = khmerCountedBefore(text, from); unit == "" {
			return document.Figure{}, numEnd, false
		}
	} else {
		end = j + len(counter)
		if unit == "USD" && strings.HasPrefix(text[end:], "អាមេរិក") {
			end += len("អាមេរិក")
		}
		noun := khmerNounBefore(text, f.Start)
		switch {
		case unit == "" && (noun == "people" || noun == "suspects" || noun == "victims"):
			return document.Figure{}, numEnd, false // "គ្រឿង" after people: no device
		case unit == "":
			if noun == "" {
				return document.Figure{}, numEnd, false // a device the text does not name
			}
			unit = noun
		case unit == "people":
			if noun == "suspects" || noun == "victims" {
				unit = noun
			} else if u := khmerCalled(text[end:]); u != "" {
				unit = u
			} else {
				unit = fs.totalUnit(v, f.Start, khmerPartOf)
			}
		}
		if w, _ := khmerWordBefore(text, f.Start, "ថយចុះ", "កើនឡើង", "ធ្លាក់ចុះ", "កើន"); w != "" {
			return document.Figure{}, numEnd, false // "ថយចុះ១២៤ករណី": a change, no count
		}
		if words && v == 1 && (unit == "people" || unit == "sites") {
			return document.Figure{}, numEnd, false // "មួយនាក់", "មួយកន្លែង": "one", as often as "a"
		}
	}
	f.Unit, f.End = unit, end
	if f.Qualifier != "range" {
		if q, from := khmerQualifierBefore(text, f.Start); q != "" {
			f.Qualifier, f.Start = q, from
		}
	}
	f.Value = roundValue(f.Value)
	return f, end, true
}

// skipSpace passes over the spaces at text[i].
func skipSpace(text string, i int) int {
	for i < len(text) && text[i] == ' ' {
		i++
	}
	return i
}

// khmerQualifierBefore reads the qualifier before a number at text[p],
// and where it starts: "ជាង ២០០", "ចំនួនជាង២០០", "ប្រមាណជា ៥០០".
func khmerQualifierBefore(text string, p int) (string, int) {
	i := p
	if w, from := khmerWordBefore(text, i, "ចំនួន"); w != "" {
		i = from
	}
	for _, q := range khmerQualifiers {
		if w, from := khmerWordBefore(text, i, q.word); w != "" {
			return q.q, from // before "ចំនួន" ("សរុបចំនួន") or the number
		}
	}
	return "", p
}

// khmerNounBefore returns the unit that the noun last named before a
// number at text[p] tells: Khmer writes a noun, its modifiers and the
// number with no space between them ("ទូរស័ព្ទដៃ១២០គ្រឿង"), and puts a
// space between phrases, so the noun is in the number's phrase or, where
// the number opens its own, in the phrase before ("កុំព្យូទ័រ ៣៥ គ្រឿង").
// A phrase of only "ចំនួន" (a number of) or a qualifier looks one further.
func khmerNounBefore(text string, p int) string {
	end := p
	for range 3 {
		for end > 0 && text[end-1] == ' ' {
			end--
		}
		from := strings.LastIndexAny(text[:end], " \n។") + 1
		phrase := text[from:end]
		best, at := "", -1
		for _, n := range khmerNouns {
			if i := strings.LastIndex(phrase, n.word); i > at {
				best, at = n.unit, i
			}
		}
		if best != "" {
			return best
		}
		if !khmerFiller(phrase) {
			if khmerBare(phrase) {
				return khmerSentenceNoun(text, from)
			}
			return ""
		}
		end = from
	}
	return ""
}

// khmerFunctionWords are the words khmerBare passes over.
var khmerFunctionWords = [...]string{"មាន", "ចំនួន", "ដែល", "ស្មើនឹង", "គឺ", "ជា", "បាន", "នូវ", "សរុប", "ប្រមាណ", "ប្រហែល", "ជាង", "ជិត"}

// khmerBare reports a phrase of function words only ("មានចំនួន", there
// are; "ដែលស្មើនឹងប្រមាណ", which comes to about): a count with no noun of
// its own counts what its sentence is about.
func khmerBare(phrase string) bool {
	for phrase != "" {
		w := listPrefix(phrase, 0, khmerFunctionWords[:])
		if w == "" {
			return false
		}
		phrase = phrase[len(w):]
	}
	return true
}

// khmerSentenceBefore returns the part of text[p]'s sentence before it,
// n bytes at most: from the last "។" or line break.
func khmerSentenceBefore(text string, p, n int) string {
	before := text[max(0, p-n):p]
	if i := strings.LastIndexAny(before, "។\n"); i >= 0 {
		_, w := utf8.DecodeRuneInString(before[i:])
		before = before[i+w:]
	}
	return before
}

// khmerSentenceNoun returns the unit of the suspects or victims last
// named in the sentence before text[p].
func khmerSentenceNoun(text string, p int) string {
	before := khmerSentenceBefore(text, p, 600)
	best, at := "", -1
	for _, n := range khmerNouns {
		if n.unit != "suspects" && n.unit != "victims" {
			continue
		}
		if i := strings.LastIndex(before, n.word); i > at {
			best, at = n.unit, i
		}
	}
	return best
}

// khmerFiller reports a phrase that names nothing: "ចំនួន" or a
// qualifier.
func khmerFiller(phrase string) bool {
	if phrase == "ចំនួន" {
		return true
	}
	for _, q := range khmerQualifiers {
		if phrase == q.word || phrase == "ចំនួន"+q.word || phrase == q.word+"ចំនួន" {
			return true
		}
	}
	return false
}

// khmerCountedBefore returns the unit that the noun ending at text[e]
// counts, when no counter follows its number ("ទីតាំងចំនួន២", two sites).
func khmerCountedBefore(text string, e int) string {
	for _, c := range khmerCounters {
		if c.unit != "" && c.unit != "people" && strings.HasSuffix(text[:e], c.word) {
			return c.unit
		}
	}
	for _, n := range khmerNouns {
		if (n.unit == "suspects" || n.unit == "victims") && strings.HasSuffix(text[:e], n.word) {
			return n.unit
		}
	}
	if hasAnySuffix(text[:e], "កាស៊ីណូ", "កាសុីណូ", "អគារ") {
		return "sites" // "កាស៊ីណូចំនួន២": casinos and buildings are sites
	}
	return ""
}

// khmerCalled reads what the rest of a clause calls the people just
// counted: "២៥០នាក់ ដែលជាជនរងគ្រោះ" are victims.
func khmerCalled(rest string) string {
	rest = rest[:min(len(rest), 90)]
	if i := strings.IndexAny(rest, "។\n"); i >= 0 {
		rest = rest[:i]
	}
	i := strings.Index(rest, "ជា")
	if i < 0 {
		return ""
	}
	for _, n := range khmerNouns {
		if (n.unit == "suspects" || n.unit == "victims") && strings.HasPrefix(rest[i+len("ជា"):], n.word) {
			return n.unit
		}
	}
	return ""
}

// khmerPartOf reports the words of a breakdown in Khmer: "ជនសង្ស័យ
// ២៨នាក់ ក្នុងនោះស្រី ៥នាក់" counts five suspects (totalUnit).
func khmerPartOf(between string) bool {
	return containsAny(between, khmerBreakdown[:]...)
}
