package content

import (
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

func TestUnwrap(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"wrapped paragraph",
			"Police raided a casino near the border crossing on 5 May 2024 and\ndetained forty people, an official of the provincial police said.",
			"Police raided a casino near the border crossing on 5 May 2024 and detained forty people, an official of the provincial police said."},
		{"a capitalised word that did not fit",
			"The raid followed months of complaints from families in Vietnam and\nIndonesia, whose relatives had stopped answering their phones.",
			"The raid followed months of complaints from families in Vietnam and Indonesia, whose relatives had stopped answering their phones."},
		{"two spaces after a full stop",
			"Police raided a casino near the border crossing on 5 May.  They\ndetained forty people, an official of the provincial police said.",
			"Police raided a casino near the border crossing on 5 May.  They detained forty people, an official of the provincial police said."},
		{"a sentence that ends at the line's end",
			"Guards at the gate of the compound were replaced on Monday morning.\nThe new guards came from a private firm in the capital, workers said.",
			"Guards at the gate of the compound were replaced on Monday morning.\nThe new guards came from a private firm in the capital, workers said."},
		{"paragraphs a blank line apart",
			"Workers said the compound had emptied within two days of the raid,\nleaving offices full of phones.\n\nNeighbours saw buses leave the compound late at night, several times a\nweek, and return empty the next morning.",
			"Workers said the compound had emptied within two days of the raid, leaving offices full of phones.\n\nNeighbours saw buses leave the compound late at night, several times a week, and return empty the next morning."},
		{"one paragraph a line, with a heading",
			"Raids along the border in the first week of May 2024\nPolice raided three casinos along the border in the first week of May and detained more than two hundred people, most of them foreigners held against their will.\nThe province's governor said the raids would continue until every compound had been searched and its workers sent home.",
			"Raids along the border in the first week of May 2024\nPolice raided three casinos along the border in the first week of May and detained more than two hundred people, most of them foreigners held against their will.\nThe province's governor said the raids would continue until every compound had been searched and its workers sent home."},
		{"a heading over a wrapped paragraph",
			"Raids along the border in the first week of May\nPolice raided three casinos along the border in the first week of\nMay and detained more than two hundred people, most of them held\nagainst their will.",
			"Raids along the border in the first week of May\nPolice raided three casinos along the border in the first week of May and detained more than two hundred people, most of them held against their will."},
		{"list items",
			"The report names the sites where workers were held for months:\n- the Golden Sands complex on the coast road outside the city and\n- two hotels near the old market that reopened under new names",
			"The report names the sites where workers were held for months:\n- the Golden Sands complex on the coast road outside the city and\n- two hotels near the old market that reopened under new names"},
		{"numbered items",
			"Sites were counted in three provinces by the teams during the visit\n1. Preah Sihanouk, with the largest number of sites by far in the\n2) Svay Rieng, along the road to the border crossing at Bavet town",
			"Sites were counted in three provinces by the teams during the visit\n1. Preah Sihanouk, with the largest number of sites by far in the\n2) Svay Rieng, along the road to the border crossing at Bavet town"},
		{"table rows",
			"Province          Sites   Workers (estimated by the field teams)\nPreah Sihanouk    80      40,000 in the city and its outskirts\nSvay Rieng        15      6,000 near the border crossing",
			"Province          Sites   Workers (estimated by the field teams)\nPreah Sihanouk    80      40,000 in the city and its outskirts\nSvay Rieng        15      6,000 near the border crossing"},
		{"key: value lines",
			"Source: a report by the provincial committee against trafficking\nPublished: 2024-05-08 in the committee's quarterly bulletin online",
			"Source: a report by the provincial committee against trafficking\nPublished: 2024-05-08 in the committee's quarterly bulletin online"},
		{"a word's hyphen at the end of a line",
			"The committee described the operation as the largest anti-\ntrafficking action in the province since the law was passed.",
			"The committee described the operation as the largest anti-trafficking action in the province since the law was passed."},
		{"a dash between words at the end of a line",
			"The committee described the operation as the largest of its kind -\nand promised more of them before the end of the rainy season.",
			"The committee described the operation as the largest of its kind - and promised more of them before the end of the rainy season."},
		{"a Chinese word across a line break",
			"Police in the zone, known in Chinese-language reports as 金三角经济特\n区, detained 771 people in a raid on 12 August 2024, the reports said.",
			"Police in the zone, known in Chinese-language reports as 金三角经济特\n区, detained 771 people in a raid on 12 August 2024, the reports said."},
		{"Chinese lines",
			"警方在西哈努克港突袭了一个诈骗园区，解救了来自多个国家的四百多名工人，其中包括越南人和印度尼西亚人。\n当局表示调查仍在进行中。",
			"警方在西哈努克港突袭了一个诈骗园区，解救了来自多个国家的四百多名工人，其中包括越南人和印度尼西亚人。\n当局表示调查仍在进行中。"},
		{"a narrow block: an address",
			"Provincial Police Headquarters\nRoad 7, Sangkat 3\nPreah Sihanouk",
			"Provincial Police Headquarters\nRoad 7, Sangkat 3\nPreah Sihanouk"},
		{"a URL wider than the wrap",
			"The full list of sites is on the committee's website at\nhttps://committee.example.org/reports/2024/sites-by-province-and-district-full-list.html\nwhere it is updated every month.",
			"The full list of sites is on the committee's website at https://committee.example.org/reports/2024/sites-by-province-and-district-full-list.html where it is updated every month."},
		{"a short line broken on purpose",
			"The statement was signed by the governor of the province and\nby the chief of police,\nwho both attended the press conference at the provincial hall.",
			"The statement was signed by the governor of the province and by the chief of police,\nwho both attended the press conference at the provincial hall."},
		{"an abbreviation's full stop before lower case",
			"More than a dozen casinos have lost their licences after international\nsanctions and growing pressure from neighbouring governments.\n\nThe commission published its list after the sanctions of the U.S. and U.K.\nagainst the group and its affiliates, announced in October.",
			"More than a dozen casinos have lost their licences after international sanctions and growing pressure from neighbouring governments.\n\nThe commission published its list after the sanctions of the U.S. and U.K. against the group and its affiliates, announced in October."},
		{"a year at the start of a line",
			"Britain sanctioned the two commanders of the armed group on 8 December\n2023. The US Treasury followed in May, and added the companies later.",
			"Britain sanctioned the two commanders of the armed group on 8 December 2023. The US Treasury followed in May, and added the companies later."},
		{"a timeline's entries, one a line",
			"12 August 2024 Lao police detain 771 people in the economic zone\n13 August 2024 the detainees are handed over to their embassies\n2 September 2024 a second raid on the zone finds the offices empty",
			"12 August 2024 Lao police detain 771 people in the economic zone\n13 August 2024 the detainees are handed over to their embassies\n2 September 2024 a second raid on the zone finds the offices empty"},
		{"a timeline's entries that open with a month",
			"July 14, 2022 Police in the capital raid a tower block near the river\nSeptember 27, 2022 Investigators publish their account of the compounds\nOctober 13, 2022 The minister promises raids on every site in the city",
			"July 14, 2022 Police in the capital raid a tower block near the river\nSeptember 27, 2022 Investigators publish their account of the compounds\nOctober 13, 2022 The minister promises raids on every site in the city"},
		{"two lines that open with dates in a wrapped sentence",
			"12 November 2025. He had been held in Thailand since his arrest there in\nAugust 2022 on a notice from the Chinese police, the court said.",
			"12 November 2025. He had been held in Thailand since his arrest there in August 2022 on a notice from the Chinese police, the court said."},
		{"a colon before lower-case items",
			"The teams found three kinds of site in the province when they visited:\nhotels near the beach, office towers in the city, walled compounds.",
			"The teams found three kinds of site in the province when they visited:\nhotels near the beach, office towers in the city, walled compounds."},
		{"no line break", "One line.", "One line."},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := unwrap(c.in); got != c.want {
				t.Errorf("unwrap\n%s\n=\n%s\nwant\n%s", c.in, got, c.want)
			}
		})
	}
}

