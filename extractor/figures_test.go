package extractor

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// The sentences below are written for these tests; none is copied from the
// shared corpus.
func TestFigures(t *testing.T) {
	type fig struct {
		value     float64
		unit      string
		qualifier string
	}
	tests := []struct {
		text string
		want []fig
	}{
		{"Police rescued 215 Indonesian nationals from a compound in Bavet.", []fig{{215, "people", "exact"}}},
		{"At least 40 suspects were detained after the raid.", []fig{{40, "suspects", "at least"}}},
		{"The syndicate laundered an estimated $3.2 billion through shell firms.", []fig{{3.2e9, "USD", "estimated"}}},
		{"Victims reported losses of $750,000 in total.", []fig{{750000, "USD", "exact"}}},
		{"Nearly 70% of the workers came from abroad.", []fig{{70, "percent", "nearly"}}},
		{"Inspectors said 12 percent of the sites were still active.", []fig{{12, "percent", "exact"}}},
		{"Roughly two-thirds of the victims were men.", []fig{{66.7, "percent", "about"}}},
		{"Half of the buildings had barred windows.", []fig{{50, "percent", "exact"}}},
		{"The returns equal half the country's GDP; half the year passed and half its time.", []fig{{50, "percent", "exact"}}},
		{"More than a third of the casinos changed owners.", []fig{{33.3, "percent", "more than"}}},
		{"Authorities received more than a thousand complaints last year.", []fig{{1000, "complaints", "more than"}}},
		{"The hotline logged a dozen requests on its first day.", []fig{{12, "requests", "exact"}}},
		{"Officers searched 12 buildings and three casinos.", []fig{{12, "sites", "exact"}, {3, "sites", "exact"}}},
		{"Workers had been brought in from 14 countries.", []fig{{14, "countries", "exact"}}},
		{"As many as 3,000 people may still be held there.", []fig{{3000, "people", "up to"}}},
		{"Around 1,200 survivors were repatriated by bus.", []fig{{1200, "victims", "about"}}},
		{"Just over 500 women were freed; 60 others escaped later.", []fig{{500, "people", "over"}, {60, "people", "exact"}}},
		{"The shelter has helped 97 victims (81 women; 16 men) this year.", []fig{{97, "victims", "exact"}, {81, "victims", "exact"}, {16, "victims", "exact"}}},
		{"Police opened 410 cases in 2023, compared with 275 in 2022.", []fig{{410, "cases", "exact"}, {275, "cases", "exact"}}},
		{"Officials counted 1.2 million foreign workers in the sector.", []fig{{1.2e6, "people", "exact"}}},
		{"Seven provinces reported new sites, with up to 80 compounds in all.", []fig{{7, "provinces", "exact"}, {80, "compounds", "up to"}}},
		{"About 2,500 Thais and 300 Vietnamese were questioned.", []fig{{2500, "people", "about"}, {300, "people", "exact"}}},
		{"Police arrested 23 suspected managers and 9 traffickers.", []fig{{23, "suspects", "exact"}, {9, "people", "exact"}}},
		{"He tops a list of the top 10 fugitives wanted for fraud.", nil},
		{"They laundered US$4.5m and $12m, and seized VNĐ25 million and KHR4000.", []fig{{4.5e6, "USD", "exact"}, {12e6, "USD", "exact"}, {25e6, "VND", "exact"}, {4000, "KHR", "exact"}}},
		{"The tower is 12m tall; blocks K99 and A7 were sealed.", nil},
		{"They demanded 50m won (£26,000), then 3 million yen, €1.2 million and 30,000 ringgit.", []fig{{5e7, "KRW", "exact"}, {26000, "GBP", "exact"}, {3e6, "JPY", "exact"}, {1.2e6, "EUR", "exact"}, {30000, "MYR", "exact"}}},
		{"Each got P60,000, the firm paid P450,000 and RM1,500, and VND200,000 went missing.", []fig{{60000, "PHP", "exact"}, {450000, "PHP", "exact"}, {1500, "MYR", "exact"}, {200000, "VND", "exact"}}},
		{"The 12 won gold, 500 pounds of meth were seized and P2 was full.", nil},
		{"Prosecutors questioned 10 witnesses.", []fig{{10, "people", "exact"}}},
		{"Of 14,200 detainees, 13,117 have been deported and the remaining 1,083 are waiting.", []fig{{14200, "people", "exact"}, {13117, "people", "exact"}, {1083, "people", "exact"}}},
		{"Police confirmed 25 cases; of the suspects arrested there, 31 have been charged. Of the rescued victims, 29 remain held. Of the group, the rest left.", []fig{{25, "cases", "exact"}, {31, "suspects", "exact"}, {29, "victims", "exact"}}},
		{"The raid took the number of people caught up in the human-trafficking crisis to 38. Officials put the number of Chinese nationals who left at 447,676. It brings to 72 the number of Taiwanese rescued from trafficking schemes. The number of workers grew; 40 left.",
			[]fig{{38, "victims", "exact"}, {447676, "people", "exact"}, {72, "victims", "exact"}}},
		{"Teams found 57 foreign and 358 Filipino workers, 12 young and 3 old.", []fig{{57, "people", "exact"}, {358, "people", "exact"}}},
		{"Cambodia deported 209 foreigners: 73 from the Republic of Korea and 136 from Myanmar, not the 12 in the rest.", []fig{{209, "people", "exact"}, {73, "people", "exact"}, {136, "people", "exact"}}},
		{"The militia ran two notorious cyber scam parks and five villas; four of its top commanders were named.", []fig{{2, "sites", "exact"}, {5, "sites", "exact"}, {4, "people", "exact"}}},
		{"Recruits were promised 3,000 Thai Baht a month, or 500 Philippine pesos a day; tips were 40 Singapore dollars.", []fig{{3000, "THB", "exact"}, {500, "PHP", "exact"}}},
		{"Police held three Chinese nationals. Staff searched the five villas in the park. An aide said the three had been employed there.", []fig{{3, "people", "exact"}, {5, "sites", "exact"}}},
		{"They seized more than NT$4.5 billion, HK$2 million, S$300,000 and US$5 million.", []fig{{4.5e9, "TWD", "more than"}, {2e6, "HKD", "exact"}, {300000, "SGD", "exact"}, {5e6, "USD", "exact"}}},
		{"Of 31 defendants, 22 (about 71%) were jailed for one to nine years. Beyond these, six were given suspended sentences.", []fig{{31, "people", "exact"}, {22, "people", "exact"}, {71, "percent", "about"}, {6, "people", "exact"}}},
		{"Agents found some P112.5 million in the safes and P5 million more; block P5 was empty.", []fig{{112.5e6, "PHP", "about"}, {5e6, "PHP", "exact"}}},
		{"It was planned as a US$180-million office complex with a 3-million-strong workforce and 40-million plans.", []fig{{180e6, "USD", "exact"}}},
		{"He demanded ten thousand dollars and five thousand baht.", []fig{{10000, "USD", "exact"}, {5000, "THB", "exact"}}},
		{"About 20 PCT police joined; prices rose 5 pct.", []fig{{20, "people", "about"}, {5, "percent", "exact"}}},
		{"Three security thugs and four Cambodian cleaners fled from five different spots.", []fig{{3, "people", "exact"}, {4, "people", "exact"}, {5, "sites", "exact"}}},
		{"Police handed over 260 Thai nationals; just over 40 others and over 12 suspects stayed.", []fig{{260, "people", "exact"}, {40, "people", "over"}, {12, "suspects", "over"}}},
		{"Investigators traced workers of 20 nationalities.", []fig{{20, "nationalities", "exact"}}},
		{"Greater than 90 trafficked persons were identified.", []fig{{90, "victims", "more than"}}},
		{"Round $15 million was seized.", []fig{{15e6, "USD", "about"}}},
		{"Only 2 of the compounds were closed.", []fig{{2, "compounds", "exact"}}},
		{"The workers came from 28 nations.", []fig{{28, "countries", "exact"}}},
		{"They were 83 Chinese, one Malaysian and two Taiwanese; one Indian national was charged. One Indian air force plane left.", []fig{{83, "people", "exact"}, {1, "people", "exact"}, {2, "people", "exact"}, {1, "people", "exact"}}},
		{"Police caught 61 suspected scammers and 12 alleged recruiters, and freed 40 suspected trafficking victims.", []fig{{61, "suspects", "exact"}, {12, "suspects", "exact"}, {40, "victims", "exact"}}},
		{"The ring took Rs 500 crore; around Rs 70 lakh and Rs. 2,000 were seized.", []fig{{5e9, "INR", "exact"}, {7e6, "INR", "about"}, {2000, "INR", "exact"}}},
		{"Victims came from Thailand (12), Laos (27) and Myanmar (five).", []fig{{12, "victims", "exact"}, {27, "victims", "exact"}, {5, "victims", "exact"}}},
		{"By nationality the group was:\nChinese: 15\nBurundian: two\nIndian: two", []fig{{15, "people", "exact"}, {2, "people", "exact"}, {2, "people", "exact"}}},
		{"Among the 2024 reports about 10 are unresolved; 2000 workers left.", []fig{{10, "reports", "about"}, {2000, "people", "exact"}}},
		{"The 59 suspects, 44 men and 15 women, were held; police held 57 Cambodian suspects and eight Chinese.", []fig{{59, "suspects", "exact"}, {44, "suspects", "exact"}, {15, "suspects", "exact"}, {57, "suspects", "exact"}, {8, "people", "exact"}}},
		{"Police freed 215 people thought to have been trafficked, and 12 workers who were not trafficked.", []fig{{215, "victims", "exact"}, {12, "people", "exact"}}},
		{"Police handled about 200 major online fraud cases.", []fig{{200, "cases", "about"}}},
		{"Police saw about 200 big new online fraud cases.", nil}, // four words: too far to tell
		{"The same fact: 35 suspects were charged. Later, 35 suspects were charged again.", []fig{{35, "suspects", "exact"}}},
		{"Police ran 18 raids in the zone and 18 raids outside it.", []fig{{18, "operations", "exact"}, {18, "operations", "exact"}}},
		{"Of 40 suspects tried, 11 were jailed for life and 11 got ten years.", []fig{{40, "suspects", "exact"}, {11, "suspects", "exact"}, {11, "suspects", "exact"}}},

		// Seized items, police and guards, operations, platforms, sanctions.
		{"Officers seized 400 phones and 90 computers.", []fig{{400, "phones", "exact"}, {90, "computers", "exact"}}},
		{"The search turned up 1,204 mobile phones, 35 laptops, 3 iPads and 12 USB drives.", []fig{{1204, "phones", "exact"}, {35, "laptops", "exact"}, {3, "tablets", "exact"}, {12, "usb drives", "exact"}}},
		{"Inside they found 52 passports and six pairs of handcuffs.", []fig{{52, "passports", "exact"}, {6, "handcuffs", "exact"}}},
		{"Soldiers carried off 45 satellite terminals.", []fig{{45, "devices", "exact"}}},
		{"About 600 police and 80 private security guards surrounded the site.", []fig{{600, "people", "about"}, {80, "people", "exact"}}},
		{"The unit ran 12 raids and shut 40 gambling websites.", []fig{{12, "operations", "exact"}, {40, "platforms", "exact"}}},
		{"Treasury announced 31 sanctions on the network.", []fig{{31, "sanctions", "exact"}}},

		// Currencies keep their code.
		{"The ring moved 3.5 billion yuan through shell firms.", []fig{{3.5e9, "CNY", "exact"}}},
		{"Police froze more than 20 million baht in accounts.", []fig{{20e6, "THB", "more than"}}},
		{"Fines reach 4 million riels for each worker.", []fig{{4e6, "KHR", "exact"}}},
		{"A tip is worth LAK 50 million under the scheme.", []fig{{50e6, "LAK", "exact"}}},

		// Ranges are one figure: the maximum, qualified "range".
		{"Between 50 and 60 people were moved at night.", []fig{{60, "people", "range"}}},
		{"Guards held 300 to 400 workers in the annex.", []fig{{400, "people", "range"}}},
		{"Bounties of between 20,000 and 80,000 yuan were offered.", []fig{{80000, "CNY", "range"}}},
		{"The victims were aged between 15 and 17.", nil},
		{"Police held 300-400 workers and 13,700-68,800 phones.", []fig{{400, "people", "range"}, {68800, "phones", "range"}}},
		{"Rewards of 100,000-500,000 yuan (US$13,700-68,800) and fines of 3-5 million baht apply.", []fig{{500000, "CNY", "range"}, {68800, "USD", "range"}, {5e6, "THB", "range"}}},
		{"The 2019-2021 surge ended; a 7-11 store and Route 5-3 stayed open.", nil},

		// Per-place and per-nationality lists, number words included.
		{"Police logged 14 cases: one case in Kep, five in Pailin and eight in Takeo.", []fig{{14, "cases", "exact"}, {1, "cases", "exact"}, {5, "cases", "exact"}, {8, "cases", "exact"}}},
		{"The embassy flew home 90 Cambodians, including 61 from Malaysia and one from Oman.", []fig{{90, "people", "exact"}, {61, "people", "exact"}, {1, "people", "exact"}}},
		{"Police struck two online gambling and scam sites in Kampot.", []fig{{2, "sites", "exact"}}},
		{"Police freed 40 men and women and 12 children and teenagers.", []fig{{40, "people", "exact"}, {12, "people", "exact"}}},
		{"The embassy named two Britons, three Dutch and 159 such cases.", []fig{{2, "people", "exact"}, {3, "people", "exact"}, {159, "cases", "exact"}}},
		{"Among the detainees were 12 Koreans, 7 Bangladeshi and one Nepalese.", []fig{{12, "people", "exact"}, {7, "people", "exact"}, {1, "people", "exact"}}},
		{"Officers questioned 30 foreigners, of whom 4 were suspects and 9 were trafficked victims.", []fig{{30, "people", "exact"}, {4, "suspects", "exact"}, {9, "victims", "exact"}}},
		{"Police arrested 120 workers; 15 of the 120 were minors.", []fig{{120, "people", "exact"}, {15, "people", "exact"}}},
		{"About 3,200 of the 4,500 workers held until May have gone home.", []fig{{3200, "people", "about"}, {4500, "people", "exact"}}},
		{"Only 30 of the 90 were paid.", nil},
		{"Detainees by nationality:\nVietnam: 48\nThailand: 19\n", []fig{{48, "people", "exact"}, {19, "people", "exact"}}},
		{"Police held 90 foreigners of 15 nationalities. The largest groups by nationality were:\n\nLaos: 40\nChina: 12\n", []fig{{90, "people", "exact"}, {15, "nationalities", "exact"}, {40, "people", "exact"}, {12, "people", "exact"}}},
		{"Officials freed 700 foreign workers. Around 260 were from Indonesia and a further 130 from Ethiopia.", []fig{{700, "people", "exact"}, {260, "people", "about"}, {130, "people", "exact"}}},
		{"Some 100,000 people are held in scam centres, while at least 120,000 more may be held elsewhere.", []fig{{100000, "people", "about"}, {120000, "people", "at least"}}},
		{"Police freed 40 workers on Monday and 25 more people on Tuesday.", []fig{{40, "people", "exact"}, {25, "people", "exact"}}},
		// Groups of what was counted before: "another N", "the first N"
		// and "N more", then a verb or a clause, not a noun.
		{"Rescuers had freed 312 victims by June, and another 87 remained trapped near the border.", []fig{{312, "victims", "exact"}, {87, "victims", "exact"}}},
		{"The embassy confirmed 64 Laotians had been released, with nine more kept in a police cell.", []fig{{64, "people", "exact"}, {9, "people", "exact"}}},
		{"A court convicted 41 defendants in May. The last seven, tried apart, were sentenced in June.", []fig{{41, "people", "exact"}, {7, "people", "exact"}}},
		{"Police freed 120 workers. The first 45 reached Hanoi on Friday.", []fig{{120, "people", "exact"}, {45, "people", "exact"}}},
		{"The ministry repatriated 500 workers, and the other 80, once cleared, flew home later.", []fig{{500, "people", "exact"}, {80, "people", "exact"}}},
		{"Police freed 120 workers. Another 30 trucks were seized.", []fig{{120, "people", "exact"}}},
		{"Police freed 120 workers in the first 10 days of the raid.", []fig{{120, "people", "exact"}}},
		{"About 40 local officials joined the raid, and police detained six operatives of the ring.", []fig{{40, "people", "about"}, {6, "people", "exact"}}},
		{"Police freed 320 victims in the raid. Ninety of the rescued were minors.", []fig{{320, "victims", "exact"}, {90, "victims", "exact"}}},
		{"Police freed 320 workers. Ninety of the rescued workers were minors.", []fig{{320, "people", "exact"}, {90, "people", "exact"}}},
		{"Police freed 14 Kenyans; eight of them crossed at Mae Sot and six returned by air.", []fig{{14, "people", "exact"}, {8, "people", "exact"}, {6, "people", "exact"}}},
		{"Police counted 12 sites, and four closed in May.", []fig{{12, "sites", "exact"}, {4, "sites", "exact"}}},
		{"Police freed 30 workers. In 2023 four closed in May.", []fig{{30, "people", "exact"}}},

		// Shares: "one in three".
		{"One in three victims had a university degree.", []fig{{33.3, "percent", "exact"}}},
		{"Nearly two in five of the recruits were women, and 1 in 10 was under 18.", []fig{{40, "percent", "nearly"}, {10, "percent", "exact"}}},
		{"Three out of four workers said their passports were taken.", []fig{{75, "percent", "exact"}}},
		{"Police found one in Kampot and two in 2023.", nil},

		// Written in Chinese: counters, scale words, numerals, qualifiers
		// before and after, Hong Kong's spaces, both scripts.
		{"警方在西港一处园区解救逾300名外籍务工人员，抓获45名嫌疑人。", []fig{{300, "people", "more than"}, {45, "suspects", "exact"}}},
		{"该团伙涉嫌洗钱约1.5亿美元，另有28萬元人民幣被凍結。", []fig{{1.5e8, "USD", "about"}, {280000, "CNY", "exact"}}},
		{"當局共搗破 14 個詐騙據點，拘捕 162 名外國疑犯，包括 50 名中國人、36 名印度人及21 越南人。", []fig{{14, "sites", "exact"}, {162, "suspects", "exact"}, {50, "suspects", "exact"}, {36, "suspects", "exact"}, {21, "suspects", "exact"}}},
		{"去年至今，专案组查处了五千余名涉诈人员，来自23个国家。", []fig{{5000, "people", "more than"}, {23, "countries", "exact"}}},
		{"至少两百人被困在3座园区内，近三十名受害者已获救。", []fig{{200, "people", "at least"}, {3, "compounds", "exact"}, {30, "victims", "nearly"}}},
		{"九个人被捕，八个保安逃走，3个人账户被冻结。", []fig{{9, "people", "exact"}, {8, "people", "exact"}}},
		{"損失約新台幣1.2兆，另有港幣 300 萬。", []fig{{1.2e12, "TWD", "about"}, {3e6, "HKD", "exact"}}},
		{"集团诈骗逾百億美元，洗钱近千万元；数百亿元、百亿级平台和百万富翁不算。", []fig{{1e10, "USD", "more than"}, {1e7, "CNY", "nearly"}}},
		{"据估计有3000至4000人仍在园区工作，占总数的30%。", []fig{{4000, "people", "range"}, {30, "percent", "exact"}}},
		{"警方缴获1,200部手机、300台电脑和86本护照，立案12起诈骗案。", []fig{{1200, "phones", "exact"}, {300, "computers", "exact"}, {86, "passports", "exact"}, {12, "cases", "exact"}}},
		{"被骗金额累计达1亿5000万元，涉案人员约有3.2万人左右。", []fig{{1.5e8, "CNY", "exact"}, {32000, "people", "about"}}},
		{"十余名工人逃出，其中一名男子受伤，另有1名保安被捕。", []fig{{10, "people", "more than"}, {1, "people", "exact"}}},
		{"警方于2025年3月5日突袭第2号楼，18岁的他在园区待了24小时。中柬两国警方此后开展了3次联合行动。", []fig{{3, "operations", "exact"}}},
		{"数百人排队，成千上万人离开园区，上千名工人滞留，A7园区和第15名嫌疑人另案处理，涉及数十亿美元、數以十億美元計的资产、几十名人员。", nil},
		{"百分之四十的受害者是女性。", []fig{{40, "percent", "exact"}}},
		{"有120名本地人员被认定是受害者，9名嫌疑人分别是6名中国籍及3名越南籍人士。", []fig{{120, "victims", "exact"}, {9, "suspects", "exact"}, {6, "suspects", "exact"}, {3, "suspects", "exact"}}},
		{"警方移交了30名受害者（含12名中国人）。逮捕80名嫌疑人。又逮捕80人，其中9名女性。", []fig{{30, "victims", "exact"}, {12, "victims", "exact"}, {80, "suspects", "exact"}, {9, "suspects", "exact"}}},
		{"超過400名涉嫌從事網絡詐騙的嫌犯被捕，6名获救的受害者回国，同比下降12.5%。", []fig{{400, "suspects", "more than"}, {6, "victims", "exact"}}},
		// Currencies of the region, one named before its number, and
		// Taiwan's 兆.
		{"受害人損失逾 120 萬坡幣，另有約 3,000 元港幣及港幣約 2,450 元被凍結。", []fig{{1.2e6, "SGD", "more than"}, {3000, "HKD", "about"}, {2450, "HKD", "about"}}},
		{"工资为每月50万缅元，罚款新台幣5000元，诈骗总额约新台幣2.3兆元，另有300万韩元。", []fig{{500000, "MMK", "exact"}, {5000, "TWD", "exact"}, {2.3e12, "TWD", "about"}, {3e6, "KRW", "exact"}}},

		// Not figures.
		{"The trial lasted 18 months and the appeal four days.", nil},
		{"Cambodia stayed on Tier 2 for a second year.", nil},
		{"The Golden Fortune 8 casino reopened under a new name.", nil},
		{"The report, published on 3 March 2024, ran to 120 pages.", nil},
		{"He was 34 years old when he was recruited.", nil},
		{"A two-year study followed the case.", nil},
		{"The raid took place on June 7 and the deadline is 30 April.", nil},
		{"Seven organisations and two NGOs signed the letter.", nil},
		{"Tens of thousands of people and hundreds of victims remain inside.", nil},
		{"In 2023 the court sat 40 times.", nil},
		{"The post has 2,311 views and 14 comments.", nil},
		{"Step 1: call the hotline on 1288.", nil},
		{"The price was 5,000 yuan per month.", []fig{{5000, "CNY", "exact"}}},
		{"COVID-19 closed the border in the first half of 2020.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := findFigures(tt.text)
			var gotF []fig
			for _, f := range got {
				gotF = append(gotF, fig{f.Value, f.Unit, f.Qualifier})
				if tt.text[f.Start:f.End] != f.Text {
					t.Errorf("Text %q != text[%d:%d] %q", f.Text, f.Start, f.End, tt.text[f.Start:f.End])
				}
			}
			if len(gotF) != len(tt.want) {
				t.Fatalf("got %v, want %v (%s)", gotF, tt.want, describe(got))
			}
			for i := range gotF {
				if !sameValue(gotF[i].value, tt.want[i].value) || gotF[i].unit != tt.want[i].unit || gotF[i].qualifier != tt.want[i].qualifier {
					t.Errorf("figure %d: got %v, want %v", i, gotF[i], tt.want[i])
				}
			}
		})
	}
}

