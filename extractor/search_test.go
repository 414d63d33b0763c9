package extractor_test

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/search/meili"
)

// TestVariantFoundBySearch: a story that spells the Bavet casino "Mok Bay
// Casino" is tagged with the known Moc Bai casino, so a search for "Moc
// Bai Casino", or a filter on the entity, finds it on both backends. The
// story is written for this test.
func TestVariantFoundBySearch(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	x := extractor.New(g)
	docs := []document.Raw{
		{ID: "mokbay", Source: "test://mokbay", Title: "Workers flee a border casino", Published: "2024-05-06",
			Text: "Dozens of workers climbed the back wall of Mok Bay Casino in Bavet on Sunday night and walked to the police post, a resident said."},
		{ID: "other", Source: "test://other", Title: "Quiet week at the port", Published: "2024-05-07",
			Text: "Dock workers in Sihanoukville said the casino trade had slowed since the spring."},
	}
	var indexed []search.Doc
	for _, raw := range docs {
		tagged := x.Extract(raw)
		indexed = append(indexed, search.FromTagged(tagged, g.AppendAliases))
	}
	if !slices.Contains(indexed[0].Compounds, "bavet-moc-bai-casino") {
		t.Fatalf("Mok Bay Casino was not tagged as bavet-moc-bai-casino: compounds %q", indexed[0].Compounds)
	}

	backends := map[string]func(t *testing.T) search.Backend{
		"embedded": func(t *testing.T) search.Backend {
			b, err := embedded.Open(filepath.Join(t.TempDir(), "index"), embedded.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			return b
		},
		"meilisearch": func(t *testing.T) search.Backend {
			url, key := os.Getenv("MEILI_URL"), os.Getenv("MEILI_API_KEY")
			if url == "" {
				t.Skip("set MEILI_URL and MEILI_API_KEY to run against a real Meilisearch (see .ci/meili.sh)")
			}
			name := "cwtest_variant_" + rand.Text()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			b, err := meili.Open(ctx, url, key, name, meili.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				b.DeleteIndex(ctx)
				b.Close()
			})
			return b
		},
	}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			b := open(t)
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			if rej, err := b.Upsert(ctx, indexed); err != nil || len(rej) > 0 {
				t.Fatalf("upsert: %v %v", rej, err)
			}
			for _, q := range []search.Query{{Text: "Moc Bai Casino"}, {Compounds: []string{"bavet-moc-bai-casino"}}} {
				res, err := b.Search(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, h := range res.Hits {
					ids = append(ids, h.Doc.ID)
				}
				if len(ids) == 0 || ids[0] != "mokbay" || slices.Contains(ids, "other") {
					t.Errorf("%+v: hits %q, want the Mok Bay story first and not the port story", q, ids)
				}
			}
		})
	}
}
