package extractor

// Dated events come from date expressions found by the shared token scan.
// Two document shapes are handled differently, as the annotators did:
//
//   - a timeline (three or more lines that hold only a date) gives exactly
//     one event per dated entry, and nothing else: dates in its prose repeat
//     an entry or qualify a statistic;
//   - ordinary prose gives one event per happening that carries a date,
//     skipping ranges ("from September 2023 through August 2024", which
//     date statistics), deadlines and passing mentions of a bare year.
//
// Dates without a year ("in September", "Since January", "October 14th")
// and relative ones ("earlier this year", "on Monday") are resolved against
// the publication date or, when it is unknown, against the latest plausible
// date the text itself states.

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/sorted"
)

// findEvents returns the dated events of text. published is YYYY-MM-DD (or
// YYYY-MM, YYYY) or empty; entities supply the ids attached to each event.
func findEvents(text, published string, entities []document.Entity) []document.Event {
	return eventsIn(newScanner(text, tokenize(nil, text)), published, entities)
}

// Vagueness of a year ("early 2024") decides how far into the year a
// reference date reaches.
const (
	vagueNone = iota
	vagueEarly
	vagueMid
	vagueLate
)

// dateExpr is one date expression in the text. Its flags come last, in
// one word: scanDates copies an expression for every date it reads.
type dateExpr struct {
	first, last      int    // token range, inclusive
	year, month, day int    // 0 when not given
	days             int    // more days of a range of days ("12–14 April 2024": 2), dated at its first
	months           int    // more months of a range of months ("August–September 2024": 1), dated at its first
	relative         string // "this year", "last year", "last month", "this month", "last week", "this week", "yesterday", "today", "weekday", "last-month-name"
	prev             string
	weekday          time.Weekday
	vague            int
	yearMissing      bool
	noSuchDay        bool // "31 April 2024": a typo, dated to its month
	eitherWay        bool // "3/4/2024": day and month could swap; read day first
	span             bool // start of "2021 and 2022"
	bareYear         bool // a plain "2023" with nothing around it
	ranged           bool // part of "from X to Y": dates a statistic
	anchored         bool // year taken from an earlier date of the paragraph
	inToken          bool // a Chinese date that is part of its token ("警方于2025年3月5日突袭"): hanDateIn finds it again
	khmer            bool // a date written in Khmer: khmerDate finds its bytes again
	ahead            bool // a date the text plans ("預定於4月13日"): without its year, the next such date
	later            int  // the count of "two days later" (relative "later-days", "later-months", "later-years")
}

func (d dateExpr) precision() string { return precisionOf(ymd{d.year, d.month, d.day}) }

// anaphoric reports a date told by the last one stated before it: "the
// same day", "the following month" (anaphor), "that July", "two days
// later" (laterDate).
func (d dateExpr) anaphoric() bool {
	switch d.relative {
	case "same-day", "next-day", "same-month", "next-month", "same-year", "next-year", "that-month-name",
		"later-days", "later-months", "later-years":
		return true
	}
	return false
}

// noSuchDayCheck dates an expression whose day its month lacks ("31
// April 2024", "February 30") to the month, flagged (prose): read as no
// date at all, its month was then taken alone and the typo went unseen.
func (d *dateExpr) noSuchDayCheck() {
	if !validDate(max(d.year, 2000), d.month, d.day) {
		d.day, d.noSuchDay = 0, true
	}
}

type eventScanner struct {
	scanner
	// exprs are the text's date expressions in text order, each ending
	// before the next begins (scanDates): anchor and otherDateInSentence
	// rely on it, and FuzzExtract holds it.
	exprs []dateExpr
	// plausibleYears' result, once plausibleDone.
	plausible     []int
	latest        int
	plausibleDone bool
}

func eventsIn(s scanner, published string, entities []document.Entity) []document.Event {
	es := &eventScanner{scanner: s, exprs: s.sc.exprs[:0]}
	defer func() {
		clear(es.exprs) // the strings in them belong to this document
		s.sc.exprs = es.exprs[:0]
	}()
	text := s.text
	es.scanDates()
	if len(es.exprs) == 0 {
		return nil
	}
	if _, ok := parsePublished(published); !ok {
		published = headerPublished(text)
	}
	var evs []document.Event
	if entries := es.timelineEntries(); len(entries) >= 3 {
		evs = es.timeline(entries)
	} else {
		evs = es.prose(published)
	}
	attachEntities(evs, entities, s.sc)
	return evs
}

// metadataLine reports a header line such as "Published: 2024-09-12" that
// describes the document rather than reporting a happening.
func metadataLine(line string) (value string, ok bool) {
	key, value, found := strings.Cut(line, ":")
	if !found || len(key) > 14 {
		return "", false
	}
	// strings.ToLower, without allocating for an ASCII key: metadataLine
	// reads the line of every date.
	k := strings.TrimSpace(key)
	var buf [14]byte
	lower := buf[:0]
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c >= utf8.RuneSelf {
			lower = append(lower[:0], strings.ToLower(k)...)
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower = append(lower, c)
	}
	switch string(lower) {
	case "published", "date", "updated", "posted", "published on", "last updated", "source", "title", "dateline":
		return strings.TrimSpace(value), true
	}
	return "", false
}

// headerPublished reads the publication date from a "Published:" line in
// the first lines of the text, for documents that carry their metadata
// inline.
func headerPublished(text string) string {
	head := text[:min(len(text), 1024)]
	for n := 0; n < 12 && head != ""; n++ {
		line, rest, _ := strings.Cut(head, "\n")
		head = rest
		if v, ok := metadataLine(strings.TrimSpace(line)); ok {
			if _, ok := parsePublished(v); ok && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(line)), "title") {
				return v[:min(len(v), 10)]
			}
		}
	}
	return ""
}

// lineOf returns the text of the short line holding token i, or "" when
// the line is longer than a heading or header can be.
//
// A line is found whole, and kept: the dates of a paragraph are asked
// for one after another, and walking to the window's edges for each cost
// more than walking the paragraph once.
func (s *scanner) lineOf(i int) string {
	const maxLine = 40
	from, to := s.lineAround(i)
	if i-from > maxLine || to-i > maxLine {
		return ""
	}
	return s.text[s.toks[from].start:s.toks[to].end]
}

// lineAround returns the first and last tokens of the line holding token
// i, and keeps them for the next call.
func (s *scanner) lineAround(i int) (from, to int) {
	from, to = s.line.from, s.line.to-1
	if i < from || i > to { // a line break is never inside
		// A paragraph is walked whole, a token at a time: the walk
		// reads local slices, not the scanner's at each token, and
		// their bounds spare it a test of each index (0.3% of
		// Extract's instructions on the articles).
		toks := s.toks
		from, to = i, i
		for before := toks[:i]; from > 0 && before[from-1].kind != tNL; {
			from--
		}
		for _, t := range toks[i+1:] {
			if t.kind == tNL {
				break
			}
			to++
		}
		if toks[i].kind != tNL {
			s.line.from, s.line.to = from, to+1
		}
	}
	return from, to
}

// headingLine reports a short line without closing punctuation ("Table 1.
// Findings, June 2025", "The crackdown of mid-2025"): a title, caption or
// heading, whose date labels the section rather than dating a happening.
func headingLine(line string) bool {
	line = strings.TrimSpace(line)
	if line == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(line)
	switch r {
	case '.', '!', '?', '"', '”', '’', ')', ':', ';', ',', '。', '！', '？', '」', '）', '។', '៕':
		return false
	}
	return len(strings.Fields(line)) < 15
}

// ordinalDay reads "14", "14th", "1st".
func ordinalDay(s string) int {
	// One or two digits, most numbers the date scan reads, are read
	// here: the suffix loop and strconv.Atoi cost them 0.2% of
	// Extract's instructions on the articles.
	if n := len(s); n == 1 && isDigit(s[0]) || n == 2 && isDigit(s[0]) && isDigit(s[1]) {
		d := int(s[0] - '0')
		if n == 2 {
			d = d*10 + int(s[1]-'0')
		}
		if d > 31 {
			return 0
		}
		return d // 0 for "0" and "00", as below
	}
	// The suffix letters of "1st", "2nd", "3rd", "4th", trimmed by hand:
	// strings.TrimRight would build its character set on every call.
	for len(s) > 0 && strings.IndexByte("stndrh", s[len(s)-1]) >= 0 {
		s = s[:len(s)-1]
	}
	if len(s) == 0 || len(s) > 2 {
		return 0
	}
	d, err := strconv.Atoi(s)
	if err != nil || d < 1 || d > 31 {
		return 0
	}
	return d
}

func (s *scanner) yearAt(i int) int {
	if i < 0 || i >= len(s.toks) || s.toks[i].kind != tNum || !isYearToken(s.tok(i)) {
		return 0
	}
	y, _ := strconv.Atoi(s.tok(i))
	return y
}

func (s *scanner) dayAt(i int) int {
	if i < 0 || i >= len(s.toks) {
		return 0
	}
	t := s.toks[i]
	if t.kind == tNum || (t.kind == tWord && t.has(fDigit) && !t.has(fHyphen)) {
		return ordinalDay(s.lowerTok(i))
	}
	return 0
}

// monthAt returns the month named at token i (1 to 12), or 0 for any
// other token: a capitalised word of a month's shape (lx.monthShape,
// which most words fail without a lookup), looked up once in lower case.
func (s *scanner) monthAt(i int) int {
	if i < 0 || i >= len(s.toks) || s.toks[i].kind != tWord || !s.toks[i].has(fUpper) {
		return 0
	}
	w := strings.TrimSuffix(s.lowerTok(i), ".")
	if !s.lx.monthShape.has(w) {
		return 0
	}
	m, _ := s.lx.months.get(w)
	return m
}

// afterMonth returns the token after the month at token i and its
// abbreviation's dot, if any ("Sept. 5").
func (s *scanner) afterMonth(i int) int {
	if s.isPunct(i+1, ".") {
		return i + 2
	}
	return i + 1
}

// isMonthLead reports words that may introduce a month named without a
// day or year.
func isMonthLead(w string) bool {
	switch w {
	case "in", "since", "last", "this", "early", "late", "mid", "until", "by", "during", "from",
		"through", "throughout", "of", "between", "before", "after", "till", "and", "to", "that",
		"a", "an": // "in an April raid"
		return true
	}
	return false
}

// plainDateLeads[n] has bit c-'a' set for each letter c that starts a
// plain lower-case date word of n letters (n below 16). By first letter
// alone, "the", "to" and "make" passed too: a third of the words.
var plainDateLeads = [16]uint32{
	3: 1 << ('d' - 'a'),                           // day
	4: 1<<('y'-'a') | 1<<('w'-'a'),                // year, week
	5: 1<<('m'-'a') | 1<<('t'-'a') | 1<<('l'-'a'), // month, today, later
	9: 1 << ('y' - 'a'),                           // yesterday
}

// dateLead is maybeDateWord's first test of word t, which rules out nearly
// every word with one test on a bitmap: most words are plain lower case,
// dates only as "day", "year", "month", "week" ("last week"), "today",
// "yesterday" or "later" ("two days later"), and a
// capitalised word is one only as a month or a weekday, so their length
// and first letter tell. A capitalised word had gone to maybeDateWord
// whatever its shape, and the test mispredicted.
//
// The shift is cut to five bits, which spares the compiler's test for a
// shift past the word (0.45% of Extract's instructions on the articles):
// a letter finds its own bit, and the only other first bytes, of words
// that start outside ASCII (a digit is flagged), may find one and go to
// maybeDateWord, which decides.
//
// It takes the lexicon's tables and the text, which scanDates reads once
// rather than through the scanner at every token.
func dateLead(leads *[2][16]uint32, text string, t *token) bool {
	return t.flags&(fDigit|fHyphen|fHan|fKhmer) != 0 || leads[t.flags/fUpper&1][(t.end-t.start)&15]>>((text[t.start]|0x20-'a')&31)&1 != 0
}

