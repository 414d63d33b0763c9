package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/timeline"
)

// TestTimelineAfterIngest ingests the shared corpus and checks that the
// year-in-review period comes out as the timeline package's golden file
// (which that package's test checks for recall of the gold events and
// for the "March 23, 2033" entry in "to check").
func TestTimelineAfterIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	corpus, err := filepath.Abs(repotest.Shared(t, "corpus", "docs"))
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(t.TempDir(), "data")
	if out, err := child(t, "ingest", "--data", data, corpus).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	out, err := child(t, "timeline", "--data", data, "--from", "2022-07-01", "--to", "2023-06-30").Output()
	if err != nil {
		t.Fatalf("timeline: %v\n%s", err, out)
	}
	got := strings.ReplaceAll(string(out), "file://"+filepath.ToSlash(corpus)+"/", "file:///corpus/")
	want, err := os.ReadFile("../../timeline/testdata/corpus-2022-07-2023-06.md")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("timeline after ingest differs from timeline/testdata/corpus-2022-07-2023-06.md:\n%s", got)
	}

	out, err = child(t, "timeline", "--data", data, "--from", "2022-07-01", "--to", "2023-06-30", "--format", "json").Output()
	if err != nil {
		t.Fatalf("timeline --format json: %v", err)
	}
	var tl timeline.Timeline
	if err := json.Unmarshal(out, &tl); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range tl.ToCheck {
		found = found || (e.Sources[0].DateText == "March 23, 2033" && strings.Contains(e.Reason, "year corrected to 2023"))
	}
	if !found || len(tl.Entries) < 40 {
		t.Errorf("%d entries; the 2033 entry in to-check with its reason: %v", len(tl.Entries), found)
	}
}

// TestTimelineRaid ingests the timeline package's raid fixtures (three
// outlets, one a spun copy, one dating the raid "on Tuesday") and writes
// the CSV with --out.
func TestTimelineRaid(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	dir := t.TempDir()
	data, csvFile := filepath.Join(dir, "data"), filepath.Join(dir, "raid.csv")
	gaz := "../../timeline/testdata/gazetteer.yaml"
	if out, err := child(t, "ingest", "--gazetteer", gaz, "--data", data, "../../timeline/testdata/raid").CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	out, err := child(t, "timeline", "--gazetteer", gaz, "--data", data, "--entity", "Silver Lagoon", "--format", "json").Output()
	if err != nil {
		t.Fatalf("timeline: %v", err)
	}
	var tl timeline.Timeline
	if err := json.Unmarshal(out, &tl); err != nil {
		t.Fatal(err)
	}
	if len(tl.Entries) != 2 {
		t.Fatalf("%d entries, want the raid and the charge", len(tl.Entries))
	}
	raid := tl.Entries[1]
	if !strings.Contains(raid.Summary, "raided") {
		raid = tl.Entries[0]
	}
	if len(raid.Sources) != 3 || raid.Independent() != 2 || !strings.Contains(raid.Flag, `2025-03-04 by Border Post ("Tuesday")`) {
		t.Errorf("raid entry: %d sources, %d independent, flag %q", len(raid.Sources), raid.Independent(), raid.Flag)
	}
	// The events index is derived data: deleting the index and running
	// reindex brings the same timeline back from the log.
	if err := os.RemoveAll(filepath.Join(data, "index")); err != nil {
		t.Fatal(err)
	}
	if out, err := child(t, "reindex", "--gazetteer", gaz, "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("reindex: %v\n%s", err, out)
	}
	again, err := child(t, "timeline", "--gazetteer", gaz, "--data", data, "--entity", "Silver Lagoon", "--format", "json").Output()
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("timeline after reindex differs (%v):\n%s\nbefore:\n%s", err, again, out)
	}
	if out, err := child(t, "timeline", "--gazetteer", gaz, "--data", data, "--format", "csv", "--out", csvFile).CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("timeline --out: %v\n%s", err, out)
	}
	b, err := os.ReadFile(csvFile)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Errorf("CSV: %d rows, %v", len(rows), err)
	}
}
