package extractor

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer/gazettest"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// benchBytes is the minimum volume of text a benchmark iteration
// extracts, 50 MB, so that caches cannot hold the whole input.
// CW_BENCH_MB sets another: with 1, callgrind counts the instructions of
// a pass in seconds, a measure that, unlike the time, the other work on
// a shared machine does not move (see docs/throughput.md, Instructions).
func benchBytes(tb testing.TB) int {
	tb.Helper()
	return repotest.EnvInt(tb, "CW_BENCH_MB", 50, 1) << 20
}

// BenchmarkExtract measures throughput (MB/s via SetBytes; one goroutine,
// so per core) and allocations per document, with the shipped gazetteer
// padded to at least 2,000 patterns (it has about 1,200), so the figure
// holds for a grown gazetteer.
//
//	go test ./extractor/ -run '^$' -bench BenchmarkExtract -benchtime 3x -cpu 1
func BenchmarkExtract(b *testing.B) {
	g := gazettest.Padded(b, 2000)
	x := New(g)
	b.Run("shared", func(b *testing.B) {
		c := sharedCorpus(b)
		var texts []string
		for _, base := range c.docNames {
			raw, err := os.ReadFile(filepath.Join(c.docsDir, base+".txt"))
			if err != nil {
				b.Fatal(err)
			}
			texts = append(texts, string(raw))
		}
		docs := repeat(texts, benchBytes(b))
		b.Run("extract", func(b *testing.B) { benchDocs(b, docs, extractAll(x), g.Patterns()) })
		b.Run("figures+events", func(b *testing.B) { benchDocs(b, docs, figuresAndEvents, 0) })
	})
	b.Run("generated", func(b *testing.B) {
		docs := repeat(generatedDocs(200), benchBytes(b))
		b.Run("extract", func(b *testing.B) { benchDocs(b, docs, extractAll(x), g.Patterns()) })
		b.Run("figures+events", func(b *testing.B) { benchDocs(b, docs, figuresAndEvents, 0) })
	})
	// The articles the pipeline's benchmarks ingest: sentences of the
	// examples, three or four in five of which name an entity, a date or
	// a figure.
	b.Run("articles", func(b *testing.B) {
		docs := repeat(repotest.Articles(b, repotest.BenchDocs(b, 2000)), benchBytes(b))
		b.Run("extract", func(b *testing.B) { benchDocs(b, docs, extractAll(x), g.Patterns()) })
		b.Run("figures+events", func(b *testing.B) { benchDocs(b, docs, figuresAndEvents, 0) })
		b.Run("contexts", func(b *testing.B) { benchContexts(b, x, docs) })
	})
}

// BenchmarkExtractHostile runs Extract on texts built so that a rule's
// work would grow faster than the text: one paragraph of dates without a
// year (each looks back for the date that gives it one), one sentence of
// "since" dates (each asks whether another date shares its sentence), one
// site name said over and over (each saying is checked against the
// name's mentions), a run of weekdays (each looks ahead for the date it
// names), and one sentence saying one fact over and over (each saying is
// checked against the fact's first mention). A page of the web can be any of these. Each runs at 40
// and 400 KB: the work is linear where the two sizes run at the same MB/s.
// Before these rules kept their place, 40 KB of the first took 28.4 s.
//
//	go test ./extractor -run '^$' -bench ExtractHostile -benchtime 3x
func BenchmarkExtractHostile(b *testing.B) {
	x := New(gazettest.Padded(b, 2000))
	for _, tc := range []struct{ name, unit string }{
		{"yearless", "in June and in July "},
		{"since", "since late June "},
		{"one-name", "the Golden compound "},
		{"weekdays", "on Monday, Tuesday "},
		{"one-fact", "and 35 suspects "},
	} {
		for _, kb := range []int{40, 400} {
			text := strings.Repeat(tc.unit, kb<<10/len(tc.unit))
			b.Run(fmt.Sprintf("%s/%dKB", tc.name, kb), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					x.Extract(document.Raw{Text: text, Published: "2024-06-01"})
				}
			})
		}
	}
}

