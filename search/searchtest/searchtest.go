// Package searchtest is the test suite every search.Backend must pass, so
// that the embedded index and Meilisearch answer the same query alike.
package searchtest

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/search"
)

// Run runs the suite. open must return a new, empty backend each time it
// is called (and close it when t ends).
func Run(t *testing.T, open func(t *testing.T) search.Backend) {
	b := open(t)
	Load(t, b, Fixtures())

	t.Run("Count", func(t *testing.T) { testCount(t, b) })
	t.Run("Names", func(t *testing.T) { testNames(t, b) })
	t.Run("Ranking", func(t *testing.T) { testRanking(t, b) })
	t.Run("Filters", func(t *testing.T) { testFilters(t, b) })
	t.Run("Dates", func(t *testing.T) { testDates(t, b) })
	t.Run("Sort", func(t *testing.T) { testSort(t, b) })
	t.Run("Facets", func(t *testing.T) { testFacets(t, b) })
	t.Run("RawFilters", func(t *testing.T) { testRawFilters(t, b) })
	t.Run("BadFilter", func(t *testing.T) { testBadFilter(t, b) })
	t.Run("Snippets", func(t *testing.T) { testSnippets(t, b) })
	t.Run("Paging", func(t *testing.T) { testPaging(t, b) })
	t.Run("Get", func(t *testing.T) { testGet(t, b) })

	t.Run("UpsertSameID", func(t *testing.T) { testUpsertSameID(t, open(t)) })
	t.Run("BadIDs", func(t *testing.T) { testBadIDs(t, open(t)) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, open(t)) })
	t.Run("Empty", func(t *testing.T) { testEmpty(t, open(t)) })
	t.Run("Events", func(t *testing.T) { testEvents(t, open(t)) })
	t.Run("Unspaced", func(t *testing.T) { testUnspaced(t, open(t)) })
	t.Run("Scripts", func(t *testing.T) { testScripts(t, open(t)) })
}

// testScripts: Chinese in traditional characters and in simplified ones
// find each other, as Hong Kong and Taiwan outlets report in the one and
// the mainland's and Cambodia's Chinese press in the other; the snippet
// marks the word as its document writes it.
func testScripts(t *testing.T, b search.Backend) {
	Load(t, b, []search.Doc{
		// Police freed forty foreign workers from a scam compound in
		// Sihanoukville; its boss, a man named Chen, is on the run.
		{ID: "zh-hans", Title: "警方突袭诈骗园区", Text: "警方在西港一处诈骗园区解救了四十名外籍劳工，园区老板陈某在逃。"},
		// The same in traditional characters, with twenty workers and
		// the man arrested.
		{ID: "zh-hant", Title: "警方突襲詐騙園區", Text: "警方在西港一處詐騙園區解救了二十名外籍勞工，園區負責人陳某被捕。"},
		// A casino in Phnom Penh closed yesterday.
		{ID: "zh-casino", Title: "金边赌场停业", Text: "金边一家赌场昨日停业。"},
		{ID: "en-raid", Title: "Raid", Text: "Police freed workers in Sihanoukville."},
		// A park (公园) in the neighbourhood (社区) reopened: 园 and 区,
		// but not the word 园区.
		{ID: "zh-park", Title: "社区公园重新开放", Text: "社区附近的公园昨天重新开放。"},
	})
	checkQueries(t, b, []queryCase{
		{"诈骗", []string{"zh-hans", "zh-hant"}}, // fraud, simplified
		{"詐騙", []string{"zh-hans", "zh-hant"}}, // fraud, traditional
		{"陈某", []string{"zh-hans", "zh-hant"}}, // Chen
		{"陳某", []string{"zh-hans", "zh-hant"}},
		{"園區", []string{"zh-hans", "zh-hant"}}, // compound
		{"园区", []string{"zh-hans", "zh-hant"}},
		{"公园", []string{"zh-park"}},   // park
		{"賭場", []string{"zh-casino"}}, // casino, traditional
		{"金邊", []string{"zh-casino"}}, // Phnom Penh, traditional
	}, func(q string, h search.Hit) string {
		// The marks are the document's own characters, as many as
		// the query's: Meilisearch marks 诈骗 as one word, and so does
		// the embedded index, from its pairs of characters.
		n := 0
		for _, m := range marked(h.Snippet) {
			n += utf8.RuneCountInString(m)
			if !strings.Contains(h.Doc.Title+"\n"+h.Doc.Text, m) {
				return "marks " + m + ", not in its text"
			}
		}
		if n < utf8.RuneCountInString(q) {
			return "does not mark the word"
		}
		return ""
	})
}

