package timeline_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/timeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// corpusEvents extracts the shared corpus with the shipped gazetteer, as
// ingest does, and returns the stored events, with the corpus folder in
// file:// URLs moved to /corpus so golden files hold no local path.
func corpusEvents(t *testing.T) []search.Event {
	t.Helper()
	dir := repotest.Shared(t, "corpus", "docs")
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	x := extractor.New(g)
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	var evs []search.Event
	for _, f := range files {
		raw, err := content.ReadFile(t.Context(), f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		raw.Finalize()
		for _, e := range search.EventsOf(search.FromTagged(x.Extract(raw), nil)) {
			e.URL = "file:///corpus/" + filepath.Base(f)
			evs = append(evs, e)
		}
	}
	return evs
}

func TestSharedCorpus(t *testing.T) {
	evs := corpusEvents(t)
	from, to := time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC)
	var in []search.Event
	for _, e := range evs {
		if e.Day >= from.Unix() && e.Day <= to.Unix() {
			in = append(in, e)
		}
	}
	tl := timeline.Build(in, timeline.Options{Entity: func(id string) (string, string, bool) { return entityName(t, id) }})
	tl.Title, tl.From, tl.To = timeline.Title(nil, from, to), "2022-07-01", "2023-06-30" // as the CLI titles it

	// Recall of the year-in-review's gold events, by date, in date order.
	var gold struct {
		Events []struct {
			Date string `json:"date"`
			Text string `json:"source_date_text"`
		} `json:"events"`
	}
	data, err := os.ReadFile(repotest.Shared(t, "corpus", "gold", "003_3a837e78cf860271.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &gold); err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, e := range tl.Entries {
		dates = append(dates, e.Date)
	}
	if !slices.IsSorted(dates) {
		t.Errorf("entries not in date order: %v", dates)
	}
	found := 0
	for _, g := range gold.Events {
		if slices.Contains(dates, g.Date) {
			found++
		} else if g.Text == "" {
			t.Logf("gold event %s not in the timeline", g.Date)
		}
	}
	recall := float64(found) / float64(len(gold.Events))
	t.Logf("recall of doc 003's gold events by date: %d/%d = %.3f", found, len(gold.Events), recall)
	if recall < 0.95 {
		t.Errorf("recall %.3f, want >= 0.95", recall)
	}
	var typo *timeline.Entry
	for i, e := range tl.ToCheck {
		if len(e.Sources) == 1 && e.Sources[0].DateText == "March 23, 2033" {
			typo = &tl.ToCheck[i]
		}
	}
	if typo == nil {
		t.Fatalf("the 'March 23, 2033' entry is not in to-check: %+v", tl.ToCheck)
	}
	if typo.Date != "2023-03-23" || !strings.Contains(typo.Reason, "corrected") {
		t.Errorf("to-check item %s, reason %q", typo.Date, typo.Reason)
	}
	if slices.Contains(dates, "2023-03-23") {
		t.Errorf("the corrected date is also in the timeline proper")
	}

	var md bytes.Buffer
	if err := timeline.WriteMarkdown(&md, tl); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/corpus-2022-07-2023-06.md", md.Bytes())
}

func entityName(t *testing.T, id string) (string, string, bool) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	r, ok := g.Entity(id)
	if !ok {
		return "", "", false
	}
	return r.Name, r.Type, true
}

func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run with -update after checking):\n%s", file, got)
	}
}
