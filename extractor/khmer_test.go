package extractor

import (
	"slices"
	"testing"

	"github.com/compoundwatch/compoundwatch/document"
)

func TestKhmerFigures(t *testing.T) {
	type fig struct {
		value     float64
		unit      string
		qualifier string
		text      string
	}
	tests := []struct {
		name string
		text string
		want []fig
	}{
		{"count glued to its counter", "ប៉ូលិសបានរកឃើញជនបរទេសចំនួន២៥០នាក់ នៅក្នុងអគារ។", []fig{{250, "people", "exact", "២៥០នាក់"}}},
		{"a space before the counter, Latin digits", "ជនជាតិចិន 28 នាក់ ត្រូវបានឃាត់ខ្លួន។", []fig{{28, "people", "exact", "28 នាក់"}}},
		{"suspects by the noun before", "នគរបាលឃាត់ខ្លួនជនសង្ស័យចំនួន ៧នាក់។", []fig{{7, "suspects", "exact", "៧នាក់"}}},
		{"a part of the suspects", "នគរបាលឃាត់ខ្លួនជនសង្ស័យ ២៨នាក់ ក្នុងនោះស្រី ៥នាក់។", []fig{{28, "suspects", "exact", "២៨នាក់"}, {5, "suspects", "exact", "៥នាក់"}}},
		{"a count of people in the next sentence is people", "ជនសង្ស័យ ២៨នាក់ ត្រូវបានចាប់។ ក្រោយមក ស្រី ៥នាក់ បានមកដល់។", []fig{{28, "suspects", "exact", "២៨នាក់"}, {5, "people", "exact", "៥នាក់"}}},
		{"victims called so after the count", "អ្នកទាំង ១០នាក់ នោះ ជាជនរងគ្រោះ។", []fig{{10, "victims", "exact", "១០នាក់"}}},
		{"a qualifier before the number", "ជនរងគ្រោះជាង ១,៥០០នាក់ ត្រូវបានបញ្ជូនទៅវិញ។", []fig{{1500, "victims", "more than", "ជាង ១,៥០០នាក់"}}},
		{"a qualifier before ចំនួន", "មានមនុស្សប្រមាណជាចំនួន ៣០០នាក់។", []fig{{300, "people", "about", "ប្រមាណជាចំនួន ៣០០នាក់"}}},
		{"at least", "មានពលករយ៉ាងហោចណាស់ ៤០នាក់ បានរត់គេច។", []fig{{40, "people", "at least", "យ៉ាងហោចណាស់ ៤០នាក់"}}},
		{"phones and computers by their nouns", "ដកហូតទូរស័ព្ទដៃ ១២០គ្រឿង និងកុំព្យូទ័រ ៣៥ គ្រឿង។", []fig{{120, "phones", "exact", "១២០គ្រឿង"}, {35, "computers", "exact", "៣៥ គ្រឿង"}}},
		{"a device the text does not name is none", "ដកហូតម៉ាស៊ីន ៦គ្រឿង។", nil},
		{"dollars with a scale word", "ក្រុមនេះឆបោកបានប្រមាណ ២លានដុល្លារអាមេរិក។", []fig{{2e6, "USD", "about", "ប្រមាណ ២លានដុល្លារអាមេរិក"}}},
		{"riel with a scale word after a space", "ពួកគេត្រូវពិន័យ ៥០០ ម៉ឺនរៀល។", []fig{{5e6, "KHR", "exact", "៥០០ ម៉ឺនរៀល"}}},
		{"a percentage", "ស្ត្រីមានចំនួន ៣០ភាគរយ នៃជនរងគ្រោះ។", []fig{{30, "percent", "exact", "៣០ភាគរយ"}}},
		{"a change is no figure", "ការឆបោកកើនឡើង ៣០ភាគរយ ហើយករណីថយចុះ១២៤ករណី។", nil},
		{"provinces counted", "ក្រុមការងារបានចុះទៅ ២៥ខេត្ត។", []fig{{25, "provinces", "exact", "២៥ខេត្ត"}}},
		{"a province's name after a number is no count", "ជនសង្ស័យ ៥នាក់ ត្រូវបាននាំទៅ ៣ ខេត្តព្រះសីហនុ។", []fig{{5, "suspects", "exact", "៥នាក់"}}},
		{"a bare count counts its sentence's suspects", "ជនសង្ស័យដែលត្រូវបញ្ជូនទៅតុលាការ មានចំនួន៨៣នាក់។", []fig{{83, "suspects", "exact", "៨៣នាក់"}}},
		{"and its victims", "គេបានរកឃើញជនរងគ្រោះក្នុង ៨៧ ករណី ដែលស្មើនឹងប្រមាណ ៨៦៥ នាក់។", []fig{{87, "cases", "exact", "៨៧ ករណី"}, {865, "victims", "about", "ប្រមាណ ៨៦៥ នាក់"}}},
		{"a count with a noun of its own keeps it", "ជនសង្ស័យបានវាយប៉ូលិស ៣នាក់។", []fig{{3, "people", "exact", "៣នាក់"}}},
		{"a range is one figure", "ពី ៥០ ទៅ ៦០នាក់ បានរត់គេចខ្លួន។", []fig{{60, "people", "range", "៥០ ទៅ ៦០នាក់"}}},
		{"number words before a counter", "ប៉ូលិសចាប់ជនជាតិវៀតណាមបីនាក់ និងកន្លែងដប់ប្រាំកន្លែង។", []fig{{3, "people", "exact", "បីនាក់"}, {15, "sites", "exact", "ដប់ប្រាំកន្លែង"}}},
		{"hundreds in words", "មានមនុស្សបីរយនាក់។", []fig{{300, "people", "exact", "បីរយនាក់"}}},
		{"one in words is an article", "មានបុរសមួយនាក់ និងស្ត្រីម្នាក់។", nil},
		{"cases and countries", "មានករណី ៥០ករណី ពីជនមកពី ១២ប្រទេស។", []fig{{50, "cases", "exact", "៥០ករណី"}, {12, "countries", "exact", "១២ប្រទេស"}}},
		{"ages, times, days and addresses are none", "បុរសអាយុ៣២ឆ្នាំ ត្រូវចាប់នៅម៉ោង៤និង៣០នាទី ថ្ងៃទី២៣ នៅផ្ទះលេខ៣២២ ផ្លូវ៩៥៦។", nil},
		{"a number with no counter is none", "ក្រុមលេខ ៥ និង ៨០០ នៅទីនោះ។", nil},
		{"a full stop groups thousands", "ពលករប្រមាណ ២.៧០០នាក់ ត្រូវបានបញ្ជូនទៅវិញ។", []fig{{2700, "people", "about", "ប្រមាណ ២.៧០០នាក់"}}},
		{"a decimal is no group", "ក្រុមនោះយកបាន ១.៥លានដុល្លារ។", []fig{{1.5e6, "USD", "exact", "១.៥លានដុល្លារ"}}},
		{"the noun before ចំនួន, no counter", "ប៉ូលិសបានឆែកទីតាំងចំនួន២ នៅក្រុងនោះ។", []fig{{2, "sites", "exact", "២"}}},
		{"casinos are sites", "ប៉ូលិសបានបង្ក្រាបកាស៊ីណូចំនួន៣ ក្នុងក្រុង។", []fig{{3, "sites", "exact", "៣"}}},
		{"a count after a Latin name", "គេរឹបអូសបាន LAPTOP០៣គ្រឿង។", []fig{{3, "laptops", "exact", "០៣គ្រឿង"}}},
		{"the noun is in the number's phrase", "ដកហូតកាំភ្លើងខ្លីបីដើម គ្រាប់មួយចំនួន និងកាំបិតតូច២ដើម។", []fig{{3, "firearms", "exact", "បីដើម"}}},
		{"one place is a place", "ពួកគេរស់នៅក្នុងអគារមួយកន្លែង។", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := figuresIn(newScanner(tt.text, tokenize(nil, tt.text)))
			var have []fig
			for _, f := range got {
				have = append(have, fig{f.Value, f.Unit, f.Qualifier, f.Text})
			}
			if !slices.Equal(have, tt.want) {
				t.Errorf("%q:\n got %v\nwant %v", tt.text, have, tt.want)
			}
		})
	}
}