// scanDates collects every date expression in text order.
func (es *eventScanner) scanDates() {
	toks, text, leads := es.toks, es.text, &es.lx.dateLeads
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		switch t.kind {
		case tNum:
		case tWord:
			if !dateLead(leads, text, t) {
				continue
			}
			if !es.maybeDateWord(t) {
				continue
			}
		default:
			continue
		}
		// dateAt, written out: the call, and its copy of the expression,
		// cost 0.5% of Extract's instructions on the articles.
		var (
			d  dateExpr
			ok bool
		)
		if t.kind == tWord {
			d, ok = es.wordDate(i)
		} else {
			d, ok = es.numDate(i)
		}
		if (!ok || d.year == 0) && es.rangeAhead(i, &d, ok) {
			if r, isRange := es.dayRange(i); isRange {
				d, ok = r, true
			} else if r, isRange := es.monthRange(i); isRange {
				d, ok = r, true
			}
		}
		if !ok {
			continue
		}
		es.modifiers(&d)
		d.prev = es.wordAt(d.first - 1)
		es.exprs = append(es.exprs, d)
		i = d.last
	}
	// Comparisons of two periods: "grew from $3.3 billion in 2022 to $4.6
	// billion in 2023", "In 2017 police made 203 arrests, against 113 in
	// 2016", "345 victims in 2017, up from 298 in 2016" date statistics,
	// not happenings.
	for k := 0; k+1 < len(es.exprs); k++ {
		a, b := &es.exprs[k], &es.exprs[k+1]
		if b.first-a.last > 12 || !(a.bareYear && b.bareYear || es.countedMonth(a) && es.countedMonth(b)) {
			continue
		}
		to, from, versus := false, false, false
		for t := a.last + 1; t < b.first; t++ {
			if es.toks[t].kind == tNL {
				to, versus = false, false
				break
			}
			switch w := es.wordAt(t); w {
			case "to":
				to = true
			case "against", "versus", "vs", "compared":
				versus = true
			case "from":
				versus = versus || es.wordAt(t-1) == "up" || es.wordAt(t-1) == "down"
			}
		}
		for t := a.first - 1; t >= 0 && t >= a.first-8 && es.toks[t].kind != tNL; t-- {
			from = from || es.wordAt(t) == "from"
		}
		if to && from || versus {
			a.ranged, b.ranged = true, true
		}
	}
	// Ranges: "from September 2023 through August 2024", "between 2021 and
	// 2022", "from 2024 by means of early 2025".
	for k := range es.exprs {
		d := &es.exprs[k]
		if d.prev != "from" && d.prev != "between" || d.days > 0 && d.days <= 7 {
			continue // "from 12 to 14 April": a happening of a few days
		}
		d.ranged = true
		if k+1 < len(es.exprs) && es.exprs[k+1].first-d.last <= 5 {
			es.exprs[k+1].ranged = true
		}
	}
	// The other side of a comparison is a baseline, not a happening: "up
	// 17 cases on the same period in 2023", "12 more than at the start of
	// 2023", "compared with 2022". The word before the date screens, for
	// the cost: it ends each of these.
	for k := range es.exprs {
		switch d := &es.exprs[k]; d.prev {
		case "in", "of", "at", "with", "to", "than", "period", "the":
			d.ranged = d.ranged || es.baseline(d.first)
		}
	}
}

// baseline reports a comparison's words in the six tokens before token i,
// in its line: "the same period", "compared", or "than" after a word of
// more or less and before the date or its preposition ("more than in
// 2022"; not "no later than", which sets a deadline, nor "more than 200
// were freed in 2022", which counts what the date saw).
func (es *eventScanner) baseline(i int) bool {
	for t := i - 1; t >= 0 && t >= i-6 && es.toks[t].kind != tNL; t-- {
		if n := es.lenAt(t); n != 4 && n != 6 && n != 8 {
			continue // the lengths of the words below: the screen is the cost
		}
		switch es.wordAt(t) {
		case "period":
			if es.wordAt(t-1) == "same" {
				return true
			}
		case "compared":
			return true
		case "than":
			switch es.wordAt(t - 1) {
			case "more", "less", "fewer", "higher", "lower", "greater", "larger", "smaller", "bigger":
			default:
				return false
			}
			// "more than in 2022", not "more than 200 were freed in 2022":
			// what "than" compares sits right after it.
			switch es.wordAt(t + 1) {
			case "in", "at", "during", "on", "for", "over":
				return true
			}
			return t+1 == i
		}
	}
	return false
}

// monthYearAt reads into d, whose day is read, the month at token i and
// the year after it, if any: "5 March 2024", "the 28th of October".
func (es *eventScanner) monthYearAt(d *dateExpr, i int) bool {
	m := es.monthAt(i)
	if m == 0 {
		return false
	}
	d.month, d.last = m, i
	if y := es.yearAt(i + 1); y > 0 {
		d.year, d.last = y, i+1
	} else {
		d.yearMissing = true
	}
	d.noSuchDayCheck()
	return true
}

// theDay reads a day of the month named by its ordinal after "on the", as
// the Korean and Japanese press in English writes it: "on the 20th of
// last month", "on the 5th of this month", "on the 28th of October",
// and "on the 20th" alone, the latest 20th by the publication date. A
// noun after the ordinal makes it no day ("on the 5th floor", "on the
// 3rd day").
func (es *eventScanner) theDay(i int) (dateExpr, bool) {
	d := dateExpr{first: i - 1, last: i}
	w := es.wordAt(i)
	if len(w) < 3 || isDigit(w[len(w)-1]) {
		return d, false // an ordinal, not "on the 20"
	}
	if d.day = es.dayAt(i); d.day == 0 {
		return d, false
	}
	switch next := es.wordAt(i + 1); next {
	case "of":
		if es.monthYearAt(&d, i+2) {
			return d, true
		}
		switch es.wordAt(i + 2) {
		case "this", "last":
			if es.wordAt(i+3) != "month" {
				return d, false
			}
			d.relative, d.last = es.wordAt(i+2)+"-month-day", i+3
			return d, true
		}
		return d, false
	case "", "to", "at", "in", "and", "when", "after", "before", "with", "by", "for", "from":
		if next == "" && i+1 < len(es.toks) && es.toks[i+1].kind == tWord {
			return d, false // a word that is not ASCII
		}
		d.relative = "month-day"
		return d, true
	}
	return d, false
}

// countedMonth reports a month with no day that dates the number just
// before it: "163 in June", "136 this month", as a comparison of two
// months' tallies writes them ("fell from 163 in June to 136 this
// month").
func (es *eventScanner) countedMonth(d *dateExpr) bool {
	if d.day != 0 || d.month == 0 && d.relative != "this month" && d.relative != "last month" {
		return false
	}
	k := d.first - 1
	if es.wordAt(k) == "in" {
		k--
	}
	return k >= 0 && es.toks[k].kind == tNum
}

// maybeDateWord rejects most words cheaply, before any hashing: date words
// are capitalised (months, week days), carry digits ("mid-2021") or are one
// of a few short words.
func (es *eventScanner) maybeDateWord(t *token) bool {
	w := es.text[t.start:t.end]
	switch {
	case t.has(fDigit):
		return true
	case t.has(fUpper):
		if t.has(fHyphen) {
			// "August-September": a range of months is one token.
			w, _, _ = strings.Cut(w, "-")
		}
		return shapeOK(&es.lx.dateShape, w)
	case t.has(fHan):
		// "七月十四日", "19日", "同年", "今天", "周三", "星期三", "禮拜三"
		return strings.ContainsAny(w, "月日年号號天周週期拜")
	case t.has(fKhmer):
		return true // khmerDate looks for its words
	}
	if t.has(fHyphen) {
		return strings.HasPrefix(w, "mid-") || strings.HasPrefix(w, "early-") || strings.HasPrefix(w, "late-")
	}
	switch len(w) {
	case 3, 4, 5, 9:
		switch w {
		case "day", "year", "week", "month", "today", "yesterday", "later":
			return true
		}
	}
	return false
}

// wordDate reads a date that starts with a word: "July 13, 2022", "May
// 2024", "in September", "mid-2021", "2022-07-13", "Monday", "this year".
func (es *eventScanner) wordDate(i int) (dateExpr, bool) {
	d := dateExpr{first: i, last: i}
	t := es.toks[i]
	if t.has(fHan) {
		// Before the hyphen's reading: a hyphen between Han characters
		// joins them ("妙瓦底-水沟谷").
		return es.hanDate(i)
	}
	if t.has(fKhmer) {
		return es.khmerDate(i)
	}
	w := es.wordAt(i)
	if t.has(fDigit) && t.has(fHyphen) {
		a, b, _ := strings.Cut(w, "-")
		switch a {
		case "mid", "early", "late":
			if y, err := strconv.Atoi(b); err == nil && y >= 1900 && y <= 2100 {
				d.year = y
				d.vague = vagueOf(a)
				return d, true
			}
		}
		// Three parts, the first of four bytes: "2022-07-13".
		if mo, day, ok := strings.Cut(b, "-"); ok && len(a) == 4 && !strings.Contains(day, "-") {
			y, e1 := strconv.Atoi(a)
			m, e2 := strconv.Atoi(mo)
			dd, e3 := strconv.Atoi(day)
			if e1 == nil && e2 == nil && e3 == nil && validDate(y, m, dd) && y >= 1900 && y <= 2100 {
				d.year, d.month, d.day = y, m, dd
				return d, true
			}
		}
		return d, false
	}
	if t.has(fDigit) && es.monthAt(i+1) > 0 {
		// "5th March 2024": an ordinal day is a word, not a number.
		return es.numDate(i)
	}
	if t.has(fDigit) && es.wordAt(i-1) == "the" && es.wordAt(i-2) == "on" {
		return es.theDay(i)
	}
	if t.has(fHyphen) && !t.has(fDigit) {
		// "mid-January", "late-March"
		a, b, _ := strings.Cut(w, "-")
		if m, ok := es.lx.months.get(b); ok && vagueOf(a) != vagueNone {
			d.month, d.yearMissing = m, true
			if es.wordAt(i-1) == "that" {
				d.relative = "that-month-name"
			}
			return d, true
		}
		return d, false
	}
	if m := es.monthAt(i); m > 0 {
		d.month = m
		j := es.afterMonth(i)
		if day := es.dayAt(j); day > 0 && es.yearAt(j) == 0 {
			d.day, d.last = day, j
			k := j + 1
			if es.isPunct(k, ",") {
				k++
			}
			if y := es.yearAt(k); y > 0 {
				d.year, d.last = y, k
			} else if !es.yearTold(&d, j+1) {
				d.yearMissing = true
			}
			d.noSuchDayCheck()
			return d, true
		}
		if y := es.yearAt(j); y > 0 {
			d.year, d.last = y, j
			return d, true
		}
		if es.isPunct(j, ",") && es.yearAt(j+1) > 0 && isMonthLead(es.wordAt(i-1)) {
			d.year, d.last = es.yearAt(j+1), j+1 // "in March, 2024"
			return d, true
		}
		// A month alone: only after words that introduce a time, so that
		// "May" the verb and "March" the noun are not dates.
		lead := es.wordAt(i - 1)
		if !isMonthLead(lead) && !(lead == "" && es.wordAt(i-2) == "mid") {
			return d, false
		}
		if es.yearTold(&d, j) {
			return d, true
		}
		d.yearMissing = true
		switch lead {
		case "last":
			d.relative = "last-month-name"
		case "that":
			d.relative = "that-month-name"
		}
		return d, true
	}
	switch w {
	case "yesterday", "today":
		d.relative = w
		return d, true
	case "later":
		return es.laterDate(i)
	case "week":
		// "last week", "earlier this week": the week before publication,
		// or the week of it. Other weeks ("a week", "the week") are
		// spans or need the day of a date the text gives.
		switch prev := es.wordAt(i - 1); prev {
		case "last", "this":
			if es.wordAt(i-2) == "the" {
				return d, false // "over the last week": a duration
			}
			d.relative, d.first = prev+" week", i-1
			return d, true
		}
		return d, false
	case "day", "month", "year":
		// Anaphora: "the same day", "the following day", "that month".
		switch prev := es.wordAt(i - 1); {
		case prev == "same" && es.wordAt(i-2) == "the":
			d.relative, d.first = anaphor(false, w), i-2
			return d, true
		case (prev == "following" || prev == "next") && es.wordAt(i-2) == "the":
			d.relative, d.first = anaphor(true, w), i-2
			return d, true
		case prev == "that":
			d.relative, d.first = anaphor(false, w), i-1
			return d, true
		}
		if w == "day" {
			return d, false
		}
		// "over the last year" is a duration, not a date.
		switch es.wordAt(i - 2) {
		case "the", "past", "a":
			return d, false
		}
		switch es.wordAt(i - 1) {
		case "this", "last":
			d.relative = es.wordAt(i-1) + " " + w
			d.first = i - 1
			return d, true
		}
		return d, false
	}
	if wd, ok := es.lx.weekdays.get(w); ok && t.has(fUpper) {
		// "on Tuesday, March 4", "Monday 3 February 2025": the weekday
		// only names the date after it. Read alone, it was taken for the
		// last such weekday before publication, a second event on a day
		// the text never gave.
		if dd, ok := es.dayDateAt(i + 1); ok {
			dd.first = i
			return dd, true
		}
		switch es.wordAt(i - 1) {
		case "on", "last", "since", "until", "this", "said", "early", "late":
			// "said Tuesday", as wire copy writes it, dates the saying;
			// so do "early Saturday" and "late Friday".
			d.relative, d.weekday = "weekday", wd
			return d, true
		case "of":
			// "in the early hours of Sunday", "on the night of Friday"
			switch es.wordAt(i - 2) {
			case "hours", "night", "morning", "afternoon", "evening":
				d.relative, d.weekday = "weekday", wd
				return d, true
			}
		}
	}
	return d, false
}

