package extractor

// Figures are found by a hand-rolled scan around number tokens and number
// words rather than by large regular expressions: the scanner already knows
// each token's neighbours, which is what decides whether "3" is a count
// ("3 victims"), a label ("Tier 3"), a date ("July 3") or a duration
// ("3 days"), and it keeps extraction well above the throughput target.

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/ascii"
)

// findFigures returns the numeric facts stated in text.
func findFigures(text string) []document.Figure {
	return figuresIn(newScanner(text, tokenize(nil, text)))
}

// figureKey identifies a fact for de-duplication: a fact repeated in a
// document is kept once, at its first mention. Rows of a list or table
// carry their label, so equal values in different rows stay apart; and
// one sentence does not state a fact twice, so "18 operations in the
// zone and 18 operations outside it" are two.
type figureKey struct {
	value     float64
	unit      string
	qualifier string
	label     string
}

type figureScanner struct {
	scanner
	out []document.Figure
	// facts are the first facts found, each with the end of its first
	// mention, searched in turn (mentioned); seen maps those found after
	// them. A document states a few facts, and comparing keys costs less
	// than hashing their strings, twice for each new fact.
	facts  [16]seenFact
	nfacts int
	seen   map[figureKey]int
	// lastRead is the unit and end of the last figure read in Chinese
	// or Khmer, repeat or not: the total a breakdown after it counts in
	// (totalUnit).
	lastRead struct {
		unit string
		end  int
	}
	// mask marks the byte ranges already consumed by table rows.
	masked []span
}

type seenFact struct {
	key figureKey
	end int
}

type span struct{ start, end int }

func figuresIn(s scanner) []document.Figure {
	if s.sc.seen == nil {
		s.sc.seen = map[figureKey]int{}
	}
	if len(s.sc.seen) > 0 {
		clear(s.sc.seen)
	}
	fs := &figureScanner{scanner: s, seen: s.sc.seen, out: s.sc.figs[:0]}
	toks, text, shape := s.toks, s.text, &s.lx.numberShape
	fs.tables()
	masked := fs.masked
	mi := 0 // table rows are masked in text order: one moving index suffices
	for i := 0; i < len(toks); i++ {
		// Most tokens start no figure, masked or not: punctuation, and
		// words that fail wordNumber's first test, made here without a
		// call.
		switch t := &toks[i]; {
		case t.kind > tNum:
			continue
		case t.kind == tWord && t.flags&(fHyphen|fHan|fKhmer|fDigit) == 0 && !shape.has(text[t.start:t.end]):
			continue
		}
		for mi < len(masked) && masked[mi].end <= toks[i].start {
			mi++
		}
		if mi < len(masked) && toks[i].start >= masked[mi].start {
			continue
		}
		switch toks[i].kind {
		case tNum:
			if i+1 < len(toks) && toks[i+1].has(fHan|fKhmer) {
				var next int
				if toks[i+1].has(fHan) {
					next = fs.hanFigures(i) // "162 名外國疑犯"
				} else {
					next = fs.khmerFigures(i) // "28 នាក់"
				}
				if next > i {
					i = next
					continue
				}
			}
			if next := fs.number(i); next > i {
				i = next
			}
		case tWord:
			if !toks[i].has(fHyphen | fHan | fKhmer) {
				if toks[i].has(fDigit) {
					// "VND200", "$12m": an amount in one word. Most words
					// with digits are names and ordinals ("K99", "14th"),
					// which gluedAmount turns away before number's tests.
					if _, num, _ := fs.gluedAmount(text[toks[i].start:toks[i].end], fs.scaleAfter(i)); num != "" {
						if next := fs.number(i); next > i {
							i = next
						}
					}
					continue
				}
			} else if toks[i].has(fHan) {
				i = fs.hanFigures(i)
				continue
			} else if toks[i].has(fKhmer) {
				i = fs.khmerFigures(i)
				continue
			} else if toks[i].has(fDigit) {
				if next := fs.number(i); next > i { // "300-400", a range in one token
					i = next
				}
				continue
			}
			if next := fs.wordNumber(i); next > i {
				i = next
			}
		}
	}
	sortFigures(fs.out)
	var out []document.Figure
	if len(fs.out) > 0 {
		out = slices.Clone(fs.out)
	}
	clear(fs.out) // the strings in them belong to this document
	s.sc.figs = fs.out[:0]
	return out
}

