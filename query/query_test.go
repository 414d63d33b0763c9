package query_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/query"
	"github.com/compoundwatch/compoundwatch/search"
)

func gaz(t *testing.T) *gazetteer.Gazetteer {
	t.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatalf("gazetteer: %v", err)
	}
	return g
}

func TestParseResolvesNamesAndIDs(t *testing.T) {
	g := gaz(t)
	q, err := query.Parse(g, query.Params{
		Text:      "  raid\tworkers ",
		Compounds: []string{"Majestic 2", "huang-le-majestic-two"},
		Provinces: []string{"Preah Sihanouk", "sihanoukville"},
		Tycoons:   []string{"ly-kuong"},
		Outlets:   []string{" Mekong  Ledger "},
		From:      "2024-01-01",
		To:        "2024-12-31",
		Sort:      "date",
		Limit:     500,
		Offset:    20,
	})
	if err != nil {
		t.Fatal(err)
	}
	if q.Text != "raid workers" {
		t.Errorf("text %q", q.Text)
	}
	if !slices.Equal(q.Compounds, []string{"huang-le-majestic-two"}) {
		t.Errorf("compounds %v", q.Compounds)
	}
	if !slices.Equal(q.Provinces, []string{"preah-sihanouk"}) {
		t.Errorf("provinces %v", q.Provinces)
	}
	if !slices.Equal(q.Tycoons, []string{"ly-kuong"}) {
		t.Errorf("tycoons %v", q.Tycoons)
	}
	if !slices.Equal(q.Outlets, []string{"Mekong Ledger"}) {
		t.Errorf("outlets %v", q.Outlets)
	}
	if want := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); !q.From.Equal(want) {
		t.Errorf("from %v", q.From)
	}
	if q.Sort != search.SortDateDesc || q.Limit != query.MaxLimit || q.Offset != 20 {
		t.Errorf("sort %q limit %d offset %d", q.Sort, q.Limit, q.Offset)
	}
}

func TestParseErrorsNameTheParameter(t *testing.T) {
	g := gaz(t)
	for _, tc := range []struct {
		p     query.Params
		param string
	}{
		{query.Params{Provinces: []string{"Atlantis"}}, "province"},
		{query.Params{Compounds: []string{"Preah Sihanouk"}}, "compound"}, // a province, not a compound
		{query.Params{Tycoons: []string{"nobody-at-all"}}, "tycoon"},
		{query.Params{From: "12/03/2024"}, "from"},
		{query.Params{To: "2024-13-01"}, "to"},
		{query.Params{From: "2024-05-01", To: "2024-04-01"}, "to"},
		{query.Params{Sort: "title"}, "sort"},
		{query.Params{Limit: -1}, "limit"},
		{query.Params{Offset: -5}, "offset"},
		{query.Params{Offset: 5000}, "offset"},
		{query.Params{Outlets: []string{strings.Repeat("x", 300)}}, "outlet"},
	} {
		_, err := query.Parse(g, tc.p)
		var qe *query.Error
		if !errors.As(err, &qe) || qe.Param != tc.param {
			t.Errorf("%+v: got %v, want an error on %s", tc.p, err, tc.param)
		}
	}
	_, err := query.Parse(g, query.Params{Provinces: []string{"Atlantis"}})
	if !strings.Contains(err.Error(), `province "Atlantis"`) {
		t.Errorf("message %q should quote the parameter and value", err)
	}
}

func TestParseDefaultsAndDuplicateFilter(t *testing.T) {
	q, err := query.Parse(nil, query.Params{Compounds: []string{"some-id"}, DuplicateOf: "https://example.org/a"})
	if err != nil {
		t.Fatal(err)
	}
	if q.Limit != query.DefaultLimit || q.Sort != search.SortRelevance {
		t.Errorf("limit %d sort %q", q.Limit, q.Sort)
	}
	if !slices.Equal(q.Compounds, []string{"some-id"}) {
		t.Errorf("nil gazetteer should keep ids: %v", q.Compounds)
	}
	if !slices.Equal(q.Filter, []string{"duplicate_of=https://example.org/a"}) {
		t.Errorf("filter %v", q.Filter)
	}
	if _, err := q.Normalize(); err != nil {
		t.Errorf("backend rules reject the query: %v", err)
	}
}

func TestText(t *testing.T) {
	long := "one two three four five six seven eight nine ten eleven twelve"
	got, cut := query.Text(long)
	if !cut || got != "one two three four five six seven eight nine ten" {
		t.Errorf("got %q cut %v", got, cut)
	}
	if got, cut := query.Text("Huang\x00Le\n"); cut || got != "Huang Le" {
		t.Errorf("got %q cut %v", got, cut)
	}
	got, cut = query.Text(strings.Repeat("柬埔寨", 100))
	if !cut || len(got) > query.MaxTextBytes || !strings.HasPrefix(got, "柬埔寨") || strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("byte cut broke the text: %q", got)
	}
}

// FuzzParse feeds arbitrary user parameters: Parse never panics, every
// error is a *query.Error naming one of the parameters, and an accepted
// query keeps its limits.
func FuzzParse(f *testing.F) {
	g, err := gazetteer.Default()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range [][5]string{
		{"Huang Le", "Majestic 2", "2024-01-01", "2024-12-31", "date"},
		{"", "no such place", "", "", ""},
		{"x", "", "2024-13-40", "yesterday", "date:sideways"},
		{"\x00<script>", "huang-le-majestic-two", "0000-00-00", "9999-12-31", "relevance"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], 10, 0)
	}
	params := []string{"q", "compound", "tycoon", "province", "outlet", "from", "to", "sort", "limit", "offset"}
	f.Fuzz(func(t *testing.T, text, name, from, to, sort string, limit, offset int) {
		q, err := query.Parse(g, query.Params{Text: text, Compounds: []string{name}, Provinces: []string{name},
			From: from, To: to, Sort: sort, Limit: limit, Offset: offset})
		if err != nil {
			var pe *query.Error
			if !errors.As(err, &pe) || !slices.Contains(params, pe.Param) {
				t.Fatalf("error %v (%T) names no parameter", err, err)
			}
			return
		}
		if q.Limit < 0 || q.Limit > query.MaxLimit || q.Offset < 0 {
			t.Errorf("accepted limit %d, offset %d", q.Limit, q.Offset)
		}
		if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
			t.Errorf("accepted from %s after to %s", q.From, q.To)
		}
	})
}
