package timeline

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
)

// Formats, by the names the CLI and the API take.
const (
	Markdown   = "md"
	CSV        = "csv"
	JSON       = "json"
	TimelineJS = "timelinejs"
	ICS        = "ics"
)

// Formats lists every format, in the order help texts show them.
var Formats = []string{Markdown, CSV, JSON, TimelineJS, ICS}

// ContentType is the media type of a format, and Ext its file extension.
func ContentType(format string) string {
	switch format {
	case Markdown:
		return "text/markdown; charset=utf-8"
	case CSV:
		return "text/csv; charset=utf-8"
	case ICS:
		return "text/calendar; charset=utf-8"
	}
	return "application/json"
}

// Ext is the file extension of a format.
func Ext(format string) string {
	if format == TimelineJS {
		return "timelinejs.json"
	}
	return format
}

// Write renders tl in format. stamp dates the calendar (DTSTAMP); pass
// the time of the request.
func Write(w io.Writer, format string, tl Timeline, stamp time.Time) error {
	switch format {
	case Markdown:
		return WriteMarkdown(w, tl)
	case CSV:
		return WriteCSV(w, tl)
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(tl)
	case TimelineJS:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(ToTimelineJS(tl))
	case ICS:
		return WriteICS(w, tl, stamp)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// DisplayDate writes an entry's date for readers: "13 July 2022", "March
// 2023", "2023", and a range as style guides print one: "6–8 May 2024",
// "30 May – 2 June 2024", "30 December 2024 – 2 January 2025",
// "August–September 2024", "December 2024 – January 2025". until is the
// range's end at the date's precision, or "".
func DisplayDate(date, until, precision string) string {
	t, ok := search.PeriodStart(date)
	if !ok {
		return date
	}
	u, ranged := rangeEnd(t, until, precision)
	switch precision {
	case document.Year:
		return t.Format("2006")
	case document.Month:
		switch {
		case !ranged:
			return t.Format("January 2006")
		case u.Year() != t.Year():
			return t.Format("January 2006") + " – " + u.Format("January 2006")
		}
		return t.Format("January") + "–" + u.Format("January 2006")
	}
	switch {
	case !ranged:
		return t.Format("2 January 2006")
	case u.Year() != t.Year():
		return t.Format("2 January 2006") + " – " + u.Format("2 January 2006")
	case u.Month() != t.Month():
		return t.Format("2 January") + " – " + u.Format("2 January 2006")
	}
	return t.Format("2") + "–" + u.Format("2 January 2006")
}

// rangeEnd reads until, the end of a range that starts at t: a day
// (YYYY-MM-DD) for a date of day precision, a month (YYYY-MM) for one of
// month precision. It reports false for no range, or one that does not
// end after it starts.
func rangeEnd(t time.Time, until, precision string) (time.Time, bool) {
	layout := time.DateOnly
	switch precision {
	case document.Month:
		layout = "2006-01"
	case document.Year:
		return time.Time{}, false
	}
	u, err := time.Parse(layout, until)
	return u, err == nil && u.After(t)
}

// calendarDays is the number of days an entry covers in a calendar: the
// days of its range, else one (a month or a year, and a range of months,
// sit on their first day).
func calendarDays(e Entry) int {
	t, ok := search.PeriodStart(e.Date)
	if !ok || e.Precision != document.Day {
		return 1
	}
	u, ranged := rangeEnd(t, e.Until, e.Precision)
	if !ranged {
		return 1
	}
	return int(u.Sub(t).Hours()/24) + 1
}

// PlacementNote says where an imprecise date sits, or "" for a day.
func PlacementNote(precision string) string {
	switch precision {
	case document.Year:
		return "year only: placed at the start of the year"
	case document.Month:
		return "month only: placed at the start of the month"
	}
	return ""
}

// MonthOf is the "January 2006" group of an entry.
func MonthOf(e Entry) string {
	t, _ := search.PeriodStart(e.Date)
	return t.Format("January 2006")
}

// mdEscape escapes the characters that Markdown would read as markup.
var mdEscape = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "#", `\#`, "|", `\|`, "\n", " ", "\r", " ")

func mdText(s string) string { return mdEscape.Replace(s) }

// mdURL keeps a link target in one piece: spaces, parentheses and angle
// brackets percent-encoded.
func mdURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\n", "", "\r", "").Replace(u)
}

