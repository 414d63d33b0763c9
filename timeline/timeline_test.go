package timeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/timeline"
)

// extractDir runs the real extractor over the fixture documents of dir,
// read as ingest reads them (their header lines give title, outlet,
// publication date and URL), and
// returns their stored events as the backends derive them.
func extractDir(t *testing.T, dir string) []search.Event {
	t.Helper()
	x := extractor.New(testGazetteer(t))
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	var evs []search.Event
	for _, f := range files {
		raw, err := content.ReadFile(t.Context(), f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		raw.Finalize()
		evs = append(evs, search.EventsOf(search.FromTagged(x.Extract(raw), nil))...)
	}
	return evs
}

// testGazetteer is the made-up gazetteer of the fixtures.
func testGazetteer(t *testing.T) *gazetteer.Gazetteer {
	t.Helper()
	data, err := os.ReadFile("testdata/gazetteer.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g, err := gazetteer.Load(data)
	if err != nil {
		t.Fatalf("testdata/gazetteer.yaml: %v", err)
	}
	return g
}

func TestRaidAcrossOutlets(t *testing.T) {
	evs := extractDir(t, "testdata/raid")
	for _, e := range evs {
		t.Logf("%s %s %q %q %v", e.Outlet, e.Date, e.DateText, e.Summary, e.Entities)
	}
	tl := timeline.Build(evs, timeline.Options{})
	if len(tl.ToCheck) != 0 {
		t.Errorf("to check: %+v", tl.ToCheck)
	}
	var raid, court *timeline.Entry
	for i, e := range tl.Entries {
		t.Logf("entry %s %s %d sources: %s | %s | %s", e.Date, e.Headline, len(e.Sources), e.Flag, e.DateNote, e.ID)
		switch {
		case strings.Contains(e.Summary, "raided"):
			if raid != nil {
				t.Errorf("the raid is in two entries")
			}
			raid = &tl.Entries[i]
		case strings.Contains(e.Summary, "charged"):
			court = &tl.Entries[i]
		}
	}
	if raid == nil || court == nil {
		t.Fatalf("want a raid entry and a court entry, got %d entries", len(tl.Entries))
	}
	if len(tl.Entries) != 2 {
		t.Errorf("%d entries, want 2 (the raid and, the same day at the same compound, the charge)", len(tl.Entries))
	}
	if len(raid.Sources) != 3 {
		t.Fatalf("raid: %d sources, want 3", len(raid.Sources))
	}
	var outlets []string
	for _, s := range raid.Sources {
		outlets = append(outlets, s.Outlet)
	}
	if got := strings.Join(outlets, ", "); got != "Mekong Ledger, Border Post, Daily Wire Cambodia" {
		t.Errorf("sources in order %s, want the earliest report first", got)
	}
	if raid.Independent() != 2 || raid.Sources[2].CopyOf != raid.Sources[0].DocID {
		t.Errorf("the spun copy should count once: independent %d, copy_of %q", raid.Independent(), raid.Sources[2].CopyOf)
	}
	if raid.Date != "2025-03-03" {
		t.Errorf("raid date %s, want 2025-03-03 (printed as a date, against a relative 'on Tuesday')", raid.Date)
	}
	for _, want := range []string{"2025-03-03 by Mekong Ledger", "2025-03-04 by Border Post (\"Tuesday\")"} {
		if !strings.Contains(raid.Flag, want) {
			t.Errorf("flag %q lacks %q", raid.Flag, want)
		}
	}
	if !strings.Contains(raid.DateNote, "relative") {
		t.Errorf("date note %q does not say why", raid.DateNote)
	}
	if court.Date != raid.Date || len(court.Sources) != 1 {
		t.Errorf("court entry %s with %d sources", court.Date, len(court.Sources))
	}
}

func TestHeadline(t *testing.T) {
	long := strings.Repeat("word ", 30) // 150 bytes, 30 words
	for _, tc := range []struct{ s, want string }{
		{"Raids in Poipet.", "Raids in Poipet."},
		{long, strings.TrimSpace(long[:100]) + "…"},
		{strings.Repeat("x", 120), strings.Repeat("x", 99) + "…"},
		{strings.Repeat("黄", 70) + "，" + strings.Repeat("乐", 40), strings.Repeat("黄", 70) + "…"},
		{strings.Repeat("黄", 30) + "，" + strings.Repeat("乐", 90), strings.Repeat("黄", 30) + "，" + strings.Repeat("乐", 68) + "…"},
	} {
		if got := timeline.Headline(tc.s); got != tc.want {
			t.Errorf("Headline(%q)\n = %q\nwant %q", tc.s, got, tc.want)
		}
	}
}
