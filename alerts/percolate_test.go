package alerts

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/search"
)

func tag(t testing.TB, x *extractor.Extractor, title, outlet, text string) *document.Tagged {
	t.Helper()
	raw := document.Raw{Source: "/docs/" + title, Title: title, Outlet: outlet, Text: text}
	raw.Finalize()
	tg := x.Extract(raw)
	return &tg
}

// percolator validates specs as Atom subscriptions and compiles them.
func percolator(tb testing.TB, g *gazetteer.Gazetteer, specs ...Spec) *Percolator {
	tb.Helper()
	v := Validator{Gazetteer: g}
	var subs []*Subscription
	for _, s := range specs {
		s.Atom = true
		sub, err := v.New(s)
		if err != nil {
			tb.Fatal(err)
		}
		subs = append(subs, sub)
	}
	p, err := NewPercolator(subs, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestPercolator(t *testing.T) {
	g := testGazetteer(t)
	v := Validator{Gazetteer: g}
	mk := func(s Spec) *Subscription {
		s.Atom = true
		sub, err := v.New(s)
		if err != nil {
			t.Fatal(err)
		}
		return sub
	}
	zh := mk(Spec{Entities: []string{"黄乐"}})
	both := mk(Spec{Entities: []string{"Huang Le", "Preah Sihanouk"}})
	typo := mk(Spec{Query: "trafficking victims"})
	filtered := mk(Spec{Query: "raid", Provinces: []string{"Banteay Meanchey"}})
	outlet := mk(Spec{Outlets: []string{"Mekong Wire"}})
	fraud := mk(Spec{Query: "诈骗园区"})   // scam compound, simplified
	fraudHant := mk(Spec{Query: "詐騙"}) // scam, traditional
	p, err := NewPercolator([]*Subscription{zh, both, typo, filtered, outlet, fraud, fraudHant}, nil)
	if err != nil {
		t.Fatal(err)
	}
	x := extractor.New(g)
	for _, tc := range []struct {
		name, outlet, text string
		want               []*Subscription
	}{
		{"alias in Latin script", "Mekong Wire",
			"Police in Sihanoukville searched the Majestic 2 building on Monday. About 300 workers were inside.",
			[]*Subscription{zh, both, outlet}},
		{"Chinese script", "",
			"警方周一搜查了黄乐园区，发现三百名工人。",
			[]*Subscription{zh, both}},
		// Police raided a scam compound on Tuesday and freed fifty
		// workers, in traditional characters, and the same in
		// simplified ones: saved searches in either script match both.
		{"traditional script", "",
			"警方週二突襲一處詐騙園區，解救了五十名勞工。",
			[]*Subscription{fraud, fraudHant}},
		{"simplified script", "",
			"警方周二突袭一处诈骗园区，解救了五十名劳工。",
			[]*Subscription{fraud, fraudHant}},
		// Fraud suspects were seen in a park (公园) near the
		// neighbourhood (社区): 园 and 区 are there, and 诈骗, but not
		// 园区, the pair the query asks for.
		{"characters of the query apart", "",
			"有人在社区附近的公园里看到诈骗嫌疑人。",
			[]*Subscription{fraudHant}},
		{"query with a typo", "",
			"A report on trafficing victims held near the border.",
			[]*Subscription{typo}},
		{"query and filter", "",
			"A raid in Poipet, Banteay Meanchey province, freed 120 workers on Tuesday.",
			[]*Subscription{filtered}},
		{"filter fails", "",
			"A raid in Kampot freed 120 workers on Tuesday.",
			nil},
		{"nothing", "", "The weather was fine and the market was busy.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits := p.Match(tag(t, x, tc.name, tc.outlet, tc.text))
			var got []string
			for _, h := range hits {
				got = append(got, h.Sub.ID)
			}
			var want []string
			for _, s := range tc.want {
				want = append(want, s.ID)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("matched %v, want %v", got, want)
			}
		})
	}
}

// With no saved search among the subscriptions the percolator skips the
// words of the text: entity subscriptions still match, with passages.
func TestPercolatorEntitiesOnly(t *testing.T) {
	g := testGazetteer(t)
	p := percolator(t, g, Spec{Entities: []string{"Huang Le"}})
	text := "Police searched the Majestic 2 compound in Sihanoukville. About 300 workers were found."
	hits := p.Match(tag(t, extractor.New(g), "t", "", text))
	if len(hits) != 1 || len(hits[0].Matches) != 1 || len(hits[0].Matches[0].Mentions) != 1 {
		t.Fatalf("hits = %+v, want one match with one passage", hits)
	}
	if mn := hits[0].Matches[0].Mentions[0]; text[mn.Start:mn.End] != mn.Text || !strings.HasPrefix(mn.Context, "Police searched") {
		t.Errorf("passage %+v does not point into the text", mn)
	}
	if empty, _ := NewPercolator(nil, nil); empty.Match(tag(t, extractor.New(g), "t", "", text)) != nil {
		t.Error("a percolator without subscriptions matched")
	}
}

// A saved search in Khmer or Thai matches a word inside a run of text
// written without spaces, as search finds it, and quotes it; one for a
// word the text lacks does not match (it used to have no words at all and
// never matched).
func TestPercolatorUnspaced(t *testing.T) {
	g := testGazetteer(t)
	p := percolator(t, g, Spec{Query: "ពលករ"}, Spec{Query: "ខ្មែរ"}, Spec{Query: "คาสิโน"})
	x := extractor.New(g)
	// Police freed 300 workers; police searched a casino in Poipet.
	text := "ប៉ូលិសបានរំដោះពលករ ៣០០ នាក់។ ตำรวจบุกค้นคาสิโนในปอยเปต"
	var got []string
	for _, h := range p.Match(tag(t, x, "t", "", text)) {
		got = append(got, h.Sub.Query.Text)
		for _, mn := range h.Matches[0].Mentions {
			if text[mn.Start:mn.End] != mn.Text || !strings.Contains(mn.Context, mn.Text) {
				t.Errorf("%s: passage %+v does not point into the text", h.Sub.Query.Text, mn)
			}
		}
		if ms := h.Matches[0].Mentions; len(ms) != 1 || ms[0].Text != h.Sub.Query.Text {
			t.Errorf("%s: passages %+v, want the one word", h.Sub.Query.Text, ms)
		}
	}
	if want := []string{"ពលករ", "คาสิโน"}; !slices.Equal(got, want) {
		t.Errorf("matched %q, want %q", got, want)
	}
}

// One hit per subscription, listing every entity matched, with the
// sentence and figures of each mention.
func TestPercolatorOneHitListsAll(t *testing.T) {
	g := testGazetteer(t)
	sub, err := Validator{Gazetteer: g}.New(Spec{Entities: []string{"Huang Le", "Preah Sihanouk"}, Query: "workers", Atom: true})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := NewPercolator([]*Subscription{sub}, nil)
	text := "Officials in Preah Sihanouk said nothing. Police searched the Majestic 2 compound and found 300 workers. Huang Le was closed."
	hits := p.Match(tag(t, extractor.New(g), "t", "", text))
	if len(hits) != 1 {
		t.Fatalf("%d hits, want 1", len(hits))
	}
	var labels []string
	for _, m := range hits[0].Matches {
		if m.Entity != nil {
			labels = append(labels, m.Entity.ID)
		} else {
			labels = append(labels, "query")
		}
		for _, mn := range m.Mentions {
			if text[mn.Start:mn.End] != mn.Text || !strings.Contains(mn.Context, mn.Text) {
				t.Errorf("mention %+v does not point into the text", mn)
			}
		}
	}
	if want := []string{"huang-le-majestic-two", "preah-sihanouk", "query"}; !slices.Equal(labels, want) {
		t.Errorf("matches %v, want %v", labels, want)
	}
	huang := hits[0].Matches[0]
	if len(huang.Mentions) != 2 || len(huang.Figures) == 0 || !strings.Contains(huang.Figures[0].Text, "300") {
		t.Errorf("Huang Le match = %+v, want two mentions and the 300 workers figure", huang)
	}
}

// TestFiguresNear: a match quotes the figures of the sentences its
// mentions are in, in the document's order, and no others.
func TestFiguresNear(t *testing.T) {
	text := "Raid freed 300 workers. Nothing here, 12 of them. Huang Le held 40 and 50. Across 7. the line"
	at := func(s string) (int, int) { i := strings.Index(text, s); return i, i + len(s) }
	fig := func(s string) document.Figure { a, b := at(s); return document.Figure{Text: s, Start: a, End: b} }
	men := func(s string) MentionRef { a, b := at(s); return MentionRef{Text: s, Start: a, End: b} }
	tg := &document.Tagged{}
	tg.Text = text
	// Out of text order, one across a sentence's end.
	tg.Figures = []document.Figure{fig("50"), fig("12"), fig("300"), fig("40"), fig("7. the")}
	var got []string
	for _, f := range figuresNear(tg, []MentionRef{men("Huang Le"), men("Raid")}) {
		got = append(got, f.Text)
	}
	if want := []string{"50", "300", "40"}; !slices.Equal(got, want) {
		t.Errorf("figures %q, want %q", got, want)
	}
	if got := figuresNear(tg, nil); got != nil {
		t.Errorf("no mentions: figures %v", got)
	}
}

func BenchmarkPercolate(b *testing.B) {
	g := testGazetteer(b)
	v := Validator{Gazetteer: g}
	var subs []*Subscription
	recs := g.Records("")
	words := []string{"trafficking", "rescued", "casino", "raid", "workers", "deported", "sanctions", "investors"}
	for i := range 1000 {
		s := Spec{Atom: true}
		if i%2 == 0 {
			s.Entities = []string{recs[i%len(recs)].ID}
		} else {
			s.Query = fmt.Sprintf("%s %s", words[i%len(words)], words[(i/8)%len(words)])
		}
		sub, err := v.New(s)
		if err != nil {
			b.Fatal(err)
		}
		subs = append(subs, sub)
	}
	p, _ := NewPercolator(subs, nil)
	doc := tag(b, extractor.New(g), "bench", "", strings.Repeat("Police raided the Majestic 2 casino in Sihanoukville and rescued 300 workers, officials said. ", 40))
	b.ResetTimer()
	for b.Loop() {
		p.Match(doc)
	}
}

// FuzzMatch feeds hostile text through the percolator: no panic, and
// every quoted mention points into the text with its sentence around it.
func FuzzMatch(f *testing.F) {
	g := testGazetteer(f)
	p := percolator(f, g, Spec{Entities: []string{"Huang Le", "Preah Sihanouk"}}, Spec{Query: "forced labour"},
		Spec{Query: "黄乐 园区"}, Spec{Query: "raid", Provinces: []string{"Banteay Meanchey"}})
	x := extractor.New(g)
	// Seeds: testdata/fuzz/FuzzMatch.
	f.Fuzz(func(t *testing.T, text string) {
		raw := document.Raw{Source: "/fuzz.txt", Title: "fuzz", Text: text}
		raw.Finalize()
		tg := x.Extract(raw)
		for _, h := range p.Match(&tg) {
			for _, m := range h.Matches {
				for _, mn := range m.Mentions {
					if mn.Start < 0 || mn.End > len(text) || mn.Start > mn.End || text[mn.Start:mn.End] != mn.Text {
						t.Fatalf("mention %+v does not point into the text", mn)
					}
					if !strings.Contains(mn.Context, strings.TrimSpace(mn.Text)) {
						t.Fatalf("context %q lacks mention %q", mn.Context, mn.Text)
					}
				}
			}
		}
		Sign(text)
	})
}

// TestPercolatorTypoIndex checks the percolator's word index against the
// rule it speeds up: a saved query matches when every one of its words
// is within its typos (qword.matchesTerm) of some word of the title,
// entity names or text, and it quotes the first text words that are
// (overlapping pairs of Khmer clusters as one). The
// queries are words of the documents with random edits (deletions,
// insertions, substitutions, transpositions, in Latin, Khmer and Han
// script), so that some match by one or two typos and some just miss.
func TestPercolatorTypoIndex(t *testing.T) {
	g := testGazetteer(t)
	x := extractor.New(g)
	an, err := newAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"Police raided the Majestic 2 casino in Sihanoukville and rescued 300 trafficking victims, officials said.",
		"Workers from Vietnam and Indonesia described beatings at a compound near Bavet; the ministry denied it.",
		"ប៉ូលិសបានរំដោះពលករ ៣០០ នាក់ពីអគារកាស៊ីណូ នៅក្រុងព្រះសីហនុ។",
		"警方在西哈努克港的黄乐园区解救了三百名工人，其中包括外国人。",
		"Investigators traced laundering through crypto exchanges and shell companies registered in Phnom Penh.",
	}
	var docs []*document.Tagged
	var vocab []string
	for i, text := range texts {
		d := tag(t, x, fmt.Sprint("doc ", i), "", text)
		docs = append(docs, d)
		for _, tok := range an.tokens(text) {
			vocab = append(vocab, tok.term)
		}
	}
	r := rand.New(rand.NewPCG(7, 13))
	alphabet := []rune("abcdefghijklmnopqrstuvwxyzéកខគ园区")
	edit := func(w string) string {
		rs := []rune(w)
		for range r.IntN(4) {
			switch i := r.IntN(len(rs) + 1); r.IntN(4) {
			case 0:
				if i < len(rs) && len(rs) > 1 {
					rs = slices.Delete(rs, i, i+1)
				}
			case 1:
				rs = slices.Insert(rs, i, alphabet[r.IntN(len(alphabet))])
			case 2:
				if i < len(rs) {
					rs[i] = alphabet[r.IntN(len(alphabet))]
				}
			case 3:
				if i+1 < len(rs) {
					rs[i], rs[i+1] = rs[i+1], rs[i]
				}
			}
		}
		return string(rs)
	}
	v := Validator{Gazetteer: g}
	var subs []*Subscription
	for range 600 {
		words := make([]string, 1+r.IntN(2))
		for i := range words {
			words[i] = edit(vocab[r.IntN(len(vocab))])
		}
		sub, err := v.New(Spec{Query: strings.Join(words, " "), Atom: true})
		if err != nil || len(an.qwords(sub.Query.Text)) == 0 {
			continue // an edit can leave no word, or none that search indexes
		}
		subs = append(subs, sub)
	}
	p, err := NewPercolator(subs, nil)
	if err != nil {
		t.Fatal(err)
	}
	matched := 0
	for _, d := range docs {
		var terms []string
		for _, s := range append([]string{d.Title, d.Text}, search.FromTagged(*d, nil).EntityNames...) {
			for _, tok := range an.tokens(s) {
				terms = append(terms, tok.term)
			}
		}
		want := map[string][]int{} // subscription → start offsets of the quoted words
		for _, sub := range subs {
			qws := an.qwords(sub.Query.Text)
			holds := func(term string) bool {
				return slices.ContainsFunc(qws, func(w qword) bool { return w.matchesTerm(term) })
			}
			if !slices.ContainsFunc(qws, func(w qword) bool { return !slices.ContainsFunc(terms, w.matchesTerm) }) {
				starts, end := []int{}, -1
				for _, tok := range an.tokens(d.Text) {
					switch {
					case !holds(tok.term):
					case tok.start < end: // overlapping pairs of clusters: one passage
						end = max(end, tok.end)
					case len(starts) < maxQueryMentions:
						starts, end = append(starts, tok.start), tok.end
					}
				}
				want[sub.ID] = starts
			}
		}
		got := map[string][]int{}
		for _, h := range p.Match(d) {
			starts := []int{}
			for _, mn := range h.Matches[0].Mentions {
				starts = append(starts, mn.Start)
			}
			got[h.Sub.ID] = starts
		}
		if !maps.EqualFunc(got, want, slices.Equal) {
			for id, w := range want {
				if g, ok := got[id]; !ok || !slices.Equal(g, w) {
					t.Errorf("%q: query %q: quoted at %v, want %v (matched: %v)", d.Title, p.subs[slices.IndexFunc(p.subs, func(c compiled) bool { return c.sub.ID == id })].sub.Query.Text, g, w, ok)
				}
			}
			for id := range got {
				if _, ok := want[id]; !ok {
					t.Errorf("%q: subscription %s matched, want no match", d.Title, id)
				}
			}
		}
		matched += len(want)
	}
	if matched < 20 {
		t.Errorf("only %d matches in all: the test no longer tests typos", matched)
	}
	t.Logf("%d subscriptions, %d matches over %d documents", len(subs), matched, len(docs))
}
