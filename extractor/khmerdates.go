package extractor

import (
	"strings"
	"time"
)

// Dates written in Khmer: "ថ្ងៃទី២៣ ខែមីនា ឆ្នាំ២០២៣" (day 23, month
// March, year 2023), with or without the words for day, month and year
// and the spaces between the parts ("ថ្ងៃទី០៧ឧសភា ឆ្នាំ២០១៩", "ថ្ងៃទី៣
// កក្កដា"); a weekday before the day ("ថ្ងៃសុក្រ ទី២៣ ខែមីនា"); a month
// and year; a year after "ឆ្នាំ"; "ម្សិលមិញ" (yesterday), "ថ្ងៃនេះ"
// (today) and a weekday alone. The date sits inside its word as often
// as not ("កាលពីព្រឹកថ្ងៃទី២០"): khmerDate returns the date's own bytes,
// and finds them again for the event's surface (dateExpr.khmer).

// khmerSpan is a date read in Khmer and its bytes.
type khmerSpan struct {
	dateExpr
	at, end int
}

// khmerMonths are the months of the solar calendar, with the spellings
// seen in print ("វិច្ឆកា" for "វិច្ឆិកា").
var khmerMonths = [...]struct {
	name  string
	month int
}{
	{"មករា", 1}, {"កុម្ភៈ", 2}, {"កុម្ភះ", 2}, {"មីនា", 3}, {"មេសា", 4}, {"ឧសភា", 5}, {"មិថុនា", 6},
	{"កក្កដា", 7}, {"សីហា", 8}, {"កញ្ញា", 9}, {"តុលា", 10}, {"វិច្ឆិកា", 11}, {"វិច្ឆកា", 11}, {"ធ្នូ", 12},
}

// khmerWeekdays are the days of the week after "ថ្ងៃ", Sunday first.
var khmerWeekdays = [...]string{"អាទិត្យ", "ច័ន្ទ", "អង្គារ", "ពុធ", "ព្រហស្បតិ៍", "សុក្រ", "សៅរ៍"}

// khmerDateWords start a date; khmerDate looks for them in a word.
var khmerDateWords = [...]string{"ថ្ងៃ", "ខែ", "ឆ្នាំ", "ម្សិលមិញ"}

// khmerDate reads the first date written in Khmer in token i, reading on
// into the tokens after it when the date goes on past a space.
func (es *eventScanner) khmerDate(i int) (dateExpr, bool) {
	r, ok := es.khmerRead(i)
	return r.dateExpr, ok
}

// khmerRead is khmerDate with the date's bytes.
func (es *eventScanner) khmerRead(i int) (khmerSpan, bool) {
	text := es.text
	t := es.toks[i]
	for p := t.start; p < t.end; {
		q := strings.Index(text[p:t.end], "\xe1\x9e") // the next letter of U+1780–U+17BF, where ថ, ខ, ឆ and ម are
		if q < 0 {
			break
		}
		p += q
		if w := listPrefix(text, p, khmerDateWords[:]); w != "" {
			if d, ok := es.khmerDateAt(p); ok {
				d.first, d.last, d.khmer = i, i, true
				for d.last+1 < len(es.toks) && es.toks[d.last+1].start < d.end {
					d.last++
				}
				return d, true
			}
			p += len(w)
			continue
		}
		p += 3
	}
	return khmerSpan{}, false
}

