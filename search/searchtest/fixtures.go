package searchtest

import (
	"time"

	"github.com/compoundwatch/compoundwatch/search"
)

// HuangLeIDs is every fixture tagged with the Huang Le compound.
func HuangLeIDs() []string {
	return []string{"hl-raid-2023", "hl-zh-2024", "hl-workers-2024", "hl-copy-2023"}
}

// SihanoukIDs is every fixture tagged with the preah-sihanouk province;
// none of their texts says "Preah Sihanouk".
func SihanoukIDs() []string {
	return []string{"hl-raid-2023", "hl-zh-2024", "hl-copy-2023", "bh-sale-2023"}
}

type fx struct {
	id, title, text, outlet, lang, date, dup string
	compounds, tycoons, provinces            []string
	names                                    [][]string
}

func (f fx) doc() search.Doc {
	d := search.Doc{
		ID: f.id, URL: "https://example.org/" + f.id, Title: f.title, Text: f.text,
		Outlet: f.outlet, Language: f.lang, DuplicateOf: f.dup,
		Compounds: orEmpty(f.compounds), Tycoons: orEmpty(f.tycoons), Provinces: orEmpty(f.provinces),
		EntityNames: []string{}, ContentHash: "h-" + f.id,
	}
	for _, ns := range f.names {
		d.EntityNames = append(d.EntityNames, ns...)
	}
	if ts, err := time.Parse(time.DateOnly, f.date); err == nil {
		d.Published, d.PublishedDate, d.Year, d.Month = ts.Unix(), f.date, ts.Year(), ts.Format("2006-01")
	}
	return d
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Fixtures returns the shared test documents (short texts written for
// these tests).
func Fixtures() []search.Doc {
	// Entity names as a document tagged with the entity carries them: the
	// canonical name and every alias from the gazetteer ("Huang Lee" and
	// "Hwang Le" are deliberately not among them).
	var (
		huangLeNames      = []string{"Huang Le", "Majestic 2", "黄乐"}
		goldenLotusNames  = []string{"Golden Lotus"}
		blueHarborNames   = []string{"Blue Harbor", "Blue Harbour"}
		chenWuNames       = []string{"Chen Wu", "陈武"}
		preahSihanoukName = []string{"Preah Sihanouk", "Sihanoukville", "Kampong Som"}
		svayRiengNames    = []string{"Svay Rieng", "Bavet"}
		phnomPenhNames    = []string{"Phnom Penh"}
	)
	fs := []fx{
		{
			id: "hl-raid-2023", title: "Police search the Huang Le complex", outlet: "coastpost", lang: "en", date: "2023-03-14",
			text:      "Officers in Sihanoukville went through the Huang Le complex at dawn and counted 312 people kept in locked dormitories.",
			compounds: []string{"huang-le"}, provinces: []string{"preah-sihanouk"},
			names: [][]string{huangLeNames, preahSihanoukName},
		},
		{
			id: "hl-copy-2023", title: "Police search the Huang Le complex", outlet: "mirrorwire", lang: "en", date: "2023-03-15", dup: "hl-raid-2023",
			text:      "Officers in Sihanoukville went through the Huang Le complex at dawn and counted 312 people kept in locked dormitories.",
			compounds: []string{"huang-le"}, provinces: []string{"preah-sihanouk"},
			names: [][]string{huangLeNames, preahSihanoukName},
		},
		{
			id: "hl-zh-2024", title: "黄乐园区再次被调查", outlet: "haiwaibao", lang: "zh", date: "2024-01-20",
			text:      "西港的黄乐园区被指控扣留外籍员工，当地警方表示调查仍在进行。",
			compounds: []string{"huang-le"}, provinces: []string{"preah-sihanouk"},
			names: [][]string{huangLeNames, preahSihanoukName},
		},
		{
			id: "hl-workers-2024", title: "Former workers recall Majestic 2", outlet: "mekongwatch", lang: "en", date: "2024-06-02",
			text:      "Three men who left the site, which locals still call Huang Le, said a manager working for Chen Wu confiscated their passports.",
			compounds: []string{"huang-le"}, tycoons: []string{"chen-wu"},
			names: [][]string{huangLeNames, chenWuNames},
		},
		{
			id: "gl-tower-2022", title: "Golden Lotus adds a tower", outlet: "coastpost", lang: "en", date: "2022-11-05",
			text:      "A ninth tower opened at Golden Lotus near Bavet, a short drive from the Vietnamese border.",
			compounds: []string{"golden-lotus"}, provinces: []string{"svay-rieng"},
			names: [][]string{goldenLotusNames, svayRiengNames},
		},
		{
			id: "bh-sale-2023", title: "Blue Harbor resort sold", outlet: "mekongwatch", lang: "en", date: "2023-09-30",
			text:      "The seaside Blue Harbor resort in Sihanoukville passed to a holding firm with ties to Chen Wu.",
			compounds: []string{"blue-harbor"}, tycoons: []string{"chen-wu"}, provinces: []string{"preah-sihanouk"},
			names: [][]string{blueHarborNames, chenWuNames, preahSihanoukName},
		},
		{
			id: "pp-court-2024", title: "Capital court hears trafficking case", outlet: "capitaldaily", lang: "en", date: "2024-02-11",
			text:      "Judges in Phnom Penh listened to three victims; one had once cleaned rooms at Blue Harbor before the legal hearing.",
			provinces: []string{"phnom-penh"},
			names:     [][]string{phnomPenhNames},
		},
		{
			id: "xss-2021", title: "Odd blog post about Golden Lotus", outlet: "randomblog", lang: "en", date: "2021-05-05",
			text:      `Notes on Golden Lotus <script>alert(1)</script> and <img src=x onerror=alert(2)> pasted from a forum.`,
			compounds: []string{"golden-lotus"},
			names:     [][]string{goldenLotusNames},
		},
		{
			id: "undated-note", title: "Profile of a financier", outlet: "randomblog", lang: "en",
			text:    "An undated profile of Chen Wu and his hotel investments.",
			tycoons: []string{"chen-wu"},
			names:   [][]string{chenWuNames},
		},
	}
	out := make([]search.Doc, len(fs))
	for i, f := range fs {
		out[i] = f.doc()
	}
	return out
}
