package timeline_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/timeline"
)

// raidTimeline is the fixture timeline: a raid reported by three outlets,
// a charge at the same compound the same day, plus a to-check item.
func raidTimeline(t *testing.T) timeline.Timeline {
	evs := extractDir(t, "testdata/raid")
	// A date after its source's publication goes to "to check".
	late := evs[0]
	late.ID, late.DocID, late.Date, late.Day, late.Summary = "late-0", "late", "2025-04-09", time.Date(2025, 4, 9, 0, 0, 0, 0, time.UTC).Unix(), "Officials plan a hearing, with a formula =1+1 and a \"quote\"; a comma, too."
	g := testGazetteer(t)
	tl := timeline.Build(append(evs, late), timeline.Options{
		Entity: func(id string) (string, string, bool) {
			r, ok := g.Entity(id)
			return r.Name, r.Type, ok
		},
		EntityURL: func(id string) string { return "/entity/" + id },
	})
	tl.Title = "Silver Lagoon, March 2025"
	if len(tl.Entries) != 2 || len(tl.ToCheck) != 1 {
		t.Fatalf("fixture: %d entries, %d to check", len(tl.Entries), len(tl.ToCheck))
	}
	return tl
}

func TestMarkdownGolden(t *testing.T) {
	var b bytes.Buffer
	if err := timeline.WriteMarkdown(&b, raidTimeline(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/raid.md", b.Bytes())
}

func TestCSVRoundTrip(t *testing.T) {
	tl := raidTimeline(t)
	tl.Entries = append(tl.Entries, talksTimeline(t).Entries...)
	var b bytes.Buffer
	if err := timeline.WriteCSV(&b, tl); err != nil {
		t.Fatal(err)
	}
	data, ok := bytes.CutPrefix(b.Bytes(), []byte("\ufeff"))
	if !ok {
		t.Errorf("no UTF-8 byte-order mark")
	}
	if !utf8.Valid(data) || !bytes.Contains(data, []byte("\r\n")) {
		t.Errorf("not UTF-8 with CRLF rows")
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(timeline.CSVHeader, ",") {
		t.Errorf("header %v", rows[0])
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	all := append(append([]timeline.Entry{}, tl.Entries...), tl.ToCheck...)
	if len(rows)-1 != len(all) {
		t.Fatalf("%d rows, want %d", len(rows)-1, len(all))
	}
	for i, e := range all {
		r := rows[i+1]
		if r[col["id"]] != e.ID || r[col["date"]] != e.Date || r[col["until"]] != e.Until || r[col["precision"]] != e.Precision ||
			r[col["headline"]] != timeline.CSVCell(e.Headline) || r[col["summary"]] != timeline.CSVCell(e.Summary) {
			t.Errorf("row %d = %q, entry %+v", i+1, r, e)
		}
		if n := strings.Count(r[col["sources"]], " | ") + 1; n != len(e.Sources) {
			t.Errorf("row %d: %d sources joined, want %d", i+1, n, len(e.Sources))
		}
	}
	if r := rows[len(rows)-1]; r[col["section"]] != "to check" || !strings.HasPrefix(r[col["flag"]], "to check: date 2025-04-09 is after") {
		t.Errorf("to-check row %q", r)
	}
	if timeline.CSVCell("=1+1") != "'=1+1" || timeline.CSVCell("-3") != "'-3" || timeline.CSVCell("a=b") != "a=b" {
		t.Errorf("formula cells are not defused")
	}
}

func TestJSONFields(t *testing.T) {
	var b bytes.Buffer
	if err := timeline.Write(&b, timeline.JSON, raidTimeline(t), time.Time{}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Entries []map[string]any `json:"entries"`
		ToCheck []map[string]any `json:"to_check"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for section, items := range map[string][]map[string]any{"entries": got.Entries, "to_check": got.ToCheck} {
		for _, e := range items {
			for _, k := range []string{"id", "date", "precision", "headline", "summary", "entities", "figures", "sources", "flag"} {
				if _, ok := e[k]; !ok {
					t.Errorf("%s item lacks %q: %v", section, k, e)
				}
			}
			if _, ok := e["reason"]; ok != (section == "to_check") {
				t.Errorf("%s item reason present=%v", section, ok)
			}
			for _, s := range e["sources"].([]any) {
				for _, k := range []string{"doc_id", "title", "outlet", "url", "published", "date_text"} {
					if _, ok := s.(map[string]any)[k]; !ok {
						t.Errorf("source lacks %q: %v", k, s)
					}
				}
			}
			for _, en := range e["entities"].([]any) {
				for _, k := range []string{"id", "name", "type"} {
					if _, ok := en.(map[string]any)[k]; !ok {
						t.Errorf("entity lacks %q: %v", k, en)
					}
				}
			}
		}
	}
	if len(got.Entries) != 2 || len(got.ToCheck) != 1 {
		t.Errorf("entries %d, to_check %d", len(got.Entries), len(got.ToCheck))
	}
}

// TestICSParses checks the calendar with an independent parser, Python's
// icalendar (Debian python3-icalendar; .ci/run installs it): every event
// keeps its date, its exclusive end (the day after a range's last) and
// its UID.
func TestICSParses(t *testing.T) {
	python := repotest.Python(t, "icalendar", "python3-icalendar")
	tl := raidTimeline(t)
	tl.Entries = append(tl.Entries, talksTimeline(t).Entries...)
	tl.Entries = append(tl.Entries, corpusTimeline(t).Entries...)
	var b bytes.Buffer
	stamp := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := timeline.WriteICS(&b, tl, stamp); err != nil {
		t.Fatal(err)
	}
	ics := b.String()
	for i, line := range strings.SplitAfter(ics, "\r\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\r\n") || strings.ContainsAny(strings.TrimSuffix(line, "\r\n"), "\r\n") {
			t.Fatalf("line %d does not end in CRLF alone: %q", i+1, line)
		}
		if len(line)-2 > 75 || !utf8.ValidString(strings.TrimPrefix(strings.TrimSuffix(line, "\r\n"), " ")) {
			t.Errorf("line %d: %d octets or a split character: %q", i+1, len(line)-2, line)
		}
	}
	const script = `
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = []
for ev in cal.walk("VEVENT"):
    out.append({"uid": str(ev["UID"]), "start": ev["DTSTART"].dt.isoformat(), "end": ev["DTEND"].dt.isoformat(),
                "summary": str(ev["SUMMARY"]), "url": str(ev.get("URL", "")), "description": str(ev["DESCRIPTION"])})
json.dump(out, sys.stdout)
`
	cmd := exec.Command(python, "-c", script)
	cmd.Stdin = strings.NewReader(ics)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python icalendar: %v\n%s", err, stderr.String())
	}
	var got []struct{ UID, Start, End, Summary, URL, Description string }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(tl.Entries) {
		t.Fatalf("parser found %d events, want %d", len(got), len(tl.Entries))
	}
	ranges := 0
	for i, e := range tl.Entries {
		start, _ := time.Parse(time.DateOnly, e.Date[:min(len(e.Date), 10)]+"-01-01"[min(len(e.Date), 10)-4:])
		last := start // a month or a year sits on its first day, a range of them too
		if e.Until != "" && e.Precision == document.Day {
			last, _ = time.Parse(time.DateOnly, e.Until)
			ranges++
		}
		g := got[i]
		if end := last.AddDate(0, 0, 1).Format(time.DateOnly); g.UID != timeline.UID(e) || g.Start != start.Format(time.DateOnly) || g.End != end {
			t.Errorf("event %d: parsed %s %s..%s, want %s %s..%s", i, g.UID, g.Start, g.End, timeline.UID(e), start.Format(time.DateOnly), end)
		}
		if g.Summary != e.Headline || !strings.Contains(g.Description, e.Sources[0].Title) {
			t.Errorf("event %d: summary %q, description %q", i, g.Summary, g.Description)
		}
	}
	if ranges != 2 {
		t.Errorf("%d ranges of days in the calendar, want the talks fixture's 2", ranges)
	}
}

// talksTimeline is the fixture of ranges: talks that one outlet dates
// "6–8 May 2025" and another "6 May 2025", inspections "from 30 June to
// 2 July 2025", and a sweep "during August–September 2025".
func talksTimeline(t *testing.T) timeline.Timeline {
	return timeline.Build(extractDir(t, "testdata/talks"), timeline.Options{})
}

// A happening printed as a range of days or months keeps its end, the
// latest that a source agreeing on its start gives, in every format.
func TestRanges(t *testing.T) {
	tl := talksTimeline(t)
	if len(tl.Entries) != 3 || len(tl.ToCheck) != 0 {
		t.Fatalf("%d entries, %d to check", len(tl.Entries), len(tl.ToCheck))
	}
	talks, visits, sweep := tl.Entries[0], tl.Entries[1], tl.Entries[2]
	if talks.Date != "2025-05-06" || talks.Until != "2025-05-08" || len(talks.Sources) != 2 ||
		visits.Date != "2025-06-30" || visits.Until != "2025-07-02" ||
		sweep.Date != "2025-08" || sweep.Until != "2025-09" || sweep.Precision != document.Month {
		t.Fatalf("entries %+v\n%+v\n%+v", talks, visits, sweep)
	}
	for _, tt := range []struct{ date, until, precision, want string }{
		{"2025-05-06", "2025-05-08", document.Day, "6–8 May 2025"},
		{"2025-06-30", "2025-07-02", document.Day, "30 June – 2 July 2025"},
		{"2024-12-30", "2025-01-02", document.Day, "30 December 2024 – 2 January 2025"},
		{"2025-05-06", "", document.Day, "6 May 2025"},
		{"2025-05-06", "2025-05-06", document.Day, "6 May 2025"},
		{"2025-05-06", "2025-05-01", document.Day, "6 May 2025"},
		{"2025-05", "2025-05-08", document.Month, "May 2025"},
		{"2024-08", "2024-09", document.Month, "August–September 2024"},
		{"2024-12", "2025-01", document.Month, "December 2024 – January 2025"},
		{"2024-08", "2024-08", document.Month, "August 2024"},
		{"2024", "2025", document.Year, "2024"},
	} {
		if got := timeline.DisplayDate(tt.date, tt.until, tt.precision); got != tt.want {
			t.Errorf("DisplayDate(%s, %q, %s) = %q, want %q", tt.date, tt.until, tt.precision, got, tt.want)
		}
	}
	var md bytes.Buffer
	if err := timeline.WriteMarkdown(&md, tl); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/talks.md", md.Bytes())
	ends := map[string]*timeline.TLJSDate{}
	for _, s := range timeline.ToTimelineJS(tl).Events {
		ends[s.UniqueID] = s.EndDate
	}
	if e := ends[talks.ID]; e == nil || *e != (timeline.TLJSDate{Year: 2025, Month: 5, Day: 8}) {
		t.Errorf("TimelineJS end of the talks: %+v", e)
	}
	if e := ends[visits.ID]; e == nil || *e != (timeline.TLJSDate{Year: 2025, Month: 7, Day: 2}) {
		t.Errorf("TimelineJS end of the inspections: %+v", e)
	}
	if e := ends[sweep.ID]; e == nil || *e != (timeline.TLJSDate{Year: 2025, Month: 9}) {
		t.Errorf("TimelineJS end of the sweep: %+v", e)
	}
	if e := ends[raidTimeline(t).Entries[0].ID]; e != nil {
		t.Errorf("a single day has a TimelineJS end: %+v", e)
	}
}

func corpusTimeline(t *testing.T) timeline.Timeline {
	return timeline.Build(corpusEvents(t), timeline.Options{})
}

// Crawled titles and sentences are hostile: no markup of theirs may
// survive into the Markdown (links, HTML) or the TimelineJS text.
func TestHostileText(t *testing.T) {
	tl := raidTimeline(t)
	evil := `<script>alert(1)</script> [click](javascript:alert(1)) **bold** # heading`
	tl.Entries[0].Headline, tl.Entries[0].Summary = evil, evil
	tl.Entries[0].Sources[0].Title = evil
	tl.Entries[0].Sources[0].URL = "https://x.example/a b)(<c>"
	tl.Entries[1].Sources[0].URL = "javascript:evil()"
	var b bytes.Buffer
	if err := timeline.WriteMarkdown(&b, tl); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, bad := range []string{`(^|[^\\])<script`, `[^\\]\]\(javascript`, `[^\\]\*\*bold`, `\n# heading`, `a b\)`, `\(javascript:evil`} {
		if regexp.MustCompile(bad).MatchString(md) {
			t.Errorf("Markdown keeps markup %s:\n%s", bad, md)
		}
	}
	data, _ := json.Marshal(timeline.ToTimelineJS(tl))
	if strings.Contains(string(data), "<script") || strings.Contains(string(data), `\u003cscript`) {
		t.Errorf("TimelineJS text keeps a script tag: %s", data)
	}
}

// fakeStore answers every query with the same events.
type fakeStore []search.Event

func (f fakeStore) Events(context.Context, search.EventQuery) ([]search.Event, error) { return f, nil }

// A timeline cut at the query's limit says so.
func TestMakeSaysWhenIncomplete(t *testing.T) {
	evs := extractDir(t, "testdata/raid")
	for _, tt := range []struct {
		limit int
		cut   bool
	}{{len(evs), true}, {0, false}, {len(evs) + 1, false}} {
		tl, err := timeline.Make(t.Context(), fakeStore(evs), search.EventQuery{Limit: tt.limit}, timeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		timeline.WriteMarkdown(&b, tl)
		if got := strings.Contains(b.String(), "**Incomplete**: only the first"); got != tt.cut {
			t.Errorf("limit %d: incomplete shown %v, want %v", tt.limit, got, tt.cut)
		}
	}
}

func TestCopyName(t *testing.T) {
	srcs := []timeline.Source{
		{DocID: "a", Outlet: "Delta Daily", Title: "Raid"},
		{DocID: "b", Title: "Raid, retold"},
		{DocID: "c", CopyOf: "a"},
		{DocID: "d", CopyOf: "b"},
		{DocID: "e"},
		{DocID: "f", CopyOf: "e"},
		{DocID: "g", CopyOf: "gone"},
	}
	originals := timeline.Originals(srcs)
	for i, want := range []string{"", "", "Delta Daily", "Raid, retold", "", "e", "gone"} {
		if got := timeline.CopyName(srcs[i], originals); got != want {
			t.Errorf("CopyName(%s) = %q, want %q", srcs[i].DocID, got, want)
		}
	}
	if m := timeline.Originals(srcs[:2]); m != nil {
		t.Errorf("Originals of independent reports = %v, want nil", m)
	}
}