// WriteMarkdown writes the shape of a published year in review: a heading
// per month, a bullet per entry with its sources as links, and the "To
// check" section last.
func WriteMarkdown(w io.Writer, tl Timeline) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdText(cmp.Or(tl.Title, "Timeline")))
	if tl.From != "" || tl.To != "" {
		fmt.Fprintf(&b, "From %s to %s. ", cmp.Or(tl.From, "the start"), cmp.Or(tl.To, "today"))
	}
	fmt.Fprintf(&b, "%d entries; %d to check.\n", len(tl.Entries), len(tl.ToCheck))
	if tl.Note != "" {
		fmt.Fprintf(&b, "\n**Incomplete**: %s.\n", mdText(tl.Note))
	}
	month := ""
	for _, e := range tl.Entries {
		if m := MonthOf(e); m != month {
			month = m
			fmt.Fprintf(&b, "\n## %s\n\n", m)
		}
		mdEntry(&b, e)
	}
	if len(tl.ToCheck) > 0 {
		b.WriteString("\n## To check\n\nThese dates look wrong; they are kept out of the timeline until someone checks them.\n\n")
		for _, e := range tl.ToCheck {
			mdEntry(&b, e)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEntry(b *strings.Builder, e Entry) {
	fmt.Fprintf(b, "- **%s**", DisplayDate(e.Date, e.Until, e.Precision))
	if n := PlacementNote(e.Precision); n != "" {
		fmt.Fprintf(b, " (%s)", n)
	}
	fmt.Fprintf(b, ": %s\n", mdText(e.Headline))
	if e.Summary != e.Headline {
		fmt.Fprintf(b, "  %s\n", mdText(e.Summary))
	}
	if e.Reason != "" {
		fmt.Fprintf(b, "  - To check: %s\n", mdText(e.Reason))
	}
	if e.Flag != "" {
		fmt.Fprintf(b, "  - Date disputed: %s. %s\n", mdText(e.Flag), mdText(e.DateNote))
	}
	if len(e.Entities) > 0 {
		var names []string
		for _, en := range e.Entities {
			if en.URL != "" {
				names = append(names, fmt.Sprintf("[%s](%s)", mdText(en.Name), mdURL(en.URL)))
			} else {
				names = append(names, mdText(en.Name))
			}
		}
		fmt.Fprintf(b, "  - Entities: %s\n", strings.Join(names, ", "))
	}
	if len(e.Figures) > 0 {
		var fs []string
		for _, f := range e.Figures {
			fs = append(fs, mdText(f.Text))
		}
		fmt.Fprintf(b, "  - Figures: %s\n", strings.Join(fs, "; "))
	}
	originals := Originals(e.Sources)
	for _, s := range e.Sources {
		fmt.Fprintf(b, "  - Source: %s\n", mdText(sourceLine(s, originals, false))+mdLink(s))
	}
}

// mdLink links a source when its URL is a web or file address: a
// crawled canonical URL could be "javascript:".
func mdLink(s Source) string {
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file") {
		return ""
	}
	return fmt.Sprintf(" [link](%s)", mdURL(s.URL))
}

// Originals maps the document id of each of an entry's sources to the
// name a copy of it is shown with: its outlet, else its title, else the
// id. It is nil when no source copies another. An entry can gather
// thousands of sources, so they are looked up once an entry, not once a
// source.
func Originals(srcs []Source) map[string]string {
	if !slices.ContainsFunc(srcs, func(s Source) bool { return s.CopyOf != "" }) {
		return nil
	}
	m := make(map[string]string, len(srcs))
	for _, o := range srcs {
		m[o.DocID] = cmp.Or(o.Outlet, o.Title, o.DocID)
	}
	return m
}

// CopyName is the name of the source s copies, by originals (see
// Originals), or "" when s is an independent report.
func CopyName(s Source, originals map[string]string) string {
	if s.CopyOf == "" {
		return ""
	}
	return cmp.Or(originals[s.CopyOf], s.CopyOf)
}

// sourceLine describes a source in one line of plain text, naming the
// source it copies by originals (see Originals).
func sourceLine(s Source, originals map[string]string, withURL bool) string {
	var parts []string
	parts = append(parts, cmp.Or(s.Outlet, "unknown outlet")+": "+cmp.Or(s.Title, s.DocID))
	if s.Published != "" {
		parts = append(parts, "published "+s.Published)
	}
	read := s.Date
	if s.Until != "" {
		read += " to " + s.Until
	}
	if s.DateText != s.Date {
		parts = append(parts, fmt.Sprintf("printed %q, read as %s", s.DateText, read))
	} else {
		parts = append(parts, "dates it "+read)
	}
	if orig := CopyName(s, originals); orig != "" {
		parts = append(parts, "a copy of the "+orig+" report, counted once")
	}
	if withURL && s.URL != "" {
		parts = append(parts, s.URL)
	}
	return strings.Join(parts, ", ")
}

// CSVHeader is the CSV header row.
var CSVHeader = []string{"id", "date", "until", "precision", "headline", "summary", "entities", "sources", "flag", "section"}

// WriteCSV writes one row per entry, then the "to check" items with their
// reason in flag. It starts with a UTF-8 byte-order mark, which
// spreadsheet programs need to read UTF-8, and defuses cells that a
// spreadsheet would run as formulas.
func WriteCSV(w io.Writer, tl Timeline) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	write := func(e Entry, section string) error {
		var ents, srcs []string
		for _, en := range e.Entities {
			ents = append(ents, en.Name)
		}
		originals := Originals(e.Sources)
		for _, s := range e.Sources {
			srcs = append(srcs, sourceLine(s, originals, true))
		}
		flag := e.Flag
		if e.Reason != "" {
			flag = "to check: " + e.Reason
		}
		row := []string{e.ID, e.Date, e.Until, e.Precision, e.Headline, e.Summary, strings.Join(ents, "; "), strings.Join(srcs, " | "), flag, section}
		for i, c := range row {
			row[i] = CSVCell(c)
		}
		return cw.Write(row)
	}
	for _, e := range tl.Entries {
		if err := write(e, "timeline"); err != nil {
			return err
		}
	}
	for _, e := range tl.ToCheck {
		if err := write(e, "to check"); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVCell prefixes a cell that starts like a formula with an apostrophe,
// which spreadsheets hide, as OWASP advises against CSV injection.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// TLJS is the TimelineJS data file (its documented JSON schema).
type TLJS struct {
	Title  *TLJSSlide  `json:"title,omitempty"`
	Events []TLJSSlide `json:"events"`
}

// TLJSSlide is a TimelineJS slide.
type TLJSSlide struct {
	StartDate   *TLJSDate `json:"start_date,omitempty"`
	EndDate     *TLJSDate `json:"end_date,omitempty"` // the end of a range of days or months
	Text        TLJSText  `json:"text"`
	Group       string    `json:"group,omitempty"`
	UniqueID    string    `json:"unique_id,omitempty"`
	DisplayDate string    `json:"display_date,omitempty"`
}

// TLJSDate holds numbers; fields below the precision are omitted, as
// TimelineJS then shows the year or month alone.
type TLJSDate struct {
	Year  int `json:"year"`
	Month int `json:"month,omitempty"`
	Day   int `json:"day,omitempty"`
}

// TLJSText is a slide's text; Text is HTML.
type TLJSText struct {
	Headline string `json:"headline"`
	Text     string `json:"text,omitempty"`
}

// ToTimelineJS converts the entries (not the "to check" items, which are
// not for publication) into TimelineJS slides. Every slide has a start
// date (TimelineJS drops one without, with only a console message) and a
// unique id (it renames duplicates).
func ToTimelineJS(tl Timeline) TLJS {
	out := TLJS{Events: []TLJSSlide{}}
	out.Title = &TLJSSlide{Text: TLJSText{Headline: html.EscapeString(cmp.Or(tl.Title, "Timeline")),
		Text: html.EscapeString(fmt.Sprintf("%d entries built by compoundwatch from the coverage it follows.", len(tl.Entries)))}}
	for _, e := range tl.Entries {
		t, ok := search.PeriodStart(e.Date)
		if !ok {
			continue
		}
		d := &TLJSDate{Year: t.Year()}
		if e.Precision != document.Year {
			d.Month = int(t.Month())
		}
		if e.Precision == document.Day {
			d.Day = t.Day()
		}
		var end *TLJSDate
		if u, ranged := rangeEnd(t, e.Until, e.Precision); ranged {
			end = &TLJSDate{Year: u.Year(), Month: int(u.Month())}
			if e.Precision == document.Day {
				end.Day = u.Day()
			}
		}
		var body strings.Builder
		fmt.Fprintf(&body, "<p>%s</p>", html.EscapeString(e.Summary))
		if n := PlacementNote(e.Precision); n != "" {
			fmt.Fprintf(&body, "<p><em>Date: %s</em></p>", html.EscapeString(n))
		}
		if e.Flag != "" {
			fmt.Fprintf(&body, "<p><em>%s. %s</em></p>", html.EscapeString(e.Flag), html.EscapeString(e.DateNote))
		}
		body.WriteString("<p>Sources:</p><ul>")
		for _, s := range e.Sources {
			label := html.EscapeString(cmp.Or(s.Outlet, "source") + ": " + cmp.Or(s.Title, s.DocID))
			if u, err := url.Parse(s.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
				fmt.Fprintf(&body, `<li><a href="%s">%s</a> (%s)</li>`, html.EscapeString(s.URL), label, html.EscapeString(s.Published))
			} else {
				fmt.Fprintf(&body, "<li>%s (%s)</li>", label, html.EscapeString(s.Published))
			}
		}
		body.WriteString("</ul>")
		group := ""
		for _, en := range e.Entities {
			if en.Type != document.Province {
				group = en.Name
				break
			}
		}
		out.Events = append(out.Events, TLJSSlide{StartDate: d, EndDate: end, Text: TLJSText{Headline: html.EscapeString(e.Headline), Text: body.String()},
			Group: group, UniqueID: e.ID})
	}
	return out
}

// WriteICS writes the entries as all-day events of an RFC 5545 calendar:
// DTSTART;VALUE=DATE with an exclusive DTEND the day after its last (a
// month or a year sits on its first day and says so), CRLF line ends,
// lines folded at 75 octets without splitting a character (by
// golang-ical), UID from the entry id, and the sources in DESCRIPTION
// and the first one's URL.
func WriteICS(w io.Writer, tl Timeline, stamp time.Time) error {
	cal := ics.NewCalendarFor("compoundwatch")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(cmp.Or(tl.Title, "Timeline"))
	for _, e := range tl.Entries {
		t, ok := search.PeriodStart(e.Date)
		if !ok {
			continue
		}
		ev := cal.AddEvent(UID(e))
		ev.SetDtStampTime(stamp)
		ev.SetAllDayStartAt(t)
		ev.SetAllDayEndAt(t.AddDate(0, 0, calendarDays(e)))
		ev.SetSummary(e.Headline)
		var d []string
		d = append(d, e.Summary)
		if n := PlacementNote(e.Precision); n != "" {
			d = append(d, "Date: "+n+".")
		}
		if e.Flag != "" {
			d = append(d, e.Flag+". "+e.DateNote)
		}
		originals := Originals(e.Sources)
		for _, s := range e.Sources {
			d = append(d, "Source: "+sourceLine(s, originals, true))
		}
		ev.SetDescription(strings.Join(d, "\n"))
		if len(e.Sources) > 0 && e.Sources[0].URL != "" {
			ev.SetURL(e.Sources[0].URL)
		}
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// UID is the calendar UID of an entry: stable as its id.
func UID(e Entry) string { return e.ID + "@compoundwatch" }

// ParseFormat checks a format name.
func ParseFormat(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "":
		return Markdown, nil
	case "markdown":
		return Markdown, nil
	case "timelinejs.json", "tljs":
		return TimelineJS, nil
	}
	for _, f := range Formats {
		if s == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q (want %s)", s, strings.Join(Formats, ", "))
}

// Title names a timeline after its entity filters and dates:
// "Timeline: Huang Le, 2022-07-01 to 2023-06-30".
func Title(names []string, from, to time.Time) string {
	t := "Timeline"
	if len(names) > 0 {
		t += ": " + strings.Join(names, ", ")
	}
	switch {
	case !from.IsZero() && !to.IsZero():
		t += fmt.Sprintf(", %s to %s", from.Format(time.DateOnly), to.Format(time.DateOnly))
	case !from.IsZero():
		t += ", from " + from.Format(time.DateOnly)
	case !to.IsZero():
		t += ", to " + to.Format(time.DateOnly)
	}
	return t
}
