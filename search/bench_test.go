package search_test

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/search/meili"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
	"github.com/compoundwatch/compoundwatch/timeline"
)

// BenchmarkBackends indexes a generated corpus into each backend and
// measures indexing throughput and query latency (p50/p99) for name,
// filtered, faceted, keystroke (a name cut short, as typed) and browse (no
// text, all facets, date sort) queries.
// 100,000 documents by default; CW_BENCH_DOCS overrides. Run once:
//
//	go test -run '^$' -bench Backends -benchtime 1x ./search/
//
// The Meilisearch part needs MEILI_URL and MEILI_API_KEY (see .ci/meili.sh).
func BenchmarkBackends(b *testing.B) {
	g := searchtest.Generate(benchDocs(b), 1)
	b.Run("embedded", func(b *testing.B) {
		x, err := embedded.Open(filepath.Join(b.TempDir(), "index"), embedded.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer x.Close()
		benchBackend(b, x, g)
	})
	b.Run("meili", func(b *testing.B) {
		url, key := os.Getenv("MEILI_URL"), os.Getenv("MEILI_API_KEY")
		if url == "" {
			b.Skip("set MEILI_URL and MEILI_API_KEY to run against a real Meilisearch (see .ci/meili.sh)")
		}
		ctx := context.Background()
		x, err := meili.Open(ctx, url, key, "cwbench_"+crand.Text(), meili.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer func() {
			x.DeleteIndex(context.Background())
			x.Close()
		}()
		benchBackend(b, x, g)
	})
}

// typo changes the second letter of the longest word of s (if it has
// five letters or more, so one typo is tolerated).
func typo(s string) string {
	ws := strings.Fields(s)
	best := -1
	for i, w := range ws {
		if len(w) >= 5 && (best < 0 || len(w) > len(ws[best])) {
			best = i
		}
	}
	if best < 0 {
		return s
	}
	w := []byte(ws[best])
	if w[1] == 'x' {
		w[1] = 'z'
	} else {
		w[1] = 'x'
	}
	ws[best] = string(w)
	return strings.Join(ws, " ")
}

func benchBackend(b *testing.B, be search.Backend, g *searchtest.Generated) {
	ctx := context.Background()
	const batch = 1000
	start := time.Now()
	for i := 0; i < len(g.Docs); i += batch {
		rej, err := be.Upsert(ctx, g.Docs[i:min(i+batch, len(g.Docs))])
		if err != nil || len(rej) > 0 {
			b.Fatalf("Upsert: %v, rejected %v", err, rej)
		}
	}
	indexing := time.Since(start)
	if c, err := be.Count(ctx); err != nil || c != len(g.Docs) {
		b.Fatalf("Count = %d, %v; want %d", c, err, len(g.Docs))
	}
	b.ReportMetric(float64(len(g.Docs))/indexing.Seconds(), "index-docs/s")

	r := rand.New(rand.NewPCG(2, 3))
	nameText := func() string {
		i := r.IntN(len(g.Compounds))
		switch r.IntN(4) {
		case 0:
			return g.Aliases[i]
		case 1:
			return typo(g.Compounds[i])
		case 2: // typing: the last word cut short
			s := g.Compounds[i]
			return s[:len(s)-2]
		}
		return g.Compounds[i]
	}
	year := func() (time.Time, time.Time) {
		y := 2019 + r.IntN(7)
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	facets := []string{search.FacetCompounds, search.FacetTycoons, search.FacetProvinces, search.FacetOutlet,
		search.FacetYear, search.FacetMonth, search.FacetLanguage}
	kinds := []struct {
		name string
		q    func() search.Query
	}{
		{"name", func() search.Query { return search.Query{Text: nameText()} }},
		{"filtered", func() search.Query {
			from, to := year()
			return search.Query{Text: nameText(), Provinces: []string{g.Provinces[r.IntN(len(g.Provinces))]},
				From: from, To: to, Sort: search.SortDateDesc}
		}},
		{"faceted", func() search.Query { return search.Query{Text: nameText(), Facets: facets} }},
		// keystroke is what the page's search-as-you-type sends: a name cut
		// at any length, one letter included, with the page's facets.
		{"keystroke", func() search.Query {
			s := g.Compounds[r.IntN(len(g.Compounds))]
			return search.Query{Text: s[:1+r.IntN(len(s))], Facets: facets}
		}},
		{"browse", func() search.Query {
			return search.Query{Facets: facets, Sort: search.SortDateDesc, Outlets: []string{g.Outlets[r.IntN(len(g.Outlets))]}}
		}},
	}
	const runs = 300
	var table []string
	for _, k := range kinds {
		for range 20 { // warm up
			if _, err := be.Search(ctx, k.q()); err != nil {
				b.Fatal(err)
			}
		}
		lat := make([]time.Duration, runs)
		hits := 0
		for i := range runs {
			q := k.q()
			t0 := time.Now()
			res, err := be.Search(ctx, q)
			lat[i] = time.Since(t0)
			if err != nil {
				b.Fatalf("%s %+v: %v", k.name, q, err)
			}
			hits += res.Total
		}
		slices.Sort(lat)
		p50, p99 := lat[runs/2], lat[runs*99/100]
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(ms(p50), k.name+"-p50-ms")
		b.ReportMetric(ms(p99), k.name+"-p99-ms")
		table = append(table, fmt.Sprintf("%-8s p50 %6.2f ms  p99 %6.2f ms  (avg total %d)", k.name, ms(p50), ms(p99), hits/runs))
	}
	b.Logf("%d docs indexed in %s (%.0f docs/s)\n%s", len(g.Docs), indexing.Round(time.Millisecond),
		float64(len(g.Docs))/indexing.Seconds(), strings.Join(table, "\n"))
}

// BenchmarkTimeline measures the timeline queries an editor runs: one
// year of one compound, and a whole year of everything (a year in
// review), over a generated corpus (100,000 documents by default,
// CW_BENCH_DOCS overrides), the events query plus merging, on each
// backend. Run once:
//
//	go test -run '^$' -bench Timeline -benchtime 1x ./search/
func BenchmarkTimeline(b *testing.B) {
	g := searchtest.Generate(benchDocs(b), 1)
	b.Run("embedded", func(b *testing.B) {
		x, err := embedded.Open(filepath.Join(b.TempDir(), "index"), embedded.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer x.Close()
		benchTimeline(b, x, x, g)
	})
	b.Run("meili", func(b *testing.B) {
		url, key := os.Getenv("MEILI_URL"), os.Getenv("MEILI_API_KEY")
		if url == "" {
			b.Skip("set MEILI_URL and MEILI_API_KEY to run against a real Meilisearch (see .ci/meili.sh)")
		}
		ctx := context.Background()
		x, err := meili.Open(ctx, url, key, "cwbench_"+crand.Text(), meili.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer func() {
			x.DeleteIndex(context.Background())
			x.Close()
		}()
		benchTimeline(b, x, x, g)
	})
}

func benchTimeline(b *testing.B, be search.Backend, es search.EventStore, g *searchtest.Generated) {
	ctx := context.Background()
	const batch = 1000
	start := time.Now()
	for i := 0; i < len(g.Docs); i += batch {
		rej, err := be.Upsert(ctx, g.Docs[i:min(i+batch, len(g.Docs))])
		if err != nil || len(rej) > 0 {
			b.Fatalf("Upsert: %v, rejected %v", err, rej)
		}
	}
	indexing := time.Since(start)
	r := rand.New(rand.NewPCG(4, 5))
	query := func() search.EventQuery {
		y := 2019 + r.IntN(7)
		return search.EventQuery{Entities: []string{g.CompoundIDs[r.IntN(len(g.CompoundIDs))]},
			From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)}
	}
	const runs = 200
	lat := make([]time.Duration, runs)
	events, entries := 0, 0
	const warmup = 100 // also lets the index finish merging the bulk load
	for i := range runs + warmup {
		q := query()
		t0 := time.Now()
		evs, err := es.Events(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		tl := timeline.Build(evs, timeline.Options{})
		if i < warmup {
			continue
		}
		lat[i-warmup] = time.Since(t0)
		events += len(evs)
		entries += len(tl.Entries) + len(tl.ToCheck)
	}
	slices.Sort(lat)
	p50, p99 := lat[runs/2], lat[runs*99/100]
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(p50), "timeline-p50-ms")
	b.ReportMetric(ms(p99), "timeline-p99-ms")
	b.Logf("%d docs (%d events) indexed in %s; one-year one-compound timeline: p50 %.2f ms, p99 %.2f ms (avg %d events, %d entries)",
		len(g.Docs), 2*len(g.Docs), indexing.Round(time.Millisecond), ms(p50), ms(p99), events/runs, entries/runs)
	// An editor's year in review: a whole year, no filter, up to
	// search.MaxEvents events (the generated corpus has about 28,500 a
	// year at 100,000 documents), the query and the merging timed apart.
	const years = 7
	var ql, ml []time.Duration
	events, entries = 0, 0
	for i := range years {
		y := 2019 + i
		q := search.EventQuery{From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)}
		t0 := time.Now()
		evs, err := es.Events(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		tl := timeline.Build(evs, timeline.Options{})
		ql, ml = append(ql, t1.Sub(t0)), append(ml, time.Since(t1))
		events += len(evs)
		entries += len(tl.Entries) + len(tl.ToCheck)
	}
	slices.Sort(ql)
	slices.Sort(ml)
	b.ReportMetric(ms(ql[years/2]), "year-query-p50-ms")
	b.ReportMetric(ms(ml[years/2]), "year-merge-p50-ms")
	b.Logf("a whole year, no filter (%d years): query p50 %.0f ms, max %.0f ms; merge p50 %.0f ms, max %.0f ms (avg %d events, %d entries)",
		years, ms(ql[years/2]), ms(ql[years-1]), ms(ml[years/2]), ms(ml[years-1]), events/years, entries/years)
}

// benchDocs is how many documents a benchmark generates: 100,000, or
// CW_BENCH_DOCS.
func benchDocs(b *testing.B) int { return repotest.BenchDocs(b, 100_000) }