func describe[T any](xs []T) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString(strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(sprint(x), "\n", " "), "  ", " ")))
		b.WriteString("; ")
	}
	return b.String()
}

func TestFigureTable(t *testing.T) {
	text := "Police counts of estimated scam sites, mid-year.\n\nScam sites by town\t\nNorthtown\t12\nRiverside\t1,040\nTOTAL\t1,052\n\nThe table is partial."
	got := findFigures(text)
	want := []struct {
		value float64
		text  string
	}{{12, "Northtown\t12"}, {1040, "Riverside\t1,040"}, {1052, "TOTAL\t1,052"}}
	if len(got) != len(want) {
		t.Fatalf("got %s", describe(got))
	}
	for i, w := range want {
		if got[i].Value != w.value || got[i].Text != w.text || got[i].Unit != "sites" || got[i].Qualifier != "estimated" {
			t.Errorf("row %d: got %+v, want %v sites estimated %q", i, got[i], w.value, w.text)
		}
	}
}

func TestParseNumber(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"150,000", 150000, true}, {"12.5", 12.5, true}, {"1,234.5", 1234.5, true},
		{"7", 7, true}, {"1,2", 0, false}, {"12,34,567", 0, false}, {",5", 0, false},
	} {
		got, ok := parseNumber(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestParseNumberFast holds parseNumber, with its fast path (decimal), to
// its definition (parseNumberPlain, strconv.ParseFloat) bit for bit on
// hand-picked strings and random runs of digits,
// dots and commas, up to lengths past the fifteen digits decimal reads.
func TestParseNumberFast(t *testing.T) {
	tests := []string{"", "0", "7", "007", "12.5", "12.", ".5", "1.2.3", "150,000", "1,2", "13,700.25",
		"999999999999999", "9999999999999999", "99999999999999.9", "0.000000000000001", "9007199254740993",
		"1e5", "1E5", "0x10", "0x1p3", "1_000", "Inf", "NaN", "12 ", "3.14159265358979", "0.1", "2.675",
		"1234567.891", "123456789012345.6", "1,234,567.8901234567"}
	r := rand.New(rand.NewPCG(3, 5))
	for range 200000 {
		b := make([]byte, 1+r.IntN(20))
		for k := range b {
			switch n := r.IntN(14); {
			case n < 10:
				b[k] = byte('0' + n)
			case n < 12:
				b[k] = '.'
			default:
				b[k] = ','
			}
		}
		tests = append(tests, string(b))
	}
	for _, s := range tests {
		got, gotOK := parseNumber(s)
		want, wantOK := parseNumberPlain(s)
		if gotOK != wantOK || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseNumber(%q) = %v, %v; ParseFloat gives %v, %v", s, got, gotOK, want, wantOK)
		}
	}
}

// TestMentioned holds mentioned, which searches the first facts in turn
// and keeps the rest in a map, to a map of every fact, on random runs of
// facts long enough to spill into the map.
func TestMentioned(t *testing.T) {
	units := []string{"", "people", "USD", "percent"}
	r := rand.New(rand.NewPCG(7, 9))
	for range 2000 {
		fs := &figureScanner{seen: map[figureKey]int{}}
		want := map[figureKey]int{}
		for end := range 60 {
			k := figureKey{value: float64(r.IntN(30)), unit: units[r.IntN(len(units))], label: units[r.IntN(2)]}
			got, ok := fs.mentioned(k, end)
			first, known := want[k]
			if !known {
				want[k] = end
			}
			if ok != known || ok && got != first {
				t.Fatalf("mentioned(%v) = %d, %v, want %d, %v", k, got, ok, first, known)
			}
		}
	}
}