// hanDate reads a date written in Chinese in token i: "2025年3月5日",
// "2024年12月", "3月6日", "七月十四日", "今年10月", "本月7日". A run of
// Han characters and digits is one token, so a date may sit inside one
// ("警方于2025年3月5日突袭"). A month without its year or a word that
// tells it ("今年", this year) is read only as a whole token, where
// nothing else can be meant.
func (es *eventScanner) hanDate(i int) (dateExpr, bool) {
	w := es.tok(i)
	date, from, to, rel := hanDateIn(w)
	if date.m == 0 && rel == "" {
		if date.y > 0 {
			return es.hanYearDate(i, date.y, from, to)
		}
		return dateExpr{}, false
	}
	if date.d > 0 && hasAnyPrefix(w[to:], "电", "電") {
		// A dateline, "（新华社金边8日电）": the day the dispatch was
		// filed, which the story's own dates follow.
		return dateExpr{}, false
	}
	d := dateExpr{first: i, last: i, year: date.y, month: date.m, day: date.d, inToken: from > 0 || to < len(w), relative: rel}
	if rel == "weekday" {
		d.weekday = hanWeekday(w[from:to])
	}
	if d.year == 0 && rel == "" {
		if d.inToken && d.day == 0 && !strings.HasPrefix(w[to:], "份") {
			// "10月中", "3月底": a part of a month is one too, and so
			// is a month with 份 ("八月份").
			if d.vague, _ = hanPart(w[to:]); d.vague == vagueNone {
				return dateExpr{}, false
			}
		}
		d.yearMissing = true
	}
	if d.day > 0 && rel == "" {
		d.noSuchDayCheck()
	}
	if d.day > 0 && (rel == "" || rel == "this-year-month" || rel == "last-year-month") {
		hanRange(&d, w, to)
	}
	// What the clause says before the date, in its token: a run of Han
	// characters and digits ends at punctuation.
	before := w[:from]
	if hasAnySuffix(before, "截至", "截止", "截止到") {
		d.ranged = true // "截至12月18日，已有4039名…": the date of a tally
	}
	// A date the text plans: "移民總局則預定於4月13日把…嫌犯遣返".
	d.ahead = d.yearMissing && containsAny(before, "預定", "预定", "将于", "將於", "将在", "將在", "计划于", "計劃於", "计划在", "計劃在", "拟于", "擬於", "即将", "即將", "预计", "預計")
	return d, true
}

// yearTold reads "this year" or "last year" at token k, after a month
// (and day) without a year: "in August this year", "on March 5 last
// year" are one date, whose year is told as "今年10月" tells it. Read
// apart, the month took the reference's year, wrong for "last year", and
// the year was a second event.
func (es *eventScanner) yearTold(d *dateExpr, k int) bool {
	if es.wordAt(k+1) != "year" {
		return false
	}
	switch es.wordAt(k) {
	case "this":
		d.relative = "this-year-month"
	case "last":
		d.relative = "last-year-month"
	default:
		return false
	}
	d.last = k + 1
	return true
}

// anaphor names the date that "the same day" or, with next, "the
// following month" tells, for a unit of day, month or year; a constant,
// where building the name allocated it for every such date read.
func anaphor(next bool, unit string) string {
	switch unit {
	case "day":
		if next {
			return "next-day"
		}
		return "same-day"
	case "month":
		if next {
			return "next-month"
		}
		return "same-month"
	}
	if next {
		return "next-year"
	}
	return "same-year"
}

// laterDate reads a count of days, weeks, months or years after the last
// date stated, which ends at token i, "later": "two days later", "a week
// later", "18 months later" (prose dates it from that date, relative
// "later-days", "later-months" or "later-years", the count in later). A
// span without a count ("days later", "weeks later") tells no date.
func (es *eventScanner) laterDate(i int) (dateExpr, bool) {
	d := dateExpr{first: i - 2, last: i}
	n := 0
	switch w := es.wordAt(i - 2); {
	case w == "a" || w == "an" || w == "one":
		n = 1
	case i >= 2 && es.toks[i-2].kind == tNum:
		n, _ = strconv.Atoi(es.tok(i - 2))
	default:
		if v, ok := es.lx.numberWords.get(w); ok && v == float64(int(v)) {
			n = int(v)
		}
	}
	if n < 1 || n > 100 {
		return d, false
	}
	switch es.wordAt(i - 1) {
	case "day", "days":
		d.relative, d.later = "later-days", n
	case "week", "weeks":
		d.relative, d.later = "later-days", 7*n
	case "month", "months":
		d.relative, d.later = "later-months", n
	case "year", "years":
		d.relative, d.later = "later-years", n
	default:
		return d, false
	}
	return d, true
}

// presentState reports whether tokens from to to, the rest of a
// sentence, hold a verb of the present ("is", "are", "remains"): after
// "three years later" such a clause tells how things stand when the text
// was written, where a happening is told in the past ("was raided").
func (es *eventScanner) presentState(from, to int) bool {
	for i := from; i < to; i++ {
		switch es.wordAt(i) {
		case "is", "are", "remains", "remain", "has", "have":
			return true
		}
	}
	return false
}

// hanYearDate reads a year written alone in Chinese inside token i, at
// w[from:to] ("在2016年由…创办"), where the clause says it is when a
// thing happened: after 在, 于 or 於 (in), or opening its sentence or
// clause ("。2012年出狱后，…", "；2022年，他出任…"), as prose asks of a
// plain year in English ("in 2016"). Other years inside a word count or
// compare ("单是2024年就骗走…", "比2023年激增"), bound a period
// ("2019年以来", "2016年前", "1990年代") or own a noun ("2023年的损失",
// where English says "of 2023"), and are not read. A year up to
// a second ("2019年至2021年") dates a span, and one with 初, 底 or 末
// after it is a part of the year ("2024年底"), as "late 2024" is. 中
// after a year is too often the start of the next word ("2024年中国…")
// to be read as its middle.
func (es *eventScanner) hanYearDate(i, year, from, to int) (dateExpr, bool) {
	w := es.tok(i)
	before, part, after := w[:from], w[from+4+len("年"):to], w[to:]
	opens := from == 0 && (i == 0 || es.toks[i-1].kind == tNL || hasAnyPrefix(es.tok(i-1), "。", "，", "；", "：", "！", "？"))
	if !opens && !hasAnySuffix(before, "在", "于", "於") {
		return dateExpr{}, false
	}
	if hasAnyPrefix(after, "的", "代", "前", "后", "後", "以前", "以后", "以後", "之前", "之后", "之後", "以来", "以來", "间", "間") {
		return dateExpr{}, false
	}
	d := dateExpr{first: i, last: i, year: year, inToken: true}
	switch {
	case part != "":
		d.vague, _ = hanPart(part)
	case hasAnyPrefix(after, "至", "到", "-", "－", "—", "~", "～"):
		d.ranged = true
	default:
		d.bareYear = true
	}
	return d, true
}

// hanRange reads the end of a range of days written in Chinese after the
// date d, which ends at w[to]: "1月16日至20日", "6月27日至12月18日". The
// range is dated at its first day, with its length in d.days. One that
// lasts more than a week, or that the text says a count was made between
// its ends ("短短5天之間", "之間累計抓了4851人"), dates a tally, not a
// happening (ranged), as "from … to …" does in English; "11月18日至22日
// 期間軍方清剿…" is a sweep of five days.
func hanRange(d *dateExpr, w string, to int) {
	sep := hanRangeSep(w, to)
	if sep == 0 {
		return
	}
	q := to + sep
	end := ymd{m: d.month}
	var after int
	if day, e := hanDayAt(w, q); day > 0 {
		end.d, after = day, e
	} else if date, from, e, rel := hanDateIn(w[q:]); from == 0 && rel == "" && date.m > 0 && date.d > 0 {
		end, after = date, q+e
	} else {
		return
	}
	first := ymd{d.year, d.month, d.day}
	if end.y == 0 {
		// The first day's year, or the next for a range that runs
		// into it ("12月30日至1月2日").
		if end.y = first.y; end.before(first) {
			end.y++
		}
	}
	days, ok := first.daysTo(end)
	if !ok || days <= 0 {
		return
	}
	d.days = days
	if days > 7 || containsAny(w[after:], "之间", "之間", "累计", "累計") {
		d.ranged = true
	}
}

// wideStop reports whether token i is a Chinese mark of punctuation
// ("。", "、", and the full-width "，", "（"), after which Chinese sets
// no space.
func (es *eventScanner) wideStop(i int) bool {
	t := es.toks[i]
	return t.kind == tPunct && t.end-t.start == 3 && (es.text[t.start] == 0xe3 || es.text[t.start] == 0xef)
}

// hanYear reports whether token i, a year, is written in Chinese: 年
// follows it.
func (es *eventScanner) hanYear(i int) bool {
	return i+1 < len(es.toks) && es.toks[i+1].has(fHan) && strings.HasPrefix(es.tok(i+1), "年")
}

// hanSince reports whether d, a date written in Chinese (its token or
// the next holds Han characters: the caller tests it), opens a period
// that runs to the time of writing: 起 right after it, or 自 (or 从)
// before it and 以来 after it in its sentence, which ends before token to.
func (es *eventScanner) hanSince(d dateExpr, to int) bool {
	start, end := es.toks[d.first].start, es.toks[d.last].end
	if d.inToken {
		_, from, to, _ := hanDateIn(es.tok(d.first))
		start, end = start+from, start+to
	}
	// "今年1月中旬起，…", "从今年2月起高调展开打击": a date that 起 follows
	// (past a part of the month) opens a period, as "since" does, with
	// 自 or 从 before it or not; 起诉 (charged), 起获 (seized) and the
	// like are verbs.
	after := strings.TrimPrefix(es.text[end:], " ")
	_, n := hanPart(after)
	if rest, ok := strings.CutPrefix(after[n:], "起"); ok && !hasAnyPrefix(rest, "诉", "訴", "获", "獲", "飞", "飛", "火", "义", "義", "草", "航") {
		return true
	}
	before := strings.TrimSuffix(es.text[:start], " ")
	if !hasAnySuffix(before, "自", "从", "從") {
		return false
	}
	return containsAny(es.text[start:es.toks[to-1].end], "以来", "以來")
}

// hanPart reads the part of a month or year written after it, and its
// length in bytes: 初 or 上旬 the start, 中 or 中旬 the middle, 底, 末 or
// 下旬 the end.
func hanPart(after string) (vague, n int) {
	for _, p := range hanParts {
		if strings.HasPrefix(after, p.word) {
			return p.vague, len(p.word)
		}
	}
	return vagueNone, 0
}

// hanParts are the parts hanPart reads, 中旬 before 中.
var hanParts = [...]struct {
	word  string
	vague int
}{{"初", vagueEarly}, {"上旬", vagueEarly}, {"中旬", vagueMid}, {"中", vagueMid}, {"底", vagueLate}, {"末", vagueLate}, {"下旬", vagueLate}}

