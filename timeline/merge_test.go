package timeline_test

import (
	"strings"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/timeline"
)

// ev is an event of its own document, published the day after date
// unless given.
func ev(doc, date, precision, summary string, compounds ...string) search.Event {
	day, _ := search.PeriodStart(date)
	pub := day.AddDate(0, 0, 1)
	if precision != document.Day {
		pub = day.AddDate(0, 2, 0)
	}
	return search.Event{ID: doc + "-0", DocID: doc, Date: date, Precision: precision, Day: day.Unix(), Summary: summary,
		Entities: compounds, Compounds: compounds, Outlet: "Outlet " + doc, Title: "Title " + doc, URL: "https://x.example/" + doc,
		Published: pub.Unix(), PublishedDate: pub.Format(time.DateOnly), Gap: -1}
}

func TestMerge(t *testing.T) {
	const (
		raid     = "Police raided the Jade Bay compound and freed ninety workers held inside."
		raidToo  = "Police raided the Jade Bay compound, freeing ninety workers held there."
		announce = "The ministry announced that police raided the Jade Bay compound and freed ninety workers."
	)
	tests := []struct {
		name    string
		evs     []search.Event
		entries int
		date    string // of the first entry
		flag    bool
	}{
		{"same day, two outlets", []search.Event{ev("a", "2025-03-03", document.Day, raid, "jade-bay"), ev("b", "2025-03-03", document.Day, raidToo, "jade-bay")}, 1, "2025-03-03", false},
		{"two days apart", []search.Event{ev("a", "2025-03-03", document.Day, raid, "jade-bay"), ev("b", "2025-03-05", document.Day, raidToo, "jade-bay")}, 1, "2025-03-03", true},
		{"a week apart", []search.Event{ev("a", "2025-03-03", document.Day, raid, "jade-bay"), ev("b", "2025-03-10", document.Day, raidToo, "jade-bay")}, 2, "2025-03-03", false},
		{"announced a week later", []search.Event{ev("a", "2025-03-03", document.Day, raid, "jade-bay"), ev("b", "2025-03-10", document.Day, announce, "jade-bay")}, 1, "2025-03-03", true},
		{"month and day agree", []search.Event{ev("a", "2025-03", document.Month, raid, "jade-bay"), ev("b", "2025-03-20", document.Day, raidToo, "jade-bay")}, 1, "2025-03-20", false},
		{"other compound", []search.Event{ev("a", "2025-03-03", document.Day, raid, "jade-bay"), ev("b", "2025-03-03", document.Day, raidToo, "river-star")}, 2, "2025-03-03", false},
		{"same document", []search.Event{ev("a", "2025-03-03", document.Day, raid, "jade-bay"), func() search.Event {
			e := ev("a", "2025-03-03", document.Day, raidToo, "jade-bay")
			e.ID = "a-1"
			return e
		}()}, 2, "2025-03-03", false},
		{"other happening, same compound, same day", []search.Event{ev("a", "2025-03-03", document.Day, raid, "jade-bay"), ev("b", "2025-03-03", document.Day, "A court fined the owner of the Jade Bay compound for tax evasion.", "jade-bay")}, 2, "2025-03-03", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := timeline.Build(tt.evs, timeline.Options{})
			if len(tl.Entries) != tt.entries || tl.Entries[0].Date != tt.date || (tl.Entries[0].Flag != "") != tt.flag {
				for _, e := range tl.Entries {
					t.Logf("%s %d sources %q %q", e.Date, len(e.Sources), e.Flag, e.DateNote)
				}
				t.Errorf("%d entries, first %s, flag %q; want %d, %s, flag %v", len(tl.Entries), tl.Entries[0].Date, tl.Entries[0].Flag, tt.entries, tt.date, tt.flag)
			}
		})
	}
}

func TestDoubts(t *testing.T) {
	late := ev("a", "2025-03-03", document.Day, "Police raided the compound.")
	late.Published, late.PublishedDate = late.Day-86400, "2025-03-02"
	far := ev("b", "2031-01-01", document.Day, "Police raided the compound.")
	far.Gap = 9 * 365
	fixed := ev("c", "2023-03-23", document.Day, "Police raided the compound.")
	fixed.Flag, fixed.DateText = `source date "March 23, 2033" breaks the timeline; year corrected to 2023`, "March 23, 2033"
	tl := timeline.Build([]search.Event{late, far, fixed, ev("d", "2025-01-01", document.Day, "Fine.")}, timeline.Options{})
	if len(tl.Entries) != 1 || len(tl.ToCheck) != 3 {
		t.Fatalf("%d entries, %d to check", len(tl.Entries), len(tl.ToCheck))
	}
	for _, want := range []string{"corrected", "after the source's publication date 2025-03-02", "far outside the document's other dates (9 years"} {
		found := false
		for _, e := range tl.ToCheck {
			found = found || strings.Contains(e.Reason, want)
		}
		if !found {
			t.Errorf("no to-check reason with %q", want)
		}
	}
}