func sortFigures(fs []document.Figure) {
	// Insertion sort: table rows are found first, everything else in order.
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Start < fs[j-1].Start; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

func (fs *figureScanner) add(f document.Figure, label string) {
	if f.Value <= 0 || math.IsInf(f.Value, 0) || math.IsNaN(f.Value) {
		return
	}
	k := figureKey{value: f.Value, unit: f.Unit, qualifier: f.Qualifier, label: label}
	if end, ok := fs.mentioned(k, f.End); ok && !fs.restated(f, end) {
		return
	}
	f.Text = fs.text[f.Start:f.End]
	fs.out = append(fs.out, f)
}

// mentioned returns the end of the first mention of fact k, or, when k
// is new, records end as that and reports false.
func (fs *figureScanner) mentioned(k figureKey, end int) (int, bool) {
	for _, f := range fs.facts[:fs.nfacts] {
		if f.key == k {
			return f.end, true
		}
	}
	if fs.nfacts < len(fs.facts) {
		fs.facts[fs.nfacts] = seenFact{k, end}
		fs.nfacts++
		return 0, false
	}
	if first, ok := fs.seen[k]; ok {
		return first, true
	}
	fs.seen[k] = end
	return 0, false
}

// restated reports whether f, equal to a fact whose first mention ends
// at end, is another fact: one in the same sentence that the figure just
// before does not take in ("15 of the 120" names the 120 again). Each is
// compared with the first mention, so that a run-on text saying one fact
// over and over keeps the few within a sentence's length of the first.
func (fs *figureScanner) restated(f document.Figure, end int) bool {
	if end > f.Start || len(fs.out) > 0 && fs.out[len(fs.out)-1].End > f.Start {
		return false
	}
	return sameSentence(fs.text[end:f.Start])
}

// sameSentence reports whether between, the text between two mentions,
// ends no sentence: it holds no line break and no full stop, question or
// exclamation mark before a space, nor a Chinese one. An abbreviation's
// dot ("Gen. Sok") reads as an end, which keeps a repeated fact once, as
// before; so does text longer than a sentence (600 bytes) without any,
// such as a page whose punctuation was lost, which also bounds the scan.
func sameSentence(between string) bool {
	if len(between) > 600 {
		return false
	}
	for i := len(between) - 1; i >= 0; i-- {
		switch between[i] {
		case '\n':
			return false
		case '.', '?', '!':
			if i+1 < len(between) && between[i+1] == ' ' {
				return false
			}
		case 0x82, 0x81, 0x9f, 0x94, 0x95: // the last byte of "。", "！", "？", "។", "៕"
			if i >= 2 && document.IsFullStop(between[i-2:i+1]) {
				return false
			}
		}
	}
	return true
}

// parseNumber reads "150,000" or "12.5". Commas must group thousands, so
// "1,2" is refused rather than guessed.
func parseNumber(s string) (float64, bool) {
	if s == "" || !isDigit(s[0]) {
		return 0, false
	}
	if strings.IndexByte(s, ',') >= 0 {
		// The digits without the commas, on the stack for most numbers.
		intPart, frac, _ := strings.Cut(s, ".")
		var buf [32]byte
		b := buf[:0]
		for g := range strings.SplitSeq(intPart, ",") {
			if len(b) == 0 && (len(g) == 0 || len(g) > 3) || len(b) > 0 && len(g) != 3 {
				return 0, false
			}
			b = append(b, g...)
		}
		if frac != "" {
			b = append(append(b, '.'), frac...)
		}
		if v, ok := decimal(b); ok {
			return v, true
		}
		v, err := strconv.ParseFloat(string(b), 64)
		return v, err == nil
	}
	if v, ok := decimal(s); ok {
		return v, true
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// decimal reads s when it is digits with at most one "." between two of
// them, fifteen digits at most, and returns what strconv.ParseFloat
// would: the digits' integer and the power of ten that places the dot are
// both exact in a float64, so their one rounded quotient is the nearest
// float64 to the number, as ParseFloat's own fast path finds it. The
// numbers of a text are such strings, and ParseFloat spent hundreds of
// instructions on each, reading signs, exponents and special values they
// never hold. ok is false for anything else, which is left to ParseFloat.
func decimal[T string | []byte](s T) (v float64, ok bool) {
	var m uint64
	dot := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			m = m*10 + uint64(c-'0')
			continue
		}
		if c != '.' || dot >= 0 || i == 0 || i == len(s)-1 {
			return 0, false
		}
		dot = i
	}
	digits := len(s)
	if dot >= 0 {
		digits--
	}
	if digits == 0 || digits > 15 {
		return 0, false // more digits than a float64 holds exactly
	}
	if dot < 0 {
		return float64(m), true
	}
	return float64(m) / math.Pow10(len(s)-1-dot), true
}

// parseRange reads "300-400" or "13,700-68,800", a range joined by a
// hyphen in one token (scanWord), low end first. Two years ("2019-2021")
// and a low end not below the high ("Route 5-3") are refused; an
// identifier such as "7-11" reads as a range, which only a counted noun
// after it makes a figure.
func parseRange(s string) (lo, hi float64, ok bool) {
	a, b, found := strings.Cut(s, "-")
	if !found || !numeric(a) || !numeric(b) {
		return 0, 0, false // "2024-03-05", "COVID-19": refused before strconv, whose errors allocate
	}
	lo, ok1 := parseNumber(a)
	hi, ok2 := parseNumber(b)
	if !ok1 || !ok2 || lo >= hi || isYearToken(a) && isYearToken(b) {
		return 0, 0, false
	}
	return lo, hi, true
}

// numeric reports whether s holds only digits, commas and dots, a digit
// first: the bytes of a tNum token.
func numeric(s string) bool {
	if s == "" || !isDigit(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && c != ',' && c != '.' {
			return false
		}
	}
	return true
}

// isYearToken reports whether a number token looks like a calendar year.
// It reads the digits itself: strconv.Atoi allocates its error for each
// four-character token that is not all digits ("3.5m", "2,40").
func isYearToken(s string) bool {
	if len(s) != 4 {
		return false
	}
	v := 0
	for i := range 4 {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		v = v*10 + int(c-'0')
	}
	return v >= 1900 && v <= 2100
}

// wordAt returns the folded text of token i when it is a word, else "".
// It is a slice of the text or of its folded copy, so it costs no
// allocation.
func (s *scanner) wordAt(i int) string {
	if i < 0 || i >= len(s.toks) || s.toks[i].kind != tWord {
		return ""
	}
	return s.lowerTok(i)
}

// lenAt is the length of token i, or 0 past the last: a screen before
// the tests of a short word, small enough to be inlined.
func (s *scanner) lenAt(i int) int {
	if i >= len(s.toks) {
		return 0
	}
	return s.toks[i].end - s.toks[i].start
}

// inOrOut reports a length of "in" or "out", share's screen.
func inOrOut(n int) bool { return n == 2 || n == 3 }

// lowerTok returns token i with ASCII capitals folded.
func (s *scanner) lowerTok(i int) string {
	return s.lower[s.toks[i].start:s.toks[i].end]
}

// wordIs reports whether token i is the lower-case word w in any ASCII
// case, without the copy wordAt makes of a capitalised word.
func (s *scanner) wordIs(i int, w string) bool {
	return i >= 0 && i < len(s.toks) && s.toks[i].kind == tWord && equalFoldASCII(s.tok(i), w)
}

func (s *scanner) isMonth(i int) bool { return s.monthAt(i) != 0 }

// phrase is a numeric expression under construction.
type phrase struct {
	first, last int // token range, inclusive
	value       float64
	unit        string
	qualifier   string
	subject     string
	headEnd     int // byte offset where the surface ends
	money       bool
	currency    string // ISO code of money; empty is USD
	percent     bool
	fraction    bool
}

// number handles a digit token at i and returns the last token it used.
func (fs *figureScanner) number(i int) int {
	// Dates: "July 13", "13 July". Nothing below makes a number next to
	// a month a figure (a scale word or a range would stand between
	// them), and dates are most of the numbers of a news text.
	if fs.isMonth(i-1) || fs.isMonth(i+1) {
		return i
	}
	s := fs.tok(i)
	var v, hi float64 // hi: the upper end of "300-400"
	var ok bool
	code, scale := "", 0.0 // of an amount in one word, "VND200", "12m"
	switch {
	case fs.toks[i].kind == tNum:
		v, ok = parseNumber(s)
	case fs.toks[i].has(fHyphen):
		v, hi, ok = parseRange(s)
	}
	if !ok && fs.toks[i].kind != tNum {
		var num string
		if code, num, scale = fs.gluedAmount(s, fs.scaleAfter(i)); num != "" {
			v, ok = parseNumber(num)
		}
	}
	if !ok {
		return i
	}
	p := phrase{first: i, last: i, value: v}
	if code != "" {
		p.money, p.currency = true, code
	}
	// Attached to something that makes it an identifier, a time or a ratio;
	// a glued range ("13,700-68,800") is read below.
	if fs.attached(i) && !fs.gluedRange(i) {
		return i
	}
	// Currency before: "$12.5", "US$ 5", "USD 5", "LAK 100 million", "¥500".
	if fs.isPunct(i-1, "$") && !fs.toks[i].has(fSpace) {
		p.money, p.first = true, i-1
		if !fs.toks[i-1].has(fSpace) {
			// The letters before "$" tell whose dollar: "US$5", "NT$4.5
			// billion", "HK$2 million".
			switch w := fs.wordAt(i - 2); w {
			case "us", "usd":
				p.first = i - 2
			default:
				if code := dollarCode(w); code != "" {
					p.first, p.currency = i-2, code
				}
			}
		}
	} else if w := fs.wordAt(i - 1); w == "usd" || w == "us$" {
		p.money, p.first = true, i-1
	} else if k := fs.rupeesBefore(i); k >= 0 {
		p.money, p.currency, p.first = true, "INR", k // "Rs 500 crore", "Rs. 2,000"
	} else if code := fs.currencyBefore(i); code != "" {
		p.money, p.currency, p.first = true, code, i-1
	} else if i > 0 && fs.toks[i-1].kind == tPunct && fs.lx.currencies.at(fs.tok(i-1)) {
		return i
	}
	if scale > 0 {
		if !p.money && fs.lx.currencyCodes.at(fs.wordAt(i+1)) == "" {
			return i // "12m" alone is as likely metres; "50m won" is money
		}
		p.value *= scale
	}
	// Scale word: "12.5 billion".
	if sc, ok := fs.lx.scales.getFold(fs.wordAt(i + 1)); ok && (p.money || len(fs.wordAt(i+1)) > 2) {
		p.value *= sc
		hi *= sc
		p.last = i + 1
	}
	// A range is one figure: its maximum, qualified "range".
	if hi > 0 {
		p.value, p.qualifier = hi, "range"
	} else if last, hi, ok := fs.rangeEnd(i, p.last, p.value); ok {
		p.value, p.last, p.qualifier = hi, last, "range"
		if fs.wordIs(p.first-1, "between") {
			p.first--
		}
	}
	// Dates after a range or a scale word: "13-15 July".
	if p.last != i && fs.isMonth(p.last+1) {
		return i
	}
	if !p.money && isYearToken(s) {
		// A year, unless a count noun follows directly ("2000 workers"),
		// and then still a year after "the" ("the 2024 reports").
		if _, ok := fs.lx.units.get(fs.wordAt(i + 1)); !ok || fs.isMonth(i-2) || fs.wordAt(i-1) == "the" {
			return i
		}
	}
	if !p.money {
		// Labels: "Tier 3", "Majestic 2", "page 4".
		if i > 0 && fs.toks[i].has(fSpace) && fs.toks[i-1].kind == tWord {
			w := fs.wordAt(i - 1)
			if fs.lx.namePrev.at(w) {
				return i
			}
			if fs.toks[i-1].has(fUpper) && !fs.sentenceStartsAt(i-1) {
				if _, q := fs.lx.qualifiers.get(w); !q {
					return i
				}
			}
		}
		// List numbering: "1." or "2)" at the start of a line.
		if (i == 0 || fs.toks[i-1].kind == tNL) && (fs.isPunct(i+1, ".") || fs.isPunct(i+1, ")")) {
			return i
		}
		// "Pailin (1)": a count in a parenthesised list.
		if fs.isPunct(i-1, "(") && fs.isPunct(i+1, ")") {
			return fs.parenCount(i, v)
		}
	}
	// A share: "1 in 10", "3 out of 4".
	if !p.money && p.last == i && hi == 0 && inOrOut(fs.lenAt(i+1)) && fs.share(&p, v) {
		p.percent, p.unit = true, "percent"
		return fs.finish(p)
	}
	// Percent: "78%", "95 percent", "95 per cent".
	if fs.isPunct(p.last+1, "%") && !fs.toks[p.last+1].has(fSpace) {
		p.percent, p.last, p.unit = true, p.last+1, "percent"
	} else if w := fs.wordAt(p.last + 1); w == "percent" || w == "pct" && fs.tok(p.last+1) != "PCT" {
		p.percent, p.last, p.unit = true, p.last+1, "percent"
	} else if w == "per" && fs.wordAt(p.last+2) == "cent" {
		p.percent, p.last, p.unit = true, p.last+2, "percent"
	}
	if !p.percent && !fs.currencyAfter(&p) {
		return p.last
	}
	return fs.finish(p)
}

// share reads a share stated as a count of a whole, a of n: "one in
// three", "two out of five", "1 in 10", after p's first token, whose
// value is a. It sets p to the share as a percentage, taking in a
// counted noun after it as the subject ("one in three victims").
//
// Neither "in" nor "out" follows most numbers: callers ask lenAt first,
// which is inlined, and spare the call.
func (fs *figureScanner) share(p *phrase, a float64) bool {
	j := p.first + 1
	switch {
	case fs.wordAt(j) == "in":
		j++
	case fs.wordAt(j) == "out" && fs.wordAt(j+1) == "of":
		j += 2
	default:
		return false
	}
	if j >= len(fs.toks) {
		return false
	}
	var n float64
	ok := false
	switch t := fs.toks[j]; t.kind {
	case tNum:
		if isYearToken(fs.tok(j)) || fs.isMonth(j+1) {
			return false // "two in 2023", "one in 5 May"
		}
		n, ok = parseNumber(fs.tok(j))
	case tWord:
		n, ok = fs.lx.numberWords.get(fs.wordAt(j))
	}
	if !ok || n <= a || n > 1000 || a != math.Trunc(a) || n != math.Trunc(n) {
		return false
	}
	p.value, p.last, p.fraction = math.Round(a/n*1000)/10, j, true
	if _, noun := fs.lx.units.get(fs.wordAt(j + 1)); noun || j+1 < len(fs.toks) && fs.toks[j+1].kind == tWord && isDemonym(fs.tok(j+1)) {
		p.last, p.subject = j+1, fs.tok(j+1)
	}
	return true
}

// attached reports a digit token glued to letters or symbols that make it
// part of an identifier, a time, a ratio or a range ("24/7", "10:30", "#3").
func (fs *figureScanner) attached(i int) bool {
	t := fs.toks[i]
	if i > 0 && !t.has(fSpace) {
		switch prev := fs.toks[i-1]; prev.kind {
		case tWord, tNum:
			return true
		case tPunct:
			switch fs.tok(i - 1) {
			case "/", ":", "#", "-", "–", "+", ".", "№", "_":
				return true
			}
		}
	}
	if i+1 < len(fs.toks) && !fs.toks[i+1].has(fSpace) {
		switch next := fs.toks[i+1]; next.kind {
		case tWord, tNum:
			return true
		case tPunct:
			switch fs.tok(i + 1) {
			case "/", ":", "-", "–", "_":
				return true
			}
		}
	}
	return false
}

// gluedAmount reads an amount written as one word: a currency's code
// before its digits ("VND200", "VNĐ25", "KHR4000") or a scale after them
// ("12m", "4.5bn", "180-million", as "$12m", "US$4.5bn" and
// "US$180-million" are printed). It returns the
// currency (ISO code, or ""), the digits, and the scale (0 for none); no
// digits where s is not such a word ("K99", "14th"). scaled says a scale
// word follows s ("P5 million").
func (fs *figureScanner) gluedAmount(s string, scaled bool) (code, num string, scale float64) {
	code, n := fs.codePrefix(s, scaled)
	rest := s[n:]
	if rest == "" || !isDigit(rest[0]) {
		return "", "", 0
	}
	if n = numberEnd(rest, 0); n < len(rest) {
		// A scale glued on ("12m") or joined by a hyphen ("180-million",
		// not "3-m").
		unit := rest[n:]
		if unit[0] == '-' {
			if unit = unit[1:]; len(unit) <= 2 {
				return "", "", 0
			}
		}
		sc, ok := fs.lx.scales.getFold(unit)
		if !ok {
			return "", "", 0
		}
		scale = sc
	}
	if code == "" && scale == 0 {
		return "", "", 0
	}
	return code, rest[:n], scale
}

// codePrefix returns the ISO code of the currency s starts with, written
// as its code in capitals ("VND200", "KHR 4,000") or as Vietnam's press
// writes the đồng ("VNĐ25"), and the code's length; "" and 0 where s
// starts with none. scaled says a scale word follows s.
func (fs *figureScanner) codePrefix(s string, scaled bool) (code string, n int) {
	if strings.HasPrefix(s, "VNĐ") {
		return "VND", len("VNĐ")
	}
	// The Philippine press writes the peso "P" ("P60,000", "P112.5
	// million") and Malaysia's the ringgit "RM" ("RM500"); a "P" before a
	// number with neither a comma nor a scale word is as often a label
	// ("P2").
	if len(s) > 1 && s[0] == 'P' && isDigit(s[1]) && (scaled || strings.IndexByte(s, ',') > 0) {
		return "PHP", 1
	}
	if len(s) > 2 && s[0] == 'R' && s[1] == 'M' && isDigit(s[2]) {
		return "MYR", 2
	}
	if len(s) < 3 {
		return "", 0
	}
	var low [3]byte
	for k := range low {
		if c := s[k]; c < 'A' || c > 'Z' {
			return "", 0
		}
		low[k] = s[k] | 0x20
	}
	if code = fs.lx.currencyCodes.at(string(low[:])); code == "" {
		return "", 0
	}
	return code, 3
}

// gluedRange reports "13,700-68,800": a number, a dash and a number with
// no spaces between them.
func (fs *figureScanner) gluedRange(i int) bool {
	if i+2 >= len(fs.toks) || fs.toks[i+1].has(fSpace) || fs.toks[i+2].has(fSpace) {
		return false
	}
	if i > 0 && !fs.toks[i].has(fSpace) && (fs.toks[i-1].kind == tWord && fs.wordAt(i-1) != "us$" || fs.toks[i-1].kind == tNum) {
		return false
	}
	return (fs.isPunct(i+1, "-") || fs.isPunct(i+1, "–")) && fs.toks[i+2].kind == tNum
}

// rangeEnd reads the upper end of a range that starts with the number at
// token i (its phrase ends at last, with value lo): "6,000 to 7,000",
// "between 100,000 and 500,000", "13,700-68,800", "$3 to $5 million". Years
// ("2019 to 2021") and ages ("aged between 15 and 17") are not ranges.
func (fs *figureScanner) rangeEnd(i, last int, lo float64) (int, float64, bool) {
	k := last + 1
	switch {
	case fs.wordIs(k, "to"):
	case fs.wordIs(k, "and") && (fs.wordIs(i-1, "between") || fs.wordIs(i-2, "between")):
	case fs.isPunct(k, "-") || fs.isPunct(k, "–"):
	default:
		return 0, 0, false
	}
	if isYearToken(fs.tok(i)) {
		return 0, 0, false
	}
	for _, age := range [...]string{"aged", "ages", "age"} {
		if fs.wordIs(i-1, age) || fs.wordIs(i-1, "between") && fs.wordIs(i-2, age) {
			return 0, 0, false
		}
	}
	k++
	if fs.isPunct(k, "$") {
		k++
	}
	if k >= len(fs.toks) || fs.toks[k].kind != tNum {
		return 0, 0, false
	}
	hi, ok := parseNumber(fs.tok(k))
	if !ok || isYearToken(fs.tok(k)) {
		return 0, 0, false
	}
	end := k
	if sc, ok := fs.lx.scales.getFold(fs.wordAt(k + 1)); ok && len(fs.wordAt(k+1)) > 2 {
		hi *= sc
		end = k + 1
	} else if last > i {
		// "3 to 5 million" reads as millions at both ends: scale from the first.
		if sc, ok := fs.lx.scales.getFold(fs.wordAt(last)); ok {
			hi *= sc
		}
	}
	if hi <= lo {
		return 0, 0, false
	}
	return end, hi, true
}

// scaleAfter reports a scale word of three letters or more after token i
// ("5 million", not "5 m").
func (fs *figureScanner) scaleAfter(i int) bool {
	w := fs.wordAt(i + 1)
	_, ok := fs.lx.scales.getFold(w)
	return ok && len(w) > 2
}

// rupeesBefore returns the token of "Rs" or "Rs." written before the
// number at i, as India's press writes the rupee, or -1.
func (fs *figureScanner) rupeesBefore(i int) int {
	k := i - 1
	if fs.isPunct(k, ".") {
		k--
	}
	if k >= 0 && fs.lenAt(k) == 2 && fs.tok(k) == "Rs" {
		return k
	}
	return -1
}

// currencyBefore is the ISO code of a currency written before the number at
// i: a symbol ("¥", "฿", "៛") or an upper-case code ("LAK 100 million").
func (fs *figureScanner) currencyBefore(i int) string {
	if i == 0 {
		return ""
	}
	t := fs.toks[i-1]
	s := fs.tok(i - 1)
	switch t.kind {
	case tPunct:
		return fs.lx.currencyCodes.at(s)
	case tWord:
		if (len(s) == 3 || len(s) == len("VNĐ")) && s != "USD" {
			if code, n := fs.codePrefix(s, false); n == len(s) {
				return code
			}
		}
	}
	return ""
}

// wordNumber handles number words and fractions starting at token i.
func (fs *figureScanner) wordNumber(i int) int {
	lx := fs.lx
	w := fs.lowerTok(i) // a word: figuresIn calls this on words only
	if !fs.toks[i].has(fHyphen) {
		// figuresIn has tested the word's shape (lx.numberShape).
		if _, ok := lx.numberStarts.get(w); !ok {
			return i
		}
	}
	if len(w) > 24 {
		return i
	}
	p := phrase{first: i, last: i}
	switch {
	case w == "a" || w == "an" || w == "one":
		next := fs.wordAt(i + 1)
		if w == "one" && inOrOut(fs.lenAt(i+1)) && fs.share(&p, 1) {
			break // "one in three"
		}
		if sc, ok := lx.scales.get(next); ok && len(next) > 2 {
			p.value, p.last = sc, i+1
		} else if next == "dozen" {
			p.value, p.last = 12, i+1
		} else if w == "one" && next != "" && (lx.units.at(next) != "" || isDemonym(fs.tok(i+1)) || fs.onePerson(i+1) || next == "from" || next == "in") {
			p.value = 1 // "one Vietnamese", "one from Saudi Arabia"
		} else if (next == "third" || next == "quarter" || next == "fifth" || next == "tenth") && w != "an" && fs.wordAt(i+2) == "of" {
			p.value, p.last, p.fraction = lx.fractions.at(next), i+1, true // the four are fractions
		} else {
			return i
		}
	case w == "half":
		// "Half of Cambodia’s GDP", "half the country's GDP", not "the
		// first half of 2023" or "half the year".
		j := i + 1 // the whole's first word, past "of"
		switch fs.wordAt(j) {
		case "of":
			j++
		case "the", "its", "their":
		default:
			return i
		}
		switch fs.wordAt(i - 1) {
		case "first", "second", "latter", "last", "the":
			return i
		}
		if fs.isMonth(j) || (j < len(fs.toks) && fs.toks[j].kind == tNum) {
			return i
		}
		switch fs.wordAt(j) {
		case "the", "this", "that", "next", "last", "its", "their":
			if _, t := lx.months.get(fs.wordAt(j + 1)); t || lx.stopNouns.at(fs.wordAt(j+1)) {
				return i
			}
		}
		p.value, p.fraction = 50, true
	case fs.toks[i].has(fHyphen) && strings.Count(w, "-") == 1:
		// "one-third", "two-thirds", "Multiple-third" (spun "more than a third").
		a, b, _ := strings.Cut(w, "-")
		f, ok := lx.fractions.get(b)
		if !ok || b == "half" {
			if v, ok := lx.numberWords.get(w); ok { // "twenty-five"
				p.value = v
				break
			}
			return i
		}
		switch a {
		case "one", "a":
			p.value = f
			if b == "thirds" || b == "quarters" || b == "fifths" {
				return i
			}
		case "two", "three", "four":
			n := lx.numberWords.at(a)
			switch b {
			case "thirds":
				p.value = math.Round(n*100/3*10) / 10
			case "quarters":
				p.value = n * 25
			case "fifths":
				p.value = n * 20
			default:
				return i
			}
		case "multiple":
			p.value, p.qualifier = f, "more than"
		default:
			return i
		}
		p.fraction = true
	default:
		v, ok := lx.numberWords.get(w)
		if !ok || w == "one" || w == "zero" {
			return i
		}
		p.value = v
		if fs.isPunct(i-1, "(") && fs.isPunct(i+1, ")") {
			return fs.parenCount(i, v) // "Myanmar (five)" in a list
		}
		if fs.wordAt(i+1) == "dozen" {
			p.value, p.last = v*12, i+1
		} else if inOrOut(fs.lenAt(i + 1)) {
			fs.share(&p, v)
		}
	}
	if p.fraction {
		p.unit, p.percent = "percent", true
		return fs.finish(p)
	}
	// "three million"
	if sc, ok := lx.scales.get(fs.wordAt(p.last + 1)); ok && len(fs.wordAt(p.last+1)) > 2 {
		p.value *= sc
		p.last++
	}
	// Labels ("Jinbei One"), hyphenated durations and ordinals are not counts.
	if i > 0 && fs.toks[i-1].kind == tWord && fs.toks[i-1].has(fUpper) && fs.toks[i].has(fSpace) && !fs.sentenceStartsAt(i) && !fs.sentenceStartsAt(i-1) {
		if _, q := lx.qualifiers.get(fs.wordAt(i - 1)); !q && !fs.toks[i].has(fUpper) {
			return i
		}
	}
	if fs.isMonth(p.last+1) || fs.isMonth(i-1) {
		return i
	}
	if !fs.currencyAfter(&p) {
		return p.last
	}
	return fs.finish(p)
}

// currencyAfter reads a currency written after the number of p: "5
// million dollars", "20 USD", "10 billion yuan", "ten thousand dollars".
// It reports false where a currency that is kept as no figure follows.
func (fs *figureScanner) currencyAfter(p *phrase) bool {
	w := fs.wordAt(p.last + 1)
	switch {
	case w == "usd" || w == "dollars" && !p.money:
		p.money, p.last = true, p.last+1
	case w == "us" && fs.wordAt(p.last+2) == "dollars":
		p.money, p.last = true, p.last+2
	case fs.lx.currencyCodes.at(w) != "" && !p.money && (w != "won" || p.value >= 1000):
		// "won" is the verb after a small number ("the 12 won").
		p.money, p.currency, p.last = true, fs.lx.currencyCodes.at(w), p.last+1
	case fs.lx.currencies.at(w):
		return false
	case w != "" && !p.money && fs.toks[p.last+1].has(fUpper):
		// The country's adjective first: "3,000 Thai Baht", "500
		// Philippine pesos".
		if code := fs.countryCurrency(p.last + 2); code != "" {
			p.money, p.currency, p.last = true, code, p.last+2
		}
	}
	return true
}

// dollarCode is the ISO code of a dollar other than the US one that the
// region's press writes with the letters w before "$", or "".
func dollarCode(w string) string {
	switch w {
	case "nt":
		return "TWD"
	case "hk":
		return "HKD"
	case "s":
		return "SGD"
	case "a":
		return "AUD"
	}
	return ""
}

// countryCurrency is the ISO code of a currency word at token i that a
// country's adjective may name ("Thai baht"), or "": not the dollar, which
// many countries have, nor "won", which is also a verb.
func (fs *figureScanner) countryCurrency(i int) string {
	switch w := fs.wordAt(i); w {
	case "dollars", "usd", "won":
		return ""
	default:
		return fs.lx.currencyCodes.at(w)
	}
}

// finish resolves the qualifier and the unit of a numeric phrase and records
// it; it returns the last token used.
func (fs *figureScanner) finish(p phrase) int {
	if p.qualifier == "" {
		p.first, p.qualifier = fs.qualifierBefore(p.first)
	}
	p.headEnd = fs.toks[p.last].end
	switch {
	case p.money:
		p.unit = cmp.Or(p.currency, "USD")
	case p.percent:
		if p.fraction {
			p.subject = cmp.Or(p.subject, fs.ofPhrase(p.last+1))
		}
	default:
		if !fs.unitAfter(&p) {
			return p.last
		}
		if p.qualifier == "range" && p.unit == "" {
			return p.last
		}
	}
	if p.fraction && p.subject != "" {
		// The surface of a fraction names the whole: "Half of Cambodia’s GDP".
		if end := fs.ofPhraseEnd(p.last + 1); end > p.headEnd {
			p.headEnd = end
		}
	}
	fs.add(document.Figure{
		Value:     roundValue(p.value),
		Unit:      p.unit,
		Qualifier: p.qualifier,
		Subject:   p.subject,
		Start:     fs.toks[p.first].start,
		End:       p.headEnd,
	}, "")
	return p.last
}

func roundValue(v float64) float64 {
	if v >= 1e15 {
		return v
	}
	return math.Round(v*1000) / 1000
}

// qualifierBefore matches the longest qualifier phrase that ends right
// before token i and returns the first token of the surface.
func (fs *figureScanner) qualifierBefore(i int) (int, string) {
	// Collect up to three preceding words, nearest first.
	var words [3]string
	n := 0
	for j := i - 1; j >= 0 && n < len(words) && fs.toks[j].kind == tWord; j-- {
		words[n] = fs.tok(j)
		n++
	}
	// Every phrase tried ends with the nearest word: most words end no
	// qualifier, and one lookup tells so.
	if _, ok := fs.lx.qualifierEnds.getFold(words[0]); !ok {
		return i, "exact"
	}
	var buf [64]byte
	for k := n; k >= 1; k-- {
		// Join words[k-1] … words[0] with spaces, folded, without allocating.
		l := 0
		fits := true
		for m := k - 1; m >= 0 && fits; m-- {
			w := words[m]
			if l+len(w)+1 > len(buf) {
				fits = false
				break
			}
			if m != k-1 {
				buf[l] = ' '
				l++
			}
			for c := 0; c < len(w); c++ {
				b := w[c]
				if b >= 'A' && b <= 'Z' {
					b += 'a' - 'A'
				}
				buf[l] = b
				l++
			}
		}
		if !fits {
			continue
		}
		if q, ok := fs.lx.qualifiers.get(string(buf[:l])); ok {
			if k == 1 && n > 1 && q == "over" && overParticleVerb(words[1]) {
				break // "handed over 260 nationals": the verb's, not the number's
			}
			return i - k, q
		}
	}
	return i, "exact"
}

// overParticleVerb reports whether w is a verb that takes "over" as its
// particle (hand over, turn over, take over, sign over): a number after
// "handed over" is no "over 260".
func overParticleVerb(w string) bool {
	switch strings.ToLower(w) {
	case "hand", "hands", "handed", "handing", "turn", "turns", "turned", "turning",
		"take", "takes", "took", "taken", "taking", "sign", "signs", "signed", "signing":
		return true
	}
	return false
}

// unitAfter finds the counted noun after a number ("62 Indonesian
// nationals", "two of the compounds") or, for a bare number with a
// qualifier or a comparison ("at least 350", "compared to 359"), the noun
// it refers back to in the same sentence. It reports false when the number
// is not a figure (a duration, a count of documents, an unknown noun).
func (fs *figureScanner) unitAfter(p *phrase) bool {
	lx := fs.lx
	j := p.last + 1
	// "two of the compounds", "3,000 of the foreigners"
	if fs.wordAt(j) == "of" {
		j++
		switch fs.wordAt(j) {
		case "them", "whom":
			// "5 of them women": the noun that follows names the unit.
			if u, ok := lx.units.get(fs.wordAt(j + 1)); ok && fs.wordAt(j) == "them" {
				p.unit, p.subject, p.headEnd = u, fs.tok(j+1), fs.toks[j+1].end
				return true
			}
			// "153 of them": the persons counted just before.
			u, noun := fs.unitBefore(p.first)
			if u == "" {
				if len(fs.out) == 0 || fs.toks[p.first].start-fs.out[len(fs.out)-1].End > 300 {
					return false
				}
				u, noun = fs.previousPersonUnit(p.first), fs.out[len(fs.out)-1].Subject
			}
			p.unit, p.subject, p.headEnd = u, noun, fs.toks[j].end
			return true
		case "the", "these", "those", "their", "his", "her", "its":
			j++
			// "six of the 40": a part of a whole counted just before.
			if j < len(fs.toks) && fs.toks[j].kind == tNum {
				whole, _ := parseNumber(fs.tok(j))
				for k := len(fs.out) - 1; k >= 0; k-- {
					if fs.out[k].Value == whole && !strings.HasPrefix(fs.out[k].Unit, "percent") {
						p.unit, p.subject, p.headEnd = fs.out[k].Unit, fs.out[k].Subject, fs.toks[j].end
						return true
					}
				}
				// "9,340 of the 10,119 people": the whole names its unit
				// in a noun after it (not one it refers back to).
				if w := (phrase{first: j, last: j, value: whole}); whole > p.value && fs.unitAfter(&w) && !w.percent && w.headEnd > fs.toks[j].end {
					p.unit, p.subject, p.headEnd = w.unit, w.subject, w.headEnd
					return true
				}
				return false
			}
			// "54 of the rescued were women": persons named by what befell
			// them, counted as the persons counted before them are.
			if w := fs.wordAt(j); personParticiples.at(w) && !fs.unitWithin(j+1, 1) && !(j+1 < len(fs.toks) && isDemonym(fs.tok(j+1))) {
				p.unit, p.subject, p.headEnd = fs.previousPersonUnit(p.first), fs.tok(j), fs.toks[j].end
				return true
			}
		}
	}
	// "four pairs of handcuffs", "30 sets of terminals": the noun after "of".
	if (fs.wordIs(j, "pairs") || fs.wordIs(j, "sets")) && fs.wordIs(j+1, "of") {
		j += 2
	}
	// "25 more people", and "120,000 more" (see below); not "20 more than".
	more := fs.lenAt(j) == 4 && fs.wordAt(j) == "more" && fs.wordAt(j+1) != "than"
	if more {
		j++
	}
	first := j // the first word after the count
	unknown := 0
	head := -1
	victimHint, suspectHint := false, false
	for ; j < len(fs.toks) && j <= p.last+7; j++ {
		t := fs.toks[j]
		if t.kind == tPunct {
			switch fs.tok(j) {
			case "“", "”", "\"", "‘", "’", "'":
				continue
			}
			break
		}
		if t.kind != tWord {
			break
		}
		w := fs.wordAt(j)
		w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
		if u, ok := lx.units.get(w); ok {
			p.unit, head = u, j
			// Head noun is the last of a run: "Vietnamese workers".
			if u2, ok := lx.units.get(fs.wordAt(j + 1)); ok && fs.toks[j+1].has(fSpace) {
				p.unit, head = u2, j+1
			} else if lx.stopNouns.at(fs.wordAt(j + 1)) {
				return false
			}
			break
		}
		if isDemonym(fs.tok(j)) || p.value == 1 && fs.onePerson(j) {
			p.unit, head = "people", j
			if u2, ok := lx.units.get(fs.wordAt(j + 1)); ok {
				p.unit, head = u2, j+1
			} else if p.value == 1 && fs.wordAt(j+1) == "national" {
				head = j + 1 // "one Indian national"
			} else if lx.stopNouns.at(fs.wordAt(j + 1)) {
				return false
			}
			break
		}
		if lx.stopNouns.at(w) {
			return false
		}
		if w == "and" && unknown > 0 && fs.unitWithin(j+1, 2) {
			// "two online gambling and scam sites": modifiers joined
			// before their noun; each side gets its own.
			unknown = 0
			continue
		}
		if w == "and" && unknown > 0 && j+1 < len(fs.toks) && fs.toks[j+1].kind == tNum {
			// "57 foreign and 358 Filipino workers": the second count's
			// noun is the first's too.
			q := phrase{first: j + 1, last: j + 1}
			if v, ok := parseNumber(fs.tok(j + 1)); ok {
				q.value = v
				if fs.unitAfter(&q) && !q.percent && q.unit != "" && !isCurrency(q.unit) {
					p.unit, p.subject, p.headEnd = q.unit, q.subject, fs.toks[j-1].end
					return true
				}
			}
		}
		if lx.function.at(w) {
			break
		}
		if j == p.last+1 && (w == "received" || w == "faced") {
			break // "five received death sentences": see elliptical
		}
		switch w {
		case "trafficked", "trafficking":
			victimHint = true
		case "suspected", "alleged", "accused":
			suspectHint = true // "61 suspected scammers"
		}
		_, nextIsUnit := lx.units.get(fs.wordAt(j + 1))
		nextIsUnit = nextIsUnit || j+1 < len(fs.toks) && fs.toks[j+1].kind == tWord && isDemonym(fs.tok(j+1))
		// Two modifiers, or a third just before the noun: "about 200
		// major online fraud cases".
		if (unknown < 2 || unknown == 2 && nextIsUnit) && (lx.adjectives.at(w) || t.has(fUpper) || adjectiveLike(w) || nextIsUnit) {
			unknown++
			continue
		}
		if j == p.last+1 {
			// A verb right after the count: "Of the rescued victims, 29
			// remain".
			if u, noun := fs.ofWhole(p.first); u != "" {
				p.unit, p.subject = u, noun
				return true
			}
		}
		if fs.verbAt(first) && (more || fs.groupBefore(p.first)) {
			break // "six more held in detention", "another 118 remained stranded abroad"
		}
		return false
	}
	if head >= 0 {
		w := fs.wordAt(head)
		p.subject = strings.TrimLeft(fs.text[fs.toks[p.last].end:fs.toks[head].end], " \t")
		for _, of := range []string{"of the ", "of these ", "of those ", "of their ", "of "} {
			if strings.HasPrefix(p.subject, of) {
				p.subject = p.subject[len(of):]
				break
			}
		}
		p.headEnd = fs.toks[head].end
		if w == "others" {
			p.unit = fs.previousPersonUnit(p.first)
		}
		if p.unit == "people" {
			if victimHint || fs.traffickedAfter(head) {
				p.unit = "victims"
			} else if suspectHint {
				p.unit = "suspects"
			} else if u := fs.inheritedUnit(p.first, head); u != "" {
				p.unit = u
			}
		}
		return true
	}
	// An elliptical count in a list: "351 from Malaysia", "five in
	// Pailin", "11 were sentenced", "the remaining 1,083 are waiting",
	// "13,117 have been deported", "113 in 2016", "around 260 were
	// from Indonesia".
	if u, noun := fs.ofWhole(p.first); u != "" {
		p.unit, p.subject = u, noun // "of the suspects arrested there, 31 have"
		return true
	}
	if u, noun := fs.numberOf(p); u != "" {
		p.unit, p.subject = u, noun // "took the number of people … to 38"
		return true
	}
	if u, noun := fs.elliptical(p); u != "" {
		p.unit, p.subject = u, noun
		return true
	}
	// "120,000 more may be held": as many again of what was counted
	// just before. So are "another 118 remained", "the first 30
	// landed" and "the final four, once rescued, flew", where no noun
	// of their own follows.
	if more || fs.groupBefore(p.first) {
		if prev, ok := fs.lastCount(p.first); ok {
			p.unit, p.subject = prev.Unit, prev.Subject
			return true
		}
	}
	// "one in 10 was under 18": an age, not a count.
	switch fs.wordAt(p.first) {
	case "under", "over":
		switch fs.wordAt(p.first - 1) {
		case "was", "were", "is", "are", "be", "been", "aged":
			return false
		}
	}
	// A bare number counts only with a qualifier or in a comparison.
	if p.qualifier == "exact" && !fs.comparison(p.first) {
		return false
	}
	if p.fraction {
		return true
	}
	u, noun := fs.unitBefore(p.first)
	if u == "" {
		return false
	}
	p.unit, p.subject = u, noun
	return true
}

// unitWithin reports a counted noun among the n words from token j.
func (fs *figureScanner) unitWithin(j, n int) bool {
	for k := j; k < j+n && k < len(fs.toks) && fs.toks[k].kind == tWord; k++ {
		if _, ok := fs.lx.units.get(fs.wordAt(k)); ok {
			return true
		}
	}
	return false
}

// adjectiveLike accepts modifiers by their ending ("scamming",
// "suspicious", "different") so that unseen adjectives do not hide the noun.
func adjectiveLike(w string) bool {
	for _, suf := range []string{"ing", "ous", "ent", "ant", "ive", "al", "ed", "ese", "ian", "ic", "ary", "ful", "less", "able", "ible"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// isDemonym recognises plural nationality nouns used as counts of people
// ("2,000 Taiwanese", "216 non-Cambodians", "45 Cambodians", "Filipinos").
func isDemonym(w string) bool {
	w = strings.TrimPrefix(w, "non-")
	if w == "" || w[0] < 'A' || w[0] > 'Z' || len(w) < 4 {
		return false
	}
	for _, suf := range []string{"ese", "ians", "ans", "eans", "ais", "is", "inos", "ites", "ers"} {
		if strings.HasSuffix(w, suf) {
			return w != "Philippines" && w != "Analysis" && w != "Thesis"
		}
	}
	// Plurals that no suffix above tells ("two Britons", "three Dutch").
	switch w {
	case "Britons", "Dutch", "French", "Swiss", "Irish", "Welsh", "Danes", "Swedes", "Finns", "Poles",
		"Turks", "Greeks", "Scots", "Czechs", "Uzbeks", "Kazakhs", "Tajiks", "Serbs", "Croats", "Arabs", "Kurds", "Uyghurs":
		return true
	}
	// "70 Bangladeshi", "42 Pakistani": singular forms used as plurals.
	return len(w) >= 7 && (strings.HasSuffix(w, "shi") || strings.HasSuffix(w, "ani"))
}

// elliptical finds the unit of a bare count that continues a list or a
// breakdown: the noun after a copula ("five were unnamed victims"), else
// the counted noun earlier in the sentence or the last figure just before
// ("757 Cambodians, including 351 from Malaysia"; "Of those, 138 were
// under 15").
func (fs *figureScanner) elliptical(p *phrase) (string, string) {
	j := p.last + 1
	if fs.isPunct(j, "(") {
		// A share in brackets goes with the count: "22 (about 71%) were
		// jailed".
		for k := j + 1; k < len(fs.toks) && k <= j+6 && fs.toks[k].kind != tNL; k++ {
			if fs.isPunct(k, ")") {
				j = k + 1
				break
			}
		}
	}
	w := fs.wordAt(j)
	switch w {
	case "were", "was", "are", "received", "got", "had", "have", "faced":
		if w == "were" || w == "was" || w == "are" {
			for k := j + 1; k < len(fs.toks) && k <= j+4 && fs.toks[k].kind == tWord; k++ {
				kw := fs.wordAt(k)
				if u, ok := fs.lx.units.get(kw); ok {
					return u, fs.tok(k)
				}
				if fs.lx.function.at(kw) && kw != "the" {
					break
				}
			}
		}
	case "from", "in":
		// A place or a year must follow: "five in Pailin", "113 in 2016",
		// "73 from the Republic of Korea".
		k := j + 1
		if fs.wordAt(k) == "the" {
			k++
		}
		if k >= len(fs.toks) {
			return "", ""
		}
		if n := fs.toks[k]; !(n.kind == tWord && n.has(fUpper)) && !(n.kind == tNum && isYearToken(fs.tok(k)) && k == j+1) {
			return "", ""
		}
	default:
		// "nine of them crossed at O'Smach and two went through
		// Poipet": a verb after a count that "and" joins to the count
		// before it in the sentence.
		if !fs.wordIs(p.first-1, "and") || !fs.verbAt(j) {
			return "", ""
		}
		prev, ok := fs.lastCount(p.first)
		if from, _ := fs.sentence(p.first); !ok || prev.Start < fs.toks[from].start {
			return "", ""
		}
		return prev.Unit, prev.Subject
	}
	if len(fs.out) == 0 || fs.toks[p.first].start-fs.out[len(fs.out)-1].End > 300 {
		return "", ""
	}
	if p.first > 0 && fs.lenAt(p.first-1) == len("the") && fs.wordAt(p.first-1) == "the" {
		// "the three had been employed": the group of three counted
		// before, whatever was counted last.
		for _, f := range slices.Backward(fs.out) {
			if f.Value == p.value {
				return f.Unit, f.Subject
			}
		}
	}
	prev, ok := fs.lastCount(p.first)
	if !ok {
		return fs.unitBefore(p.first)
	}
	// Within one sentence the list continues the last count's unit.
	if from, _ := fs.sentence(p.first); prev.Start >= fs.toks[from].start {
		return prev.Unit, prev.Subject
	}
	if u, noun := fs.unitBefore(p.first); u != "" {
		return u, noun
	}
	return prev.Unit, prev.Subject
}

// groupBefore reports the words before a count that make it a group of
// what was counted before it, as "more" after it does: "another 118",
// "the first 30", "the final four", "the other 12".
func (fs *figureScanner) groupBefore(i int) bool {
	if i < 1 || fs.lenAt(i-1) < 4 || fs.lenAt(i-1) > 9 {
		return false // the words' lengths
	}
	switch fs.wordAt(i - 1) {
	case "another":
		return true
	case "first", "last", "final", "other", "remaining", "next":
		return fs.wordAt(i-2) == "the"
	}
	return false
}

// verbAt reports a verb at token j, as a count's first word after it
// shows one that counts what was counted before: a past tense or
// participle ("remained", "escaped"), or one of the irregular ones of
// the reports ("held", "fled", "stuck").
func (fs *figureScanner) verbAt(j int) bool {
	w := fs.wordAt(j)
	switch w {
	case "held", "kept", "sent", "brought", "taken", "fled", "left", "found", "caught", "flew", "flown",
		"went", "came", "got", "stuck", "remain", "remains", "stay", "stays", "die", "died":
		return true
	}
	return len(w) > 4 && strings.HasSuffix(w, "ed")
}

// lastCount is the figure recorded last, when it ends at most 300 bytes
// before token i and counts things (a share or a sum of money does not
// lend its unit to a bare number after it).
func (fs *figureScanner) lastCount(i int) (document.Figure, bool) {
	if len(fs.out) == 0 {
		return document.Figure{}, false
	}
	prev := fs.out[len(fs.out)-1]
	if n := len(fs.out); prev.Unit == "percent" && n > 1 && fs.out[n-2].End <= prev.Start &&
		strings.TrimSpace(fs.text[fs.out[n-2].End:prev.Start]) == "(" {
		prev = fs.out[n-2] // "22 (about 71%)": the share is the count's
	}
	if fs.toks[i].start-prev.End > 300 || prev.Unit == "percent" || isCurrency(prev.Unit) {
		return document.Figure{}, false
	}
	return prev, true
}

// comparison reports a bare number compared with a counted one: "166 cases
// in comparison to 359", "605 compared with 128".
func (fs *figureScanner) comparison(i int) bool {
	a, b, c := fs.wordAt(i-3), fs.wordAt(i-2), fs.wordAt(i-1)
	switch {
	case c == "versus" || c == "vs":
		return true
	case (c == "to" || c == "with") && (b == "compared" || b == "comparison" || b == "contrast"):
		return true
	case c == "from" && (b == "up" || b == "down" || b == "rose" || b == "fell"):
		return true
	case c == "against":
		return true
	}
	_ = a
	return false
}

// unitBefore finds the nearest counted noun earlier in the sentence ("the
// number of scamming sites ... is at least 350").
func (fs *figureScanner) unitBefore(i int) (string, string) {
	from, _ := fs.sentence(i)
	for j := i - 1; j >= from; j-- {
		if fs.toks[j].kind != tWord {
			continue
		}
		w := fs.wordAt(j)
		if w == "others" {
			continue
		}
		if u, ok := fs.lx.units.get(w); ok {
			return u, fs.tok(j)
		}
		if isDemonym(fs.tok(j)) {
			return "people", fs.tok(j)
		}
	}
	return "", ""
}

// previousPersonUnit is the unit of "others": that of the last count of
// persons nearby ("58 survivors … 365 others").
func (fs *figureScanner) previousPersonUnit(i int) string {
	pos := fs.toks[i].start
	for k := len(fs.out) - 1; k >= 0; k-- {
		f := fs.out[k]
		if pos-f.End > 400 {
			break
		}
		if fs.lx.personUnits.at(f.Unit) {
			return f.Unit
		}
	}
	return "people"
}

// ofWhole is the unit of the whole that the clause of a bare count at i
// names before it: "Of the rescued victims, 29 were held", "of the
// suspects arrested there, 31 have been charged". "" where the clause
// does not start so, or names no counted noun ("Of the group, 30").
func (fs *figureScanner) ofWhole(i int) (unit, noun string) {
	if !fs.isPunct(i-1, ",") {
		return "", ""
	}
	k := i - 2
	for k >= 0 && i-2-k < 8 && fs.toks[k].kind == tWord {
		k--
	}
	if k >= 0 && fs.toks[k].kind != tNL && !fs.isPunct(k, ";") && !fs.isPunct(k, ".") {
		return "", ""
	}
	if fs.wordAt(k+1) != "of" {
		return "", ""
	}
	switch fs.wordAt(k + 2) {
	case "the", "those", "these", "their":
	default:
		return "", ""
	}
	for j := k + 3; j < i-1; j++ {
		if u, ok := fs.lx.units.get(fs.wordAt(j)); ok {
			return u, fs.tok(j)
		}
	}
	return "", ""
}

// numberOf is the unit of a bare count that "the number of" names: "took
// the number of people caught up in the crisis to 38", "put the number of
// Chinese nationals who left at 447,676", "brings to 72 the number of
// Taiwanese rescued". "" where no such phrase names a counted noun, or
// where the count before it is not reached "to" or "at".
func (fs *figureScanner) numberOf(p *phrase) (unit, noun string) {
	k := -1 // the token of "number"
	if fs.lenAt(p.last+1) == len("the") && fs.wordAt(p.last+1) == "the" && fs.wordAt(p.last+2) == "number" {
		k = p.last + 2
	} else if w := fs.wordAt(p.first - 1); len(w) == 2 && (w == "to" || w == "at") {
		for j := p.first - 2; j >= 0 && j >= p.first-20 && fs.toks[j].kind != tNL && !fs.isPunct(j, "."); j-- {
			if fs.lenAt(j) == len("number") && fs.wordAt(j) == "number" && fs.wordAt(j-1) == "the" {
				k = j
				break
			}
		}
	}
	if k < 0 || fs.wordAt(k+1) != "of" {
		return "", ""
	}
	for j := k + 2; j <= k+5 && j < len(fs.toks) && fs.toks[j].kind == tWord; j++ {
		u, ok := fs.lx.units.get(fs.wordAt(j))
		if !ok && isDemonym(fs.tok(j)) {
			u, ok = "people", true
		}
		if !ok {
			continue
		}
		end := j + 9 // the phrase's words, up to the count after it
		if k < p.first {
			end = min(end, p.first)
		}
		if u == "people" && fs.traffickingIn(j+1, end) {
			u = "victims" // "the number of Taiwanese rescued from human trafficking schemes"
		}
		return u, fs.tok(j)
	}
	return "", ""
}

// traffickingIn reports a word of trafficking among the words of tokens
// from to to, up to the first punctuation: "rescued from human
// trafficking schemes", "caught up in the human-trafficking crisis".
func (fs *figureScanner) traffickingIn(from, to int) bool {
	for j := from; j < to && j < len(fs.toks) && fs.toks[j].kind == tWord; j++ {
		if w := fs.wordAt(j); strings.Contains(w, "trafficking") || strings.Contains(w, "trafficked") {
			return true
		}
	}
	return false
}

// traffickedAfter reports "trafficked" in the clause after the counted
// noun at head, within five words: "215 people trafficked into",
// "215 people thought to have been trafficked".
func (fs *figureScanner) traffickedAfter(head int) bool {
	for k := head + 1; k <= head+5 && k < len(fs.toks) && fs.toks[k].kind == tWord; k++ {
		switch n := fs.lenAt(k); {
		case n == len("trafficked"):
			if fs.wordAt(k) == "trafficked" {
				return true
			}
		case n == 3 || n == 4 || n == 5:
			switch fs.wordAt(k) {
			case "not", "never", "none":
				return false // "12 workers who were not trafficked"
			}
		}
	}
	return false
}

// onePerson reports the singular of a demonym at token j ("Malaysian",
// "Nepali"), which counts a person after "one" ("one Malaysian and two
// Taiwanese", "one Indian national") where no other noun follows it:
// "one Indian air force plane" is a plane.
func (fs *figureScanner) onePerson(j int) bool {
	if j >= len(fs.toks) || fs.toks[j].kind != tWord || fs.lenAt(j) > 30 || !isDemonym(fs.tok(j)+"s") {
		return false
	}
	next := fs.wordAt(j + 1)
	return next == "" || next == "national" || fs.lx.function.at(next)
}

// partNouns name the people of a total by sex or age.
var partNouns = setOf("men", "women", "boys", "girls", "children", "minors", "males", "females", "adults", "teenagers")

// personParticiples name persons by what befell them, after "of the":
// "54 of the rescued", "two of the dead".
var personParticiples = setOf("rescued", "freed", "released", "arrested", "detained", "deported", "repatriated",
	"trafficked", "missing", "dead", "injured", "wounded", "accused", "convicted", "evacuated", "returned")

// inheritedUnit applies to persons counted as part of an earlier total:
// "358 victims …, involving 265 women", "261 victims (216 non-Cambodians;
// 45 Cambodians)", "The 59 suspects, 44 men and 15 women". The part
// takes the total's unit. Token i is the part's number, head its noun.
func (fs *figureScanner) inheritedUnit(i, head int) string {
	if len(fs.out) == 0 {
		return ""
	}
	last := fs.out[len(fs.out)-1]
	if last.Unit != "victims" && last.Unit != "suspects" {
		return ""
	}
	// A list of parts right after the total, by sex, age or origin:
	// ", " after the total, then " and " after a part read so ("57
	// suspects and eight Chinese" are two groups).
	if at := fs.toks[i].start; last.End <= at && (partNouns.at(fs.wordAt(head)) || isDemonym(fs.tok(head))) {
		switch fs.text[last.End:at] {
		case ", ":
			return last.Unit
		case " and ":
			// Table rows come first in fs.out, wherever they stand.
			if n := len(fs.out); n >= 2 && fs.out[n-2].Unit == last.Unit && fs.out[n-2].End <= last.Start && fs.text[fs.out[n-2].End:last.Start] == ", " {
				return last.Unit
			}
		}
	}
	from, _ := fs.sentence(i)
	if last.Start < fs.toks[from].start {
		return ""
	}
	switch fs.wordAt(i - 1) {
	case "involving", "including", "among", "of":
		return last.Unit
	}
	// Inside a parenthesis opened in the sentence of the total.
	for j := i - 1; j >= from; j-- {
		if fs.isPunct(j, ")") {
			return ""
		}
		if fs.isPunct(j, "(") {
			return last.Unit
		}
	}
	return ""
}

// ofPhrase returns the short "of …" phrase after a fraction, for Subject.
func (fs *figureScanner) ofPhrase(j int) string {
	end := fs.ofPhraseEnd(j)
	if end <= 0 {
		return ""
	}
	return strings.TrimSpace(fs.text[fs.toks[j].end:end])
}

func (fs *figureScanner) ofPhraseEnd(j int) int {
	if fs.wordAt(j) != "of" {
		return 0
	}
	end := 0
	for k := j + 1; k < len(fs.toks) && k <= j+4; k++ {
		if fs.toks[k].kind != tWord {
			break
		}
		w := fs.wordAt(k)
		if fs.lx.function.at(w) && w != "the" && k > j+1 {
			break
		}
		end = fs.toks[k].end
		if _, ok := fs.lx.units.get(w); ok {
			break
		}
	}
	return end
}

// parenCount records "Pailin (1)" in a list such as "complaints came from
// Banteay Meanchey (2) Pursat (4), …": the label is the capitalised name
// before the bracket and the unit the counted noun earlier in the sentence.
func (fs *figureScanner) parenCount(i int, v float64) int {
	j := i - 2 // token before "("
	first := -1
	for k := j; k >= 0 && k > j-4; k-- {
		t := fs.toks[k]
		if t.kind != tWord || !t.has(fUpper) {
			break
		}
		first = k
		if !t.has(fSpace) || fs.sentenceStartsAt(k) {
			break
		}
	}
	if first < 0 || isYearToken(fs.tok(i)) {
		return i
	}
	unit, noun := fs.unitBefore(first)
	if unit == "" {
		return i
	}
	label := fs.text[fs.toks[first].start:fs.toks[j].end]
	fs.add(document.Figure{
		Value:     v,
		Unit:      unit,
		Qualifier: "exact",
		Subject:   noun + ": " + label,
		Start:     fs.toks[first].start,
		End:       fs.toks[i+1].end,
	}, label)
	return i + 1
}

// tables records the rows of tab-separated tables ("Sihanoukville\t80").
// A table is a run of at least two lines holding tabs, where a row ends in a
// single number; the caption (a tab line without a number, or the line
// just above) names the counted unit, and the qualifier is "estimated" when
// the caption or the paragraph before it calls the numbers estimates.
func (fs *figureScanner) tables() {
	text := fs.text
	if strings.IndexByte(text, '\t') < 0 && !hasColonRow(text) {
		return
	}
	type line struct{ start, end int }
	var block []line
	flush := func(prevLine line) {
		defer func() { block = block[:0] }()
		type row struct {
			line
			label    string
			numStart int
			numEnd   int
			value    float64
			unit     string // named in the label (rowUnit)
			qual     string
		}
		var rows []row
		caption := ""
		for _, l := range block {
			s := text[l.start:l.end]
			trimmed := strings.TrimRight(s, " \t\r")
			k := strings.LastIndexByte(trimmed, '\t')
			if k < 0 {
				k = strings.LastIndexByte(trimmed, ':') // "Laos: 275"
			}
			cell, label := "", strings.TrimSpace(trimmed)
			if k >= 0 {
				cell, label = strings.TrimSpace(trimmed[k+1:]), strings.TrimSpace(trimmed[:k])
			}
			v, ok := fs.cellNumber(cell)
			if !ok || label == "" || strings.ContainsAny(label, "\t") {
				if len(rows) == 0 && caption == "" {
					caption = strings.TrimSpace(s)
				}
				continue
			}
			ns := l.start + k + 1 + strings.Index(trimmed[k+1:], cell)
			rows = append(rows, row{line: l, label: label, numStart: ns, numEnd: ns + len(cell), value: v})
		}
		if len(rows) < 2 {
			return
		}
		if caption == "" && prevLine.end > prevLine.start {
			// A paragraph before the rows introduces them in its last
			// sentence: "… held 15 nationalities. The largest groups
			// by nationality were:" counts persons, not nationalities.
			// A label such as "Table 1." is no sentence: a sentence
			// has four words or more.
			caption = strings.TrimSpace(text[prevLine.start:prevLine.end])
			if k := strings.LastIndex(caption[:len(caption)-1], ". "); k >= 0 && strings.Count(caption[:k], " ") >= 3 {
				caption = caption[k+2:]
			}
		}
		// The caption and the labels are scanned in one scratch space.
		var sc scratch
		unit := ""
		sc.toks = tokenize(sc.toks, caption)
		cs := newScannerIn(caption, sc.toks, &sc)
		for k := len(sc.toks) - 1; k >= 0 && unit == ""; k-- {
			unit = fs.lx.units.at(cs.wordAt(k))
		}
		if unit == "" && (containsFold(caption, "nationalit") || containsFold(caption, "by country")) {
			unit = "people" // a count per nationality counts persons
		}
		rowUnit := func(label string) (string, string) {
			sc.toks = tokenize(sc.toks, label)
			ls := newScannerIn(label, sc.toks, &sc)
			u, q := "", ""
			for k := range sc.toks {
				if u == "" {
					u = fs.lx.units.at(ls.wordAt(k))
				}
			}
			l := strings.ToLower(label)
			if a := strings.IndexByte(l, '('); a >= 0 {
				if b := strings.IndexByte(l[a:], ')'); b > 0 {
					q = fs.lx.qualifiers.at(strings.TrimSpace(l[a+1 : a+b]))
				}
			}
			return u, q
		}
		labelled := 0
		for i := range rows {
			r := &rows[i]
			if r.unit, r.qual = rowUnit(r.label); r.unit != "" {
				labelled++
			}
		}
		if unit == "" && labelled < len(rows) {
			return
		}
		qual := "exact"
		ctxStart := max(0, block[0].start-1500)
		if containsFold(caption, "estimat") || containsFold(text[ctxStart:block[0].start], "estimat") {
			qual = "estimated"
		}
		for _, r := range rows {
			u, q := unit, qual
			// A table of different measures names each row's unit in its label
			// ("Survivors interviewed\t58", "Compounds identified (at least)\t53").
			if labelled == len(rows) {
				if r.unit != "" {
					u, q = r.unit, "exact"
					if r.qual != "" {
						q = r.qual
					}
				}
			}
			fs.add(document.Figure{
				Value:     r.value,
				Unit:      u,
				Qualifier: q,
				Subject:   r.label + ": " + caption,
				Start:     r.start,
				End:       r.numEnd,
			}, r.label)
			fs.masked = append(fs.masked, span{r.start, r.end})
		}
	}
	var prev, before line
	for pos := 0; pos <= len(text); {
		end := strings.IndexByte(text[pos:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += pos
		}
		l := line{pos, end}
		if (strings.IndexByte(text[pos:end], '\t') >= 0 || fs.colonRow(text[pos:end])) && strings.TrimSpace(text[pos:end]) != "" {
			if len(block) == 0 {
				before = prev
			}
			block = append(block, l)
		} else if len(block) > 0 {
			flush(before)
		}
		if strings.TrimSpace(text[pos:end]) != "" {
			prev = l
		}
		pos = end + 1
	}
	if len(block) > 0 {
		flush(before)
	}
}

// hasColonRow reports whether some line of text ends in ": <number>".
func hasColonRow(text string) bool {
	for off := 0; ; {
		i := strings.IndexByte(text[off:], ':')
		if i < 0 {
			return false
		}
		j := skipSpace(text, off+i+1)
		k := j
		for k < len(text) && (isDigit(text[k]) || text[k] == ',' || text[k] == '.') {
			k++
		}
		if k > j && (k == len(text) || text[k] == '\n' || text[k] == '\r') {
			return true
		}
		off = j
	}
}

// isCurrency reports a unit that is a currency: an ISO code ("USD",
// "CNY"), where every counted unit is a lower-case noun.
func isCurrency(unit string) bool { return len(unit) == 3 && 'A' <= unit[0] && unit[0] <= 'Z' }

// cellNumber reads a table cell or a list row's number: digits, or a
// number in words ("Burundian: two").
func (fs *figureScanner) cellNumber(cell string) (float64, bool) {
	if v, ok := parseNumber(cell); ok {
		return v, true
	}
	return fs.lx.numberWords.get(strings.ToLower(cell))
}

// colonRow reports a list row "Label: 275" or "Label: two": a short
// capitalised label, a colon and a single number.
func (fs *figureScanner) colonRow(line string) bool {
	label, cell, ok := strings.Cut(strings.TrimSpace(line), ":")
	if !ok || label == "" || len(label) > 40 || label[0] < 'A' || label[0] > 'Z' || strings.Count(label, " ") > 3 {
		return false
	}
	cell = strings.TrimSpace(cell)
	if cell == "" || isYearToken(cell) {
		return false
	}
	_, ok = fs.cellNumber(cell)
	return ok
}

// ---- Token scanning shared by figures and events ----
// Shared scanning for figures and events: a single pass splits the text into
// word, number and punctuation tokens with byte offsets, so that both
// extractors look around a candidate by index instead of re-scanning bytes
// or running large regular expressions over the whole document.

type tokKind uint8

const (
	tWord  tokKind = iota // letters, possibly with digits, internal hyphens or apostrophes
	tNum                  // digits with internal , or . ("150,000", "12.5")
	tPunct                // one non-space, non-alphanumeric rune
	tNL                   // one or more line breaks
)

// tokFlags describes a token beyond its kind.
type tokFlags uint8

// Token flags.
const (
	fSpace  tokFlags = 1 << iota // whitespace separates this token from the previous one
	fUpper                       // word starting with an upper-case letter
	fDigit                       // word containing a digit ("K99", "mid-2021", "14th")
	fHyphen                      // word containing an internal hyphen
	fJoin                        // word joined across an apostrophe or a non-breaking hyphen
	fCaps                        // word holding an ASCII capital letter anywhere
	fHan                         // word holding a Chinese character: hanFigures reads its numbers
	fKhmer                       // word holding a Khmer character: khmerFigures and khmerDate read it
)

type token struct {
	start, end int
	kind       tokKind
	flags      tokFlags
}

func (t token) has(f tokFlags) bool { return t.flags&f != 0 }

// tokenize appends the tokens of text to dst[:0]. It accepts any bytes: an
// invalid UTF-8 byte becomes a one-byte punctuation token, so offsets stay
// on boundaries of the input as given.
func tokenize(dst []token, text string) []token {
	toks := slices.Grow(dst[:0], len(text)/5+8)
	space := true
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\n':
			j := i
			for j < len(text) && (text[j] == '\n' || text[j] == '\r' || text[j] == ' ' || text[j] == '\t') {
				j++
			}
			toks = append(toks, token{start: i, end: i + 1, kind: tNL, flags: fSpace})
			i, space = j, true
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			space = true
		case c < utf8.RuneSelf:
			if ascii.IsAlnum(c) {
				for {
					// Most words are lower-case letters only, or a capital
					// and lower-case letters ("Cambodia"): they are read
					// here without the call to scanWord, which would give
					// the same token.
					t := token{start: i, kind: tWord}
					switch c := text[i]; {
					case 'a' <= c && c <= 'z':
						t.end = plainWordEnd(text, ascii.LowerEnd(text, i+1))
					case 'A' <= c && c <= 'Z':
						t.end, t.flags = plainWordEnd(text, ascii.LowerEnd(text, i+1)), fUpper|fCaps
					}
					if t.end == 0 {
						t = scanWord(text, i)
					}
					if space {
						t.flags |= fSpace
					}
					toks = append(toks, t)
					i, space = t.end, false
					// One space and another word, the commonest case, is
					// read here rather than by two more turns of the outer
					// loop.
					if i+1 >= len(text) || text[i] != ' ' || !ascii.IsAlnum(text[i+1]) {
						break
					}
					i, space = i+1, true
				}
				continue
			}
			var fl tokFlags
			if space {
				fl = fSpace
			}
			toks = append(toks, token{start: i, end: i + 1, kind: tPunct, flags: fl})
			i, space = i+1, false
		default:
			r, w := utf8.DecodeRuneInString(text[i:])
			switch {
			case r != utf8.RuneError && (unicode.IsLetter(r) || khmerWordRune(r)):
				t := scanWord(text, i)
				if space {
					t.flags |= fSpace
				}
				toks = append(toks, t)
				i, space = t.end, false
			case r != utf8.RuneError && unicode.IsSpace(r):
				i += w
				space = true
			default:
				var fl tokFlags
				if space {
					fl = fSpace
				}
				toks = append(toks, token{start: i, end: i + w, kind: tPunct, flags: fl})
				i, space = i+w, false
			}
		}
	}
	return toks
}

// plainWordEnd returns j, the end of the run of lower-case ASCII letters
// that starts a word, when that run is a whole word token (scanWord would
// end it there: it ends the text or is followed by a byte that no word
// takes in, or by "," or ".", which join digits only), else 0.
func plainWordEnd(text string, j int) int {
	if j == len(text) || !inWord[text[j]] || text[j] == ',' || text[j] == '.' {
		return j
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// numberEnd returns the end of the number that starts at text[i], a digit:
// its digits, and each "," or "." between two digits.
func numberEnd(text string, i int) int {
	for i < len(text) && (isDigit(text[i]) || (text[i] == ',' || text[i] == '.') && i+1 < len(text) && isDigit(text[i+1])) {
		i++
	}
	return i
}

// inWord marks the bytes that may continue a word token: letters, digits,
// the joiners of "150,000", "12.5", "one-third" and "Cambodia's", and every
// byte of a non-ASCII rune.
var inWord = func() (t [256]bool) {
	for c := range t {
		t[c] = ascii.IsAlnum(byte(c)) || strings.IndexByte(",.-'", byte(c)) >= 0 || c >= utf8.RuneSelf
	}
	return t
}()

// alnumAt reports whether a letter or digit starts at text[i].
func alnumAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	if c := text[i]; c < utf8.RuneSelf {
		return ascii.IsAlnum(c)
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// codeThenDigits reports one to three capitals and then digits: the
// start of an amount glued to its currency ("P60", "VND200"). It is kept
// out of scanWord, where, inlined, it cost the word loop registers on
// every word for a test that few words reach.
//
//go:noinline
func codeThenDigits(w string) bool {
	k := 0
	for k < len(w) && k < 3 && 'A' <= w[k] && w[k] <= 'Z' {
		k++
	}
	if k == 0 || k == len(w) {
		return false
	}
	for ; k < len(w); k++ {
		if !isDigit(w[k]) {
			return false
		}
	}
	return true
}

// scanWord reads a word or number token starting at an alphanumeric rune.
// Hyphens and apostrophes join when letters or digits follow them
// ("one-third", "Cambodia’s"); "," and "." join only between digits of a
// number, or of a range of two ("13,700-68,800"), so that "150,000" and
// "12.5" stay one number; "13,700-68" and "800" were a range lost and a
// count of 800.
func scanWord(text string, i int) token {
	start := i
	allNum := true
	var fl tokFlags
	first := true
	for i < len(text) {
		c := text[i]
		if 'a' <= c && c <= 'z' {
			// The common case, a run of lower-case letters.
			i = ascii.LowerEnd(text, i+1)
			allNum, first = false, false
			continue
		}
		if !inWord[c] {
			break // the common end: a space or punctuation
		}
		if c < utf8.RuneSelf {
			switch {
			case isDigit(c):
				fl |= fDigit
				i++
			case ascii.IsAlnum(c):
				if c <= 'Z' { // a capital: digits went above
					fl |= fCaps
					if first {
						fl |= fUpper
					}
				}
				allNum = false
				i++
			case (c == ',' || c == '.') && (allNum || fl&(fHan|fDigit) != 0) && i > start && isDigit(text[i-1]) && i+1 < len(text) && isDigit(text[i+1]) && (allNum || fl&fHan != 0 || codeThenDigits(text[start:i])):
				// "1.5" in "约1.5亿美元" too: Chinese sets a number
				// inside its word; and an amount glued to its
				// currency's code, "P60,000", "VND200,000".
				i++
			case (c == '-' || c == '\'') && i > start && alnumAt(text, i+1):
				if c == '-' && allNum && isDigit(text[i+1]) {
					// "13,700-68,800": the range's second number is read
					// here, its commas joined as the first's were.
					fl |= fHyphen
					i = numberEnd(text, i+1)
					allNum, first = false, false
					continue
				}
				if c == '-' {
					fl |= fHyphen
				} else {
					fl |= fJoin
				}
				allNum = false
				i++
			default:
				goto done
			}
			first = false
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		switch {
		case khmerWordRune(r) || r == zeroWidthSpace && fl&fKhmer != 0:
			// Khmer sets no space between words, and its vowel signs
			// and digits are no letters: a run of the script is one
			// word, which khmerFigures and khmerDate read.
			fl |= fKhmer
			allNum = false
			i += w
		case r != utf8.RuneError && unicode.IsLetter(r):
			if first && unicode.IsUpper(r) {
				fl |= fUpper
			}
			if isHan(r) {
				fl |= fHan
			}
			allNum = false
			i += w
		case (r == '’' || r == '\u2011') && i > start && alnumAt(text, i+w):
			fl |= fJoin
			allNum = false
			i += w
		default:
			goto done
		}
		first = false
	}
done:
	kind := tWord
	if allNum {
		kind = tNum
		fl &^= fDigit
	}
	return token{start: start, end: i, kind: kind, flags: fl}
}

// scanner bundles a text with its tokens and the shared word lists.
type scanner struct {
	text string
	toks []token
	lx   *lexicon
	// lower is the text with its ASCII capitals folded to lower case
	// (lowerText): the scanners look words up in lower case many times
	// per document, and one folded copy replaces a copy per lookup.
	lower string
	// ups are the tokens that start with a capital, in order: the words
	// personVariants pairs.
	ups []int32
	sc  *scratch // working memory
	// sent is the last sentence found whose edges are real sentence
	// starts (or the text's ends), not maxSentence's: every token inside
	// it has that sentence, and dates and figures often share one.
	sent struct{ from, to int }
	// line is the tokens [from, to) of the last line lineOf found, with
	// no line break among them: every token inside it has that line.
	line struct{ from, to int }
}

// newScanner returns a scanner over text and its tokens.
func newScanner(text string, toks []token) scanner {
	return newScannerIn(text, toks, new(scratch))
}

// newScannerIn is newScanner keeping its working memory in sc, so that one
// extraction after another reuses it.
func newScannerIn(text string, toks []token, sc *scratch) scanner {
	s := scanner{text: text, toks: toks, lx: lex(), sc: sc}
	s.lower = lowerText(text, sc)
	ups := slices.Grow(sc.caps[:0], len(toks))[:len(toks)]
	sc.caps = ups
	s.ups = ups[:listCapitals(ups, toks)]
	return s
}

// lowerText returns text with its ASCII capitals folded to lower case, so
// that every token's folded form is the same slice of it as of text
// (lowerTok). Folding the whole text eight bytes at a time, capitals or
// not, costs less than listing the words that hold capitals and folding
// only those: most of a text's words start sentences, names or
// headlines, and a list of them took a test of every token.
func lowerText(text string, sc *scratch) string {
	b := sc.lower[:0]
	if cap(b) < len(text) {
		b = make([]byte, 0, len(text))
	}
	b = b[:len(text)]
	k := 0
	for ; k+32 <= len(text); k += 32 {
		// Four words a turn: one bounds check and one set of the
		// masks' constants serve them all.
		s, d := text[k:k+32], b[k:k+32:k+32]
		binary.LittleEndian.PutUint64(d[0:8], ascii.Lower8(ascii.First8(s[0:8])))
		binary.LittleEndian.PutUint64(d[8:16], ascii.Lower8(ascii.First8(s[8:16])))
		binary.LittleEndian.PutUint64(d[16:24], ascii.Lower8(ascii.First8(s[16:24])))
		binary.LittleEndian.PutUint64(d[24:32], ascii.Lower8(ascii.First8(s[24:32])))
	}
	for ; k+8 <= len(text); k += 8 {
		binary.LittleEndian.PutUint64(b[k:k+8], ascii.Lower8(ascii.Load8(text, k)))
	}
	for ; k < len(text); k++ {
		c := text[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[k] = c
	}
	sc.lower = b
	return string(b)
}

// listCapitals lists in ups the tokens that start with a capital
// (fUpper), for personVariants, and returns how many. ups has room for
// every token. The count is kept with no branch, which mispredicted at
// every capitalised word; not inlined: in newScannerIn, whose slices and
// text are live around it, the loop's counters lived on the stack.
//
//go:noinline
func listCapitals(ups []int32, toks []token) (m int) {
	for i, t := range toks {
		ups[m] = int32(i)
		m += int(uint(t.flags) / uint(fUpper) & 1)
	}
	return m
}

func (s *scanner) tok(i int) string { return s.text[s.toks[i].start:s.toks[i].end] }

// isPunct reports whether token i is the punctuation rune p.
func (s *scanner) isPunct(i int, p string) bool {
	return i >= 0 && i < len(s.toks) && s.toks[i].kind == tPunct && s.tok(i) == p
}

// mayStartSentence is sentenceStartsAt's first test, for a token inside
// the text: only one after a line break, or after a mark that may end a
// sentence or close a quote and then a space, can start a sentence. The
// scan for a sentence's edges asks it of every token after a mark on the
// way, so it takes the tokens and the text rather than loading them from
// the scanner each time. A comma, the commonest mark, fails here on its
// byte, not in sentenceStartsAt at the cost of a full stop's tests.
func mayStartSentence(toks []token, text string, i int) bool {
	p := &toks[i-1]
	if p.kind != tPunct {
		return p.kind == tNL
	}
	if !toks[i].has(fSpace) {
		// A mark of three bytes may be a Chinese full stop, which no
		// space follows (fullStopAt tells, in sentenceStartsAt).
		return p.end-p.start == 3
	}
	c := text[p.start]
	return c >= utf8.RuneSelf || endOrCloser>>(c-' ')&1 != 0
}

// endOrCloser has bit c-' ' set for each ASCII mark c that ends a
// sentence or closes a quote or bracket after its end (sentenceStartsAt's
// marks and isCloser's): a mark of a sentence's end is one of these or
// not ASCII.
const endOrCloser = 1<<('!'-' ') | 1<<('?'-' ') | 1<<('.'-' ') |
	1<<('"'-' ') | 1<<('\''-' ') | 1<<(')'-' ') | 1<<(']'-' ')

// fullStopAt reports a full stop of Chinese, Japanese or Khmer text at
// token i (document.IsFullStop), after which no space need follow.
func (s *scanner) fullStopAt(i int) bool {
	return s.toks[i].end-s.toks[i].start == 3 && document.IsFullStop(s.tok(i))
}

// sentenceStartsAt reports whether a sentence begins at token i: after a
// line break, or after . ! ? (possibly followed by a closing quote) when the
// word before the period is not an abbreviation or an initial ("U.S.").
func (s *scanner) sentenceStartsAt(i int) bool {
	if i <= 0 {
		return true
	}
	if i >= len(s.toks) {
		return true
	}
	p := i - 1
	if s.toks[p].kind == tNL {
		return true
	}
	if !s.toks[i].has(fSpace) {
		return s.toks[p].kind == tPunct && s.fullStopAt(p) // "。", which no space follows
	}
	// Skip closing quotes and brackets.
	for p >= 0 && s.toks[p].kind == tPunct && isCloser(s.tok(p)) {
		p--
	}
	if p < 0 || s.toks[p].kind != tPunct {
		return false
	}
	switch s.tok(p) {
	case "!", "?", "…", "。", "！", "？", "។", "៕":
		return true
	case ".":
	default:
		return false
	}
	if p > 0 && s.toks[p-1].kind == tWord {
		w := s.tok(p - 1)
		if utf8.RuneCountInString(w) == 1 || s.lx.abbrev.at(s.wordAt(p-1)) && !s.hunSen(p-1) {
			return false
		}
	}
	// A sentence starts with an upper-case letter, a digit or a quote.
	t := s.toks[i]
	switch t.kind {
	case tWord:
		return t.has(fUpper)
	case tNum:
		return true
	case tPunct:
		return isOpener(s.tok(i))
	}
	return true
}

// hunSen reports whether the word at i, read as an abbreviation, is the
// end of Hun Sen's name, which ends in the Senator's "Sen" and stands at
// the end of countless sentences of Cambodian news ("… adviser to Hun
// Sen. The firm …").
func (s *scanner) hunSen(i int) bool {
	return s.wordAt(i) == "sen" && s.wordAt(i-1) == "hun"
}

func isCloser(p string) bool {
	switch p {
	case "\"", "'", "”", "’", ")", "]", "»":
		return true
	}
	return false
}

func isOpener(p string) bool {
	switch p {
	case "\"", "'", "“", "‘", "(", "[", "«", "$", "•", "-", "–", "—":
		return true
	}
	return false
}

// maxSentence bounds the tokens a sentence may span on each side of a
// candidate, so text without punctuation cannot make scanning quadratic.
const maxSentence = 300

// sentence returns the token range [from, to) of the sentence holding token i.
func (s *scanner) sentence(i int) (from, to int) {
	c := s.sent
	if c.from <= i && i < c.to && i-c.from <= maxSentence && c.to-i <= maxSentence {
		// The scans below would stop at the same edges.
		from, to = c.from, c.to
	} else {
		toks, text := s.toks, s.text
		lo, hi := max(i-maxSentence, 0), min(i+maxSentence, len(toks))
		if lo < c.to && c.to <= i {
			// The last sentence's end, at or before i, is a sentence
			// start: the dates of a text ask for one sentence after
			// another, and the scan back stops there unasked.
			lo = c.to
		}
		// Most tokens are words and numbers (the kinds before tPunct),
		// after which no sentence starts: the inner loops pass over
		// them, and the tests are asked only after a mark or a line
		// break. (A test of both kinds by name cost 0.25% of Extract's
		// instructions on the articles.)
		from = i
		for from > lo {
			for from > lo && toks[from-1].kind < tPunct {
				from--
			}
			if from == lo || mayStartSentence(toks, text, from) && s.sentenceStartsAt(from) {
				break
			}
			from--
		}
		to = i + 1
		for to < hi {
			for to < hi && toks[to-1].kind < tPunct {
				to++
			}
			if to == hi || mayStartSentence(toks, text, to) && s.sentenceStartsAt(to) {
				break
			}
			to++
		}
		if (from == 0 || i-from < maxSentence) && (to == len(toks) || to-i < maxSentence) {
			s.sent.from, s.sent.to = from, to
		}
	}
	// Do not include a trailing line break.
	for to > from+1 && s.toks[to-1].kind == tNL {
		to--
	}
	return from, to
}

// ---- Word lists ----
// lexicon holds the word lists of the figure and date scanners. It is built
// once and never written afterwards, so one copy serves every goroutine.
type lexicon struct {
	numberWords wordTable[float64] // "three", "twenty-five", "dozen"
	// numberStarts holds every unhyphenated word that can start a number
	// phrase, for a cheap first test on each word of the text.
	numberStarts wordTable[bool]
	// dateShape[c][n] is true when some date word begins with letter c
	// and has n bytes; numberShape does the same for numberStarts with
	// the first two letters ("the" and "and" share their first letter and
	// length with "two" and "a…", not their first two). Table tests that
	// reject most words of a text before any hashing.
	numberShape wordShape
	// monthShape does the same for months, tested on each capitalised
	// word next to a number.
	monthShape wordShape
	dateShape  [26][16]bool
	// dateLeads[u][n] has bit c-'a' set where a date word of n bytes may
	// begin with letter c: lower-case words (u 0, plainDateLeads) and
	// capitalised ones (u 1, dateShape's months and weekdays).
	dateLeads  [2][16]uint32
	scales     wordTable[float64] // "million", "billion"
	fractions  wordTable[float64] // "third" → 33.3 (per cent of a whole)
	units      wordTable[string]  // plural count noun → gold unit
	stopNouns  wordTable[bool]    // counted things that are not figures (durations, documents…)
	function   wordTable[bool]    // words that end a noun phrase after a number
	adjectives wordTable[bool]    // modifiers allowed between a number and its noun
	qualifiers wordTable[string]  // "at least", "as many as" → gold qualifier
	// qualifierEnds holds the last word of each qualifier ("least", "as").
	qualifierEnds wordTable[bool]
	namePrev      wordTable[bool] // "Tier 3", "page 4": the number is a label
	currencies    wordTable[bool] // currencies without a code below: not recorded
	// currencyCodes maps currency words and symbols to ISO codes.
	currencyCodes wordTable[string]
	personUnits   wordTable[bool]
	months        wordTable[int]
	weekdays      wordTable[time.Weekday]
	abbrev        wordTable[bool]
}

// lexiconMaps holds the word lists while newLexicon builds them.
type lexiconMaps struct {
	numberWords   map[string]float64
	numberStarts  map[string]bool
	scales        map[string]float64
	fractions     map[string]float64
	units         map[string]string
	stopNouns     map[string]bool
	function      map[string]bool
	adjectives    map[string]bool
	qualifiers    map[string]string
	qualifierEnds map[string]bool
	namePrev      map[string]bool
	currencies    map[string]bool
	currencyCodes map[string]string
	personUnits   map[string]bool
	months        map[string]int
	weekdays      map[string]time.Weekday
	abbrev        map[string]bool
}

// tables turns the lists built in m into the lexicon's tables.
func (lx *lexicon) tables(m *lexiconMaps) {
	lx.numberWords = newWordTable(m.numberWords)
	lx.numberStarts = newWordTable(m.numberStarts)
	lx.scales = newWordTable(m.scales)
	lx.fractions = newWordTable(m.fractions)
	lx.units = newWordTable(m.units)
	lx.stopNouns = newWordTable(m.stopNouns)
	lx.function = newWordTable(m.function)
	lx.adjectives = newWordTable(m.adjectives)
	lx.qualifiers = newWordTable(m.qualifiers)
	lx.qualifierEnds = newWordTable(m.qualifierEnds)
	lx.namePrev = newWordTable(m.namePrev)
	lx.currencies = newWordTable(m.currencies)
	lx.currencyCodes = newWordTable(m.currencyCodes)
	lx.personUnits = newWordTable(m.personUnits)
	lx.months = newWordTable(m.months)
	lx.weekdays = newWordTable(m.weekdays)
	lx.abbrev = newWordTable(m.abbrev)
}

var lex = sync.OnceValue(newLexicon)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func newLexicon() *lexicon {
	lx := &lexicon{}
	m := &lexiconMaps{
		numberWords: map[string]float64{},
		scales: map[string]float64{
			"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
			"bn": 1e9, "mn": 1e6, "mln": 1e6, "m": 1e6, "k": 1e3, "b": 1e9, "tn": 1e12,
			// India's press counts in lakhs and crores ("Rs 500 crore").
			"lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7,
		},
		fractions: map[string]float64{
			"half": 50, "third": 33.3, "thirds": 66.7, "quarter": 25, "quarters": 75,
			"fifth": 20, "fifths": 40, "tenth": 10,
		},
		units:       map[string]string{},
		personUnits: set("people victims suspects"),
		months:      map[string]int{},
		weekdays:    map[string]time.Weekday{},
	}
	small := strings.Fields("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
	for i, w := range small {
		m.numberWords[w] = float64(i)
	}
	tens := strings.Fields("twenty thirty forty fifty sixty seventy eighty ninety")
	for i, t := range tens {
		m.numberWords[t] = float64(20 + 10*i)
		for u := 1; u <= 9; u++ {
			m.numberWords[t+"-"+small[u]] = float64(20 + 10*i + u)
		}
	}
	m.numberWords["dozen"] = 12
	m.numberStarts = set("a an one half")
	for w := range m.numberWords {
		if !strings.Contains(w, "-") {
			m.numberStarts[w] = true
		}
	}
	for w := range m.numberStarts {
		lx.numberShape.add(w)
	}

	addUnit := func(unit, words string) {
		for _, w := range strings.Fields(words) {
			m.units[w] = unit
		}
	}
	addUnit("people", `people persons individuals nationals citizens workers foreigners migrants
		refugees subscribers men women children minors girls boys teenagers youths students tourists
		employees staff labourers laborers detainees prisoners residents passengers others
		hostages captives escapees returnees deportees jobseekers job-seekers recruits members
		defendants co-defendants relatives police policemen policewomen officers personnel troops
		soldiers guards ringleaders bosses scammers arrests woman women man person child
		traffickers smugglers managers supervisors recruiters brokers accomplices fraudsters
		kingpins masterminds executives criminals offenders fugitives inmates convicts gangsters
		henchmen enforcers thugs cleaners cooks drivers commanders witnesses officials operatives
		agents`)
	addUnit("victims", "victims survivors")
	addUnit("suspects", "suspects")
	addUnit("sites", `sites locations spots areas buildings condominiums condos premises facilities venues
		centers centres casinos hotels complexes hotspots properties villas parks`)
	addUnit("compounds", "compounds")
	addUnit("countries", "countries nations")
	addUnit("nationalities", "nationalities")
	addUnit("provinces", "provinces")
	addUnit("complaints", "complaints")
	addUnit("requests", "requests")
	addUnit("reports", "reports")
	addUnit("cases", "cases case incidents prosecutions")
	// Seized items, counted in raids ("1,896 mobile phones", "2 iPads").
	addUnit("phones", "phones smartphones handsets")
	addUnit("computers", "computers desktops pcs cpus")
	addUnit("laptops", "laptops")
	addUnit("tablets", "tablets ipads")
	addUnit("usb drives", "drives flashdrives")
	addUnit("passports", "passports")
	addUnit("handcuffs", "handcuffs")
	addUnit("devices", "devices terminals receivers")
	addUnit("operations", "operations raids")
	addUnit("platforms", "platforms websites")
	addUnit("sanctions", "sanctions designations")

	m.stopNouns = set(`year years month months week weeks day days hour hours minute minutes second
		seconds decade decades century centuries times time articles article assessments assessment
		publications documents studies study papers books pages page views likes shares comments
		followers group groups organisations organizations organisation organization
		ngos ngo agencies companies company firms ministries embassies partners stakeholders
		governments episodes photos videos images interviews languages words steps points items
		questions recommendations laws provisions km kilometres kilometers miles metres meters kg
		tons tonnes floors storeys stories rounds phases tiers levels versions dollars yuan baht
		riel euros pounds ringgit pesos kyat rupees dong won yen units rooms beds vehicles cars
		boats trucks flights accounts apps posts messages calls
		lines seats votes goals years-old year-old storey degrees hectares acres percentages`)

	m.function = set(`the a an to in at for on by with from of into onto and or but as than that
		which who whom whose were was are is be been being have has had will would could can may
		might must should shall do did does not no nor while whereas this these those their its his
		her our your my across throughout through over under between among after before during
		since until within without about around against like near per via upon toward towards
		including involving where when what there here then so if because also still already yet
		just only even all both some many most each every any said says say told according
		who're they we he she it i you them him us more less fewer least than according
		couldn't couldn’t wouldn't wouldn’t didn't didn’t weren't weren’t wasn't wasn’t aren't aren’t
		isn't isn’t haven't haven’t hasn't hasn’t had't won't won’t can't can’t don't don’t
		got get gets went go goes came come comes`)

	m.adjectives = set(`foreign local new other additional former young undocumented illegal
		suspected alleged rescued trafficked enslaved missing dead injured detained arrested
		stranded different separate registered unregistered active known confirmed reported
		estimated online scam scamming fraud fraudulent suspicious male female adult elderly
		international domestic migrant overseas non-cambodian cambodian chinese vietnamese thai
		human private military mainland mobile desktop such major minor large small big huge serious
		notorious cyber
		indonesian filipino malaysian korean japanese taiwanese burmese lao laotian indian
		african american european asian`)

	m.qualifiers = map[string]string{
		"at least": "at least", "a minimum of": "at least", "no fewer than": "at least", "no less than": "at least",
		"more than": "more than", "greater than": "more than", "upwards of": "more than", "in excess of": "more than",
		"above": "more than",
		"over":  "over", "just over": "over", "simply over": "over", "slightly over": "over", "a little over": "over",
		"nearly": "nearly", "almost": "nearly", "practically": "nearly", "virtually": "nearly",
		"close to": "nearly", "just under": "nearly", "nearly all": "nearly",
		"about": "about", "around": "about", "round": "about", "roughly": "about", "approximately": "about",
		"approx": "about", "some": "about", "circa": "about", "an estimated": "estimated",
		"estimated": "estimated", "est": "estimated", "a projected": "estimated",
		"up to": "up to", "as many as": "up to", "as high as": "up to", "as much as": "up to",
		"at most": "up to", "fewer than": "up to", "less than": "up to", "under": "up to",
		"a total of": "exact", "total of": "exact", "exactly": "exact", "only": "exact", "just": "exact", "simply": "exact",
	}
	m.qualifierEnds = map[string]bool{}
	for q := range m.qualifiers {
		m.qualifierEnds[q[strings.LastIndexByte(q, ' ')+1:]] = true
	}

	m.namePrev = set(`tier level phase article section chapter no number vol volume issue part step
		route highway road gate building block room floor line version episode grade category class
		rank ranked ranking top aged age ages page pages item figure table chart annex appendix paragraph
		clause rule act resolution decree sub-decree prakas code zone street st unit plot lot kilometre
		kilometer km mile`)

	m.currencies = set(`€ £ ¥ ៛ ฿ ₫ ₱ ₹ euro euros pound pounds yuan rmb renminbi baht riel riels
		ringgit peso pesos kyat rupee rupees dong won yen`)
	// Currencies kept as figures, by their ISO code: before the number
	// ("LAK 100 million", "¥5,000") or after it ("10 billion yuan").
	m.currencyCodes = map[string]string{
		"yuan": "CNY", "rmb": "CNY", "renminbi": "CNY", "cny": "CNY", "¥": "CNY",
		"baht": "THB", "thb": "THB", "฿": "THB",
		"riel": "KHR", "riels": "KHR", "khr": "KHR", "៛": "KHR",
		"kip": "LAK", "lak": "LAK",
		"peso": "PHP", "pesos": "PHP", "php": "PHP", "₱": "PHP",
		"kyat": "MMK", "kyats": "MMK", "mmk": "MMK",
		"dong": "VND", "vnd": "VND", "₫": "VND",
		"usd": "USD", "dollars": "USD",
		// Where victims and money come from: Korea, Japan, Malaysia,
		// India, Europe and Britain ("pounds" also weigh, so only £).
		"won": "KRW", "krw": "KRW", "₩": "KRW",
		"yen": "JPY", "jpy": "JPY",
		"ringgit": "MYR", "myr": "MYR",
		"rupee": "INR", "rupees": "INR", "inr": "INR", "₹": "INR",
		"euro": "EUR", "euros": "EUR", "eur": "EUR", "€": "EUR",
		"£": "GBP", "gbp": "GBP",
	}

	for i, w := range strings.Fields("january february march april may june july august september october november december") {
		m.months[w] = i + 1
	}
	for i, w := range strings.Fields("jan feb mar apr may jun jul aug sep oct nov dec") {
		m.months[w] = i + 1
	}
	m.months["sept"] = 9
	for i, d := range strings.Fields("sunday monday tuesday wednesday thursday friday saturday") {
		m.weekdays[d] = time.Weekday(i)
	}
	for w := range m.months {
		lx.dateShape[w[0]-'a'][len(w)] = true
		lx.monthShape.add(w)
	}
	for w := range m.weekdays {
		lx.dateShape[w[0]-'a'][len(w)] = true
	}
	lx.dateLeads[0] = plainDateLeads
	for c, lens := range lx.dateShape {
		for n, ok := range lens {
			if ok {
				lx.dateLeads[1][n] |= 1 << c
			}
		}
	}
	m.abbrev = set(`mr mrs ms dr gen maj lt col capt sgt prof sen rep gov st co ltd inc corp no vs
		jan feb mar apr jun jul aug sep sept oct nov dec approx est etc mt jr sr pol brig adm`)
	lx.tables(m)
	return lx
}

// wordShape is a filter for a set of lower-case ASCII words of fewer
// than 16 bytes: the lengths of its words by their first two letters (the
// second is 26 for one-letter words).
type wordShape [26][27]uint16

func (t *wordShape) add(w string) {
	second := 26
	if len(w) > 1 {
		second = int(w[1] - 'a')
	}
	t[w[0]-'a'][second] |= 1 << len(w)
}

// has reports whether w, in any ASCII case, may be in the set: false
// means it is not. (A word whose second byte is not a letter may be let
// through; it is small enough to be inlined in the scanning loops.)
func (t *wordShape) has(w string) bool {
	if len(w) == 0 || len(w) >= 16 {
		return false
	}
	c, d := w[0]|0x20-'a', byte(26)
	if len(w) > 1 {
		d = w[1] | 0x20 - 'a'
	}
	return c < 26 && d <= 26 && t[c][d]&(1<<len(w)) != 0
}

// shapeOK tests a word against a first-letter/length table.
func shapeOK(table *[26][16]bool, w string) bool {
	if len(w) == 0 || len(w) >= 16 {
		return false
	}
	c := w[0] | 0x20
	if c < 'a' || c > 'z' {
		return false
	}
	return table[c-'a'][len(w)]
}
