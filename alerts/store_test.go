package alerts

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCountAlerts(t *testing.T) {
	for _, tt := range []struct {
		name      string
		have, add map[string]int
		want      map[string]int
	}{
		{"first count", nil, map[string]int{"2026-03-01": 3}, map[string]int{"2026-03-01": 3}},
		{"adds to the day", map[string]int{"2026-03-01": 3}, map[string]int{"2026-03-01": 2}, map[string]int{"2026-03-01": 5}},
		{"a batch across midnight", map[string]int{"2026-03-01": 1}, map[string]int{"2026-03-01": 1, "2026-03-02": 4},
			map[string]int{"2026-03-01": 2, "2026-03-02": 4}},
		{"forgets days more than 14 before the latest", map[string]int{"2026-02-14": 9, "2026-02-15": 8, "2026-02-20": 7},
			map[string]int{"2026-03-01": 1}, map[string]int{"2026-02-15": 8, "2026-02-20": 7, "2026-03-01": 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := Status{Daily: maps.Clone(tt.have)}
			st.countAlerts(tt.add)
			if !maps.Equal(st.Daily, tt.want) {
				t.Errorf("daily %v, want %v", st.Daily, tt.want)
			}
		})
	}
}

// TestSignatures: a stage starting loads the signatures of the stories
// alerted within the window, leaves out older ones and one that does not
// decode, and finds a copy of a loaded story.
func TestSignatures(t *testing.T) {
	ctx := context.Background()
	_, st := openStore(t)
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	texts := map[string]string{
		"old":    "Police raided a compound in Poipet and freed 300 workers from nine countries on Monday.",
		"recent": "Officials in Sihanoukville said 120 people were taken from the Golden Fortune compound.",
		"later":  "The court in Phnom Penh sentenced the owner of a casino in Bavet to ten years in prison.",
	}
	at := map[string]time.Time{"old": t0.Add(-48 * time.Hour), "recent": t0.Add(-time.Hour), "later": t0}
	for story, text := range texts {
		if err := st.putSignature(ctx, story, Sign(text), at[story]); err != nil {
			t.Fatal(err)
		}
	}
	if err := putJSON(ctx, st.Ledger, "sig.bad", "not a signature"); err != nil {
		t.Fatal(err)
	}
	x, err := st.signatures(ctx, t0.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(x.sigs)); !slices.Equal(got, []string{"later", "recent"}) {
		t.Errorf("loaded %v, want [later recent]", got)
	}
	copyOf := "Officials in Sihanoukville said 120 people were taken from the Golden Fortune compound on Friday."
	if story, ok := x.similar("copy", Sign(copyOf)); !ok || story != "recent" {
		t.Errorf("a copy of the recent story: similar to %q (%v), want recent", story, ok)
	}
}

// BenchmarkSignatures measures the load of 5,000 stored signatures, as a
// stage starting beside a long ledger does.
func BenchmarkSignatures(b *testing.B) {
	ctx := context.Background()
	_, st := openStore(b)
	t0 := time.Now()
	for i := range 5000 {
		text := fmt.Sprintf("Report %d: officials said the compound in Poipet held %d workers.", i, 100+i)
		if err := st.putSignature(ctx, fmt.Sprintf("story%05d", i), Sign(text), t0); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		x, err := st.signatures(ctx, t0.Add(-time.Hour))
		if err != nil || len(x.sigs) != 5000 {
			b.Fatalf("%d signatures (%v), want 5000", len(x.sigs), err)
		}
	}
}

// TestList: every stored subscription once, oldest first (by id within
// one instant), none that was removed, and an error naming a stored value
// that does not decode.
func TestList(t *testing.T) {
	ctx := context.Background()
	_, st := openStore(t)
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	var want []string
	for i, created := range []time.Time{t0.Add(time.Hour), t0, t0, t0.Add(-time.Hour)} {
		sub := addSub(t, st, Spec{Entities: []string{"Huang Le"}, Atom: true, Note: fmt.Sprint(i)}, created)
		want = append(want, sub.ID)
	}
	gone := addSub(t, st, Spec{Entities: []string{"Huang Le"}, Atom: true}, t0)
	if err := st.Remove(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	want = []string{want[3], min(want[1], want[2]), max(want[1], want[2]), want[0]}
	subs, err := st.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range subs {
		got = append(got, s.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	if err := putJSON(ctx, st.Subs, "sub.bad", []int{1}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.List(ctx); err == nil || !strings.Contains(err.Error(), "sub.bad") {
		t.Errorf("List with an undecodable value: %v, want an error naming sub.bad", err)
	}
}

// BenchmarkList lists 1,000 stored subscriptions, as `alerts list` and
// GET /api/alerts do.
func BenchmarkList(b *testing.B) {
	ctx := context.Background()
	_, st := openStore(b)
	t0 := time.Now()
	for i := range 1000 {
		addSub(b, st, Spec{Entities: []string{"Huang Le"}, Atom: true, Note: fmt.Sprint(i)}, t0.Add(time.Duration(i)*time.Second))
	}
	for b.Loop() {
		if subs, err := st.List(ctx); err != nil || len(subs) != 1000 {
			b.Fatalf("%d subscriptions (%v), want 1000", len(subs), err)
		}
	}
}