func TestKhmerDates(t *testing.T) {
	type ev struct{ date, dateText string }
	tests := []struct {
		name      string
		text      string
		published string
		want      []ev
	}{
		{"day, month and year", "នៅថ្ងៃទី២៣ ខែមីនា ឆ្នាំ២០២៣ ប៉ូលិសបានជួយសង្គ្រោះពលករ។", "", []ev{{"2023-03-23", ""}}},
		{"inside its word, no space before the month", "កាលពីព្រឹកថ្ងៃទី០៧ឧសភា ឆ្នាំ២០១៩ ប៉ូលិសបានចុះឆែកវីឡា។", "", []ev{{"2019-05-07", ""}}},
		{"a weekday before the day", "នៅថ្ងៃសុក្រ ទី២៣ ខែកុម្ភៈ ឆ្នាំ២០២៤ អាជ្ញាធរបានបិទកាស៊ីណូ។", "", []ev{{"2024-02-23", ""}}},
		{"Latin digits", "នៅថ្ងៃទី 5 ខែ តុលា ឆ្នាំ 2022 ក្រុមការងារបានមកដល់។", "", []ev{{"2022-10-05", ""}}},
		{"day and month take the publication's year", "នៅថ្ងៃទី៣ កក្កដា ក្រុមការងារបានបញ្ជូនជនសង្ស័យ។", "2024-08-10", []ev{{"2024-07-03", "ថ្ងៃទី៣ កក្កដា"}}},
		{"yesterday", "កាលពីម្សិលមិញ មន្ត្រីបានប្រកាសលទ្ធផល។", "2024-05-10", []ev{{"2024-05-09", "ម្សិលមិញ"}}},
		{"a weekday alone", "កាលពីថ្ងៃអង្គារ ប៉ូលិសបានរកឃើញពលករ។", "2024-05-10", []ev{{"2024-05-07", "ថ្ងៃអង្គារ"}}},
		{"month and year", "នៅខែមករា ឆ្នាំ២០២០ ក្រុមហ៊ុនបានបើក។", "", []ev{{"2020-01", ""}}},
		{"a year compared with is a statistic's", "អត្រាជួញដូរមនុស្សបានធ្លាក់ចុះ បើប្រៀបធៀបនឹងរយៈពេលដូចគ្នាកាលពីឆ្នាំ២០២១។", "2022-08-19", nil},
		{"a photo's date is none", "រូបឯកសារ៖ អគារមួយនៅថ្ងៃទី២១ ខែកញ្ញា ឆ្នាំ២០២២។", "", nil},
		{"a month as often misspelt", "កាលពីថ្ងៃទី២ ខែវិច្ឆកា ឆ្នាំ២០១៥ នគរបាលបានប្រកាស។", "", []ev{{"2015-11-02", ""}}},
		{"the start of a month this year", "នៅដើមខែមីនា ឆ្នាំនេះ មានការបង្ក្រាបមួយទៀត។", "2024-05-10", []ev{{"2024-03", "ដើមខែមីនា ឆ្នាំនេះ"}}},
		{"a year after in", "នៅឆ្នាំ២០២២ ក្រុមហ៊ុននេះបានបើកអគារថ្មី។", "", []ev{{"2022", ""}}},
		{"a day of this month", "កាលពីថ្ងៃទី២០ ប៉ូលិសបានចាប់ខ្លួនមនុស្ស។", "2024-05-25", []ev{{"2024-05-20", "ថ្ងៃទី២០"}}},
		{"since is a period", "ចាប់តាំងពីខែមករា ឆ្នាំ២០២៤ មក ប៉ូលិសបានចាប់ខ្លួនមនុស្ស។", "2024-05-10", nil},
		{"as of is a tally", "គិតមកដល់ថ្ងៃទី៣០ ខែមេសា ឆ្នាំ២០២៤ មានករណីជាច្រើន។", "2024-05-10", nil},
		{"a lunar date and a Buddhist year are none", "ថ្ងៃព្រហស្បតិ៍ ៥កើត ខែចេត្រ ឆ្នាំថោះ បញ្ចស័ក ព.ស.២៥៦៦ ។", "2024-05-10", nil},
		{"an age is no year", "បុរសអាយុ៣២ឆ្នាំ ត្រូវចាប់ខ្លួន។", "2024-05-10", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := testExtractor(t)
			got := x.Extract(document.Raw{Text: tt.text, Published: tt.published}).Events
			var have []ev
			for _, e := range got {
				have = append(have, ev{e.Date, e.DateText})
			}
			if !slices.Equal(have, tt.want) {
				t.Errorf("%q:\n got %v\nwant %v", tt.text, have, tt.want)
			}
		})
	}
}