// hanSpacedDate reads a date written in Chinese with spaces around its
// digits, as Hong Kong's press prints it: "2025 年 12 月 1 日", "2025 年
// 12 月", "12 月 1 日"; token i is its first number.
func (es *eventScanner) hanSpacedDate(i int) (dateExpr, bool) {
	num := func(k int) int {
		if k >= len(es.toks) || es.toks[k].kind != tNum || es.toks[k].end-es.toks[k].start > 4 {
			return 0
		}
		v, _ := strconv.Atoi(es.tok(k))
		return v
	}
	is := func(k int, w string) bool { return k < len(es.toks) && es.tok(k) == w }
	d := dateExpr{first: i}
	j := i
	if y := es.yearAt(j); y > 0 && is(j+1, "年") {
		d.year, j = y, j+2
	}
	m := num(j)
	if d.year == 0 && m >= 1 && m <= 31 && j+1 < len(es.toks) && hasAnyPrefix(es.tok(j+1), "日", "号", "號") && (j == 0 || !strings.HasSuffix(es.tok(j-1), "月")) {
		// "（18 日）": a day of the month alone (hanDayOrYearIn).
		d.day, d.last, d.relative = m, j+1, "month-day"
		return d, true
	}
	if m < 1 || m > 12 || j+1 >= len(es.toks) || !strings.HasPrefix(es.tok(j+1), "月") {
		return d, false
	}
	d.month, d.last = m, j+1
	if is(j+1, "月") && j+3 < len(es.toks) {
		if day := num(j + 2); day >= 1 && day <= 31 && hasAnyPrefix(es.tok(j+3), "日", "号", "號") {
			d.day, d.last = day, j+3
		}
	}
	if d.year == 0 {
		if d.day == 0 {
			return d, false
		}
		d.yearMissing = true
	}
	if d.day > 0 {
		d.noSuchDayCheck()
	}
	return d, true
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, prefixes ...string) bool { return listPrefix(s, 0, prefixes) != "" }

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// hanDateIn finds the first date written in Chinese in w: its year (0
// when not written, or not one of 1900 to 2100), month and day (0 when
// not written), its bytes, w[from:to], and the word that tells its year
// or month (rel: "this-year-month" for 今年, "last-year-month" for 去年,
// "this-month-day" for 本月); a month of 0 and no rel when there is none.
// The month and the day are digits or numerals ("七月十四日"). The
// digits are checked before strconv, whose errors allocate: a word may
// hold 月 with none before it ("本月", this month).
func hanDateIn(w string) (date ymd, from, to int, rel string) {
	const nian, yue = "年", "月"
	k := strings.Index(w, yue)
	if k < 0 {
		return hanDayOrYearIn(w)
	}
	to = k + len(yue)
	if strings.HasSuffix(w[:k], "本") {
		// "本月7日": a day of the month of publication.
		if day, e := hanDayAt(w, to); day > 0 {
			return ymd{d: day}, k - len("本"), e, "this-month-day"
		}
		return ymd{}, 0, 0, ""
	}
	from = k
	for from > 0 && k-from < 3 && isDigit(w[from-1]) {
		from--
	}
	switch {
	case from < k && k-from <= 2 && (from == 0 || !isDigit(w[from-1])):
		date.m, _ = strconv.Atoi(w[from:k])
	case from == k:
		// A month in numerals: "七月", "十二月".
		for n := 0; n < 2 && from > 0; n++ {
			r, size := utf8.DecodeLastRuneInString(w[:from])
			if hanDigit(r) < 1 && r != '十' {
				break
			}
			from -= size
		}
		if from < k {
			if v, e, ok := hanNumberAt(w, from); ok && e == k && v == float64(int(v)) {
				date.m = int(v)
			}
		}
	}
	if date.m < 1 || date.m > 12 {
		return ymd{}, 0, 0, ""
	}
	if y := from - len(nian); y >= 4 && w[y:from] == nian && isYearToken(w[y-4:y]) && (y == 4 || !isDigit(w[y-5])) {
		date.y, _ = strconv.Atoi(w[y-4 : y])
		from = y - 4
	} else if strings.HasSuffix(w[:from], "今年") {
		rel, from = "this-year-month", from-len("今年")
	} else if strings.HasSuffix(w[:from], "去年") {
		rel, from = "last-year-month", from-len("去年")
	}
	if day, e := hanDayAt(w, to); day > 0 {
		date.d, to = day, e
	}
	return date, from, to, rel
}

// hanDayOrYearIn finds, in a word without 月, a day of the month alone
// ("19日", rel "month-day": the latest such day by the publication date)
// or a year told by the year before it ("同年", "翌年": rel "same-year",
// "next-year").
func hanDayOrYearIn(w string) (date ymd, from, to int, rel string) {
	for _, y := range [...]struct{ word, rel string }{{"同年", "same-year"}, {"翌年", "next-year"}, {"次年", "next-year"}, {"隔年", "next-year"}} {
		if strings.HasPrefix(w, y.word) {
			return ymd{}, 0, len(y.word), y.rel
		}
	}
	for i := 0; i < len(w); i++ {
		if !isDigit(w[i]) || i > 0 && isDigit(w[i-1]) {
			continue
		}
		if day, e := hanDayAt(w, i); day > 0 && e-i <= 2+len("日") {
			return ymd{d: day}, i, e, "month-day"
		}
	}
	if day, from, to := hanNumeralDayIn(w); day > 0 {
		return ymd{d: day}, from, to, "month-day"
	}
	if date, from, to, rel = hanDayWordIn(w); rel != "" {
		return date, from, to, rel
	}
	if y, from, to := hanYearIn(w); y > 0 {
		return ymd{y: y}, from, to, ""
	}
	return ymd{}, 0, 0, ""
}

// hanYearIn finds a year written alone in digits before 年 in w
// ("在2016年由…创办", "2012年出狱后"), and returns it with its bytes, 年
// included and the part of the year after it if one is written
// ("2024年底"); 0 when there is none. hanDayOrYearIn asks for it last,
// so that a word with a day in it reads as before.
func hanYearIn(w string) (y, from, to int) {
	const nian = "年"
	for k := 0; ; {
		j := strings.Index(w[k:], nian)
		if j < 0 {
			return 0, 0, 0
		}
		j += k
		if j >= 4 && isYearToken(w[j-4:j]) && (j == 4 || !isDigit(w[j-5])) {
			y, _ = strconv.Atoi(w[j-4 : j])
			to = j + len(nian)
			to += len(listPrefix(w, to, []string{"初", "底", "末"}))
			return y, j - 4, to
		}
		k = j + len(nian)
	}
}

