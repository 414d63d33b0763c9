package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/timeline/minhash"
)

// Event is one dated event of one document, as the events index beside
// the documents index stores it: the extractor's event plus what a
// timeline shows of its source, so a timeline query needs no second
// lookup. Backends derive events from Doc.Events in Upsert and drop them
// in Delete, so the indexer and `reindex` keep them without knowing.
type Event struct {
	ID        string `json:"id"` // <doc id>-<n>: valid in Meilisearch
	DocID     string `json:"doc_id"`
	Date      string `json:"date"` // YYYY, YYYY-MM or YYYY-MM-DD
	Precision string `json:"precision"`
	// Day is the first day of the date's period in Unix seconds, so a
	// month or a year sorts and filters at its start.
	Day int64 `json:"day"`
	// EndDay is, for a range (Until), the first day of its last day or
	// month in Unix seconds, else 0: a window that a range reaches into
	// holds it ("30 December–2 January" in a timeline of January).
	EndDay   int64  `json:"end_day,omitempty"`
	Summary  string `json:"summary"`
	DateText string `json:"date_text,omitempty"`
	Flag     string `json:"flag,omitempty"`
	Until    string `json:"until,omitempty"` // the end of a range of days or months (document.Event.Until)
	Start    int    `json:"start"`
	End      int    `json:"end"`
	// Entities holds the ids of the entities named in the event's
	// passage, any type; Provinces those of the passage or, when it names
	// none, the document's, so a province filter finds events of a
	// document about that province.
	Entities  []string          `json:"entities"`
	Compounds []string          `json:"compounds"`
	Tycoons   []string          `json:"tycoons"`
	Provinces []string          `json:"provinces"`
	Labels    map[string]string `json:"labels,omitempty"`
	Figures   []document.Figure `json:"figures,omitempty"`
	// The source.
	Title         string `json:"title"`
	URL           string `json:"url"` // canonical URL, or file:// URL of an ingested file
	Outlet        string `json:"outlet,omitempty"`
	Published     int64  `json:"published"`
	PublishedDate string `json:"published_date,omitempty"`
	DuplicateOf   string `json:"duplicate_of,omitempty"`
	// Gap is the distance in days to the nearest other dated event of the
	// same document, or -1 when it has none: a date years away from all
	// the others is probably a typo.
	Gap int `json:"gap"`
	// Sig is the MinHash of the whole document text (minhash.OfText):
	// sources whose texts are near-identical or spun from one another
	// count once. Events indexed before OfText carry minhash.Of
	// signatures, which match no OfText one: `reindex` renews them.
	Sig []uint32 `json:"sig,omitempty"`
}

// EventQuery selects events. Several values in one filter match any of
// them; different filters must all match.
type EventQuery struct {
	Text      string   // every word in the event sentence
	Entities  []string // entity ids of any type
	Provinces []string
	Outlets   []string
	// From and To bound the days an event covers, inclusive: Event.Day,
	// or for a range Day to EndDay, must reach the window; zero is open.
	From, To time.Time
	// Limit caps the events returned (default and cap MaxEvents).
	Limit int
}

// MaxEvents bounds the events of one query: a timeline of more is not
// read by anyone, and Meilisearch needs a cap on hits per index.
const MaxEvents = 20000

// EventStore is implemented by the backends that keep an events index
// (both do). It is apart from Backend so that test doubles of Backend
// need not grow.
type EventStore interface {
	// Events returns the matching events by Day, then ID.
	Events(ctx context.Context, q EventQuery) ([]Event, error)
}

// ErrNoEvents is the answer for a backend that is no EventStore.
var ErrNoEvents = errors.New("this search backend keeps no events")

