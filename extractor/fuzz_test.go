package extractor

import (
	"testing"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
)

// FuzzExtract checks the extractor's contract on arbitrary input: it never
// panics, and every offset it reports lies inside the text, in order, on a
// rune boundary, with Text equal to the bytes it points at; and the order
// of date expressions that the events scanner's lookups rely on.
//
//	go test ./extractor/ -run '^$' -fuzz FuzzExtract -fuzztime 60s
func FuzzExtract(f *testing.F) {
	for _, s := range []struct{ text, published string }{
		{"On 5 February 2023, police rescued at least 215 Indonesian nationals from a compound in Bavet.", "2023-02-07"},
		{"Half of the $3.2 billion was laundered. Nearly 70% of 1,200 survivors (81 women; 16 men) were freed on Monday.", "2024-03-15"},
		{"January 5, 2021\n\nRaid.\n\nMarch 20, 2012\n\nTask force.\n\nApril 9, 2021\n\nHotline.\n", ""},
		{"Sites\t\nNorthtown\t12\nTOTAL\t1,052\n", "garbage"},
		{"In mid-2022 and late 2023, Multiple-third of the compounds; round $40 billion; since January", ""},
		{"Raids on 30 December–2 January 2025, 6-8 May, May 6 and 7, 2024, Tuesday, March 4 to 5; 12-14 people; Monday Monday, 31 April–2 May, 29-31 February", "2025-03-14"},
		{"On 3/4/2024, 2024/03/05, 25/3/2024, 04.03.2024 and 1.2.3; 3/ 4/2024, 0/0/2024, 99/99/9999, 2024//3", ""},
		{"\xff\xfe 12\t\xe2\x80 $ % (1) May 2024-13-45 2033 one-third", "2024-02-30"},
		{"頭目王德海、王德福和“金龍園區”，首犯李明則在逃；QQ园区、ZZ 賭場、“银河”赌场，老闆𫝈偉明", "2024-06-01"},
	} {
		f.Add(s.text, s.published)
	}
	g, err := gazetteer.Default()
	if err != nil {
		f.Fatalf("gazetteer: %v", err)
	}
	x := New(g)
	f.Fuzz(func(t *testing.T, text, published string) {
		tagged := x.Extract(document.Raw{Text: text, Published: published})
		// Rune boundaries as ranging over the text finds them: an invalid
		// byte is a rune of its own, even one that utf8.RuneStart rejects.
		boundary := make([]bool, len(text)+1)
		for i := range text {
			boundary[i] = true
		}
		boundary[len(text)] = true
		check := func(kind string, start, end int) {
			t.Helper()
			if start < 0 || end > len(text) || start > end {
				t.Fatalf("%s: offsets [%d,%d) outside text of %d bytes", kind, start, end, len(text))
			}
			if !boundary[start] || !boundary[end] {
				t.Fatalf("%s: offsets [%d,%d) not on rune boundaries", kind, start, end)
			}
		}
		for _, e := range tagged.Entities {
			for i, m := range e.Mentions {
				check("mention "+e.ID, m.Start, m.End)
				if text[m.Start:m.End] != m.Text {
					t.Fatalf("mention %q != text[%d:%d] %q", m.Text, m.Start, m.End, text[m.Start:m.End])
				}
				// Each place is mentioned once, in text order: two rules
				// that read one name must not give it twice.
				if i > 0 && m.Start <= e.Mentions[i-1].Start {
					t.Fatalf("%s: mention at %d after one at %d", e.ID, m.Start, e.Mentions[i-1].Start)
				}
			}
		}
		for _, fg := range tagged.Figures {
			check("figure", fg.Start, fg.End)
			if text[fg.Start:fg.End] != fg.Text {
				t.Fatalf("figure %q != text[%d:%d] %q", fg.Text, fg.Start, fg.End, text[fg.Start:fg.End])
			}
		}
		for _, ev := range tagged.Events {
			check("event", ev.Start, ev.End)
			if ev.Date == "" || ev.Precision == "" {
				t.Fatalf("event without date or precision: %+v", ev)
			}
		}
		// The events scanner's lookups (anchor, otherDateInSentence)
		// count on the date expressions coming in text order, apart.
		es := &eventScanner{scanner: newScanner(text, tokenize(nil, text))}
		es.scanDates()
		for k := 1; k < len(es.exprs); k++ {
			if a, b := es.exprs[k-1], es.exprs[k]; b.first <= a.last {
				t.Fatalf("date expressions out of order: tokens %d-%d, then %d-%d", a.first, a.last, b.first, b.last)
			}
		}
	})
}