// hanNumeralDayIn finds a day of the month alone written in numerals
// ("警方於四日突擊", "十七日进入公海"), and returns it with its bytes; 0
// when there is none. A count of days reads the same ("為期五日", "三日
// 內", "數日"), so a numeral after a word that counts or measures, or a
// day that a span or a trip follows, is no date; nor is 一日 (one day) or
// 日 in a longer number.
func hanNumeralDayIn(w string) (day, from, to int) {
	for i, r := range w {
		if hanDigit(r) < 0 && r != '十' && r != '廿' && r != '卅' || r == '两' || r == '兩' {
			continue // 两 counts: "两日" is two days
		}
		prev, _ := utf8.DecodeLastRuneInString(w[:i])
		if i > 0 && (hanNumeral(prev) || strings.ContainsRune("数數几幾第每连連前后後近逾约約期时時达達共历歷隔周週星礼禮今昨明了", prev)) {
			continue
		}
		d, e := hanDayAt(w, i)
		if d < 2 {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(w[e:]); strings.ContainsRune("内內后後前游遊间間来來之以余餘多", next) {
			continue
		}
		return d, i, e
	}
	return 0, 0, 0
}

// hanDayWordIn finds a day told by a word, resolved against the
// publication date: 今天 (rel "today"), 昨天 or 昨日 ("yesterday"), or a
// weekday ("weekday": 周三, 週三, 星期三, 禮拜三; hanWeekday reads which).
// 今日 is left out: it begins the names of papers and sites ("今日柬埔寨").
// A weekday of last or next week (上周三, 下週一), of every week (每周一)
// or after a count of weeks (一周三次) is no day of the week the text was
// written in, and is left unread.
func hanDayWordIn(w string) (date ymd, from, to int, rel string) {
	for _, r := range [...]struct{ word, rel string }{{"今天", "today"}, {"昨天", "yesterday"}, {"昨日", "yesterday"}} {
		if i := strings.Index(w, r.word); i >= 0 {
			return ymd{}, i, i + len(r.word), r.rel
		}
	}
	for _, lead := range [...]string{"星期", "禮拜", "礼拜", "週", "周"} {
		i := strings.Index(w, lead)
		if i < 0 {
			continue
		}
		e := i + len(lead)
		prev, _ := utf8.DecodeLastRuneInString(w[:i])
		if strings.ContainsRune("上下每几幾数數", prev) || hanDigit(prev) >= 0 || prev < utf8.RuneSelf && isDigit(byte(prev)) {
			continue // "上周三", "每周一", "一周三次": not a day of this week
		}
		if day, size := utf8.DecodeRuneInString(w[e:]); strings.ContainsRune("一二三四五六日天", day) {
			return ymd{}, i, e + size, "weekday"
		}
	}
	return ymd{}, 0, 0, ""
}

// hanWeekday is the weekday a word hanDayWordIn read names by its last
// character: 一 Monday to 六 Saturday, 日 or 天 Sunday.
func hanWeekday(s string) time.Weekday {
	r, _ := utf8.DecodeLastRuneInString(s)
	if d := hanDigit(r); d >= 1 && d <= 6 {
		return time.Weekday(d)
	}
	return time.Sunday
}

// hanDayAt reads the day at w[p:], "5日", "14号" or "十四日", and
// returns it with the end of its word; 0 when there is none.
func hanDayAt(w string, p int) (day, end int) {
	v, e, ok := hanNumberAt(w, p)
	if !ok || e-p > 6 || v != float64(int(v)) || v < 1 || v > 31 || !hasAnyPrefix(w[e:], "日", "号", "號") {
		return 0, 0
	}
	_, size := utf8.DecodeRuneInString(w[e:])
	return int(v), e + size
}

// dayRange reads a range of days starting at token i: "12–14 April
// 2024", "12-14 April", "12 and 13 April", "April 12 to 14, 2024", "30
// April–2 May 2024", "April 30 – May 2, 2024". Read a date at a time, its
// first day lost its year, or its month ("12–14 April" was the 14th), or
// the range was no date at all ("April 12-14, 2024"). It is dated at its
// first day, with the year printed at its end.
func (es *eventScanner) dayRange(i int) (dateExpr, bool) {
	d := dateExpr{first: i}
	from, j, monthFirst := es.dayPart(i)
	if from.d == 0 {
		return d, false
	}
	var to ymd
	if a, b, ok := es.dayPair(j - 1); ok && from.d == a {
		// "12-14" is one token: the hyphen joins digits.
		to.d = b
	} else {
		sep := es.rangeSep(j)
		if sep == "" {
			return d, false
		}
		var endMonthFirst bool
		to, j, endMonthFirst = es.dayPart(j + 1)
		if to.d == 0 || to.m != 0 && from.m != 0 && endMonthFirst != monthFirst {
			return d, false
		}
		if sep == "and" && to.m != 0 && from.m != 0 && to.m != from.m {
			return d, false // "on 12 April and 14 May": two dates, not a range
		}
	}
	switch {
	case to.m == 0 && from.m == 0:
		if to.m = es.monthAt(j); to.m == 0 {
			return d, false // "12-14 people"
		}
		j++
		from.m = to.m
	case to.m == 0:
		to.m = from.m
	case from.m == 0:
		from.m = to.m
	}
	var last int
	to.y, last = es.endYear(j)
	d.yearMissing = to.y == 0
	from.y = to.y
	if to.m < from.m {
		from.y-- // "30 December–2 January 2025"
	}
	days, ok := from.daysTo(to)
	if !ok || days <= 0 || days > 366 {
		return d, false
	}
	d.year, d.month, d.day, d.days, d.last = from.y, from.m, from.d, days, last
	if d.yearMissing {
		d.year = 0
	}
	return d, true
}

// monthRange reads a range of months starting at token i: "August–
// September 2024", "August to September 2024", "August-September 2024"
// (one token), "December–January 2025". Read a date at a time, its first
// month lost its year and the range was dated at its last. It is dated
// at its first month, with the year printed at its end. Months joined by
// "and" stay two dates ("in March and May 2024").
func (es *eventScanner) monthRange(i int) (dateExpr, bool) {
	d := dateExpr{first: i}
	var from, to, j int
	if es.toks[i].has(fHyphen) {
		a, b, _ := strings.Cut(es.wordAt(i), "-")
		from, _ = es.lx.months.get(a)
		to, _ = es.lx.months.get(b)
		j = i + 1
	} else {
		from = es.monthAt(i)
		k := es.afterMonth(i)
		if sep := es.rangeSep(k); sep == "" || sep == "and" {
			return d, false
		}
		to = es.monthAt(k + 1)
		j = es.afterMonth(k + 1)
	}
	if from == 0 || to == 0 || from == to {
		return d, false
	}
	d.year, d.last = es.endYear(j)
	d.yearMissing = d.year == 0
	d.month, d.months = from, to-from
	if to < from {
		d.months += 12
		if d.year > 0 {
			d.year-- // "December–January 2025"
		}
	}
	return d, true
}

// endYear reads the year printed at the end of a range, at token j or
// after a comma there ("12–14 April, 2024"): the year, or 0, and the
// range's last token.
func (es *eventScanner) endYear(j int) (year, last int) {
	if es.isPunct(j, ",") && es.yearAt(j+1) > 0 {
		j++
	}
	if y := es.yearAt(j); y > 0 {
		return y, j
	}
	return 0, j - 1
}

// rangeAhead is dayRange's screen, asked after the date read at token i
// as a single one (d, ok), which a range of days fails or reads as its
// first day alone: most dates and numbers fail it at a token.
func (es *eventScanner) rangeAhead(i int, d *dateExpr, ok bool) bool {
	switch {
	case ok && d.year == 0 && d.day > 0:
		return es.rangeSep(d.last+1) != "" // "April 12–14, 2024", "30 April–2 May"
	case ok && d.year == 0 && d.month > 0:
		// "on April 12-14", "in August–September 2024"
		return es.dayPairAfter(d.last) || es.rangeSep(es.afterMonth(d.last)) != ""
	case ok:
		return false
	}
	t := &es.toks[i]
	switch {
	case t.kind == tNum:
		return t.end-t.start <= 2 && es.rangeSep(i+1) != "" // "12–14 April"
	case t.has(fDigit):
		return t.has(fHyphen) // "12-14 April"
	case t.has(fHyphen):
		return true // "August-September 2024", which maybeDateWord let through
	}
	return es.dayPairAfter(i) // "Raids in April 12-14"
}

// dayPairAfter reports whether two days joined by a hyphen follow token
// i, a month, maybe after its abbreviation's dot ("Sept. 12-14").
func (es *eventScanner) dayPairAfter(i int) bool {
	j := es.afterMonth(i)
	if j >= len(es.toks) || es.toks[j].kind != tWord || !es.toks[j].has(fDigit) {
		return false // the common case, asked before dayPair's call
	}
	_, _, ok := es.dayPair(j)
	return ok
}

// dayPart reads "April 12", "Sept. 5", "12 April" or a day alone at token
// i; next is the token after it.
func (es *eventScanner) dayPart(i int) (p ymd, next int, monthFirst bool) {
	if m := es.monthAt(i); m > 0 {
		j := es.afterMonth(i)
		if day := es.dayAt(j); day > 0 && es.yearAt(j) == 0 {
			return ymd{m: m, d: day}, j + 1, true
		}
		if a, _, ok := es.dayPair(j); ok {
			return ymd{m: m, d: a}, j + 1, true
		}
		return ymd{}, i, false
	}
	day := es.dayAt(i)
	if day == 0 || es.yearAt(i) > 0 {
		if a, _, ok := es.dayPair(i); ok {
			return ymd{d: a}, i + 1, false
		}
		return ymd{}, i, false
	}
	if m := es.monthAt(i + 1); m > 0 {
		return ymd{m: m, d: day}, i + 2, false
	}
	return ymd{d: day}, i + 1, false
}

// dayPair reads "12-14", two days joined by a hyphen in one token.
func (es *eventScanner) dayPair(i int) (a, b int, ok bool) {
	if i < 0 || i >= len(es.toks) {
		return 0, 0, false
	}
	if t := es.toks[i]; t.kind != tWord || !t.has(fDigit) || !t.has(fHyphen) {
		return 0, 0, false
	}
	x, y, found := strings.Cut(es.tok(i), "-")
	if !found {
		return 0, 0, false
	}
	a, b = ordinalDay(x), ordinalDay(y)
	return a, b, a > 0 && b > 0
}

// rangeSep returns the word or dash joining the two ends of a range of
// days at token i, or "".
func (es *eventScanner) rangeSep(i int) string {
	if i >= len(es.toks) {
		return ""
	}
	t := &es.toks[i]
	switch n := t.end - t.start; {
	case t.kind == tPunct && (n == 1 || n == 3):
		switch w := es.tok(i); w {
		case "–", "—", "-":
			return w
		}
	case t.kind == tWord && (n == 2 || n == 3 || n == 7):
		switch w := es.tok(i); w {
		case "to", "and", "through":
			return w
		}
	}
	return ""
}

// dayDateAt reads a date of a given day starting at token j, or after a
// comma there: what may follow a weekday.
func (es *eventScanner) dayDateAt(j int) (dateExpr, bool) {
	if es.isPunct(j, ",") {
		j++
	}
	if j >= len(es.toks) {
		return dateExpr{}, false
	}
	// Not another weekday: "Monday Monday …" would read each pair again,
	// quadratic in a hostile page.
	if t := es.toks[j]; t.kind != tNum && (t.kind != tWord || es.monthAt(j) == 0 && !(t.has(fDigit) && t.has(fHyphen))) {
		return dateExpr{}, false
	}
	d, ok := es.dateAt(j)
	return d, ok && d.day > 0 && d.relative == ""
}

// dateAt reads the date expression that starts at token i, a number or a
// word that may begin one (scanDates' screens).
func (es *eventScanner) dateAt(i int) (d dateExpr, ok bool) {
	if es.toks[i].kind == tWord {
		d, ok = es.wordDate(i)
	} else {
		d, ok = es.numDate(i)
	}
	if (!ok || d.year == 0) && es.rangeAhead(i, &d, ok) {
		if r, isRange := es.dayRange(i); isRange {
			return r, true
		}
		if r, isRange := es.monthRange(i); isRange {
			return r, true
		}
	}
	return d, ok
}

// numDate reads a date that starts with a number: "27 October 2022", "2023",
// "2021 and 2022".
func (es *eventScanner) numDate(i int) (dateExpr, bool) {
	// Dates in digits: "5/3/2024", or one token of 8 to 10 bytes with dots.
	if n := es.toks[i].end - es.toks[i].start; es.isPunct(i+1, "/") || n >= 8 && n <= 10 && strings.IndexByte(es.tok(i), '.') > 0 {
		if d, ok := es.digitDate(i); ok {
			return d, true
		}
	}
	if i+1 < len(es.toks) && es.toks[i+1].has(fHan) {
		if d, ok := es.hanSpacedDate(i); ok {
			return d, true
		}
	}
	d := dateExpr{first: i, last: i}
	if day := es.dayAt(i); day > 0 {
		d.day = day
		if es.monthYearAt(&d, i+1) {
			return d, true
		}
		d.day = 0
	}
	y := es.yearAt(i)
	if y == 0 {
		return d, false
	}
	// Not a year: "2,000" has a comma already; reject "2023 people" and
	// numbers glued to symbols.
	if _, unit := es.lx.units.get(es.wordAt(i + 1)); unit {
		return d, false
	}
	if i > 0 && !es.toks[i].has(fSpace) && es.toks[i-1].kind != tNL && !es.isPunct(i-1, "(") && !es.wideStop(i-1) {
		return d, false
	}
	d.year = y
	d.bareYear = true
	// Spans: "2021 and 2022", "2021-2022" (tokenised as one word elsewhere), "2021 to 2022".
	switch es.wordAt(i + 1) {
	case "and", "to", "through":
		if y2 := es.yearAt(i + 2); y2 > y && y2-y < 20 {
			d.span, d.bareYear, d.last = true, false, i+2
		}
	}
	if (es.isPunct(i+1, "–") || es.isPunct(i+1, "-")) && es.yearAt(i+2) > y {
		d.span, d.bareYear, d.last = true, false, i+2
	}
	return d, true
}

// digitDate reads a date written in digits at token i: "2024/03/05",
// "5/3/2024", "05.03.2024". With the year last, the day comes first, as
// Cambodian and most writing outside the United States has it, unless
// only the second number can be a day ("3/25/2024"); where slashes let
// either be the day, the reading is flagged (eitherWay).
func (es *eventScanner) digitDate(i int) (dateExpr, bool) {
	d := dateExpr{first: i, last: i}
	var p [3]string
	slashed := es.isPunct(i+1, "/")
	if w := es.tok(i); slashed {
		// Five tokens written together: number, slash, number, slash, number.
		for k := 1; k <= 4; k++ {
			if i+k >= len(es.toks) || es.toks[i+k].has(fSpace) || k%2 == 0 && es.toks[i+k].kind != tNum || k%2 == 1 && !es.isPunct(i+k, "/") {
				return d, false
			}
		}
		p, d.last = [3]string{w, es.tok(i + 2), es.tok(i + 4)}, i+4
	} else {
		a, rest, _ := strings.Cut(w, ".")
		b, c, ok := strings.Cut(rest, ".")
		if !ok || strings.Contains(c, ".") {
			return d, false
		}
		p = [3]string{a, b, c}
	}
	var n [3]int
	for k, s := range p {
		if len(s) == 0 || len(s) > 4 || len(s) == 3 {
			return d, false
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			return d, false
		}
		n[k] = v
	}
	switch {
	case len(p[0]) == 4 && len(p[2]) <= 2:
		d.year, d.month, d.day = n[0], n[1], n[2]
	case len(p[2]) == 4 && len(p[0]) <= 2:
		d.year, d.day, d.month = n[2], n[0], n[1]
		if d.month > 12 && d.day <= 12 {
			d.day, d.month = d.month, d.day // "3/25/2024"
		}
		// Dots are not a United States form: "05.03.2024" is the 5th.
		d.eitherWay = slashed && d.day <= 12 && d.month <= 12 && d.day != d.month
	default:
		return d, false
	}
	if d.year < 1900 || d.year > 2100 || !validDate(d.year, d.month, d.day) {
		return d, false
	}
	return d, true
}

// modifiers extends a year or month back over "early", "mid", "late", "the
// end of", "early and" ("early and mid-2024").
func (es *eventScanner) modifiers(d *dateExpr) {
	if (d.relative == "this year" || d.relative == "this week") && es.wordAt(d.first-1) == "earlier" {
		d.first--
	}
	if d.day > 0 || d.relative != "" {
		return
	}
	j := d.first - 1
	switch es.wordAt(j) {
	case "early", "late", "mid":
		if d.vague == vagueNone {
			d.vague = vagueOf(es.wordAt(j))
		}
		d.first, d.bareYear = j, false
		j--
	case "of":
		if k := j - 1; es.wordAt(k) == "end" || es.wordAt(k) == "beginning" || es.wordAt(k) == "start" || es.wordAt(k) == "middle" {
			d.vague = vagueOf(es.wordAt(k))
			d.first, d.bareYear = k, false
			if es.wordAt(k-1) == "the" {
				d.first = k - 1
			}
			return
		}
	}
	// "early and mid-2024"
	if es.wordAt(j) == "and" {
		switch es.wordAt(j - 1) {
		case "early", "late", "mid":
			d.first = j - 1
		}
	}
}

func vagueOf(w string) int {
	switch w {
	case "early", "beginning", "start":
		return vagueEarly
	case "mid", "middle":
		return vagueMid
	case "late", "end":
		return vagueLate
	}
	return vagueNone
}

// dayOf returns day d of month's month, false where that month has none.
func dayOf(month ymd, d int) (ymd, bool) {
	if !validDate(month.y, month.m, d) {
		return ymd{}, false
	}
	return ymd{month.y, month.m, d}, true
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	// Every month has 28 days: most days are valid without daysIn,
	// whose time.Date cost 0.3% of Extract's instructions on the
	// articles.
	return d <= 28 || d <= daysIn(y, m)
}

// ymd is a resolved calendar date; zero fields are unknown.
type ymd struct{ y, m, d int }

func (a ymd) before(b ymd) bool {
	if a.y != b.y {
		return a.y < b.y
	}
	if a.m != b.m {
		return a.m < b.m
	}
	return a.d < b.d
}

// daysTo is the number of days from a to b, and whether both are
// dates. A year not written (0, or -1 for the year before one not
// written) counts as 2000, and b's year keeps its distance from a's, so
// that a range of days without its year still has February's days.
func (a ymd) daysTo(b ymd) (int, bool) {
	y := max(a.y, 2000)
	by := y + b.y - a.y
	if !validDate(y, a.m, a.d) || !validDate(by, b.m, b.d) {
		return 0, false
	}
	t := time.Date(y, time.Month(a.m), a.d, 0, 0, 0, 0, time.UTC)
	u := time.Date(by, time.Month(b.m), b.d, 0, 0, 0, 0, time.UTC)
	return int(u.Sub(t).Hours() / 24), true
}

// addDays is the day n days after a, a day.
func (a ymd) addDays(n int) ymd {
	t := time.Date(a.y, time.Month(a.m), a.d+n, 0, 0, 0, 0, time.UTC)
	return ymd{t.Year(), int(t.Month()), t.Day()}
}

// onOrBefore is the latest day that falls on weekday wd: a itself, or
// one of the six days before it.
func (a ymd) onOrBefore(wd time.Weekday) ymd {
	t := time.Date(a.y, time.Month(a.m), a.d, 0, 0, 0, 0, time.UTC)
	return a.addDays(-((int(t.Weekday()) - int(wd) + 7) % 7))
}

// addMonths is the month n months after a's month.
func (a ymd) addMonths(n int) ymd {
	t := time.Date(a.y, time.Month(a.m+n), 1, 0, 0, 0, 0, time.UTC)
	return ymd{y: t.Year(), m: int(t.Month())}
}

func (a ymd) iso() string {
	var buf [16]byte
	return string(a.appendISO(buf[:0]))
}

// appendISO appends the ISO form of a: "2024", "2024-03" or "2024-03-15".
func (a ymd) appendISO(b []byte) []byte {
	b = appendPadded(b, a.y, 4)
	if a.d > 0 || a.m > 0 {
		b = appendPadded(append(b, '-'), a.m, 2)
	}
	if a.d > 0 {
		b = appendPadded(append(b, '-'), a.d, 2)
	}
	return b
}

// setDates sets the Date of evs[k] to the ISO form of dates[k]. The dates
// share one string, one allocation for the document instead of one per
// event.
func setDates(evs []document.Event, dates []ymd) {
	var bb [512]byte
	var eb [48]int
	b, ends := bb[:0], eb[:0] // ends[k] is where dates[k]'s form ends in b
	for _, d := range dates {
		b = d.appendISO(b)
		ends = append(ends, len(b))
	}
	all, from := string(b), 0
	for k, end := range ends {
		evs[k].Date, from = all[from:end], end
	}
}

// appendPadded appends v with leading zeros to width characters, as
// fmt's %0*d does.
func appendPadded(b []byte, v, width int) []byte {
	// A number of two or four digits at most, written to that width, is
	// every month, day and year of an event's date: digit by digit, it
	// costs a tenth of the loop below and strconv.AppendInt, which were
	// 0.5% of Extract's instructions on the articles.
	switch {
	case width == 2 && 0 <= v && v < 100:
		return append(b, byte('0'+v/10), byte('0'+v%10))
	case width == 4 && 0 <= v && v < 10000:
		return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
	}
	if v < 0 {
		b, v, width = append(b, '-'), -v, width-1
	}
	for n := 10; width > 1; width, n = width-1, n*10 {
		if v < n {
			b = append(b, '0')
		}
	}
	return strconv.AppendInt(b, int64(v), 10)
}

// parsePublished reads YYYY-MM-DD, YYYY-MM or YYYY (anything else is
// ignored, as an unknown date is better than a wrong one).
func parsePublished(s string) (ymd, bool) {
	s = strings.TrimSpace(s)
	// Every layout starts with a four-digit year: other text (a "Title:"
	// line, say) is not handed to time.Parse, whose error allocates.
	if len(s) < 4 || !isDigit(s[0]) || !isDigit(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) {
		return ymd{}, false
	}
	return parseLayouts(s)
}

// parseLayouts is parsePublished on trimmed text, with every layout
// tried in turn.
func parseLayouts(s string) (ymd, bool) {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if len(s) < len(layout) {
			continue
		}
		if t, err := time.Parse(layout, s[:len(layout)]); err == nil && (len(s) == len(layout) || s[len(layout)] == 'T' || s[len(layout)] == ' ') {
			r := ymd{y: t.Year()}
			if len(layout) >= 7 {
				r.m = int(t.Month())
			}
			if len(layout) == 10 {
				r.d = t.Day()
			}
			return r, true
		}
	}
	return ymd{}, false
}

