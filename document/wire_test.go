package document

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestCompactExpand: a compacted document, through JSON and expanded,
// is the document without its contexts; what is not its text at its
// offsets (a shortened summary, an edited mention) travels, and offsets
// that do not fit the text neither panic nor invent a text.
func TestCompactExpand(t *testing.T) {
	const text = "Police raided the Golden Fortune compound in Kandal on 3 May 2024, freeing 1,200 workers.\n\nIt had  opened in 2019."
	at := func(s string) (int, int) {
		i := strings.Index(text, s)
		if i < 0 {
			t.Fatalf("%q not in the text", s)
		}
		return i, i + len(s)
	}
	mention := func(s string) Mention {
		a, b := at(s)
		return Mention{Text: s, Start: a, End: b, Context: "… " + s + " …"}
	}
	s1, e1 := at("Police raided the Golden Fortune compound in Kandal on 3 May 2024, freeing 1,200 workers.")
	s2, e2 := at("It had  opened in 2019.")
	f1, g1 := at("1,200 workers")
	doc := Tagged{
		Raw: Raw{Schema: TaggedSchema, ID: "d", Text: text},
		Entities: []Entity{
			{Type: Compound, ID: "golden-fortune", Mentions: []Mention{mention("Golden Fortune"), {Text: "Golden Fortune Park", Start: 18, End: 32}}},
			{Type: Province, ID: "kandal", Mentions: []Mention{mention("Kandal"), {Text: "Kandal", Start: 80, End: 9999}}},
		},
		Figures: []Figure{{Value: 1200, Unit: "people", Text: "1,200 workers", Start: f1, End: g1}},
		Events: []Event{
			{Date: "2024-05-03", Summary: text[s1:e1], Start: s1, End: e1},
			{Date: "2019", Summary: "It had opened in 2019.", Start: s2, End: e2}, // folded white space
			{Date: "2020", Summary: "Out of range.", Start: -1, End: 4},
		},
	}
	want := clone(t, doc)
	for _, e := range want.Entities {
		for i := range e.Mentions {
			e.Mentions[i].Context = ""
		}
	}

	c := clone(t, doc)
	c.Compact()
	wire, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{`"context"`, `"text":"Golden Fortune"`, `"text":"1,200 workers"`, `"summary":"Police`} {
		if strings.Contains(string(wire), gone) {
			t.Errorf("compacted message carries %s: %s", gone, wire)
		}
	}
	for _, kept := range []string{`"text":"Golden Fortune Park"`, `"text":"Kandal","start":80`, `"summary":"It had opened in 2019."`, `"summary":"Out of range."`} {
		if !strings.Contains(string(wire), kept) {
			t.Errorf("compacted message lacks %s: %s", kept, wire)
		}
	}
	var got Tagged
	if err := json.Unmarshal(wire, &got); err != nil {
		t.Fatal(err)
	}
	got.Expand()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("expanded:\n%+v\nwant:\n%+v", got, want)
	}

	// A message written before v3 has every text: Expand keeps it as is.
	before := clone(t, want)
	before.Expand()
	if !reflect.DeepEqual(before, want) {
		t.Errorf("Expand changed a whole message:\n%+v", before)
	}
}

func clone(t *testing.T, d Tagged) Tagged {
	t.Helper()
	data, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var c Tagged
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestHistoryNext: the history a version passes on is its own hash and
// its entities added, each once and in the order first seen, to what
// its own history had seen; a version without a history counts as its
// document's first.
func TestHistoryNext(t *testing.T) {
	a, b, c := EntityRef{Compound, "huang-le"}, EntityRef{Tycoon, "ly-yong-phat"}, EntityRef{Province, "koh-kong"}
	for _, tt := range []struct {
		name string
		head TaggedHead
		want History
	}{
		{"first version", TaggedHead{ContentHash: "h1", Entities: []EntityRef{a, b}}, History{Hash: "h1", Seen: []EntityRef{a, b}}},
		{"no entities", TaggedHead{ContentHash: "h1", History: &History{}}, History{Hash: "h1"}},
		{"adds what is new", TaggedHead{ContentHash: "h2", Entities: []EntityRef{c, a}, History: &History{Hash: "h1", Seen: []EntityRef{a, b}}},
			History{Hash: "h2", Seen: []EntityRef{a, b, c}}},
		{"keeps what it lost", TaggedHead{ContentHash: "h3", History: &History{Hash: "h2", Seen: []EntityRef{a, b, c}}},
			History{Hash: "h3", Seen: []EntityRef{a, b, c}}},
		{"each once", TaggedHead{ContentHash: "h2", Entities: []EntityRef{b, b, a}, History: &History{Hash: "h1", Seen: []EntityRef{a}}},
			History{Hash: "h2", Seen: []EntityRef{a, b}}},
		{"same id, another type", TaggedHead{ContentHash: "h2", Entities: []EntityRef{{Tycoon, "huang-le"}}, History: &History{Seen: []EntityRef{a}}},
			History{Hash: "h2", Seen: []EntityRef{a, {Tycoon, "huang-le"}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before []EntityRef
			if tt.head.History != nil {
				before = slices.Clone(tt.head.History.Seen)
			}
			if got := tt.head.Next(); !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Next() = %+v, want %+v", *got, tt.want)
			}
			if tt.head.History != nil && !slices.Equal(tt.head.History.Seen, before) {
				t.Errorf("Next changed the head's own history: %v, was %v", tt.head.History.Seen, before)
			}
		})
	}
}