// benchContexts measures what `extract` adds to Extract for its output:
// the context of every mention (Output, Tagged.CutContexts), MB/s of the
// documents' text.
func benchContexts(b *testing.B, x *Extractor, docs []string) {
	tagged := make([]document.Tagged, len(docs))
	total := 0
	for i, d := range docs {
		tagged[i] = x.Extract(document.Raw{Text: d})
		total += len(d)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range tagged {
			for _, e := range t.Entities {
				for i := range e.Mentions {
					e.Mentions[i].Context = ""
				}
			}
			t.CutContexts()
		}
	}
}

func extractAll(x *Extractor) func(string) {
	return func(text string) { x.Extract(document.Raw{Text: text}) }
}

// figuresAndEvents isolates this file's share of Extract: the token scan,
// figures and events, without entity matching.
func figuresAndEvents(text string) {
	s := newScanner(text, tokenize(nil, text))
	figuresIn(s)
	eventsIn(s, "", nil)
}

// repeat copies texts (fresh memory for each copy) until they reach
// size bytes.
func repeat(texts []string, size int) []string {
	var docs []string
	total := 0
	for total < size {
		for _, t := range texts {
			docs = append(docs, strings.Clone(t))
			total += len(t)
		}
	}
	return docs
}

// benchDocs runs extract over docs; patterns, when not 0, is reported
// with the result so the figure says what gazetteer size it holds for.
func benchDocs(b *testing.B, docs []string, extract func(string), patterns int) {
	total := 0
	for _, d := range docs {
		total += len(d)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	// One pass untimed: the extractor stage is a long-running process,
	// and the first pass over the documents in a fresh one ran 14-16%
	// slower than every later pass (shared corpus, -count 3: 43.9-44.8
	// MB/s, then 49-52), while a warm-up over the first tenth of them
	// did not close the gap.
	for _, d := range docs {
		extract(d)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			extract(d)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*len(docs)), "allocs/doc")
	b.ReportMetric(float64(len(docs)), "docs/op")
	if patterns > 0 {
		b.ReportMetric(float64(patterns), "patterns")
	}
}

// generatedDocs writes news-like documents of about 8 KB from templates,
// with varied numbers, dates and places, so the benchmark runs without the
// shared corpus.
func generatedDocs(n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	months := []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	places := []string{"Sihanoukville", "Bavet", "Poipet", "Phnom Penh", "Kampot", "Pailin", "Koh Kong", "Kandal"}
	quals := []string{"", "at least ", "more than ", "nearly ", "about ", "an estimated ", "up to ", "over "}
	nouns := []string{"people", "victims", "workers", "suspects", "complaints", "sites", "compounds", "foreign nationals"}
	templates := []func() string{
		func() string {
			return fmt.Sprintf("On %s %d, %d, police in %s said they had rescued %s%d %s from a guarded compound.",
				months[r.IntN(12)], 1+r.IntN(28), 2019+r.IntN(6), places[r.IntN(len(places))], quals[r.IntN(len(quals))], 10+r.IntN(5000), nouns[r.IntN(len(nouns))])
		},
		func() string {
			return fmt.Sprintf("In %s %d, investigators estimated the scheme had taken $%d.%d million from victims in %d countries.",
				months[r.IntN(12)], 2019+r.IntN(6), 1+r.IntN(900), r.IntN(10), 2+r.IntN(30))
		},
		func() string {
			return fmt.Sprintf("The ministry said %d%% of the %d complaints it received were resolved within %d months, compared with %d in the previous year.",
				r.IntN(100), 100+r.IntN(900), 2+r.IntN(10), 50+r.IntN(900))
		},
		func() string {
			return fmt.Sprintf("Residents of %s described buildings ringed by razor wire, and a guard who said %s workers had left since the Tier %d ranking was announced.",
				places[r.IntN(len(places))], []string{"three", "ten", "a dozen", "a thousand", "dozens of", "hundreds of"}[r.IntN(6)], 1+r.IntN(3))
		},
		func() string {
			return "Rights groups said the crackdown was uneven and that many operations had simply moved across the border or to another province."
		},
	}
	docs := make([]string, n)
	for i := range docs {
		var sb strings.Builder
		for sb.Len() < 8<<10 {
			for k := 0; k < 4; k++ {
				sb.WriteString(templates[r.IntN(len(templates))]())
				sb.WriteByte(' ')
			}
			sb.WriteString("\n\n")
		}
		docs[i] = sb.String()
	}
	return docs
}