// TestUnwrapLeavesParagraphLines: text with one paragraph a line, as the
// benchmarks' 2,000 articles are, comes out as it went in.
func TestUnwrapLeavesParagraphLines(t *testing.T) {
	for i, a := range repotest.Articles(t, 2000) {
		if s := cleanText(a); unwrap(s) != s {
			t.Fatalf("article %d changed:\n%s", i, a)
		}
	}
}

// FuzzUnwrap: unwrap only turns line breaks into spaces, or drops one
// after a word's hyphen; it never adds, drops or moves anything else.
func FuzzUnwrap(f *testing.F) {
	f.Add("Police raided a casino near the border crossing on 5 May 2024 and\ndetained forty people.\n\nNext paragraph here.")
	f.Add("The largest anti-\ntrafficking action in the province since the law was passed in the\nspring.")
	f.Add("- a list item that is long enough to count as wrapped text here\n- another")
	f.Fuzz(func(t *testing.T, s string) {
		s = cleanText(s)
		got := unwrap(s)
		drop := func(r rune) rune {
			if r == '\n' || r == ' ' {
				return -1
			}
			return r
		}
		if strings.Map(drop, got) != strings.Map(drop, s) {
			t.Fatalf("unwrap changed more than line breaks:\n%q\n%q", s, got)
		}
		if len(got) > len(s) || strings.Count(got, "\n") > strings.Count(s, "\n") {
			t.Fatalf("unwrap grew the text:\n%q\n%q", s, got)
		}
	})
}

// BenchmarkUnwrap reads the benchmarks' articles (one paragraph a line)
// and the same wrapped at 72 columns, against cleanText, the pass before
// it.
func BenchmarkUnwrap(b *testing.B) {
	flat := strings.Join(repotest.Articles(b, 200), "\n\n")
	var wrapped []string
	for line := range strings.SplitSeq(flat, "\n") {
		wrapped = append(wrapped, fold(line, 72))
	}
	for _, c := range []struct{ name, text string }{{"articles", flat}, {"articles-wrapped", strings.Join(wrapped, "\n")}} {
		b.Run(c.name+"/cleanText", func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			for b.Loop() {
				cleanText(c.text)
			}
		})
		text := cleanText(c.text)
		b.Run(c.name+"/unwrap", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				unwrap(text)
			}
		})
	}
}
