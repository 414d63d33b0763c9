package extractor

import (
	"fmt"
	"testing"

	"github.com/compoundwatch/compoundwatch/document"
)

func sprint(x any) string { return fmt.Sprintf("%+v", x) }

// The sentences below are written for these tests; none is copied from the
// shared corpus.
func TestEventDates(t *testing.T) {
	type ev struct{ date, precision, until string } // until: Event.Until
	tests := []struct {
		name      string
		text      string
		published string
		want      []ev
	}{
		{"full date", "On 5 February 2023, police raided a compound in Bavet.", "", []ev{{"2023-02-05", "day", ""}}},
		{"US style", "Officials closed the casino on March 9, 2024.", "", []ev{{"2024-03-09", "day", ""}}},
		{"ordinal", "The ministry issued the order on April 2nd, 2022.", "", []ev{{"2022-04-02", "day", ""}}},
		{"month", "The hotline opened in May 2021 after public pressure.", "", []ev{{"2021-05", "month", ""}}},
		{"weekday", "On Monday, police raided a compound near the border.", "2024-03-15", []ev{{"2024-03-11", "day", ""}}},
		{"weekday after the hours of", "In the early hours of Sunday, guards moved 300 workers to a new site.", "2025-03-20", []ev{{"2025-03-16", "day", ""}}},
		{"weekday after the night of", "Police raided the towers on the night of Friday.", "2025-03-20", []ev{{"2025-03-14", "day", ""}}},
		{"weekday early or late, as wire copy writes it", "The 64 came home early Saturday; the flight had left late Friday.", "2025-10-18", []ev{{"2025-10-18", "day", ""}, {"2025-10-17", "day", ""}}},
		{"month after an article", "Eighteen people were held in an April raid and three in a June sweep.", "2017-07-27", []ev{{"2017-04", "month", ""}, {"2017-06", "month", ""}}},
		{"a day by its ordinal", "Suspects came on the 20th of last month to the court. Police raided it on the 3rd. A hearing was held on the 5th of this month, and a meeting on the 28th of October.",
			"2025-12-09", []ev{{"2025-11-20", "day", ""}, {"2025-12-03", "day", ""}, {"2025-12-05", "day", ""}, {"2025-10-28", "day", ""}}},
		{"an ordinal before a noun is no day", "He lived on the 5th floor and left on the 3rd day, not on the 20 of them.", "2025-12-09", nil},
		{"two months' tallies compared", "Licensed casinos fell from 163 in June to 136 this month, and from 40 in May to 12 in August.", "2020-01-03", nil},
		{"months of happenings", "Police moved from Phnom Penh in June to Bavet in August.", "2020-01-03", []ev{{"2019-06", "month", ""}, {"2019-08", "month", ""}}},
		{"a period of a week day is no date", "The events of Sunday school were cancelled.", "2025-03-20", nil},
		{"Chinese date", "2025年3月5日，警方突袭了一处园区。", "", []ev{{"2025-03-05", "day", ""}}},
		{"Chinese date inside a clause", "警方于2024年12月突袭另一园区。", "", []ev{{"2024-12", "month", ""}}},
		{"Chinese month and day", "3月6日，警方又逮捕了45人。", "2025-03-08", []ev{{"2025-03-06", "day", ""}}},
		{"Chinese month and day inside a clause", "警方于3月6日逮捕了45人。", "2025-03-08", []ev{{"2025-03-06", "day", ""}}},
		{"Chinese month alone inside a clause is no date", "警方于3月逮捕了45人。", "2025-03-08", nil},
		{"Chinese this month is no date", "警方本月逮捕了45人。", "2025-03-08", nil},
		{"Chinese day of this month", "警方本月7日逮捕了45人。", "2025-03-08", []ev{{"2025-03-07", "day", ""}}},
		{"Chinese month of this year", "警方今年10月突袭园区。", "2025-12-08", []ev{{"2025-10", "month", ""}}},
		{"Chinese month of last year", "警方去年12月突袭园区。", "2025-12-08", []ev{{"2024-12", "month", ""}}},
		{"Chinese numerals", "洪森于七月十四日宣布行动。", "2025-11-06", []ev{{"2025-07-14", "day", ""}}},
		{"Chinese day of the month alone", "警方19日突袭园区，（3 日）另有行动。", "2025-11-06", []ev{{"2025-10-19", "day", ""}, {"2025-11-03", "day", ""}}},
		{"Chinese day alone in numerals", "警方於四日突擊園區，官員五日證實，船隊十七日駛入公海。", "2025-11-20", []ev{{"2025-11-04", "day", ""}, {"2025-11-05", "day", ""}, {"2025-11-17", "day", ""}}},
		{"Chinese counts of days are no dates", "行動為期五日，三日內完成，數日後再查，兩日後撤離，一日之間走了十日。", "2025-11-20", nil},
		{"Chinese years told by the one before", "他在 2014 年入籍。翌年他成立公司。2018 年，他开设银行，同年取得护照。", "", []ev{{"2014", "year", ""}, {"2015", "year", ""}, {"2018", "year", ""}, {"2018", "year", ""}}},
		{"Chinese years inside a word", "他在2014年入籍。2018年，他开设银行；2020年底公司迁往金边。", "", []ev{{"2014", "year", ""}, {"2018", "year", ""}, {"2020", "year", ""}}},
		{"Chinese years inside a word that count, compare or bound are no dates", "单是2024年就骗走100亿美元，比2023年激增。自2019年以来园区扩张，2016年前并无园区，2022年的损失更高。在2019年至2021年间，园区扩张。", "2025-01-01", nil},
		{"a year alone does not date an undated page", "In 2016 he founded the company.\n\nOn 5 March, police raided it.", "", []ev{{"2016", "year", ""}}},
		{"Chinese date that opens a period", "今年1月中旬起，政府不断加强打击。从2月起警方高调行动。法院3月5日起诉了45人。", "2025-03-08", []ev{{"2025-03-05", "day", ""}}},
		{"wire datelines", "KUALA LUMPUR, Sept 20 — Police raided a compound on Sept 18.\n\nPHNOM PENH, Jan 5 (Reuters) - More followed.", "2025-09-21", []ev{{"2025-09-18", "day", ""}}},
		{"an undated page's dateline still tells the year", "BANGKOK, March 3, 2025 – Police raided a compound on March 1.", "", []ev{{"2025-03-01", "day", ""}}},
		{"Chinese dateline", "（新华社金边8日电）柬埔寨警方7日突袭园区。（中央社2025年12月9日電）", "2025-12-09", []ev{{"2025-12-07", "day", ""}}},
		{"counts of days, weeks and months later", "Police raided the site on March 3, 2025. Two days later, they arrested the owner. A week later, 40 left. The following month, a court jailed him. Two years later he was freed.", "2027-06-01",
			[]ev{{"2025-03-03", "day", ""}, {"2025-03-05", "day", ""}, {"2025-03-12", "day", ""}, {"2025-04", "month", ""}, {"2027", "year", ""}}},
		{"the same day after a year is the day told before it", "Officials froze the accounts on 3 June 2024. The boss, who came to the country in 2016, left it the same day. The next day, police sealed the office.", "2024-06-10",
			[]ev{{"2024-06-03", "day", ""}, {"2016", "year", ""}, {"2024-06-03", "day", ""}, {"2024-06-04", "day", ""}}},
		{"the same day with no day told before is no date", "The firm opened in 2016. Police raided it the same day.", "", []ev{{"2016", "year", ""}}},
		{"later without a count or of a state is no date", "The trade took off in mid-2021. Three years later, the industry is everywhere. Days later, it closed.", "", []ev{{"2021", "year", ""}}},
		{"ages and births are no events", "He is 24 years old this year. His boss was born on 4 July 1991, and his partner born 3 May 1988. Their aide was born in Kandal, Cambodia on 2 June 1990.", "2025-11-20", nil},
		{"a month of this year or last year is one date", "Police raided the site in August this year. The boss fled on March 5 last year.", "2024-10-01", []ev{{"2024-08", "month", ""}, {"2023-03-05", "day", ""}}},
		{"the day of a tally is no event", "As of June 5, 2024, 300 people had been freed; cases rose as of August this year.", "2024-10-01", nil},
		{"last week and this week", "Police raided the tower last week. Earlier this week, 40 workers walked out.", "2025-10-28", []ev{{"2025-10", "month", ""}, {"2025-10", "month", ""}}},
		{"a week across two months is dated to its year", "Police raided the tower last week. Earlier this week, 40 workers walked out.", "2025-10-01", []ev{{"2025-09", "month", ""}, {"2025", "year", ""}}},
		{"a week as a span, or without a publication date, is no date", "Over the last week, raids went on. A week of raids followed.\n\nThey left last week.", "", nil},
		{"a weekday after said", "The ministry said Tuesday that 40 workers were freed.", "2025-11-20", []ev{{"2025-11-18", "day", ""}}},
		{"Chinese part of a month", "英美于10月中宣布制裁，警方3月底再次行动。", "2025-10-24", []ev{{"2025-10", "month", ""}, {"2025-03", "month", ""}}},
		{"Chinese with spaces", "江西警方自 2025 年 12 月 1 日起執行任務，12 月 3 日完成。", "", []ev{{"2025-12-01", "day", ""}, {"2025-12-03", "day", ""}}},
		{"Chinese plan", "移民局預定於4月13日遣返這批疑犯，警方3月30日已將他們集中。", "2025-04-10", []ev{{"2025-04-13", "day", ""}, {"2025-03-30", "day", ""}}},
		{"Chinese plan into the next year", "当局计划于1月5日再次行动。", "2025-12-20", []ev{{"2026-01-05", "day", ""}}},
		{"Chinese days of a happening", "两国警方于3月2日至4日举行联合演练。", "2025-03-10", []ev{{"2025-03-02", "day", "2025-03-04"}}},
		{"Chinese days across months", "专案组于2025年12月30日至1月2日清查园区。", "", []ev{{"2025-12-30", "day", "2026-01-02"}}},
		{"Chinese period of a tally", "1月16日至20日短短5天之間，共有300人離開園區。2025年6月27日至12月18日期间，警方抓获4000人。", "2026-01-22", nil},
		{"Chinese date of a tally", "截至12月18日，已有4000人被遣返。", "2025-12-20", nil},
		{"Chinese sweep of a few days", "11月18日至22日期間軍方清剿園區。今年6月27日至7月7日之間累計抓了4000人。", "2025-11-25", []ev{{"2025-11-18", "day", "2025-11-22"}}},
		{"Chinese today, yesterday and a weekday", "警方今天宣布，嫌犯昨天被捕，園區週一已被查封。", "2025-12-04", []ev{{"2025-12-04", "day", ""}, {"2025-12-03", "day", ""}, {"2025-12-01", "day", ""}}},
		{"Chinese weekdays of other weeks", "警方上周三突袭园区，每周一巡查，一周三次。", "2025-12-04", nil},
		{"Chinese month with 份", "三十人于八月份被捕。", "2025-09-23", []ev{{"2025-08", "month", ""}}},
		{"weekday without publication date", "On Monday, police raided a compound near the border.", "", nil},
		{"weekday naming a date", "Guards fled on Tuesday, March 4, before the raid.", "2025-03-14", []ev{{"2025-03-04", "day", ""}}},
		{"weekday naming a full date", "The envoys met on Monday 3 February 2025 in Bangkok.", "2025-03-14", []ev{{"2025-02-03", "day", ""}}},
		{"weekday naming an ISO date", "Charges were filed on Friday, 2025-02-07, in Kandal.", "2025-03-14", []ev{{"2025-02-07", "day", ""}}},
		{"weekday and date as a deadline", "Workers have until Friday, March 21, to leave the site.", "2025-03-14", nil},
		{"days with a dash", "Raids on 6–8 May 2024 freed 90 people.", "", []ev{{"2024-05-06", "day", "2024-05-08"}}},
		{"days with a hyphen", "Raids on 6-8 May 2024 freed 90 people.", "", []ev{{"2024-05-06", "day", "2024-05-08"}}},
		{"month first, days with a hyphen", "Raids on May 6-8, 2024 freed 90 people.", "", []ev{{"2024-05-06", "day", "2024-05-08"}}},
		{"month first, days joined by a word", "Raids on May 6 and 7, 2024 freed 90 people.", "", []ev{{"2024-05-06", "day", "2024-05-07"}}},
		{"days across months", "Raids on 30 May–2 June 2024 freed 90 people.", "", []ev{{"2024-05-30", "day", "2024-06-02"}}},
		{"days across months, month first", "Raids on May 30 – June 2, 2024 freed 90 people.", "", []ev{{"2024-05-30", "day", "2024-06-02"}}},
		{"days across years", "Raids on 30 December–2 January 2025 freed 90 people.", "", []ev{{"2024-12-30", "day", "2025-01-02"}}},
		{"days without a year", "Inspectors visited the towers on 6–8 May.", "2024-06-20", []ev{{"2024-05-06", "day", "2024-05-08"}}},
		{"months with a dash", "Police of both countries worked together during August–September 2024.", "", []ev{{"2024-08", "month", "2024-09"}}},
		{"months with a hyphen", "Police of both countries worked together in August-September 2024.", "", []ev{{"2024-08", "month", "2024-09"}}},
		{"months joined by to, across a year", "Raids ran in December to January 2025 along the border.", "", []ev{{"2024-12", "month", "2025-01"}}},
		{"months without a year", "Inspectors toured the towers in March–April.", "2024-06-20", []ev{{"2024-03", "month", "2024-04"}}},
		{"months joined by and are two dates", "Police raided the site in March and May 2024.", "", []ev{{"2024-03", "month", ""}, {"2024-05", "month", ""}}},
		{"months from one to another are a statistic", "From January to June 2024, the hotline received 900 calls.", "", nil},
		{"a few days from one to another", "From 6 to 8 May 2024, police searched nine buildings.", "", []ev{{"2024-05-06", "day", "2024-05-08"}}},
		{"a quarter from one day to another", "From 1 January to 31 March 2024, the hotline received 900 calls.", "", nil},
		{"two dates joined by and", "Police raided the site on 6 May and 9 June 2024.", "", []ev{{"2024-05-06", "day", ""}, {"2024-06-09", "day", ""}}},
		{"a count, not days", "Officers freed 12-14 people on 3 May 2024.", "", []ev{{"2024-05-03", "day", ""}}},
		{"ordinal day first", "On 5th March 2024 the minister spoke in Kampot.", "", []ev{{"2024-03-05", "day", ""}}},
		{"month, comma, year", "In March, 2019 the task force first met.", "2024-06-20", []ev{{"2019-03", "month", ""}}},
		{"digits, year first", "Police raided the tower on 2024/03/05 at dawn.", "", []ev{{"2024-03-05", "day", ""}}},
		{"digits with dots, day first", "A court in Kandal sat on 04.03.2024.", "", []ev{{"2024-03-04", "day", ""}}},
		{"digits with slashes, day first", "Guards left the site on 25/3/2024.", "", []ev{{"2024-03-25", "day", ""}}},
		{"digits with slashes, month first", "Guards left the site on 3/26/2024.", "", []ev{{"2024-03-26", "day", ""}}},
		{"digits either way", "Guards left the site on 3/4/2024.", "", []ev{{"2024-04-03", "day", ""}}},
		{"digits that are no date", "The ratio was 1/2/3, the version 1.2.3, and 3 / 4 / 2024 a typo.", "", nil},
		{"no such day", "Police said the tower was raided on 31 April 2024.", "", []ev{{"2024-04", "month", ""}}},
		{"no such day, month first", "Guards left on February 30, 2023, officials said.", "", []ev{{"2023-02", "month", ""}}},
		{"weekdays in a row", "Shifts ran Monday, Tuesday, Wednesday, with raids on Thursday.", "2025-03-14", []ev{{"2025-03-13", "day", ""}}},
		{"yesterday", "Rescuers freed 40 workers yesterday.", "2024-03-15", []ev{{"2024-03-14", "day", ""}}},
		{"month this year", "In January, officials announced a task force.", "2024-03-15", []ev{{"2024-01", "month", ""}}},
		{"month last year", "In November, the court convicted two managers.", "2024-03-15", []ev{{"2023-11", "month", ""}}},
		{"last July", "Last July the ministry promised new inspections.", "2024-03-15", []ev{{"2023-07", "month", ""}}},
		{"earlier this year", "Earlier this year, the two agencies signed an agreement.", "2024-03-15", []ev{{"2024", "year", ""}}},
		{"day without year", "The sanctions announced on October 3 froze his assets.", "2024-11-20", []ev{{"2024-10-03", "day", ""}}},
		{"vague year", "In mid-2022, the first escapees reached the embassy.", "", []ev{{"2022", "year", ""}}},
		{"late year", "Investors fled the zone in late 2020.", "", []ev{{"2020", "year", ""}}},
		{"span", "In 2019 and 2020, operators moved into new towers.", "", []ev{{"2019", "year", ""}}},
		{"range is a statistic", "From March 2023 to February 2024, the hotline received 900 calls.", "", nil},
		{"years compared are statistics", "In 2017 the police made 203 arrests, against 113 in 2016.", "", nil},
		{"years compared, up from", "Rescues rose to 345 in 2017, up from 298 in 2016.", "", nil},
		{"the other side of a comparison", "In May 2024 the police opened 90 cases, up 12 on the same period in 2023 and 20 more than in 2022, compared with 2021's 40.", "",
			[]ev{{"2024-05", "month", ""}}},
		{"more than a number is not a comparison's date", "More than 200 people were freed in March 2024, and fewer than half went home in 2025.", "",
			[]ev{{"2024-03", "month", ""}, {"2025", "year", ""}}},
		{"no later than is a deadline, not a comparison", "In 2023 the ministry ordered the casinos shut no later than 30 June 2024.", "", []ev{{"2023", "year", ""}, {"2024-06-30", "day", ""}}},
		{"a year compared with nothing", "In 2017 the police raided the site, and its owner fled against advice.", "", []ev{{"2017", "year", ""}}},
		{"between is a statistic", "Between 2020 and 2022 the agency logged 300 cases.", "", nil},
		{"deadline", "The deadline for comments is 30 April.", "2024-03-15", nil},
		{"passing year", "The 2022 report and its 2023 update are online.", "", nil},
		// Issue 12: anchors, background and subordinate dates.
		{"undated: later day in the anchor's year", "Police raided a tower on May 3, 2024. Footage posted on May 9 showed workers leaving.", "", []ev{{"2024-05-03", "day", ""}, {"2024-05-09", "day", ""}}},
		{"undated: a month far later is the year before", "Ministers met on February 2, 2025.\nIn November the task force had been set up.", "", []ev{{"2025-02-02", "day", ""}, {"2024-11", "month", ""}}},
		{"since a year is background", "The hotel has been operating since 2009 near the border.", "", nil},
		{"since the start of a year", "Betting online has been banned since the start of 2021.", "", nil},
		{"birth year", "Police detained Tran Van Binh, born in 1975, on 4 June 2023.", "", []ev{{"2023-06-04", "day", ""}}},
		{"caption dating the photo", "Photo: the gate of the compound, taken March 3, 2024.\nThe owners left.", "", nil},
		{"caption of a happening", "Photo: officers search a casino on March 3, 2024.", "", []ev{{"2024-03-03", "day", ""}}},
		{"a clause dating a law", "The designations rest on the Magnitsky Act, passed on 14 December 2012, and were made on 9 May 2024.", "", []ev{{"2024-05-09", "day", ""}}},
		{"a clause dating a decree", "Police cited a decree, signed in March 2021, when they entered the tower on 2 June 2023.", "", []ev{{"2023-06-02", "day", ""}}},
		{"a relative clause", "The casino, which was opened in 2016, was raided on 4 April 2024.", "", []ev{{"2024-04-04", "day", ""}}},
		{"a main-clause participle is a happening", "The company was founded in 2015 by two brothers.", "", []ev{{"2015", "year", ""}}},
		{"bare year once", "In 2021, the sector grew. In 2021, prices rose too.", "", []ev{{"2021", "year", ""}}},
		{"narrative year", "In June 2023 police raided the site. In September, the court convicted its manager.", "", []ev{{"2023-06", "month", ""}, {"2023-09", "month", ""}}},
		{"narrative into the next year", "In November 2023 police raided the site. In February, the court convicted its manager.", "", []ev{{"2023-11", "month", ""}, {"2024-02", "month", ""}}},
		{"an earlier month is no later year without a publication date", "On 17 October 2025 the ministry named the gang. Before that, a court heard the case on 17 September.", "", []ev{{"2025-10-17", "day", ""}, {"2025-09-17", "day", ""}}},
		{"nor in Chinese", "2025年10月17日，公安部通报破案；在此之前，法院已于9月17日至19日开庭审理。", "", []ev{{"2025-10-17", "day", ""}, {"2025-09-17", "day", "2025-09-19"}}},
		{"inferred from text", "Raids continued through early 2024.\n\nSince January, a task force has met weekly.", "", []ev{{"2024", "year", ""}, {"2024-01", "month", ""}}},
		{"over the last year", "Prices rose over the last year.", "2024-03-15", nil},
		{"may is a verb", "Operators may move to other towns.", "2024-03-15", nil},
		{"future flagged", "The new law took effect on 1 July 2031.", "2024-03-15", []ev{{"2031-07-01", "day", ""}}},
		{"one date twice in a sentence", "On 8 May 2024 the raid began, and by the evening of 8 May 2024 it was over.", "", []ev{{"2024-05-08", "day", ""}}},
		{"two dates in a sentence", "Police raided the tower on 8 May 2024 and charged its owner on 10 May 2024.", "", []ev{{"2024-05-08", "day", ""}, {"2024-05-10", "day", ""}}},
		{"one date in two sentences", "On 8 May 2024 police raided the tower. Its owner fled on 8 May 2024.", "", []ev{{"2024-05-08", "day", ""}, {"2024-05-08", "day", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findEvents(tt.text, tt.published, nil)
			if len(got) != len(tt.want) {
				t.Fatalf("got %s, want %v", describe(got), tt.want)
			}
			for i, w := range tt.want {
				if got[i].Date != w.date || got[i].Precision != w.precision || got[i].Until != w.until {
					t.Errorf("event %d: got %s %s until %q, want %s %s until %q", i, got[i].Date, got[i].Precision, got[i].Until, w.date, w.precision, w.until)
				}
			}
		})
	}
}

func TestEventFlags(t *testing.T) {
	got := findEvents("The new law took effect on 1 July 2031.", "2024-03-15", nil)
	if len(got) != 1 || got[0].Flag != `date "1 July 2031" is after the publication date 2024-03-15` || got[0].DateText != "1 July 2031" {
		t.Fatalf("a date after publication must be flagged with its date text: %s", describe(got))
	}
	// Two sentences flagged in one document, the second reusing the
	// first's buffer: each flag is its own.
	got = findEvents("The law took effect on 1 July 2031. A court sat on 2 May 2032.", "2024-03-15", nil)
	if len(got) != 2 || got[0].Flag != `date "1 July 2031" is after the publication date 2024-03-15` ||
		got[1].Flag != `date "2 May 2032" is after the publication date 2024-03-15` {
		t.Fatalf("two dates after publication: %s", describe(got))
	}
	got = findEvents("Police said the tower was raided on 31 April 2024.", "2024-06-20", nil)
	if len(got) != 1 || got[0].Date != "2024-04" || got[0].DateText != "31 April 2024" ||
		got[0].Flag != `date "31 April 2024" has no such day; dated to its month` {
		t.Fatalf("a day its month lacks must be flagged: %s", describe(got))
	}
	got = findEvents("Guards left the site on 3/4/2024.", "", nil)
	if len(got) != 1 || got[0].DateText != "3/4/2024" ||
		got[0].Flag != `date "3/4/2024" reads as day and month either way; read day first` {
		t.Fatalf("a date in digits that reads either way must be flagged: %s", describe(got))
	}
	// A date inside a run of Han characters is printed as itself, and a
	// full stop of Chinese ends its sentence.
	got = findEvents("报告称2023年2月30日发生突袭。警方于2024年3月再次突袭。", "", nil)
	if len(got) != 2 || got[0].DateText != "2023年2月30日" || got[0].Flag != `date "2023年2月30日" has no such day; dated to its month` ||
		got[0].Summary != "报告称2023年2月30日发生突袭。" || got[1].Summary != "警方于2024年3月再次突袭。" {
		t.Fatalf("a Chinese date inside its token must be flagged as printed, in its own sentence: %s", describe(got))
	}
	got = findEvents("Raids on 30 May–2 June 2024 freed 90 people.", "", nil)
	if len(got) != 1 || got[0].DateText != "30 May–2 June 2024" {
		t.Fatalf("a range of days must keep its printed dates: %s", describe(got))
	}
	got = findEvents("In September, the ministry revoked two licences. Raids resumed in early 2023.", "", nil)
	if len(got) != 2 || got[0].Date != "2022-09" || got[0].DateText != "September" ||
		got[0].Flag != "no publication date: year inferred from the latest date in the text (2023-04-30)" || got[1].Flag != "" {
		t.Fatalf("inferred year must be flagged and keep its date text: %s", describe(got))
	}
	got = findEvents("Police raided a compound on 3 May 2023. A second raid followed on 9 June 2023. Officials said on March 23, 2033 that the site had closed.", "", nil)
	if len(got) != 3 || got[0].Flag != "" || got[1].Flag != "" || got[2].DateText != "March 23, 2033" ||
		got[2].Flag != "year 2033 is far after the document's other dates (latest 2023); probably a typo" {
		t.Fatalf("a year far after the others must be flagged as a typo: %s", describe(got))
	}
}

func TestTimeline(t *testing.T) {
	text := "Crackdown diary\n\nJanuary 5, 2021\n\nPolice raided a compound in Bavet. Forty workers left.\n\n" +
		"March 2, 2021\n\nA court convicted two managers.\n\n" +
		"March 20, 2012\n\nOfficials announced a task force, which met in 2020 and 2021.\n\n" +
		"April 9, 2021\n\nA new hotline opened on Monday.\n"
	got := findEvents(text, "", []document.Entity{{ID: "province:svay-rieng", Mentions: []document.Mention{{Text: "Bavet", Start: 62, End: 67}}}})
	want := []string{"2021-01-05", "2021-03-02", "2021-03-20", "2021-04-09"}
	if len(got) != len(want) {
		t.Fatalf("got %s", describe(got))
	}
	for i, w := range want {
		if got[i].Date != w {
			t.Errorf("entry %d: got %s, want %s", i, got[i].Date, w)
		}
	}
	if got[2].Flag == "" || got[2].DateText != "March 20, 2012" {
		t.Errorf("corrected entry must be flagged with its printed date: %+v", got[2])
	}
	if got[0].Summary != "Police raided a compound in Bavet." {
		t.Errorf("summary: %q", got[0].Summary)
	}
	if len(got[0].Entities) != 1 || got[0].Entities[0] != "province:svay-rieng" {
		t.Errorf("entities: %v", got[0].Entities)
	}
	for i, e := range got {
		if e.Flag != "" && i != 2 {
			t.Errorf("entry %d flagged: %s", i, e.Flag)
		}
	}
}

// TestSummaryAbbreviations checks where a sentence ends after a word
// that may be an abbreviation: a title's ("Sen. Warren") runs on, the end
// of Hun Sen's name ends the sentence.
func TestSummaryAbbreviations(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"In 2022 the tycoon became adviser to Hun Sen. The compound was raided in 2024.", "The compound was raided in 2024."},
		{"The bill was signed on 5 May 2024 by Sen. Warren and others.", "The bill was signed on 5 May 2024 by Sen. Warren and others."},
	} {
		got := findEvents(tc.text, "", nil)
		if len(got) == 0 || got[len(got)-1].Summary != tc.want {
			t.Errorf("%q: got %s, want the last summary %q", tc.text, describe(got), tc.want)
		}
	}
}
