package embedded_test

import (
	"cmp"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
)

// TestEventsAgainstAll checks the events of a generated corpus, read
// back from the records of whole documents, against those derived
// directly: whole events (MinHash included), in order, and cut at the
// limit however many documents share the limit's day.
func TestEventsAgainstAll(t *testing.T) {
	g := searchtest.Generate(400, 7)
	x, err := embedded.Open(filepath.Join(t.TempDir(), "index"), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for i := 0; i < len(g.Docs); i += 150 {
		if rej, err := x.Upsert(t.Context(), g.Docs[i:min(i+150, len(g.Docs))]); err != nil || len(rej) > 0 {
			t.Fatalf("Upsert: %v, rejected %v", err, rej)
		}
	}
	var all []search.Event
	for _, d := range g.Docs {
		all = append(all, search.EventsOf(d)...)
	}
	slices.SortFunc(all, func(a, b search.Event) int { return cmp.Or(cmp.Compare(a.Day, b.Day), strings.Compare(a.ID, b.ID)) })
	from, to := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, q := range []search.EventQuery{
		{}, {Limit: 1}, {Limit: 7}, {Limit: 333},
		{Entities: []string{g.CompoundIDs[3]}},
		{Entities: []string{g.CompoundIDs[3], g.CompoundIDs[5]}, From: from, To: to, Limit: 10},
		{Provinces: []string{g.Provinces[2]}, To: to, Limit: 50},
		{From: time.Date(2021, 3, 15, 12, 0, 0, 0, time.UTC), To: time.Date(2021, 5, 10, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			var want []search.Event
			for _, e := range all {
				if (q.From.IsZero() || e.Day >= q.From.Unix()) && (q.To.IsZero() || e.Day <= q.To.Unix()) &&
					(q.Entities == nil || slices.ContainsFunc(e.Entities, func(id string) bool { return slices.Contains(q.Entities, id) })) &&
					(q.Provinces == nil || slices.ContainsFunc(e.Provinces, func(id string) bool { return slices.Contains(q.Provinces, id) })) {
					want = append(want, e)
				}
			}
			if q.Limit > 0 && len(want) > q.Limit {
				want = want[:q.Limit]
			}
			got, err := x.Events(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Fatal("the query selects no event: pick another")
			}
			for i := range max(len(got), len(want)) {
				if i >= len(got) || i >= len(want) || !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("got %d events, want %d; they differ at %d", len(got), len(want), i)
				}
			}
		})
	}
}
