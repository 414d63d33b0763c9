package search_test

import (
	"slices"
	"testing"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/search"
)

// TestFromTaggedNames holds a document's searchable entity names to
// their definition, every entity's name, the text of every mention and
// its aliases, sorted and each once, on tagged articles dense in names
// (FromTagged skips a mention's spelling its entity already gave).
func TestFromTaggedNames(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	x := extractor.New(g)
	// The gazetteer's aliases come sorted and each once, merged as they
	// are; these do not, sorted first.
	unsorted := func(id string) []string { return []string{"alias of " + id, "Huang Le"} }
	repeated := 0
	for i, text := range repotest.Articles(t, 200) {
		tg := x.Extract(document.Raw{ID: "doc", Text: text})
		for _, aliases := range []struct {
			of    func(id string) []string // an entity's, by definition
			union search.AliasFunc         // what FromTagged gets
		}{
			{func(id string) []string { r, _ := g.Entity(id); return r.Aliases }, g.AppendAliases},
			{unsorted, func(dst, ids []string) []string {
				for _, id := range ids {
					dst = append(dst, unsorted(id)...)
				}
				return dst
			}},
			{nil, nil},
		} {
			var want []string
			for _, e := range tg.Entities {
				want = append(want, e.Name)
				for _, m := range e.Mentions {
					want = append(want, m.Text)
				}
				if aliases.of != nil {
					want = append(want, aliases.of(e.ID)...)
				}
			}
			repeated += len(want)
			slices.Sort(want)
			want = slices.Compact(want)
			repeated -= len(want)
			if got := search.FromTagged(tg, aliases.union).EntityNames; !slices.Equal(got, want) {
				t.Fatalf("article %d: entity names\n%q\nwant\n%q", i, got, want)
			}
		}
	}
	if names := search.FromTagged(document.Tagged{}, g.AppendAliases).EntityNames; names == nil {
		t.Error("a document without entities has nil entity names, which JSON writes as null")
	}
	if repeated == 0 {
		t.Fatal("no name repeated in any article: the test shows nothing")
	}
}

// BenchmarkFromTagged converts tagged articles into search documents, as
// the indexer stage does with every document it receives, with the
// entities' aliases.
func BenchmarkFromTagged(b *testing.B) {
	g, err := gazetteer.Default()
	if err != nil {
		b.Fatal(err)
	}
	x := extractor.New(g)
	var tagged []document.Tagged
	for _, text := range repotest.Articles(b, 200) {
		tagged = append(tagged, x.Extract(document.Raw{ID: "doc", Text: text}))
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, tg := range tagged {
			search.FromTagged(tg, g.AppendAliases)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(tagged))/1e3, "µs/doc")
}