// khmerDateAt reads a date starting at text[p], with what the words
// before it say of it.
func (es *eventScanner) khmerDateAt(p int) (khmerSpan, bool) {
	text := es.text
	d := khmerSpan{at: p}
	q := p
	switch {
	case strings.HasPrefix(text[q:], "ម្សិលមិញ"):
		d.relative, d.end = "yesterday", q+len("ម្សិលមិញ")
		return d, true
	case strings.HasPrefix(text[q:], "ថ្ងៃ"):
		q += len("ថ្ងៃ")
		switch {
		case strings.HasPrefix(text[q:], "នេះ"):
			d.relative, d.end = "today", q+len("នេះ")
			return d, true
		case strings.HasPrefix(text[q:], "ម្សិលមិញ"):
			d.relative, d.end = "yesterday", q+len("ម្សិលមិញ")
			return d, true
		case strings.HasPrefix(text[q:], "ដដែល"):
			d.relative, d.end = "same-day", q+len("ដដែល")
			return d, true
		}
		wd := -1
		for k, w := range khmerWeekdays {
			if strings.HasPrefix(text[q:], w) {
				wd, q = k, q+len(w)
				break
			}
		}
		day, e := khmerDayAt(text, skipSpace(text, q))
		if day == 0 {
			if wd < 0 {
				return khmerSpan{}, false
			}
			if _, w := khmerDigitAt(text, skipSpace(text, q)); w > 0 {
				return khmerSpan{}, false // "ថ្ងៃព្រហស្បតិ៍ ៥កើត": a lunar date
			}
			d.relative, d.weekday, d.end = "weekday", time.Weekday(wd), q
			return d, true
		}
		d.day, q = day, e
		if m, e := khmerMonthAt(text, q); m > 0 {
			d.month, q = m, e
		} else {
			// A day of the month the text is in, or of a month it names.
			if which, e := khmerThisOrLastMonth(text, skipSpace(text, q)); e > 0 {
				d.relative, d.end = which+"-month-day", e
			} else {
				d.relative, d.end = "month-day", q
			}
			return es.khmerCues(d)
		}
	case strings.HasPrefix(text[q:], "ខែ"):
		m, e := khmerMonthAt(text, q)
		if m == 0 {
			which, e := khmerThisOrLastMonth(text, q)
			if e == 0 {
				return khmerSpan{}, false
			}
			d.relative, d.end = which+" month", e
			return es.khmerCues(d)
		}
		d.month, q = m, e
		// "ដើមខែ", "ចុងខែ", "ពាក់កណ្តាលខែ": the start, end or middle of it.
		if w, from := khmerWordBefore(text, p, "ដើម", "ចុង", "ពាក់កណ្តាល", "ពាក់កណ្ដាល"); w != "" {
			d.at = from
			switch w {
			case "ដើម":
				d.vague = vagueEarly
			case "ចុង":
				d.vague = vagueLate
			default:
				d.vague = vagueMid
			}
		}
	case strings.HasPrefix(text[q:], "ឆ្នាំ"):
		y, e := khmerYearAt(text, q)
		if y == 0 {
			return khmerSpan{}, false
		}
		// A year alone dates a happening only after "in" ("នៅឆ្នាំ២០១៩",
		// in 2019), as an English one does.
		if w, _ := khmerWordBefore(text, p, "នៅ", "ក្នុង", "កាលពី", "នា", "កាល"); w == "" {
			return khmerSpan{}, false
		}
		d.year, d.end = y, e
		return es.khmerCues(d)
	default:
		return khmerSpan{}, false
	}
	// The year after a month: "ឆ្នាំ២០២៣", "២០២៣", "ឆ្នាំនេះ", "ឆ្នាំមុន".
	r := skipSpace(text, q)
	last := listPrefix(text, r, []string{"ឆ្នាំមុន", "ឆ្នាំទៅ", "ឆ្នាំកន្លងទៅ", "ឆ្នាំមិញ"})
	switch y, e := khmerYearAt(text, r); {
	case y > 0:
		d.year, d.end = y, e
	case strings.HasPrefix(text[r:], "ឆ្នាំនេះ"):
		d.relative, d.end = "this-year-month", r+len("ឆ្នាំនេះ")
	case last != "":
		d.relative, d.end = "last-year-month", r+len(last)
	default:
		d.yearMissing, d.end = true, q
	}
	if d.day > 0 && d.relative == "" {
		d.noSuchDayCheck()
	}
	return es.khmerCues(d)
}

// khmerCues reads what the words before a date say of it: "ចាប់តាំងពី"
// (since), "គិតមកដល់" (as of), "ពី … ដល់" (from … to), "មុន" (before)
// and a comparison earlier in the sentence date a period or a tally, not
// a happening.
func (es *eventScanner) khmerCues(d khmerSpan) (khmerSpan, bool) {
	w, _ := khmerWordBefore(es.text, d.at, "ចាប់តាំងពី", "តាំងពី", "ចាប់ពី", "គិតមកដល់", "គិតត្រឹម", "ត្រឹម", "រហូតដល់", "ដល់", "មុន", "កាលពី", "ពី")
	switch w {
	case "", "កាលពី":
	default:
		d.ranged = true
	}
	// "បើប្រៀបធៀបនឹង … ឆ្នាំ២០២១", compared with 2021: a statistic's
	// period, as two years compared are in English.
	if strings.Contains(khmerSentenceBefore(es.text, d.at, 150), "ធៀប") {
		d.ranged = true
	}
	return d, true
}

// khmerThisOrLastMonth reads "ខែនេះ" (this month) or "ខែមុន" (last
// month) at text[i], and returns "this" or "last" and its end (0 when
// neither is there).
func khmerThisOrLastMonth(text string, i int) (which string, end int) {
	switch {
	case strings.HasPrefix(text[i:], "ខែនេះ"):
		return "this", i + len("ខែនេះ")
	case strings.HasPrefix(text[i:], "ខែមុន"):
		return "last", i + len("ខែមុន")
	}
	return "", 0
}

// khmerDayAt reads "ទី២៣" (the 23rd) at text[i], the day of a date.
func khmerDayAt(text string, i int) (day, end int) {
	if !strings.HasPrefix(text[i:], "ទី") {
		return 0, i
	}
	j := skipSpace(text, i+len("ទី"))
	v, e, n, ok := khmerDigitsAt(text, j)
	if !ok || n > 2 || v < 1 || v > 31 || v != float64(int(v)) {
		return 0, i
	}
	return int(v), e
}

// khmerMonthAt reads a month at text[i], after a space or not, with
// "ខែ" (month) before its name or not.
func khmerMonthAt(text string, i int) (month, end int) {
	j := skipSpace(text, i)
	if strings.HasPrefix(text[j:], "ខែ") {
		j = skipSpace(text, j+len("ខែ"))
	}
	for _, m := range khmerMonths {
		if strings.HasPrefix(text[j:], m.name) {
			return m.month, j + len(m.name)
		}
	}
	return 0, i
}

// khmerYearAt reads a year of four digits at text[i], after "ឆ្នាំ"
// (year) or not. A year of the Buddhist era ("ព.ស.២៥៦៦") is out of
// range.
func khmerYearAt(text string, i int) (year, end int) {
	j := i
	if strings.HasPrefix(text[j:], "ឆ្នាំ") {
		j = skipSpace(text, j+len("ឆ្នាំ"))
	}
	v, e, n, ok := khmerDigitsAt(text, j)
	if !ok || n != 4 || v < 1900 || v > 2100 || v != float64(int(v)) {
		return 0, i
	}
	return int(v), e
}
