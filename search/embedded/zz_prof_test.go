package embedded

import (
	"os"
	"testing"

	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
)

func BenchmarkZZName(b *testing.B) {
	dir := "/tmp/cwprof-index"
	g := searchtest.Generate(30000, 1)
	_, statErr := os.Stat(dir)
	x, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	if statErr != nil {
		for i := 0; i < len(g.Docs); i += 1000 {
			x.Upsert(b.Context(), g.Docs[i:i+1000])
		}
	}
	qs := []search.Query{{Text: g.Compounds[3]}, {Text: g.Compounds[7]}, {Text: g.Aliases[5]}}
	if os.Getenv("ZZ_FACETS") != "" {
		for i := range qs {
			qs[i].Facets = []string{"compounds", "tycoons", "provinces", "outlet", "year", "month", "language"}
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := x.Search(b.Context(), qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
	}
}