// TestKhmerSentences: a Khmer full stop ends a sentence, so each event
// is summarised by its own.
func TestKhmerSentences(t *testing.T) {
	text := "នៅថ្ងៃទី២៣ ខែមីនា ឆ្នាំ២០២៣ ប៉ូលិសបានចុះឆែក។ នៅថ្ងៃទី២៥ ខែមីនា ឆ្នាំ២០២៣ តុលាការបានចោទប្រកាន់។"
	x := testExtractor(t)
	evs := x.Extract(document.Raw{Text: text}).Events
	if len(evs) != 2 {
		t.Fatalf("got %d events, want 2: %+v", len(evs), evs)
	}
	for i, want := range []string{"នៅថ្ងៃទី២៣ ខែមីនា ឆ្នាំ២០២៣ ប៉ូលិសបានចុះឆែក។", "នៅថ្ងៃទី២៥ ខែមីនា ឆ្នាំ២០២៣ តុលាការបានចោទប្រកាន់។"} {
		if evs[i].Summary != want {
			t.Errorf("event %d summary %q, want %q", i, evs[i].Summary, want)
		}
	}
}

func TestKhmerSites(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"a name in guillemets", "ប៉ូលិសបានចុះឆែកកាស៊ីណូ «មេចេស៊ី» នៅក្រុងព្រះសីហនុ។", []string{"កាស៊ីណូ «មេចេស៊ី»"}},
		{"a name in capitals", "ប៉ូលិសបានឆែកអគារ ORCHID និងខុនដូLOTUS។", []string{"អគារ ORCHID", "ខុនដូLOTUS"}},
		{"two words in capitals", "សមត្ថកិច្ចបានបិទកាស៊ីណូ GOLDEN FORTUNE កាលពីម្សិលមិញ។", []string{"កាស៊ីណូ GOLDEN FORTUNE"}},
		{"a name not in capitals is none", "គេបានឆែកអគារ Orchid និងកាស៊ីណូStar5។", nil},
		{"a site noun with no name is none", "ប៉ូលិសបានឆែកអគារមួយ។", nil},
		{"an unclosed guillemet is none", "ប៉ូលិសបានឆែកកាស៊ីណូ «មេចេស៊ី។ ហើយ»", nil},
		{"a name after named", "គេបានឃើញអគារឈ្មោះ Silver Lake Tower នៅទីនោះ។", []string{"Silver Lake Tower"}},
	}
	x := testExtractor(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, e := range x.Extract(document.Raw{Text: tt.text}).Entities {
				if e.Type == document.Compound && !e.Known {
					got = append(got, e.Mentions[0].Text)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%q: sites %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
