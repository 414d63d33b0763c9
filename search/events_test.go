package search_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
)

// TestEventsOfGaps holds Event.Gap, the days to the nearest other dated
// event of the document, and the figures an event takes from its passage.
func TestEventsOfGaps(t *testing.T) {
	ev := func(date string, start, end int) document.Event {
		return document.Event{Date: date, Precision: document.Day, Start: start, End: end}
	}
	tests := []struct {
		name    string
		events  []document.Event
		figures []document.Figure
		gaps    []int
		figs    [][]float64 // the values of each event's figures
	}{
		{name: "alone", events: []document.Event{ev("2024-05-14", 0, 10)}, gaps: []int{-1}},
		{
			name:   "undated events neither count nor appear",
			events: []document.Event{ev("2024-05-14", 0, 10), ev("someday", 11, 20), ev("2024-05-20", 21, 30)},
			gaps:   []int{6, 6},
		},
		{
			name:   "the nearest on either side",
			events: []document.Event{ev("2024-05-01", 0, 1), ev("2024-05-10", 2, 3), ev("2024-05-12", 4, 5), ev("2020", 6, 7)},
			gaps:   []int{9, 2, 2, 1582},
		},
		{
			name:   "the same day twice",
			events: []document.Event{ev("2024-05-14", 0, 1), ev("2024-05-14", 2, 3), ev("2024-06", 4, 5)},
			gaps:   []int{0, 0, 18},
		},
		{
			// The figures are listed out of text order: an event keeps
			// the document's order, and takes only those wholly inside.
			name:    "figures inside the passage",
			events:  []document.Event{ev("2024-05-14", 10, 50), ev("2024-05-15", 60, 70)},
			figures: []document.Figure{{Value: 3, Start: 40, End: 50}, {Value: 1, Start: 10, End: 12}, {Value: 2, Start: 45, End: 55}, {Value: 4, Start: 60, End: 70}, {Value: 5, Start: 5, End: 11}},
			gaps:    []int{1, 1},
			figs:    [][]float64{{3, 1}, {4}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := search.EventsOf(search.Doc{ID: "d", Text: "text", Events: tc.events, Figures: tc.figures})
			var gaps []int
			for i, e := range evs {
				gaps = append(gaps, e.Gap)
				var vals []float64
				for _, f := range e.Figures {
					vals = append(vals, f.Value)
				}
				if tc.figs != nil && !slices.Equal(vals, tc.figs[i]) {
					t.Errorf("event %d: figures %v, want %v", i, vals, tc.figs[i])
				}
			}
			if !slices.Equal(gaps, tc.gaps) {
				t.Errorf("gaps %v, want %v", gaps, tc.gaps)
			}
		})
	}
}

// BenchmarkEventsOf derives the events of one document of n dated
// sentences, each with a figure, on a few days: the work per event should
// not grow with n (each event's gap and figures were found by reading
// every other event and figure: 37.6 s for 1.6 MB of such sentences).
func BenchmarkEventsOf(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		d := search.Doc{ID: "d", Text: "text"}
		for i := range n {
			start := i * 60
			d.Events = append(d.Events, document.Event{Date: fmt.Sprintf("2024-05-%02d", 1+i%3), Precision: document.Day, Start: start, End: start + 59})
			d.Figures = append(d.Figures, document.Figure{Value: float64(i), Start: start + 20, End: start + 25})
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				search.EventsOf(d)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n)/1e3, "µs/event")
		})
	}
}

// A range's end is kept as EndDay when it is after the start and within a
// year of it; anything else is read as its start alone.
func TestEventsOfEndDay(t *testing.T) {
	day := func(s string) int64 {
		t, _ := search.PeriodStart(s)
		return t.Unix()
	}
	for _, tt := range []struct {
		date, until string
		want        int64
	}{
		{"2024-12-30", "2025-01-02", day("2025-01-02")},
		{"2024-08", "2024-09", day("2024-09")},
		{"2024-05-06", "", 0},
		{"2024-05-06", "2024-05-06", 0},
		{"2024-05-06", "2024-05-01", 0},
		{"2024-05-06", "9999-12-31", 0},
		{"2024-05-06", "not a date", 0},
	} {
		d := search.Doc{ID: "d", Events: []document.Event{{Date: tt.date, Until: tt.until, Precision: document.Day}}}
		if got := search.EventsOf(d)[0].EndDay; got != tt.want {
			t.Errorf("%s until %q: EndDay %d, want %d", tt.date, tt.until, got, tt.want)
		}
	}
}
