package search_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/search"
)

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"abc-DEF_123": true, strings.Repeat("a", 511): true,
		"": false, strings.Repeat("a", 512): false, "a b": false, "a.b": false, "a/b": false, "é": false,
	} {
		if got := search.ValidID(id); got != want {
			t.Errorf("ValidID(%.20q) = %v, want %v", id, got, want)
		}
	}
}

func TestTypos(t *testing.T) {
	for w, want := range map[string]int{"le": 0, "huang": 1, "majestic": 1, "sihanoukville": 2, "2023": 0, "123456789": 0, "黄乐": 0, "abcd": 0, "ប៉ូលិស": 0, "ตำรวจ": 0} {
		if got := search.Typos(w); got != want {
			t.Errorf("Typos(%q) = %d, want %d", w, got, want)
		}
	}
}

func TestParseFilter(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    search.Cond
		bad     bool
		mention string
	}{
		{in: "outlet=coastpost", want: search.Cond{Attr: "outlet", Op: "=", Value: "coastpost"}},
		{in: "compounds != huang-le", want: search.Cond{Attr: "compounds", Op: "!=", Value: "huang-le"}},
		{in: "year>=2024", want: search.Cond{Attr: "year", Op: ">=", Value: "2024", Num: 2024}},
		{in: "published<2024-01-02", want: search.Cond{Attr: "published", Op: "<", Value: "2024-01-02", Num: 1704153600}},
		{in: "duplicate_of=", want: search.Cond{Attr: "duplicate_of", Op: "="}},
		{in: "colour=red", bad: true, mention: "colour"},
		{in: "text=x", bad: true, mention: "text"},
		{in: "year=soon", bad: true, mention: "year"},
		{in: "outlet>x", bad: true, mention: "outlet"},
		{in: "outlet", bad: true, mention: "outlet"},
	} {
		got, err := search.ParseFilter(c.in)
		if c.bad {
			if !errors.Is(err, search.ErrBadFilter) || !strings.Contains(err.Error(), c.mention) {
				t.Errorf("ParseFilter(%q) = %v; want ErrBadFilter naming %q", c.in, err, c.mention)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseFilter(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func TestExpandSynonyms(t *testing.T) {
	got := search.ExpandSynonyms(map[string][]string{"Huang Le": {"Majestic 2", "黄乐", "huang  le"}})
	if want := []string{"majestic 2", "黄乐"}; !slices.Equal(got["huang le"], want) {
		t.Errorf("huang le → %q, want %q", got["huang le"], want)
	}
	if want := []string{"huang le", "黄乐"}; !slices.Equal(got["majestic 2"], want) {
		t.Errorf("majestic 2 → %q, want %q", got["majestic 2"], want)
	}
	var many []string
	for i := range 80 {
		many = append(many, "alias "+strings.Repeat("x", i+1))
	}
	for k, v := range search.ExpandSynonyms(map[string][]string{"name": many}) {
		if len(v) > search.MaxSynonyms {
			t.Fatalf("%q has %d synonyms, limit %d", k, len(v), search.MaxSynonyms)
		}
	}
}

func TestNormalize(t *testing.T) {
	q, err := search.Query{Offset: 990, Limit: 50}.Normalize()
	if err != nil || q.Limit != 10 {
		t.Errorf("Normalize = %+v, %v; want Limit 10 (MaxHits)", q, err)
	}
	if q, _ := (search.Query{}).Normalize(); q.Limit != search.DefaultLimit {
		t.Errorf("default limit %d", q.Limit)
	}
	if _, err := (search.Query{Sort: "price"}).Normalize(); !errors.Is(err, search.ErrBadFilter) {
		t.Errorf("bad sort: %v", err)
	}
}
