package web_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/web"
)

// Fixture documents, written for these tests.
const (
	urlRaid    = "https://ledger.example.org/2024/03/raid-at-huang-le"
	urlRaidDup = "https://wire.example.net/stories/huang-le-raid-copy"
	urlBavet   = "https://borderpost.example.com/bavet-transfers"
	urlJinBei  = "https://ledger.example.org/2023/11/jin-bei-licences"
	urlHostile = "https://spam.example.info/jin-bei-casino-report"
	urlLyKuong = "https://ledger.example.org/2022/06/ly-kuong-profile"
	urlBadLink = "javascript:alert(1)"

	scriptPayload = `<script>window.__pwned=1</script>`
	imgPayload    = `<img src=x onerror="window.__pwned=1">`
	alertPayload  = `<script>alert(1)</script>`
	imgAlert      = `<img src=x onerror=alert(1)>`
)

type fixture struct {
	url, outlet, date, title, text, dupOf string
	ids                                   []string
	figures                               []document.Figure
}

func fixtures() []fixture {
	return []fixture{
		{
			url: urlRaid, outlet: "Mekong Ledger", date: "2024-03-12",
			title: "Police enter the Huang Le compound before dawn",
			text: "Officers went through the gates of the Huang Le compound in Sihanoukville before dawn on Tuesday " +
				"and brought out about 700 workers, a provincial spokesman said. Several of the workers told " +
				"reporters they had been held for months and made to run online fraud scripts.",
			ids: []string{"huang-le-majestic-two", "preah-sihanouk", "ly-kuong"},
			figures: []document.Figure{{Value: 700, Unit: "people", Qualifier: "about", Subject: "workers removed",
				Text: "about 700 workers", Start: 117, End: 134}},
		},
		{
			url: urlRaidDup, outlet: "Regional Wire", date: "2024-03-13", dupOf: urlRaid,
			title: "Huang Le compound raided, hundreds freed",
			text: "Officers went through the gates of the Huang Le compound in Sihanoukville before dawn " +
				"and brought out hundreds of workers, officials said.",
			ids: []string{"huang-le-majestic-two", "preah-sihanouk"},
		},
		{
			url: urlBavet, outlet: "Border Post", date: "2023-08-02",
			title: "Families trace relatives moved from Bavet",
			text: "Relatives in Svay Rieng say workers were driven from casinos in Bavet to the Huang Le compound " +
				"on the coast last summer, and that phones were taken on arrival.",
			ids: []string{"huang-le-majestic-two", "svay-rieng"},
		},
		{
			url: urlJinBei, outlet: "Mekong Ledger", date: "2023-11-02",
			title: "Licences questioned at Jin Bei casino",
			text: "Auditors asked how the Jin Bei casino on the Ochheuteal beachfront kept its licence after " +
				"inspectors reported locked dormitories behind the gaming floor.",
			ids: []string{"jin-bei-casino-hotel", "preah-sihanouk"},
		},
		{
			url: urlHostile, outlet: "Spam Digest", date: "2024-01-20",
			title: "Jin Bei casino report " + scriptPayload + imgPayload,
			text: "A scraped page about the Jin Bei casino carried markup " + scriptPayload + " and " + imgPayload +
				" and also " + alertPayload + " plus " + imgAlert + " inside its body text.",
			ids: []string{"jin-bei-casino-hotel", "preah-sihanouk"},
			figures: []document.Figure{{Value: 3, Unit: "floors", Subject: imgAlert,
				Text: "3 floors " + alertPayload}},
		},
		{
			url: urlLyKuong, outlet: "Mekong Ledger", date: "2022-06-30",
			title: "Who is Ly Kuong?",
			text: "A profile of the businessman Ly Kuong, whose companies were named in filings about the " +
				"Huang Le compound.",
			ids: []string{"ly-kuong", "huang-le-majestic-two", "preah-sihanouk"},
		},
		{
			url: urlBadLink, outlet: "Odd Feed", date: "2021-02-02",
			title: "A feed item with a script link about Kampot",
			text:  "This item about Kampot came with a javascript link instead of a web address.",
			ids:   []string{"kampot"},
		},
	}
}

var loadGaz = sync.OnceValues(gazetteer.Default)

func testGazetteer(t testing.TB) *gazetteer.Gazetteer {
	t.Helper()
	g, err := loadGaz()
	if err != nil {
		t.Fatalf("gazetteer: %v", err)
	}
	return g
}

// fixtureDocs tags the fixtures with the given ids, as the extractor would.
func fixtureDocs(t testing.TB, g *gazetteer.Gazetteer) []search.Doc {
	t.Helper()
	var docs []search.Doc
	for _, f := range fixtures() {
		raw := document.Raw{Source: f.url, Title: f.title, Published: f.date, Outlet: f.outlet, Text: f.text, DuplicateOf: f.dupOf, Language: "en"}
		raw.Finalize()
		tg := document.Tagged{Raw: raw, Figures: f.figures}
		for _, id := range f.ids {
			r, ok := g.Entity(id)
			if !ok {
				t.Fatalf("fixture entity %q not in the gazetteer", id)
			}
			tg.Entities = append(tg.Entities, document.Entity{Type: r.Type, ID: id, Name: r.Name, Kind: r.Kind, Known: true, Confidence: 1})
		}
		docs = append(docs, search.FromTagged(tg, g.AppendAliases))
	}
	return docs
}

// newBackend opens an embedded index holding the fixtures.
func newBackend(t testing.TB) search.Backend {
	t.Helper()
	ix, err := embedded.Open(t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatalf("open embedded index: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	rej, err := ix.Upsert(context.Background(), fixtureDocs(t, testGazetteer(t)))
	if err != nil || len(rej) > 0 {
		t.Fatalf("index fixtures: %v %v", rej, err)
	}
	return ix
}

// newServer serves the fixtures over the embedded backend.
func newServer(t testing.TB, opts web.Options) *httptest.Server {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	srv := httptest.NewServer(web.New(newBackend(t), testGazetteer(t), opts))
	t.Cleanup(srv.Close)
	return srv
}
