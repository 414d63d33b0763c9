package searchtest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
)

// entity is a generated gazetteer entry.
type entity struct {
	id    string
	names []string
}

// Generated is a synthetic corpus for benchmarks, with the names it used
// so queries can target them.
type Generated struct {
	Docs        []search.Doc
	Compounds   []string // canonical names
	Aliases     []string // other spellings of the same compounds
	Provinces   []string // ids
	CompoundIDs []string
	Outlets     []string
}

// Generate makes n documents deterministically from seed: news-like texts
// of about 120 words mentioning one or two of 60 compounds, a tycoon and
// a province, from 20 outlets over 2019-2025, each with two dated events
// (a day within the week before publication about the compound, and a
// month about the tycoon).
func Generate(n int, seed uint64) *Generated {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	syll := []string{"jin", "bei", "huang", "le", "kai", "bo", "long", "wan", "xing", "fu", "hao", "tian", "sok", "chea", "vann", "mey", "lim", "rith", "dara", "phan"}
	kinds := []string{"Casino", "Resort", "Plaza", "Park", "City", "Tower", "Garden", "Complex"}
	name := func() string {
		a, b := syll[r.IntN(len(syll))], syll[r.IntN(len(syll))]
		return strings.ToUpper(a[:1]) + a[1:] + " " + strings.ToUpper(b[:1]) + b[1:]
	}
	var compounds, tycoons []entity
	g := &Generated{}
	for i := range 60 {
		canon := name() + " " + kinds[r.IntN(len(kinds))]
		alias := fmt.Sprintf("%s %d", strings.Fields(canon)[0], 1+r.IntN(9))
		compounds = append(compounds, entity{fmt.Sprintf("compound-%02d", i), []string{canon, alias}})
		g.Compounds = append(g.Compounds, canon)
		g.Aliases = append(g.Aliases, alias)
		g.CompoundIDs = append(g.CompoundIDs, fmt.Sprintf("compound-%02d", i))
	}
	for i := range 40 {
		tycoons = append(tycoons, entity{fmt.Sprintf("tycoon-%02d", i), []string{name()}})
	}
	provinces := []entity{
		{"preah-sihanouk", []string{"Preah Sihanouk", "Sihanoukville", "Kampong Som"}},
		{"phnom-penh", []string{"Phnom Penh"}}, {"svay-rieng", []string{"Svay Rieng", "Bavet"}},
		{"koh-kong", []string{"Koh Kong"}}, {"oddar-meanchey", []string{"Oddar Meanchey", "O'Smach"}},
		{"banteay-meanchey", []string{"Banteay Meanchey", "Poipet"}}, {"kampot", []string{"Kampot"}},
		{"pursat", []string{"Pursat"}}, {"kandal", []string{"Kandal"}}, {"takeo", []string{"Takeo"}},
	}
	for _, p := range provinces {
		g.Provinces = append(g.Provinces, p.id)
	}
	for i := range 20 {
		g.Outlets = append(g.Outlets, fmt.Sprintf("outlet%02d", i))
	}
	words := strings.Fields(`police raid workers rescued passports confiscated dormitory guards fence scam
		online fraud victims trafficking investigation court judge sentenced deported embassy
		foreign nationals phones computers scripts romance investment crypto manager boss ministry
		officials statement denied owner company licence casino hotel building floors electric
		report organisation interview escaped beaten debt salary recruitment advert job offer
		border crossing bus night morning week month operation arrested suspects released fined`)
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	for i := range n {
		c := compounds[r.IntN(len(compounds))]
		ty := tycoons[r.IntN(len(tycoons))]
		pv := provinces[r.IntN(len(provinces))]
		var b strings.Builder
		for j := range 120 {
			if j > 0 {
				b.WriteByte(' ')
			}
			switch r.IntN(40) {
			case 0:
				b.WriteString(c.names[r.IntN(len(c.names))])
			case 1:
				b.WriteString(pv.names[r.IntN(len(pv.names))])
			case 2:
				b.WriteString(ty.names[0])
			default:
				b.WriteString(words[r.IntN(len(words))])
			}
		}
		pub := start.AddDate(0, 0, r.IntN(days))
		d := search.Doc{
			ID:    fmt.Sprintf("gen-%07d", i),
			URL:   fmt.Sprintf("https://example.org/gen/%d", i),
			Title: fmt.Sprintf("%s: %s %s %s", c.names[0], words[r.IntN(len(words))], words[r.IntN(len(words))], words[r.IntN(len(words))]),
			Text:  b.String(), Outlet: g.Outlets[r.IntN(len(g.Outlets))], Language: "en",
			Published: pub.Unix(), PublishedDate: pub.Format(time.DateOnly), Year: pub.Year(), Month: pub.Format("2006-01"),
			Compounds: []string{c.id}, Tycoons: []string{ty.id}, Provinces: []string{pv.id},
			ContentHash: fmt.Sprintf("%016x", r.Uint64()),
		}
		d.EntityNames = append(append(append([]string{}, c.names...), ty.names...), pv.names...)
		sentence := func(name string) string {
			var b strings.Builder
			b.WriteString(name)
			for range 14 {
				b.WriteByte(' ')
				b.WriteString(words[r.IntN(len(words))])
			}
			b.WriteByte('.')
			return b.String()
		}
		evDay := pub.AddDate(0, 0, -r.IntN(7))
		d.Events = []document.Event{
			{Date: evDay.Format(time.DateOnly), Precision: document.Day, Summary: sentence(c.names[0]), Entities: []string{c.id, pv.id}},
			{Date: pub.AddDate(0, -1, 0).Format("2006-01"), Precision: document.Month, Summary: sentence(ty.names[0]), Entities: []string{ty.id}},
		}
		g.Docs = append(g.Docs, d)
	}
	return g
}