// plausibleYears are the years the text states, minus typo-like outliers:
// a year far after all the others that differs from one of them in a single
// digit ("2033" in a document about 2022 and 2023). It is worked out once
// per document.
func (es *eventScanner) plausibleYears() (plausible []int, latest int) {
	if es.plausibleDone {
		return es.plausible, es.latest
	}
	var cb [16]yearCount // a text names few years
	count := yearCounts(cb[:0])
	for _, d := range es.exprs {
		if d.year > 0 {
			count = count.add(d.year)
		}
	}
	if len(count) > 0 {
		plausible = make([]int, 0, len(count))
	}
	for _, c := range count {
		if !typoOutlier(c.year, count) {
			plausible = append(plausible, c.year)
			latest = max(latest, c.year)
		}
	}
	es.plausible, es.latest, es.plausibleDone = plausible, latest, true
	return plausible, latest
}

// yearCounts counts the mentions of each year. A document names a few
// distinct years, so a slice searched in order serves better than a map.
type yearCounts []yearCount

type yearCount struct{ year, n int }

func (c yearCounts) add(y int) yearCounts {
	for i := range c {
		if c[i].year == y {
			c[i].n++
			return c
		}
	}
	return append(c, yearCount{y, 1})
}

// of is the count of year y, 0 when it is not mentioned.
func (c yearCounts) of(y int) int {
	for _, e := range c {
		if e.year == y {
			return e.n
		}
	}
	return 0
}

// typoOutlier reports a year more than five years after every other year
// of the document that looks like a one-digit slip of one of them.
func typoOutlier(y int, count yearCounts) bool {
	nearest := 0
	for _, c := range count {
		if o := c.year; o < y && o > nearest {
			nearest = o
		}
	}
	if nearest == 0 || y-nearest <= 5 {
		return false
	}
	ny := count.of(y)
	for _, c := range count {
		if o := c.year; o != y && c.n >= ny && oneDigitApart(y, o) {
			return true
		}
	}
	return false
}

func oneDigitApart(a, b int) bool {
	var ba, bb [20]byte // on the stack: called for every pair of a document's years
	sa, sb := strconv.AppendInt(ba[:0], int64(a), 10), strconv.AppendInt(bb[:0], int64(b), 10)
	if len(sa) != len(sb) {
		return false
	}
	diff := 0
	var pos [2]int // the first two positions that differ
	for i := range sa {
		if sa[i] != sb[i] {
			if diff < len(pos) {
				pos[diff] = i
			}
			diff++
		}
	}
	if diff == 1 {
		return true
	}
	// Transposed neighbours: "2203" for "2023".
	return diff == 2 && pos[1] == pos[0]+1 && sa[pos[0]] == sb[pos[1]] && sa[pos[1]] == sb[pos[0]]
}

// reference is the date relative expressions are resolved against: the
// publication date, or else the end of the latest plausible date stated
// with more than its year ("late 2024", "June 2024", a span of years). A
// year alone says when a thing happened, which in an undated profile is
// often long before the writing ("in 2016 he founded…", "in 2022 he
// became adviser to then prime minister Hun Sen"): taken as the time of
// writing, it dated the page's "on 14 October" and "今年6月" years early.
func (es *eventScanner) reference(published string) (ymd, bool) {
	if p, ok := parsePublished(published); ok {
		if p.m == 0 {
			p.m, p.d = 12, 31
		} else if p.d == 0 {
			p.d = daysIn(p.y, p.m)
		}
		return p, true
	}
	plausible, _ := es.plausibleYears()
	var ref ymd
	found := false
	for _, d := range es.exprs {
		if d.year == 0 || d.bareYear || !slices.Contains(plausible, d.year) {
			continue
		}
		end := ymd{d.year, d.month, d.day}
		if d.span {
			end = ymd{y: d.year, m: 12, d: 31}
		}
		switch {
		case end.m == 0:
			switch d.vague {
			case vagueEarly:
				end.m = 4
			case vagueMid:
				end.m = 8
			default:
				end.m = 12
			}
			end.d = daysIn(end.y, end.m)
		case end.d == 0:
			end.d = daysIn(end.y, end.m)
		}
		if !found || ref.before(end) {
			ref, found = end, true
		}
	}
	return ref, found
}