// queryCase is a query and the documents it finds.
type queryCase struct {
	q    string
	want []string
}

// checkQueries runs each query on b and checks its hits against want,
// and each hit's snippet with check, which says what is wrong with it.
func checkQueries(t *testing.T, b search.Backend, cases []queryCase, check func(q string, h search.Hit) string) {
	t.Helper()
	for _, c := range cases {
		r := mustSearch(t, b, search.Query{Text: c.q})
		checkSet(t, c.q, r, c.want)
		for _, h := range r.Hits {
			if why := check(c.q, h); why != "" {
				t.Errorf("%s: snippet of %s %q %s", c.q, h.Doc.ID, h.Snippet, why)
			}
		}
	}
}

// marked lists the texts between <mark> and </mark> in a snippet.
func marked(snippet string) []string {
	var out []string
	for {
		_, rest, ok := strings.Cut(snippet, "<mark>")
		if !ok {
			return out
		}
		m, rest, _ := strings.Cut(rest, "</mark>")
		out = append(out, m)
		snippet = rest
	}
}

// testUnspaced: words of Khmer and Thai, written without spaces between
// them, are found inside a run of text and marked in the snippet, and a
// word no document has finds none (the embedded index once matched every
// document).
func testUnspaced(t *testing.T, b search.Backend) {
	Load(t, b, []search.Doc{
		// Police freed 300 workers in Sihanoukville.
		{ID: "km-raid", Title: "ប៉ូលិសរំដោះពលករ", Text: "ប៉ូលិសបានរំដោះពលករ ៣០០ នាក់ នៅក្រុងព្រះសីហនុ។"},
		// The victims ran from a casino in Bavet.
		{ID: "km-escape", Title: "ជនរងគ្រោះ", Text: "ជនរងគ្រោះបានរត់គេចពីកាស៊ីណូ នៅបាវិត។"},
		// Police searched a casino in Poipet.
		{ID: "th-raid", Title: "ตำรวจ", Text: "ตำรวจบุกค้นคาสิโนในปอยเปต"},
		{ID: "en-raid", Title: "Raid", Text: "Police freed workers in Sihanoukville."},
	})
	checkQueries(t, b, []queryCase{
		{"ប៉ូលិស", []string{"km-raid"}},      // police
		{"ពលករ", []string{"km-raid"}},        // workers, inside "freed workers"
		{"ព្រះសីហនុ", []string{"km-raid"}},   // Sihanouk, inside "in Sihanoukville"
		{"បាវិត", []string{"km-escape"}},     // Bavet
		{"ជនរងគ្រោះ", []string{"km-escape"}}, // victims
		{"ខ្មែរ", nil},                       // Khmer: in no document
		{"ตำรวจ", []string{"th-raid"}},       // police
		{"คาสิโน", []string{"th-raid"}},      // casino
		{"Police", []string{"en-raid"}},
	}, func(q string, h search.Hit) string {
		if !strings.Contains(h.Snippet, "<mark>"+q+"</mark>") {
			return "does not mark the word"
		}
		return ""
	})
}

// Load upserts docs and fails t on any rejection or error.
func Load(t testing.TB, b search.Backend, docs []search.Doc) {
	t.Helper()
	rej, err := b.Upsert(context.Background(), docs)
	if err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if len(rej) > 0 {
		t.Fatalf("Upsert rejected %v", rej)
	}
}

// Synonyms is the synonym group TestSynonyms needs: open the backend
// with it (synonyms are an index setting, not part of a query).
func Synonyms() map[string][]string {
	return map[string][]string{"Preah Sihanouk": {"Kampong Som", "Sihanoukville"}}
}

