package timeline_test

import (
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
	"github.com/compoundwatch/compoundwatch/timeline"
)

// BenchmarkBuild merges the events of five timelines, ordered as the
// events query returns them. "query" is one compound's year in the
// generated corpus of BenchmarkTimeline (100,000 documents), a
// journalist's timeline. "year" is the first search.MaxEvents events of a
// year of that corpus, an editor's year in review; its sentences draw on
// one small vocabulary, so that nearly all of them merge, by chains of
// reports days apart, into a dozen entries of thousands of sources: the
// most comparing that merging can be asked to do. "distinct" is as many
// events of 500 documents over a year, each sentence its own, the year of
// a varied corpus. "one-page" is as many events of one document, one
// sentence over one month: a page built to slow the merging down.
// "copies" is one sentence of 5,000 documents on one day, a wire story
// reprinted everywhere: one entry of 5,000 sources. Each timeline is
// then written in every format.
//
//	go test ./timeline -run '^$' -bench Build -benchtime 3x
func BenchmarkBuild(b *testing.B) {
	g := searchtest.Generate(100_000, 1)
	var year []search.Event
	perCompound := map[string][]search.Event{}
	for _, d := range g.Docs {
		for _, e := range search.EventsOf(d) {
			if strings.HasPrefix(e.Date, "2023") {
				year = append(year, e)
				for _, c := range e.Compounds {
					perCompound[c] = append(perCompound[c], e)
				}
			}
		}
	}
	byDay := func(evs []search.Event) []search.Event {
		slices.SortFunc(evs, func(a, b search.Event) int { return cmp.Or(cmp.Compare(a.Day, b.Day), strings.Compare(a.ID, b.ID)) })
		return evs
	}
	r := rand.New(rand.NewPCG(3, 8))
	word := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyz"
		w := make([]byte, 3+r.IntN(6))
		for i := range w {
			w[i] = letters[r.IntN(len(letters))]
		}
		return string(w)
	}
	var distinct, onePage, copies []search.Event
	for i := range search.MaxEvents {
		words := make([]string, 14)
		for j := range words {
			words[j] = word()
		}
		e := ev(fmt.Sprintf("doc%03d", i%500), fmt.Sprintf("2023-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28)), document.Day, strings.Join(words, " ")+".")
		e.ID = fmt.Sprintf("%s-%d", e.DocID, i)
		distinct = append(distinct, e)
		e = ev("page", fmt.Sprintf("2024-05-%02d", 1+i*30/search.MaxEvents), document.Day, "officers entered the site at dawn and led out the workers.")
		e.ID = fmt.Sprintf("page-%d", i)
		onePage = append(onePage, e)
		if i < 5000 {
			e = ev(fmt.Sprintf("copy%04d", i), "2024-05-05", document.Day, "officers entered the site at dawn and led out the workers.")
			copies = append(copies, e)
		}
	}
	for _, tc := range []struct {
		name string
		evs  []search.Event
	}{
		{"query", byDay(perCompound[g.CompoundIDs[0]])},
		{"year", byDay(year)[:search.MaxEvents]},
		{"distinct", byDay(distinct)},
		{"one-page", onePage},
		{"copies", copies},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var tl timeline.Timeline
			b.Run("build", func(b *testing.B) {
				for b.Loop() {
					tl = timeline.Build(tc.evs, timeline.Options{})
				}
				b.ReportMetric(float64(len(tc.evs)), "events")
				b.ReportMetric(float64(len(tl.Entries)), "entries")
			})
			for _, f := range []string{timeline.Markdown, timeline.CSV, timeline.JSON, timeline.TimelineJS, timeline.ICS} {
				b.Run(f, func(b *testing.B) {
					for b.Loop() {
						if err := timeline.Write(io.Discard, f, tl, time.Time{}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
