package searchtest

import (
	"slices"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
)

// EventFixtures are documents with dated events (texts written for these
// tests), from two outlets.
func EventFixtures() []search.Doc {
	mk := func(id, outlet, published string, provinces []string, evs ...document.Event) search.Doc {
		d := fx{id: id, title: "Report " + id, text: "Text of " + id, outlet: outlet, lang: "en", date: published,
			compounds: []string{"jade-bay", "river-star"}, tycoons: []string{"lo-chen"}, provinces: provinces}.doc()
		d.Events = evs
		return d
	}
	ev := func(date, precision, summary string, ents ...string) document.Event {
		return document.Event{Date: date, Precision: precision, Summary: summary, Entities: ents}
	}
	return []search.Doc{
		mk("ev-a", "Gulf Times", "2023-03-10", []string{"kampot"},
			ev("2023-03-02", document.Day, "Police raided the Jade Bay compound and freed ninety workers.", "jade-bay"),
			ev("2023-03", document.Month, "Families abroad reported missing relatives all month.")),
		mk("ev-b", "Delta Daily", "2023-07-01", []string{"takeo"},
			ev("2023-06-30", document.Day, "A court in Takeo jailed the River Star manager.", "river-star", "takeo"),
			ev("2022-12-31", document.Day, "Lo Chen bought the River Star site.", "lo-chen", "river-star"),
			ev("2024", document.Year, "Officials promised inspections.")),
		mk("ev-c", "Gulf Times", "2023-06-01", nil, func() document.Event {
			e := ev("2023-05-15", document.Day, "Workers escaped from the Jade Bay compound over three weeks.", "jade-bay")
			e.DateText, e.Until = "15 May–2 June 2023", "2023-06-02"
			return e
		}()),
	}
}

func eventIDs(evs []search.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

func testEvents(t *testing.T, b search.Backend) {
	es, ok := b.(search.EventStore)
	if !ok {
		t.Fatalf("%T does not keep events", b)
	}
	Load(t, b, EventFixtures())
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name string
		q    search.EventQuery
		want []string
	}{
		{"all, by day", search.EventQuery{}, []string{"ev-b-1", "ev-a-1", "ev-a-0", "ev-c-0", "ev-b-0", "ev-b-2"}},
		{"range, inclusive; a month sits at its start", search.EventQuery{From: day("2023-03-01"), To: day("2023-06-30")}, []string{"ev-a-1", "ev-a-0", "ev-c-0", "ev-b-0"}},
		{"open start", search.EventQuery{To: day("2023-03-01")}, []string{"ev-b-1", "ev-a-1"}},
		{"entity", search.EventQuery{Entities: []string{"jade-bay"}}, []string{"ev-a-0", "ev-c-0"}},
		{"entities: any of", search.EventQuery{Entities: []string{"lo-chen", "jade-bay"}}, []string{"ev-b-1", "ev-a-0", "ev-c-0"}},
		{"entity and range", search.EventQuery{Entities: []string{"river-star"}, From: day("2023-01-01"), To: day("2023-12-31")}, []string{"ev-b-0"}},
		{"province: the event's, else the document's", search.EventQuery{Provinces: []string{"kampot"}}, []string{"ev-a-1", "ev-a-0"}},
		{"province named by the event", search.EventQuery{Provinces: []string{"takeo"}}, []string{"ev-b-1", "ev-b-0", "ev-b-2"}},
		{"outlet", search.EventQuery{Outlets: []string{"Gulf Times"}}, []string{"ev-a-1", "ev-a-0", "ev-c-0"}},
		{"text", search.EventQuery{Text: "compound workers"}, []string{"ev-a-0", "ev-c-0"}},
		{"text and outlet", search.EventQuery{Text: "court jailed", Outlets: []string{"Delta Daily"}}, []string{"ev-b-0"}},
		{"a range reaching into the window", search.EventQuery{From: day("2023-05-16"), To: day("2023-05-31")}, []string{"ev-c-0"}},
		{"a range reaching into the next month", search.EventQuery{From: day("2023-06-01"), To: day("2023-06-15")}, []string{"ev-c-0"}},
		{"a range ending before the window", search.EventQuery{From: day("2023-06-03"), To: day("2023-06-15")}, []string{}},
		{"limit", search.EventQuery{Limit: 2}, []string{"ev-b-1", "ev-a-1"}},
		{"nothing", search.EventQuery{Entities: []string{"nowhere"}}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := es.Events(ctx(t), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if g := eventIDs(got); !slices.Equal(g, tt.want) {
				t.Errorf("Events(%+v) = %v, want %v", tt.q, g, tt.want)
			}
		})
	}
	t.Run("stored fields", func(t *testing.T) {
		got, err := es.Events(ctx(t), search.EventQuery{Entities: []string{"lo-chen"}})
		if err != nil || len(got) != 1 {
			t.Fatalf("%v, %v", got, err)
		}
		e := got[0]
		if e.DocID != "ev-b" || e.Date != "2022-12-31" || e.Precision != document.Day || e.Outlet != "Delta Daily" ||
			e.PublishedDate != "2023-07-01" || e.URL != "https://example.org/ev-b" || e.Title != "Report ev-b" ||
			!slices.Equal(e.Tycoons, []string{"lo-chen"}) || !slices.Equal(e.Compounds, []string{"river-star"}) || e.Gap != 181 {
			t.Errorf("stored event %+v", e)
		}
		if want := search.EventsOf(EventFixtures()[1])[1].Sig; len(want) == 0 || !slices.Equal(e.Sig, want) {
			t.Errorf("stored signature %v, want %v", e.Sig, want)
		}
		got, err = es.Events(ctx(t), search.EventQuery{Outlets: []string{"Gulf Times"}, From: day("2023-05-01")})
		if err != nil || len(got) != 1 {
			t.Fatalf("%v, %v", got, err)
		}
		if e := got[0]; e.ID != "ev-c-0" || e.Until != "2023-06-02" || e.DateText != "15 May–2 June 2023" {
			t.Errorf("a range of days must keep its last day and printed date: %+v", e)
		}
	})
	t.Run("upsert with fewer events, then delete", func(t *testing.T) {
		d := EventFixtures()[1]
		d.Events = d.Events[:1]
		Load(t, b, []search.Doc{d})
		got, err := es.Events(ctx(t), search.EventQuery{Outlets: []string{"Delta Daily"}})
		if err != nil {
			t.Fatal(err)
		}
		if g := eventIDs(got); !slices.Equal(g, []string{"ev-b-0"}) {
			t.Errorf("after re-upsert: %v, want only ev-b-0", g)
		}
		if err := b.Delete(ctx(t), "ev-a", "ev-b"); err != nil {
			t.Fatal(err)
		}
		got, err = es.Events(ctx(t), search.EventQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if g := eventIDs(got); !slices.Equal(g, []string{"ev-c-0"}) {
			t.Errorf("after delete: %v, want ev-c-0", g)
		}
	})
}