// TestSynonyms checks that b, opened with Synonyms, finds a document that
// says only "Sihanoukville" when asked for "Kampong Som".
func TestSynonyms(t *testing.T, b search.Backend) {
	d := Fixtures()[5] // Blue Harbor: the text says Sihanoukville
	d.EntityNames = []string{}
	Load(t, b, []search.Doc{d})
	r := mustSearch(t, b, search.Query{Text: "Kampong Som"})
	if len(r.Hits) != 1 {
		t.Errorf("Kampong Som: %d hits, want 1 through the synonym", len(r.Hits))
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func mustSearch(t *testing.T, b search.Backend, q search.Query) *search.Result {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 50
	}
	r, err := b.Search(ctx(t), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return r
}

func ids(r *search.Result) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.Doc.ID
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// all returns every fixture id except those given.
func all(except ...string) []string {
	var out []string
	for _, d := range Fixtures() {
		if !slices.Contains(except, d.ID) {
			out = append(out, d.ID)
		}
	}
	return out
}

func checkSet(t *testing.T, what string, r *search.Result, want []string) {
	t.Helper()
	if got := sorted(ids(r)); !slices.Equal(got, sorted(want)) {
		t.Errorf("%s: hits %v, want %v", what, got, sorted(want))
	}
	if r.Total != len(want) {
		t.Errorf("%s: Total %d, want %d", what, r.Total, len(want))
	}
}

func testCount(t *testing.T, b search.Backend) {
	n, err := b.Count(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if want := len(Fixtures()); n != want {
		t.Errorf("Count = %d, want %d", n, want)
	}
}

func testNames(t *testing.T, b search.Backend) {
	for _, q := range []string{
		"Huang Le",
		"huang le",
		"Huang Lee",  // an extra letter on a short word: the first word carries it
		"Hwang Le",   // one typo in a five-letter word
		"Majestic 2", // an alias, found through entity_names
		"Majestik 2", // an alias with a typo
		"黄乐",         // the Chinese name
		"Huan",       // typing: prefix of the last word
	} {
		t.Run(q, func(t *testing.T) {
			r := mustSearch(t, b, search.Query{Text: q})
			checkSet(t, q, r, HuangLeIDs())
		})
	}
	t.Run("NoFuzzOnShortWords", func(t *testing.T) {
		// "Chen" is four letters: "Chan" must not match it.
		r := mustSearch(t, b, search.Query{Text: "Chan Wu"})
		checkSet(t, "Chan Wu", r, nil)
	})
	t.Run("FirstLetterTypo", func(t *testing.T) {
		// A different first letter counts as two typos: within the two
		// of a 13-letter word, beyond the one of a 5-letter word.
		checkSet(t, "Xihanoukville", mustSearch(t, b, search.Query{Text: "Xihanoukville"}), SihanoukIDs())
		checkSet(t, "Xuang Le", mustSearch(t, b, search.Query{Text: "Xuang Le"}), nil)
	})
	t.Run("TypoInPrefix", func(t *testing.T) {
		// The last word matches as a prefix within its typos, as when
		// typing "dormi…" with a slip.
		checkSet(t, "Dxrmi", mustSearch(t, b, search.Query{Text: "Dxrmi"}), []string{"hl-raid-2023", "hl-copy-2023"})
		checkSet(t, "Sihanukvil", mustSearch(t, b, search.Query{Text: "Sihanukvil"}), SihanoukIDs())
	})
	t.Run("NoFuzzOnNumbers", func(t *testing.T) {
		r := mustSearch(t, b, search.Query{Text: "313 people"})
		checkSet(t, "313 people", r, nil)
		r = mustSearch(t, b, search.Query{Text: "312 people"})
		checkSet(t, "312 people", r, []string{"hl-raid-2023", "hl-copy-2023"})
	})
}

func testRanking(t *testing.T, b search.Backend) {
	// bh-sale-2023 has the name in its title; pp-court-2024 only in its body.
	r := mustSearch(t, b, search.Query{Text: "Blue Harbor"})
	checkSet(t, "Blue Harbor", r, []string{"bh-sale-2023", "pp-court-2024"})
	if got := ids(r); len(got) > 0 && got[0] != "bh-sale-2023" {
		t.Errorf("Blue Harbor: order %v, want the title match first", got)
	}
}

func testFilters(t *testing.T, b search.Backend) {
	for _, c := range []struct {
		name string
		q    search.Query
		want []string
	}{
		{"province only says Sihanoukville", search.Query{Provinces: []string{"preah-sihanouk"}}, SihanoukIDs()},
		{"province text search", search.Query{Text: "Sihanoukville"}, SihanoukIDs()},
		{"province and name", search.Query{Text: "Huang Le", Provinces: []string{"preah-sihanouk"}},
			[]string{"hl-raid-2023", "hl-zh-2024", "hl-copy-2023"}},
		{"two provinces", search.Query{Provinces: []string{"preah-sihanouk", "svay-rieng"}},
			append(SihanoukIDs(), "gl-tower-2022")},
		{"compound and tycoon", search.Query{Compounds: []string{"huang-le"}, Tycoons: []string{"chen-wu"}},
			[]string{"hl-workers-2024"}},
		{"tycoon", search.Query{Tycoons: []string{"chen-wu"}},
			[]string{"hl-workers-2024", "bh-sale-2023", "undated-note"}},
		{"outlet", search.Query{Outlets: []string{"coastpost"}}, []string{"hl-raid-2023", "gl-tower-2022"}},
		{"language", search.Query{Languages: []string{"zh"}}, []string{"hl-zh-2024"}},
		{"unknown value", search.Query{Compounds: []string{"no-such-compound"}}, nil},
		{"text and outlet", search.Query{Text: "Golden Lotus", Outlets: []string{"randomblog"}}, []string{"xss-2021"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkSet(t, c.name, mustSearch(t, b, c.q), c.want)
		})
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func testDates(t *testing.T, b search.Backend) {
	for _, c := range []struct {
		name     string
		from, to string
		text     string
		want     []string
	}{
		{"year 2023", "2023-01-01", "2023-12-31", "", []string{"hl-raid-2023", "hl-copy-2023", "bh-sale-2023"}},
		{"until 2022, undated excluded", "", "2022-12-31", "", []string{"gl-tower-2022", "xss-2021"}},
		{"from is inclusive", "2024-06-02", "", "", []string{"hl-workers-2024"}},
		{"one day", "2023-03-14", "2023-03-14", "", []string{"hl-raid-2023"}},
		{"with text", "2024-01-01", "", "Huang Le", []string{"hl-zh-2024", "hl-workers-2024"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := search.Query{Text: c.text}
			if c.from != "" {
				q.From = day(c.from)
			}
			if c.to != "" {
				q.To = day(c.to)
			}
			checkSet(t, c.name, mustSearch(t, b, q), c.want)
		})
	}
}

func testSort(t *testing.T, b search.Backend) {
	desc := []string{"hl-workers-2024", "pp-court-2024", "hl-zh-2024", "bh-sale-2023", "hl-copy-2023",
		"hl-raid-2023", "gl-tower-2022", "xss-2021", "undated-note"}
	asc := slices.Clone(desc)
	slices.Reverse(asc)
	for _, c := range []struct {
		name string
		q    search.Query
		want []string
	}{
		{"date desc", search.Query{Sort: search.SortDateDesc}, desc},
		{"date asc", search.Query{Sort: search.SortDateAsc}, asc},
		{"text by date", search.Query{Text: "Huang Le", Sort: search.SortDateDesc},
			[]string{"hl-workers-2024", "hl-zh-2024", "hl-copy-2023", "hl-raid-2023"}},
		{"filter by date asc", search.Query{Provinces: []string{"preah-sihanouk"}, Sort: search.SortDateAsc},
			[]string{"hl-raid-2023", "hl-copy-2023", "bh-sale-2023", "hl-zh-2024"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := ids(mustSearch(t, b, c.q)); !slices.Equal(got, c.want) {
				t.Errorf("order %v, want %v", got, c.want)
			}
		})
	}
}

// facetCounts counts facet values over docs, as a backend must.
func facetCounts(docs []search.Doc, facet string) map[string]int {
	out := map[string]int{}
	for _, d := range docs {
		var vals []string
		switch facet {
		case search.FacetCompounds:
			vals = d.Compounds
		case search.FacetTycoons:
			vals = d.Tycoons
		case search.FacetProvinces:
			vals = d.Provinces
		case search.FacetOutlet:
			vals = []string{d.Outlet}
		case search.FacetLanguage:
			vals = []string{d.Language}
		case search.FacetMonth:
			vals = []string{d.Month}
		case search.FacetYear:
			if d.Year != 0 {
				vals = []string{strconv.Itoa(d.Year)}
			}
		}
		for _, v := range vals {
			if v != "" {
				out[v]++
			}
		}
	}
	return out
}

func allFacets() []string {
	return []string{search.FacetCompounds, search.FacetTycoons, search.FacetProvinces, search.FacetOutlet,
		search.FacetYear, search.FacetMonth, search.FacetLanguage}
}

func testFacets(t *testing.T, b search.Backend) {
	t.Run("all docs", func(t *testing.T) {
		r := mustSearch(t, b, search.Query{Facets: allFacets()})
		for _, f := range allFacets() {
			if want := facetCounts(Fixtures(), f); !maps.Equal(r.Facets[f], want) {
				t.Errorf("facet %s = %v, want %v", f, r.Facets[f], want)
			}
		}
		// Spot checks, in case facetCounts is wrong too.
		for _, c := range []struct {
			facet, value string
			n            int
		}{
			{search.FacetCompounds, "huang-le", 4}, {search.FacetProvinces, "preah-sihanouk", 4},
			{search.FacetTycoons, "chen-wu", 3}, {search.FacetYear, "2023", 3}, {search.FacetYear, "2024", 3},
			{search.FacetMonth, "2023-03", 2}, {search.FacetLanguage, "en", 8}, {search.FacetOutlet, "randomblog", 2},
		} {
			if got := r.Facets[c.facet][c.value]; got != c.n {
				t.Errorf("facet %s[%s] = %d, want %d", c.facet, c.value, got, c.n)
			}
		}
	})
	t.Run("filtered", func(t *testing.T) {
		r := mustSearch(t, b, search.Query{Text: "Huang Le", Facets: []string{search.FacetProvinces, search.FacetYear}})
		if want := map[string]int{"preah-sihanouk": 3}; !maps.Equal(r.Facets[search.FacetProvinces], want) {
			t.Errorf("provinces facet = %v, want %v", r.Facets[search.FacetProvinces], want)
		}
		if want := map[string]int{"2023": 2, "2024": 2}; !maps.Equal(r.Facets[search.FacetYear], want) {
			t.Errorf("year facet = %v, want %v", r.Facets[search.FacetYear], want)
		}
	})
	t.Run("counts whole result, not one page", func(t *testing.T) {
		r := mustSearch(t, b, search.Query{Limit: 1, Facets: []string{search.FacetCompounds}})
		if len(r.Hits) != 1 || r.Facets[search.FacetCompounds]["huang-le"] != 4 {
			t.Errorf("hits %d, facet %v; want 1 hit, huang-le 4", len(r.Hits), r.Facets[search.FacetCompounds])
		}
	})
}

func testRawFilters(t *testing.T, b search.Backend) {
	for _, c := range []struct {
		filter []string
		want   []string
	}{
		{[]string{"duplicate_of="}, all("hl-copy-2023")},
		{[]string{"duplicate_of=hl-raid-2023"}, []string{"hl-copy-2023"}},
		{[]string{"outlet=mekongwatch"}, []string{"hl-workers-2024", "bh-sale-2023"}},
		{[]string{"year>=2024"}, []string{"hl-zh-2024", "hl-workers-2024", "pp-court-2024"}},
		{[]string{"year=2022"}, []string{"gl-tower-2022"}},
		{[]string{"published>=2024-02-01"}, []string{"hl-workers-2024", "pp-court-2024"}},
		{[]string{"month=2023-03"}, []string{"hl-raid-2023", "hl-copy-2023"}},
		{[]string{"compounds!=huang-le"}, all(HuangLeIDs()...)},
		{[]string{"compounds=huang-le", "duplicate_of="}, []string{"hl-raid-2023", "hl-zh-2024", "hl-workers-2024"}},
		{[]string{"language = zh"}, []string{"hl-zh-2024"}},
	} {
		name := strings.Join(c.filter, " AND ")
		t.Run(name, func(t *testing.T) {
			checkSet(t, name, mustSearch(t, b, search.Query{Filter: c.filter}), c.want)
		})
	}
}

func testBadFilter(t *testing.T, b search.Backend) {
	for _, c := range []struct {
		name string
		q    search.Query
		attr string // named in the error
	}{
		{"missing attribute", search.Query{Filter: []string{"colour=red"}}, "colour"},
		{"searchable but not filterable", search.Query{Text: "Huang", Filter: []string{"title=Huang"}}, "title"},
		{"not a number", search.Query{Filter: []string{"year=recent"}}, "year"},
		{"no operator", search.Query{Filter: []string{"outlet"}}, "outlet"},
		{"unknown facet", search.Query{Facets: []string{"colour"}}, "colour"},
		{"unknown sort", search.Query{Sort: "price"}, "price"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := b.Search(ctx(t), c.q)
			if !errors.Is(err, search.ErrBadFilter) {
				t.Fatalf("Search(%+v) = %v, %v; want an error wrapping ErrBadFilter", c.q, r, err)
			}
			if !strings.Contains(err.Error(), c.attr) {
				t.Errorf("error %q does not name %q", err, c.attr)
			}
		})
	}
}

func hitByID(r *search.Result, id string) (search.Hit, bool) {
	for _, h := range r.Hits {
		if h.Doc.ID == id {
			return h, true
		}
	}
	return search.Hit{}, false
}

// onlyMarks reports whether the only tags in html are <mark> and </mark>.
func onlyMarks(html string) bool {
	s := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(html)
	return !strings.ContainsAny(s, "<>")
}

func testSnippets(t *testing.T, b search.Backend) {
	t.Run("hostile text is escaped", func(t *testing.T) {
		r := mustSearch(t, b, search.Query{Text: "Golden Lotus"})
		h, ok := hitByID(r, "xss-2021")
		if !ok {
			t.Fatalf("xss-2021 not found: %v", ids(r))
		}
		t.Logf("snippet: %s", h.Snippet)
		for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;", "<mark>Golden</mark>", "<mark>Lotus</mark>"} {
			if !strings.Contains(h.Snippet, want) {
				t.Errorf("snippet %q lacks %q", h.Snippet, want)
			}
		}
		if !onlyMarks(h.Snippet) {
			t.Errorf("snippet %q has tags other than <mark>", h.Snippet)
		}
	})
	for _, tc := range []struct{ name, text, want string }{
		{"typo is highlighted", "Hwang", "<mark>Huang</mark>"},
		{"prefix is highlighted", "dormi", "<mark>dormi"},
		{"typo in a prefix is highlighted", "Dxrmi", "<mark>dormi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustSearch(t, b, search.Query{Text: tc.text})
			h, ok := hitByID(r, "hl-raid-2023")
			if !ok {
				t.Fatalf("hl-raid-2023 not found: %v", ids(r))
			}
			if !strings.Contains(h.Snippet, tc.want) || !onlyMarks(h.Snippet) {
				t.Errorf("snippet %q, want %s and no other markup", h.Snippet, tc.want)
			}
		})
	}
	t.Run("every snippet is safe", func(t *testing.T) {
		for _, q := range []string{"", "script", "alert", "img onerror", "Golden"} {
			for _, h := range mustSearch(t, b, search.Query{Text: q}).Hits {
				if !onlyMarks(h.Snippet) {
					t.Errorf("query %q: snippet of %s %q has tags other than <mark>", q, h.Doc.ID, h.Snippet)
				}
			}
		}
	})
}

func testPaging(t *testing.T, b search.Backend) {
	var got []string
	for off := 0; off < 10; off += 4 {
		r := mustSearch(t, b, search.Query{Sort: search.SortDateDesc, Limit: 4, Offset: off})
		if r.Total != len(Fixtures()) {
			t.Errorf("offset %d: Total %d, want %d", off, r.Total, len(Fixtures()))
		}
		got = append(got, ids(r)...)
	}
	if want := ids(mustSearch(t, b, search.Query{Sort: search.SortDateDesc})); !slices.Equal(got, want) {
		t.Errorf("pages %v, want %v", got, want)
	}

	// Relevance pages line up too, also across ranks ("Lee" matches
	// nothing, so all four hits rank on "Huang" alone) and off a page
	// boundary.
	want := ids(mustSearch(t, b, search.Query{Text: "Huang Lee"}))
	got = nil
	for off := range len(want) {
		r := mustSearch(t, b, search.Query{Text: "Huang Lee", Limit: 1, Offset: off})
		if r.Total != len(want) {
			t.Errorf("Huang Lee offset %d: Total %d, want %d", off, r.Total, len(want))
		}
		got = append(got, ids(r)...)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Huang Lee pages %v, want %v", got, want)
	}
	if got := ids(mustSearch(t, b, search.Query{Text: "Huang Lee", Limit: 2, Offset: 1})); len(want) >= 3 && !slices.Equal(got, want[1:3]) {
		t.Errorf("Huang Lee limit 2 offset 1: %v, want %v", got, want[1:3])
	}
}

func testGet(t *testing.T, b search.Backend) {
	for _, want := range Fixtures() {
		got, err := b.Get(ctx(t), want.ID)
		if err != nil {
			t.Fatalf("Get(%s): %v", want.ID, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Get(%s) = %+v, want %+v", want.ID, got, want)
		}
	}
	if _, err := b.Get(ctx(t), "no-such-doc"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Get(no-such-doc) = %v, want ErrNotFound", err)
	}
}

func testUpsertSameID(t *testing.T, b search.Backend) {
	d := Fixtures()[0]
	d.ID = "same-id"
	Load(t, b, []search.Doc{d})
	d2 := d
	d2.Title, d2.Text = "Replaced headline", "A different body about Bavet."
	Load(t, b, []search.Doc{d2})
	check := func(want search.Doc) {
		t.Helper()
		if n, err := b.Count(ctx(t)); err != nil || n != 1 {
			t.Fatalf("Count = %d, %v; want 1", n, err)
		}
		got, err := b.Get(ctx(t), "same-id")
		if err != nil || got.Title != want.Title {
			t.Fatalf("Get = %q, %v; want title %q", got.Title, err, want.Title)
		}
		if r := mustSearch(t, b, search.Query{Text: want.Title}); len(r.Hits) != 1 {
			t.Errorf("search %q: %d hits, want 1", want.Title, len(r.Hits))
		}
	}
	check(d2)
	if r := mustSearch(t, b, search.Query{Text: "dormitories"}); len(r.Hits) != 0 {
		t.Errorf("old version still found: %v", ids(r))
	}
	// Twice in one batch: the last one wins.
	d3 := d
	d3.Title = "Third headline"
	Load(t, b, []search.Doc{d, d3})
	check(d3)
}

func testBadIDs(t *testing.T, b search.Backend) {
	good := Fixtures()[:2]
	bad := []string{"has space", "https://example.org/a?b=c", strings.Repeat("a", 512), "", "ü-umlaut", "dot.id"}
	var docs []search.Doc
	docs = append(docs, good[0])
	for _, id := range bad {
		d := good[1]
		d.ID = id
		docs = append(docs, d)
	}
	docs = append(docs, good[1])
	rej, err := b.Upsert(ctx(t), docs)
	if err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	var got []string
	for _, r := range rej {
		if r.Reason == "" {
			t.Errorf("rejection of %q has no reason", r.ID)
		}
		got = append(got, r.ID)
	}
	if !slices.Equal(sorted(got), sorted(bad)) {
		t.Errorf("rejected %q, want %q", got, bad)
	}
	if n, err := b.Count(ctx(t)); err != nil || n != len(good) {
		t.Errorf("Count = %d, %v; want %d (the good docs of the batch)", n, err, len(good))
	}
	for _, d := range good {
		if _, err := b.Get(ctx(t), d.ID); err != nil {
			t.Errorf("Get(%s): %v", d.ID, err)
		}
	}
	// A valid 511-byte id is fine.
	long := good[0]
	long.ID = strings.Repeat("b", 511)
	Load(t, b, []search.Doc{long})
}

func testDelete(t *testing.T, b search.Backend) {
	Load(t, b, Fixtures()[:3])
	if err := b.Delete(ctx(t), Fixtures()[0].ID, Fixtures()[1].ID, "never-there"); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Count(ctx(t)); err != nil || n != 1 {
		t.Errorf("Count = %d, %v; want 1", n, err)
	}
	if _, err := b.Get(ctx(t), Fixtures()[0].ID); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Get after Delete = %v, want ErrNotFound", err)
	}
	if r := mustSearch(t, b, search.Query{Text: "dormitories"}); len(r.Hits) != 0 {
		t.Errorf("deleted docs still found: %v", ids(r))
	}
	r := mustSearch(t, b, search.Query{Facets: []string{search.FacetCompounds, search.FacetOutlet}})
	for _, f := range []string{search.FacetCompounds, search.FacetOutlet} {
		if want := facetCounts(Fixtures()[2:3], f); !maps.Equal(r.Facets[f], want) {
			t.Errorf("facet %s after Delete = %v, want %v (live docs only)", f, r.Facets[f], want)
		}
	}
}

func testEmpty(t *testing.T, b search.Backend) {
	r := mustSearch(t, b, search.Query{Text: "Huang Le", Facets: []string{search.FacetCompounds}})
	if len(r.Hits) != 0 || r.Total != 0 {
		t.Errorf("empty index: %d hits, total %d", len(r.Hits), r.Total)
	}
	if n, err := b.Count(ctx(t)); err != nil || n != 0 {
		t.Errorf("Count = %d, %v; want 0", n, err)
	}
}