func daysIn(y, m int) int { return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// resolve turns an expression into a calendar date, using ref for missing
// years and relative words. ok is false when it cannot be resolved.
func resolve(d dateExpr, ref ymd, haveRef bool, published ymd, havePub bool) (ymd, bool) {
	switch d.relative {
	case "":
	case "yesterday", "today", "weekday":
		if !havePub || published.d == 0 {
			return ymd{}, false
		}
		switch d.relative {
		case "yesterday":
			return published.addDays(-1), true
		case "weekday":
			return published.onOrBefore(d.weekday), true
		}
		return published, true
	case "last week", "this week":
		// The week is told by the publication date; the event is dated
		// to the month that holds all of its days, or to the year.
		if !havePub || published.d == 0 {
			return ymd{}, false
		}
		// "this week": from its Monday to the publication date; "last
		// week": the seven days before that Monday.
		monday := published.onOrBefore(time.Monday)
		first, end := monday, published
		if d.relative == "last week" {
			first, end = monday.addDays(-7), monday.addDays(-1)
		}
		switch {
		case first.y == end.y && first.m == end.m:
			return ymd{y: first.y, m: first.m}, true
		case first.y == end.y:
			return ymd{y: first.y}, true
		}
		return ymd{}, false
	case "this year":
		return ymd{y: ref.y}, haveRef
	case "last year":
		return ymd{y: ref.y - 1}, haveRef
	case "this month":
		return ymd{y: ref.y, m: ref.m}, haveRef
	case "last month":
		if ref.m == 1 {
			return ymd{y: ref.y - 1, m: 12}, haveRef
		}
		return ymd{y: ref.y, m: ref.m - 1}, haveRef
	case "this-year-month", "last-year-month":
		// "今年10月", "去年6月": the year is told; the month and day are written.
		y := ref.y
		if d.relative == "last-year-month" {
			y--
		}
		return ymd{y, d.month, d.day}, haveRef
	case "month-day":
		// "19日": the latest 19th by the publication date.
		if !havePub || published.d == 0 {
			return ymd{}, false
		}
		month := published
		if d.day > published.d {
			month = published.addMonths(-1)
		}
		return dayOf(month, d.day)
	case "this-month-day", "last-month-day":
		// "本月7日", "the 5th of this month": a day of the reference month;
		// "the 20th of last month", of the month before it.
		if ref.m == 0 {
			return ymd{}, false
		}
		month := ref
		if d.relative == "last-month-day" {
			month = ref.addMonths(-1)
		}
		day, ok := dayOf(month, d.day)
		return day, ok && haveRef
	case "last-month-name":
		// "last July": the latest July strictly before the reference month.
		y := ref.y
		if d.month >= ref.m {
			y--
		}
		return ymd{y: y, m: d.month}, haveRef
	}
	if !d.yearMissing {
		return ymd{d.year, d.month, d.day}, true
	}
	if !haveRef {
		return ymd{}, false
	}
	if d.ahead {
		// The earliest such month (and day) not before the reference:
		// a plan.
		y := ref.y
		if d.month < ref.m || d.month == ref.m && d.day > 0 && d.day < ref.d {
			y++
		}
		return ymd{y, d.month, d.day}, true
	}
	// The latest such month (and day) not after the reference: texts
	// report the past. Without a publication date the reference is only
	// the latest date the text states, and the text was written on or
	// after it: a date up to a season later is in the same year ("a caption
	// of July 18, 2025" and "videos posted on July 20").
	y := ref.y
	if d.month > ref.m || d.month == ref.m && d.day > ref.d {
		if havePub || pastSeason(ref, ymd{y, d.month, d.day}) {
			y--
		}
	}
	return ymd{y, d.month, d.day}, true
}

// pastSeason reports whether c is more than a season (three months)
// after ref, the latest date a text without a publication date states:
// as far as the text may have been written after it.
func pastSeason(ref, c ymd) bool { return (c.y-ref.y)*12+c.m-ref.m > 3 }

// timelineEntry is a dated heading line and the body that follows it.
type timelineEntry struct {
	expr       dateExpr
	head       int // first token of the heading
	bodyFirst  int // first token of the body
	bodyEnd    int // one past the last token of the body
	inlineBody bool
}

// timelineEntries finds lines that hold only a full date (with a year), or
// a date followed by ":" or a dash and the entry text.
func (es *eventScanner) timelineEntries() []timelineEntry {
	entries := es.sc.entries[:0]
	defer func() { es.sc.entries = entries[:0] }()
	for _, d := range es.exprs {
		if d.year == 0 || d.month == 0 || d.ranged || d.span || d.yearMissing || d.noSuchDay {
			continue
		}
		if d.first > 0 && es.toks[d.first-1].kind != tNL {
			continue
		}
		next := d.last + 1
		inline := false
		if next < len(es.toks) && es.toks[next].kind != tNL {
			switch es.tok(next) {
			case ":", "–", "—", "-":
				inline = true
			default:
				continue
			}
		}
		entries = append(entries, timelineEntry{expr: d, head: d.first, bodyFirst: next + 1, inlineBody: inline})
	}
	for k := range entries {
		end := len(es.toks)
		if k+1 < len(entries) {
			end = entries[k+1].head
		}
		entries[k].bodyEnd = end
	}
	return entries
}

// timeline makes one event per entry and corrects a year that breaks the
// sequence when both neighbours agree on what it must be.
func (es *eventScanner) timeline(entries []timelineEntry) []document.Event {
	dates := make([]ymd, len(entries))
	for k, e := range entries {
		dates[k] = ymd{e.expr.year, e.expr.month, e.expr.day}
	}
	asc := 0
	for k := 1; k < len(dates); k++ {
		switch {
		case dates[k-1].before(dates[k]):
			asc++
		case dates[k].before(dates[k-1]):
			asc--
		}
	}
	inOrder := func(a, b ymd) bool { // a comes no later than b in reading order
		if asc >= 0 {
			return !b.before(a)
		}
		return !a.before(b)
	}
	// The entries that keep the timeline's order are the longest ordered
	// subsequence; the others are suspects for a typo.
	inSeq := orderedSubsequence(dates, inOrder)
	var count yearCounts
	for _, d := range dates {
		count = count.add(d.y)
	}
	evs := make([]document.Event, 0, len(entries))
	for k, e := range entries {
		date := dates[k]
		ev := document.Event{}
		if !inSeq[k] || typoOutlier(date.y, count) {
			var prev, next *ymd
			for j := k - 1; j >= 0 && prev == nil; j-- {
				if inSeq[j] {
					prev = &dates[j]
				}
			}
			for j := k + 1; j < len(dates) && next == nil; j++ {
				if inSeq[j] {
					next = &dates[j]
				}
			}
			heading := es.text[es.toks[e.head].start:es.toks[e.expr.last].end]
			fixed := false
			for _, n := range []*ymd{prev, next} {
				if n == nil || n.y == date.y {
					continue
				}
				c := ymd{n.y, date.m, date.d}
				if c.d > 0 && !validDate(c.y, c.m, c.d) {
					continue
				}
				if (prev == nil || inOrder(*prev, c)) && (next == nil || inOrder(c, *next)) {
					ev.Flag = fmt.Sprintf("source date %q breaks the timeline; year corrected to %d to fit between the neighbouring entries", heading, c.y)
					ev.DateText = heading
					date, fixed = c, true
					break
				}
			}
			if !fixed {
				ev.Flag = fmt.Sprintf("date %q is out of sequence with the neighbouring entries", heading)
			}
		}
		dates[k] = date // later entries compare with the corrected date; setDates sets ev.Date
		ev.Precision = e.expr.precision()
		from, to := e.bodyFirst, e.bodyEnd
		for from < to && es.toks[from].kind == tNL {
			from++
		}
		for to > from && es.toks[to-1].kind == tNL {
			to--
		}
		if from < to {
			_, sEnd := es.sentence(from)
			ev.Summary = summarize(es.text[es.toks[from].start:es.toks[min(sEnd, to)-1].end])
			ev.End = es.toks[to-1].end
		} else {
			ev.Summary = summarize(es.text[es.toks[e.head].start:es.toks[e.expr.last].end])
			ev.End = es.toks[e.expr.last].end
		}
		ev.Start = es.toks[e.head].start
		evs = append(evs, ev)
	}
	setDates(evs, dates)
	return evs
}

// orderedSubsequence marks a longest subsequence of dates that is in order
// (patience sorting, O(n log n)).
func orderedSubsequence(dates []ymd, inOrder func(a, b ymd) bool) []bool {
	tails := []int{} // index of the smallest tail of each length
	parent := make([]int, len(dates))
	for i, d := range dates {
		lo, hi := 0, len(tails)
		for lo < hi {
			mid := (lo + hi) / 2
			if inOrder(dates[tails[mid]], d) {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		parent[i] = -1
		if lo > 0 {
			parent[i] = tails[lo-1]
		}
		if lo == len(tails) {
			tails = append(tails, i)
		} else {
			tails[lo] = i
		}
	}
	in := make([]bool, len(dates))
	if len(tails) > 0 {
		for i := tails[len(tails)-1]; i >= 0; i = parent[i] {
			in[i] = true
		}
	}
	return in
}

// prose makes events from the dates of ordinary text.
func (es *eventScanner) prose(published string) []document.Event {
	pub, havePub := parsePublished(published)
	ref, haveRef := es.reference(published)
	plausible, latest := es.plausibleYears()
	yearSeen := map[int]bool{}
	var sent proseSentence
	var flags strings.Builder
	// The events are gathered in the scratch and copied out at their
	// length: about half the dates of an article make one, and an event
	// is 200 bytes to clear.
	evs, dates := es.sc.evs[:0], es.sc.dates[:0] // dates[k] is that of evs[k], for setDates
	defer func() {
		clear(evs) // their strings belong to this document
		es.sc.evs, es.sc.dates = evs[:0], dates[:0]
	}()
	var last ymd // the last date resolved, for "the same day", "that month"
	haveLast := false
	// lastDay is the last date resolved to a day: "the same day" after
	// a year ("who took citizenship in 2014 … acted the same day") is
	// the day told before the year.
	var lastDay ymd
	q := -1 // the latest date before k that may anchor a later one (anchor)
	for k, d := range es.exprs {
		if k > 0 && es.exprs[k-1].anchors() {
			q = k - 1
		}
		if d.ranged {
			continue
		}
		if d.bareYear {
			// A plain year is an event only as the time of a happening
			// ("in 2023, …", "Report for 2024"), and only once: later
			// mentions of the same year look back at it.
			switch d.prev {
			case "in", "for", "during", "throughout":
			default:
				// "since 2019", "operating since 2002": background, not a
				// happening. Chinese says "in" with 在 or 于 before the
				// year, in the word before it ("他在 2011 年移居"); a
				// year inside a word hanYearDate has read so already.
				if !d.inToken && !hasAnySuffix(d.prev, "在", "于", "於") && !(d.prev == "" && es.hanYear(d.first)) {
					continue // a year opening its sentence, "2018 年，…", tells when too
				}
			}
			if yearSeen[d.year] || es.wordAt(d.first-2) == "born" {
				continue // "born in 1980" dates a person
			}
		}
		switch d.prev {
		case "of":
			// "the crackdown of mid-2025", "the end of that month": a
			// period named as a noun, not the time of a happening; a day
			// is one ("the night of 12 March", "the early hours of
			// Sunday"), but not the day of a tally ("as of June 5").
			if d.day == 0 && d.relative != "weekday" || es.wordAt(d.first-2) == "as" {
				continue
			}
		case "by", "until", "till":
			continue // deadlines and states ("by 25 August")
		case "old":
			continue // an age: "24 years old this year"
		case "born":
			continue // "born 4 July 1991" dates a person
		case "on", "in":
			if es.bornBefore(d.first - 2) {
				continue // "he was born on 4 July 1991", "born in Fujian, China on July 4, 1991"
			}
		}
		// A long line, most of an article's, is "": no header, heading
		// or caption, and not read as one.
		line := es.lineOf(d.first)
		if line != "" {
			if _, meta := metadataLine(line); meta || headingLine(line) {
				continue
			}
		}
		if d.prev == "since" && d.month == 0 {
			continue // "since the start of 2020": background
		}
		if es.dateline(d) {
			continue // "KUALA LUMPUR, Sept 20 —": the day the story was filed
		}
		if es.qualifyingClause(d) {
			continue // "the Magnitsky Act, passed on 14 December 2012,": dates the noun
		}
		if line != "" && captionLine(line) && d.prev != "on" {
			continue // "Photo taken April 2, 2025": when the picture was made
		}
		from, to := es.sentence(d.first)
		if from != sent.from || to != sent.to {
			// Dates often share a sentence: it is read once.
			sentence := es.text[es.toks[from].start:es.toks[to-1].end]
			sent = proseSentence{from: from, to: to, text: sentence, deadline: containsFold(sentence, "deadline")}
		}
		if sent.deadline {
			continue
		}
		if (es.toks[d.first].flags|es.toks[min(d.first+1, len(es.toks)-1)].flags)&fHan != 0 && es.hanSince(d, to) {
			continue // "自 2 月 20 日…以來": a period, as "since" is
		}
		if d.prev == "since" && d.yearMissing && es.otherDateInSentence(k, from, to) {
			continue // "said on 18 July 2025 that … since late June": a period
		}
		if d.later > 0 && es.presentState(d.last+1, to) {
			continue // "Three years later, this phenomenon is …": the time of writing
		}
		var date ymd
		ok := true
		anaphoric := d.anaphoric()
		switch {
		case anaphoric:
			// Anaphora take the last date stated before them.
			date, ok = last, haveLast
			switch d.relative {
			case "same-day":
				date, ok = lastDay, lastDay.d > 0
			case "next-day", "later-days":
				ok = lastDay.d > 0
				if ok {
					date = lastDay.addDays(max(d.later, 1))
				}
			case "same-month":
				ok = ok && last.m > 0
				date.d = 0
			case "next-month", "later-months":
				ok = ok && last.m > 0
				if ok {
					date = last.addMonths(max(d.later, 1))
				}
			case "later-years":
				date = ymd{y: last.y + d.later}
			case "same-year":
				date.m, date.d = 0, 0
			case "next-year":
				date = ymd{y: last.y + 1}
			case "that-month-name":
				date = ymd{y: last.y, m: d.month}
			}
		default:
			if d.yearMissing && d.relative == "" {
				d = es.anchor(q, d, ref, haveRef, pub, havePub)
			}
			date, ok = resolve(d, ref, haveRef, pub, havePub)
		}
		if !ok || date.y < 1900 || date.y > 2100 {
			continue
		}
		ev := document.Event{
			Precision: d.precision(),
			Summary:   sent.summarize(),
			Start:     es.toks[from].start,
			End:       es.toks[to-1].end,
		}
		if d.relative != "" {
			ev.Precision = precisionOf(date)
		}
		last, haveLast = date, true
		if date.d > 0 {
			lastDay = date
		}
		if !anaphoric && keptInSentence(evs, dates, ev.Start, date) {
			continue
		}
		surface := es.text[es.toks[d.first].start:es.toks[d.last].end]
		if d.khmer {
			r, _ := es.khmerRead(d.first)
			surface = es.text[r.at:r.end]
		} else if d.inToken {
			_, from, to, _ := hanDateIn(surface)
			surface = surface[from:to]
		}
		if d.yearMissing || d.anchored || d.relative != "" || d.vague != vagueNone || d.span || d.days > 0 || d.months > 0 {
			ev.DateText = surface
		}
		// The flags are written end to end into one builder, each a slice
		// of what it has accumulated (which later writes never change):
		// a dated sentence copied into a later article flags most of its
		// dates, and the articles of the benchmarks flag seven a document.
		at, q := flags.Len(), es.sc.flag[:0]
		var why, whyMore string // a flag on the date as printed: date "…" why
		switch {
		case d.eitherWay:
			why = " reads as day and month either way; read day first"
		case d.noSuchDay:
			why = " has no such day; dated to its month"
		case havePub && date.y > pub.y:
			why, whyMore = " is after the publication date ", published
		case !havePub && d.year > 0 && !slices.Contains(plausible, d.year):
			flags.Grow(256)
			flags.WriteString("year ")
			q = strconv.AppendInt(q[:0], int64(d.year), 10)
			flags.Write(q)
			flags.WriteString(" is far after the document's other dates (latest ")
			q = strconv.AppendInt(q[:0], int64(latest), 10)
			flags.Write(q)
			flags.WriteString("); probably a typo")
			ev.DateText = surface
		case !havePub && (d.yearMissing || d.relative != "" && !anaphoric):
			// An anaphor's year is its antecedent's ("同年", "that
			// year"), not one inferred.
			flags.Grow(256)
			flags.WriteString("no publication date: year inferred from the latest date in the text (")
			flags.WriteString(ref.iso())
			flags.WriteString(")")
		}
		if why != "" {
			flags.Grow(256)
			flags.WriteString("date ")
			q = appendQuote(q, surface)
			flags.Write(q)
			flags.WriteString(why)
			flags.WriteString(whyMore)
			ev.DateText = surface
		}
		ev.Flag, es.sc.flag = flags.String()[at:], q
		switch {
		case d.days > 0 && date.d > 0:
			ev.Until = date.addDays(d.days).iso()
		case d.months > 0 && date.d == 0 && date.m > 0:
			ev.Until = date.addMonths(d.months).iso()
		}
		if ev.Precision == document.Year {
			yearSeen[date.y] = true
		}
		evs = append(evs, ev)
		dates = append(dates, date)
	}
	setDates(evs, dates)
	return append(make([]document.Event, 0, len(evs)), evs...) // never nil, as before
}

// keptInSentence reports whether evs (with their dates) has an event of
// date in the sentence that starts at start. A sentence's events are the
// last ones kept: dates come in text order, and so do their sentences.
func keptInSentence(evs []document.Event, dates []ymd, start int, date ymd) bool {
	for k := len(evs) - 1; k >= 0 && evs[k].Start == start; k-- {
		if dates[k] == date {
			return true
		}
	}
	return false
}

// proseSentence is what prose has read of the sentence of the last date
// it kept (none while to is 0: a sentence has a token).
type proseSentence struct {
	from, to int
	text     string
	deadline bool   // text mentions a deadline
	summary  string // summarize(text), once summed
	summed   bool
}

// summarize is summarize(p.text), computed for the first date that
// needs it.
func (p *proseSentence) summarize() string {
	if !p.summed {
		p.summary, p.summed = summarize(p.text), true
	}
	return p.summary
}

// qualifyingClause reports a date inside a participial clause set off by
// a comma that dates the noun before it rather than reporting a
// happening: "the Magnitsky Act, passed on 14 December 2012, …", "a
// decree, signed in March 2021, …", "Nguyen Thi Le, born in 1980, …".
func (es *eventScanner) qualifyingClause(d dateExpr) bool {
	if d.prev != "on" && d.prev != "in" {
		return false
	}
	k := d.first - 2 // the participle
	switch es.wordAt(k) {
	case "passed", "issued", "signed", "adopted", "enacted", "dated", "founded", "established", "born",
		"published", "built", "opened", "registered", "incorporated", "created", "set":
	default:
		return false
	}
	return es.isPunct(k-1, ",") || es.wordAt(k-1) == "was" && es.isPunct(k-3, ",") && (es.wordAt(k-2) == "which" || es.wordAt(k-2) == "that")
}

// bornBefore reports "born" at token j or before a place that follows it
// ("born in Fujian, China on …"): the date after dates a person.
func (es *eventScanner) bornBefore(j int) bool {
	for stop := j - 8; j >= 0 && j > stop; j-- {
		switch t := &es.toks[j]; {
		case t.kind == tPunct:
			if es.text[t.start] != ',' {
				return false
			}
		case t.kind != tWord:
			return false
		case t.has(fUpper):
			if t.end-t.start == 4 && es.wordAt(j) == "born" {
				return true // "Born on 4 July 1991, he …"
			}
		case t.end-t.start == 2:
			if es.wordAt(j) != "in" {
				return false
			}
		default:
			return t.end-t.start == 4 && es.wordAt(j) == "born"
		}
	}
	return false
}

// dateline reports a wire story's dateline: the date d opens its line
// after a place and a comma, and a dash or the agency's name follows it
// ("KUALA LUMPUR, Sept 20 —", "PHNOM PENH, Jan 5 (Reuters) -"). It is
// the day the story was filed, as "（新华社金边8日电）" is, and the
// story's own dates follow; it still tells the year of those.
func (es *eventScanner) dateline(d dateExpr) bool {
	if !es.isPunct(d.first-1, ",") {
		return false
	}
	if j := d.last + 1; !es.isPunct(j, "—") && !es.isPunct(j, "–") && !es.isPunct(j, "-") && !es.isPunct(j, "(") {
		return false
	}
	k := d.first - 2
	for n := 0; n < 4 && k >= 0 && es.toks[k].kind == tWord && es.toks[k].has(fUpper); n++ {
		k--
	}
	return k < d.first-2 && (k < 0 || es.toks[k].kind == tNL)
}

// captionLine reports a photo caption ("Photo: …", "Pictured: …"). Its
// date is the time of a happening only when introduced by "on" ("police
// raid a casino on July 18, 2025"), not when it dates the picture.
func captionLine(line string) bool {
	line = strings.TrimSpace(line)
	if line != "" && line[0] >= utf8.RuneSelf {
		return hasAnyPrefix(line, "រូបឯកសារ", "រូបថត") // a file photo, a photo
	}
	for _, p := range []string{"Photo:", "Photo ", "Pictured", "Caption:", "Image:"} {
		if len(line) >= len(p) && strings.EqualFold(line[:len(p)], p) {
			return true
		}
	}
	return false
}

// otherDateInSentence reports another date expression in the sentence
// [from, to) besides expression k. The expressions are in text order
// (scanDates), so only those that start inside the sentence are read: a
// scan of them all for each date was quadratic in the dates of a long
// sentence.
func (es *eventScanner) otherDateInSentence(k, from, to int) bool {
	j, _ := slices.BinarySearchFunc(es.exprs, from, func(d dateExpr, from int) int { return cmp.Compare(d.first, from) })
	for ; j < len(es.exprs) && es.exprs[j].first < to; j++ {
		if j != k && es.exprs[j].last < to {
			return true
		}
	}
	return false
}

// anchor gives a date without a year the year of the narrative: "In June
// 2023 police raided … In September, the court …" is September 2023. The
// anchor is the latest preceding date with a year and a month in the same
// line (paragraph), expression q (anchors); without one the date is
// resolved against the reference date instead.
//
// prose keeps q as it goes, and the line is the one lineOf keeps: a
// search back through the earlier dates, each time over every token
// since, made a paragraph of dates without years cubic in them (40 KB of
// them took 28.4 s, BenchmarkExtractHostile).
func (es *eventScanner) anchor(q int, d dateExpr, ref ymd, haveRef bool, pub ymd, havePub bool) dateExpr {
	if q < 0 {
		return d
	}
	a := es.exprs[q]
	if from, _ := es.lineAround(d.first); a.last < from {
		return d // another line
	}
	y := a.year
	if a.month > 0 && d.month < a.month {
		y++
	}
	// A year turned forward must not pass the publication date or,
	// without one, a season after the latest date the text states, as
	// resolve allows: "2025年10月17日…；在此之前…于9月17日" is no September
	// of the year after.
	c := ymd{y, d.month, d.day}
	if havePub && pub.before(c) || !havePub && haveRef && y > a.year && pastSeason(ref, c) {
		return d
	}
	d.year, d.yearMissing = y, false
	d.anchored = true
	return d
}

// anchors reports whether a date may anchor the later dates of its line
// that lack a year (anchor): it has a year and a month of its own, and
// is neither relative nor one end of a range.
func (d dateExpr) anchors() bool {
	return d.year != 0 && d.month != 0 && !d.yearMissing && d.relative == "" && !d.ranged
}

func precisionOf(d ymd) string {
	switch {
	case d.d > 0:
		return document.Day
	case d.m > 0:
		return document.Month
	}
	return document.Year
}

// containsFold reports whether strings.ToLower(s) contains sub, which is
// lower-case ASCII, without building the lower-case copy.
//
// A match starts where sub's first letter does, in either case: the only
// other runes that lower to an ASCII letter are the Kelvin sign (k) and
// the dotted capital I (i). For any other first letter, strings.IndexByte
// finds the candidates, so a sentence is not tested byte by byte.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	lo, up := sub[0], sub[0]
	if 'a' <= lo && lo <= 'z' {
		up -= 'a' - 'A'
	}
	if lo == 'i' || lo == 'k' || lo >= utf8.RuneSelf {
		for i := 0; i+len(sub) <= len(s); i++ {
			if c := s[i]; c < utf8.RuneSelf && c|0x20 != lo || !utf8.RuneStart(c) {
				continue // an ASCII letter lowers only from its capital
			}
			if foldedAt(s, i, sub) {
				return true
			}
		}
		return false
	}
	// lo2 is sub's second byte when it is a letter that lowers only from
	// its capital (unlike i and k), else 0.
	var lo2 byte
	if len(sub) > 1 && 'a' <= sub[1] && sub[1] <= 'z' && sub[1] != 'i' && sub[1] != 'k' {
		lo2 = sub[1]
	}
	for i := 0; i+len(sub) <= len(s); {
		starts := s[i : len(s)-len(sub)+1]
		k := strings.IndexByte(starts, lo)
		if k < 0 {
			k = len(starts)
		}
		if u := strings.IndexByte(starts[:k], up); u >= 0 {
			k = u
		}
		if k == len(starts) {
			return false
		}
		// A second byte that is ASCII and not sub's, in either case,
		// rules the place out before foldedAt decodes it.
		if lo2 == 0 || s[i+k+1] >= utf8.RuneSelf || s[i+k+1]|0x20 == lo2 {
			if foldedAt(s, i+k, sub) {
				return true
			}
		}
		i += k + 1
	}
	return false
}

// foldedAt reports whether the runes of s from i, lowered, begin with sub.
func foldedAt(s string, i int, sub string) bool {
	j, k := 0, i
	for ; j < len(sub) && k < len(s); j++ {
		r, n := rune(s[k]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[k:])
		}
		if unicode.ToLower(r) != rune(sub[j]) {
			return false
		}
		k += n
	}
	return j == len(sub)
}

// summaryLimit is the length a summary is cut to, at a word boundary.
const summaryLimit = 300

// summarize is s on one line (document.CollapseSpace), cut to about
// summaryLimit bytes at a word boundary where it is longer. A sentence
// that needs neither is returned as it is, without a copy.
func summarize(s string) string {
	s = document.CollapseSpace(s)
	if len(s) <= summaryLimit {
		return s
	}
	// The cut comes before the first rune of a word that would end past
	// the limit, and goes back to the last space (or Chinese clause mark)
	// if that keeps more than half. A space is not a word's: one just
	// past the limit stays in, to be cut at.
	cut := 0
	for cut < len(s) {
		r, w := utf8.DecodeRuneInString(s[cut:])
		if r != ' ' && cut+w > summaryLimit {
			break
		}
		cut += w
	}
	out := s[:cut]
	if sp := document.LastBreak(out); sp > summaryLimit/2 {
		out = out[:sp]
	}
	return out + " …"
}

// attachEntities lists on each event the entities mentioned inside it,
// in the order of entities. The lists share one backing array, allocated
// at its final length.
//
// Dated texts are dense: a timeline has an event and a few mentions a
// line, so every mention is not tested against every event. The mentions
// are sorted by start once, and each event reads those that start
// inside it.
func attachEntities(evs []document.Event, entities []document.Entity, sc *scratch) {
	if len(evs) == 0 || len(entities) == 0 {
		return
	}
	byStart, ms := mentionsByStart(sc, entities)
	// listed[i] is 1 + the last event that listed entities[i].
	listed := slices.Grow(sc.listed[:0], len(entities))[:len(entities)]
	clear(listed)
	found, ends := sc.found[:0], sc.evEnds[:0] // found[ends[k-1]:ends[k]] are evs[k]'s
	for k := range evs {
		ev := &evs[k]
		n := len(found)
		i := sorted.Before(byStart, uint64(ev.Start)<<32)
		for _, key := range byStart[i:] {
			if int(key>>32) > ev.End {
				break // the rest end after it
			}
			if m := ms[uint32(key)]; m.end <= ev.End && listed[m.entity] != k+1 {
				listed[m.entity] = k + 1
				found = append(found, m.entity)
			}
		}
		slices.Sort(found[n:])
		ends = append(ends, len(found))
	}
	sc.listed, sc.found, sc.evEnds = listed, found, ends
	if len(found) == 0 {
		return
	}
	ids := make([]string, len(found))
	for i, e := range found {
		ids[i] = entities[e].ID
	}
	from := 0
	for k, end := range ends {
		if end > from {
			evs[k].Entities = ids[from:end:end]
		}
		from = end
	}
}

// appendQuote is strconv.AppendQuote, which escapes a string a rune at a
// time, with the common case first: a date as printed, in printable
// ASCII with neither quote nor backslash, goes between quotes as it is.
func appendQuote(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return strconv.AppendQuote(dst, s)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}
