package extractor

import (
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
		{"Investigators traced workers of 20 nationalities.", []fig{{20, "nationalities", "exact"}}},
		{"Greater than 90 trafficked persons were identified.", []fig{{90, "victims", "more than"}}},
		{"Round $15 million was seized.", []fig{{15e6, "USD", "about"}}},
		{"Only 2 of the compounds were closed.", []fig{{2, "compounds", "exact"}}},
		{"The same fact: 35 suspects were charged. Later, 35 suspects were charged again.", []fig{{35, "suspects", "exact"}}},

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
		{"Officers seized 400 phones and 90 computers.", nil},
		{"The price was 5,000 yuan per month.", nil},
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
