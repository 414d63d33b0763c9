package embedded_test

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
)

// FuzzSearch sends hostile query text and filter values to an index of
// the fixtures (one holds a <script> payload): a search never panics or
// fails, returns no more hits than its total, and its snippets hold no
// markup but the highlight marks.
func FuzzSearch(f *testing.F) {
	x, err := embedded.Open(filepath.Join(f.TempDir(), "index"), embedded.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { x.Close() })
	searchtest.Load(f, x, searchtest.Fixtures())
	for _, s := range []struct{ text, outlet string }{
		{"Huang Lee", ""}, {"h", ""}, {"golden lotus script", ""}, {"<script>alert(1)</script>", "x"},
		{"\"majestic 2\" -casino", "Khmer Times"}, {"a b c d e f g h i j k l", ""}, {"黄乐", ""}, {"\xff\xfe", "\x00"}, {"ប៉ូលិស ព", ""}, {"ตำรวจ", ""},
	} {
		f.Add(s.text, s.outlet)
	}
	f.Fuzz(func(t *testing.T, text, outlet string) {
		q := search.Query{Text: text, Facets: []string{search.FacetCompounds, search.FacetOutlet}}
		if outlet != "" {
			q.Outlets = []string{outlet}
		}
		res, err := x.Search(t.Context(), q)
		if err != nil {
			t.Fatalf("Search(%q, outlet %q): %v", text, outlet, err)
		}
		if len(res.Hits) > res.Total {
			t.Errorf("%d hits but total %d", len(res.Hits), res.Total)
		}
		for _, h := range res.Hits {
			bare := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h.Snippet)
			if strings.ContainsAny(bare, "<>") {
				t.Errorf("snippet of %s holds markup: %q", h.Doc.ID, h.Snippet)
			}
			if !utf8.ValidString(h.Snippet) {
				t.Errorf("snippet of %s is not UTF-8: %q", h.Doc.ID, h.Snippet)
			}
		}
	})
}