// EventsOf derives the event records of d. It never fails: an event with
// an unreadable date is skipped, as it cannot be placed on a timeline.
func EventsOf(d Doc) []Event {
	if len(d.Events) == 0 {
		return nil
	}
	typeOf := map[string]string{}
	for typ, ids := range map[string][]string{document.Compound: d.Compounds, document.Tycoon: d.Tycoons, document.Province: d.Provinces} {
		for _, id := range ids {
			typeOf[id] = typ
		}
	}
	sig := minhash.OfText(d.Text)
	days := make([]int64, len(d.Events))
	dated := make([]int64, 0, len(d.Events)) // the days of the dated events, sorted
	for i, ev := range d.Events {
		days[i] = -1
		if t, ok := PeriodStart(ev.Date); ok {
			days[i] = t.Unix()
			dated = append(dated, days[i])
		}
	}
	slices.Sort(dated)
	// The figures by start, so that an event's are found by a search
	// rather than by reading them all: a page of thousands of dated
	// sentences with figures was quadratic in them, as the gaps were.
	byStart := make([]int, len(d.Figures))
	for i := range byStart {
		byStart[i] = i
	}
	slices.SortStableFunc(byStart, func(a, b int) int { return cmp.Compare(d.Figures[a].Start, d.Figures[b].Start) })
	var inEvent []int
	u := SourceURL(d)
	out := make([]Event, 0, len(d.Events))
	for i, ev := range d.Events {
		if days[i] < 0 {
			continue
		}
		// The extractor reads ranges of at most a year; a longer one, from
		// another producer on the bus, would index a month key for every
		// month it spans, and is read as its start alone.
		var end int64
		if t, ok := PeriodStart(ev.Until); ok && t.Unix() > days[i] && t.Unix()-days[i] <= 366*24*3600 {
			end = t.Unix()
		}
		e := Event{
			ID: fmt.Sprintf("%s-%d", d.ID, i), DocID: d.ID, Date: ev.Date, Precision: ev.Precision, Day: days[i], EndDay: end,
			Summary: ev.Summary, DateText: ev.DateText, Flag: ev.Flag, Until: ev.Until, Start: ev.Start, End: ev.End,
			Entities: []string{}, Compounds: []string{}, Tycoons: []string{}, Provinces: []string{},
			Title: d.Title, URL: u, Outlet: d.Outlet, Published: d.Published, PublishedDate: d.PublishedDate,
			DuplicateOf: d.DuplicateOf, Gap: nearestGap(dated, days[i]), Sig: sig[:],
		}
		for _, id := range ev.Entities {
			if slices.Contains(e.Entities, id) {
				continue
			}
			e.Entities = append(e.Entities, id)
			switch typeOf[id] {
			case document.Compound:
				e.Compounds = append(e.Compounds, id)
			case document.Tycoon:
				e.Tycoons = append(e.Tycoons, id)
			case document.Province:
				e.Provinces = append(e.Provinces, id)
			}
			if l, ok := d.Labels[id]; ok {
				if e.Labels == nil {
					e.Labels = map[string]string{}
				}
				e.Labels[id] = l
			}
		}
		if len(e.Provinces) == 0 {
			e.Provinces = append(e.Provinces, d.Provinces...)
		}
		// The figures inside the event's passage, in the document's order.
		inEvent = inEvent[:0]
		k, _ := slices.BinarySearchFunc(byStart, ev.Start, func(f, start int) int { return cmp.Compare(d.Figures[f].Start, start) })
		for ; k < len(byStart) && d.Figures[byStart[k]].Start <= ev.End; k++ {
			if d.Figures[byStart[k]].End <= ev.End {
				inEvent = append(inEvent, byStart[k])
			}
		}
		slices.Sort(inEvent)
		for _, f := range inEvent {
			e.Figures = append(e.Figures, d.Figures[f])
		}
		out = append(out, e)
	}
	if sig.Empty() {
		for i := range out {
			out[i].Sig = nil
		}
	}
	return out
}

// nearestGap returns the distance in days from day to the nearest other
// day of dated (sorted, holding day once for itself), or -1 when there is
// none.
func nearestGap(dated []int64, day int64) int {
	lo, _ := slices.BinarySearch(dated, day)
	hi, _ := slices.BinarySearch(dated, day+1) // past the events of that day
	if hi-lo > 1 {
		return 0 // another event on the same day
	}
	gap := int64(-1)
	if lo > 0 {
		gap = day - dated[lo-1]
	}
	if hi < len(dated) && (gap < 0 || dated[hi]-day < gap) {
		gap = dated[hi] - day
	}
	if gap < 0 {
		return -1
	}
	return int(gap / 86400)
}

// PeriodStart parses YYYY, YYYY-MM or YYYY-MM-DD as the first day of its
// period, in UTC.
func PeriodStart(date string) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, "2006-01", "2006"} {
		if len(date) == len(layout) {
			t, err := time.Parse(layout, date)
			return t, err == nil
		}
	}
	return time.Time{}, false
}

// SourceURL is the link to a document: its canonical URL, its URL, or for
// an ingested file its file:// URL.
func SourceURL(d Doc) string {
	switch u := d.CanonicalURL; {
	case u != "":
		return u
	case d.URL == "":
		return ""
	case strings.Contains(d.URL, "://"):
		return d.URL
	}
	p := d.URL
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
}
