package extractor

import (
	"cmp"
	"strings"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
)

// Figures written in Chinese are read from the bytes around a number, not
// from tokens: Chinese sets no space between a qualifier, a number, its
// counter and the noun ("逾300名外籍人员"), so the tokenizer makes one
// word of them, and what is counted is told by the counter (名, 个, 起)
// and a few nouns, not by the English units' word forms. Hong Kong's
// press sets a space around the digits ("162 名外國疑犯"), which is
// passed over. Both scripts are read: the traditional forms sit beside the
// simplified ones in every list below.

// hanFigures reads the figures written in Chinese that start in token i,
// a word holding Han characters or a number followed by one, and returns
// the last token it used up (i when it found none), so that the English
// scanner does not read the same number again. Names ("金三角", "陈志")
// hold no number, or one that counts nothing; a number starts with a
// digit, a numeral or a scale word (hanNumberAt).
func (fs *figureScanner) hanFigures(i int) int {
	return fs.wordFigures(i, hanNumeral, fs.hanFigure)
}

// wordFigures reads the figures in token i, a word of a script that sets
// no space between a number, its counter and its noun (Chinese, Khmer),
// or a number such a word follows: read reads the figure whose number
// starts at a byte (returning the byte after it, or after the number it
// passed over), at each digit and at each rune that numeral accepts. It
// returns the last token it used up (i when it found none).
func (fs *figureScanner) wordFigures(i int, numeral func(rune) bool, read func(p int) (document.Figure, int, bool)) int {
	text := fs.text
	last := i
	for p := fs.toks[i].start; p < fs.toks[i].end; {
		if c := text[p]; !isDigit(c) {
			r, w := utf8.DecodeRuneInString(text[p:])
			if !numeral(r) {
				p += w
				continue
			}
		}
		f, end, ok := read(p)
		if !ok {
			if end <= p { // "零": no number
				_, w := utf8.DecodeRuneInString(text[p:])
				end = p + w
			}
			p = end // past a number that counts nothing: "第15名" is no 5
			continue
		}
		f.End = end
		fs.add(f, "")
		fs.lastRead.unit, fs.lastRead.end = f.Unit, f.End // kept even when add drops f as a repeat: a breakdown may follow
		// Continue after the figure: in this token, or in the token that
		// holds its end, which is then read from its start only if the
		// figure ends inside it (a number after the counter's noun).
		p = end
		for last+1 < len(fs.toks) && fs.toks[last+1].end <= end {
			last++
		}
		if end > fs.toks[i].end {
			break
		}
	}
	return last
}

// hanFigure reads the figure whose number starts at text[p], if one does:
// the number with its scale words, a range's second number, "多" or "余"
// after it, its counter, currency or percent sign and the counted noun,
// and the qualifier before the number. It returns the byte after the
// surface; or, when it reads no figure, the byte after the number (p when
// none starts there).
func (fs *figureScanner) hanFigure(p int) (document.Figure, int, bool) {
	text := fs.text
	v, end, ok := hanNumberAt(text, p)
	if !ok {
		return document.Figure{}, p, false
	}
	numEnd := end
	if next, _ := utf8.DecodeRuneInString(text[end:]); !isDigit(text[p]) && !strings.ContainsRune(hanFollowers, next) && !hasSuffixAt(text, p, "百分之") {
		return document.Figure{}, numEnd, false // "金三角": a numeral in a name
	}
	if p > 0 && (ascii26(text[p-1]) || hasSuffixAt(text, p, "第")) || end < len(text) && ascii26(text[end]) {
		return document.Figure{}, numEnd, false // "第二", "A7园区": a rank or a name
	}
	f := document.Figure{Value: v, Start: p}
	// The qualifier written after the number, which one before it
	// overrides: a range, or "300多名".
	var after string
	if sep := hanRangeSep(text, end); sep > 0 {
		if hi, e, ok := hanNumberAt(text, end+sep); ok && hi > v {
			f.Value, after, end = hi, "range", e
		}
	}
	if m := listPrefix(text, end, hanMore); m != "" {
		end += len(m)
		after = cmp.Or(after, "more than")
		if scale := hanScale(text, end); scale > 0 {
			f.Value *= scale // "6300余万元"
			end += len("万")
		}
	}
	if end < len(text) && text[end] == ' ' {
		end++ // "162 名外國疑犯"
	}
	curFrom := -1 // where a currency named before the number starts
	switch code, w := hanCurrency(text, end); {
	case hasSuffixAt(text, p, "百分之"):
		f.Unit, f.Start, end = "percent", p-len("百分之"), numEnd
	case strings.HasPrefix(text[end:], "%"):
		f.Unit, end = "percent", end+1
	case strings.HasPrefix(text[end:], "％"):
		f.Unit, end = "percent", end+len("％")
	case code != "":
		if w == len("元") {
			// "3,000 元港幣", "港幣約 3,490 元": 元 is the unit of a
			// currency named after it or before the number.
			if c, cw := hanCurrency(text, end+w); c != "" && cw > w {
				code, w = c, w+cw
			} else if c, from := hanCurrencyBefore(text, f.Start); c != "" {
				code, curFrom = c, from
			}
		}
		f.Unit, end = code, end+w
	default:
		counter := listPrefix(text, end, hanCounters)
		run := hanNoun(text, end+len(counter))
		var said int
		f.Unit, said = hanUnitEnd(counter, run, text[p:end])
		if counter != "" && hanNounPart(run) == "" && (f.Unit == "" || f.Unit == "people") {
			// The noun before the number: "抓获犯罪嫌疑人233名",
			// "共立此类案件3.1万起".
			if u := hanUnit(counter, hanNounBefore(text, f.Start), text[p:end]); u != "" {
				f.Unit = u
			}
		}
		if f.Unit == "" && counter == "" {
			// "新台幣1.2兆": a currency named before, and no 元 after.
			if c, from := hanCurrencyBefore(text, f.Start); c != "" {
				f.Unit, curFrom = c, from
			}
		}
		if f.Unit == "" || text[p:numEnd] == "一" {
			// "一名男子", "一处园区": 一 alone is the article "a" as
			// often as it is a count of one; "1名" is a count.
			return document.Figure{}, numEnd, false
		}
		f.Subject = hanNounPart(run)
		if said > 0 {
			// The noun that told the unit, and the characters after it
			// that still end one ("嫌疑人员"): "疑犯移交中國" counts 疑犯.
			for said < len(run) {
				r, w := utf8.DecodeRuneInString(run[said:])
				if !hanNounEnd(r) {
					break
				}
				said += w
			}
			f.Subject = run[:said]
		}
		end += len(counter) + len(f.Subject)
		if m := listPrefix(text, end, hanAfter); m != "" {
			end += len(m)
			after = cmp.Or(after, hanAfterQualifier(m))
		}
	}
	if f.Unit == "percent" && hanChange(text[:f.Start]) {
		return document.Figure{}, numEnd, false // "同比下降36.8%": a change, not a share
	}
	f.Qualifier = cmp.Or(after, "exact")
	q, from := hanQualifierBefore(text, f.Start)
	if q == "" && curFrom >= 0 {
		q, from = hanQualifierBefore(text, curFrom) // "约新台幣2.3兆元"
	}
	if q != "" {
		if after != "range" {
			f.Qualifier = q
		}
		f.Start = from
	}
	if f.Unit == "people" {
		f.Unit = cmp.Or(hanCalled(text[end:]), fs.totalUnit(f.Value, f.Start, hanPartOf))
	}
	f.Value = roundValue(f.Value)
	return f, end, true
}

// totalUnit tells whom a count of people counts, when what the text
// says of them elsewhere does. The same number of people as an earlier
// count of suspects or victims is that count again ("462名犯罪嫌疑人" …
// "逮捕462人"), which add then keeps once. And a count in a breakdown
// has the unit of its total, the last figure read (lastRead) in the same
// sentence, where partOf finds the text between the two opens or goes on
// with a breakdown.
func (fs *figureScanner) totalUnit(v float64, start int, partOf func(between string) bool) string {
	for _, f := range fs.out {
		if f.Value == v && (f.Unit == "suspects" || f.Unit == "victims") && f.End <= start {
			return f.Unit
		}
	}
	t := fs.lastRead
	if t.unit != "suspects" && t.unit != "victims" || t.end > start {
		return "people"
	}
	if between := fs.text[t.end:start]; sameSentence(between) && partOf(between) {
		return t.unit
	}
	return "people"
}

// hanPartOf reports the words of a breakdown in Chinese: "拘捕了162名外國疑犯，
// 包括50名中國人" counts 50 suspects (包括, 其中, 当中), and so does a
// list going on from a count that had it ("50 名中國人、36 名印度人及32
// 南韓人").
func hanPartOf(between string) bool {
	if containsAny(between, "包括", "含", "其中", "当中", "當中", "分别", "分別") {
		return true
	}
	switch strings.TrimSpace(between) {
	case "、", "及", "和", "与", "與", "以及":
		return true
	}
	return false
}

// hanCalled reads what the rest of a clause calls the people just
// counted: "799名柬籍人员被认定是受害者" are victims. The clause ends at
// Chinese punctuation, or 60 bytes on.
func hanCalled(rest string) string {
	rest = rest[:min(len(rest), 60)]
	if i := strings.IndexAny(rest, "，。；、\n"); i >= 0 {
		rest = rest[:i]
	}
	for _, is := range [...]string{"是", "为", "為"} {
		switch i := strings.Index(rest, is); {
		case i < 0:
		case strings.HasPrefix(rest[i+len(is):], "受害"):
			return "victims"
		case hasAnyPrefix(rest[i+len(is):], "嫌疑", "嫌犯", "疑犯"):
			return "suspects"
		}
	}
	return ""
}

// hanNounBefore returns the Han characters right before text[p], up to
// six: the noun of a count written after it ("犯罪嫌疑人233名").
func hanNounBefore(text string, p int) string {
	i := p
	for n := 0; n < 6 && i > 0; n++ {
		r, w := utf8.DecodeLastRuneInString(text[:i])
		if !isHan(r) {
			break
		}
		i -= w
	}
	return text[i:p]
}

// hanChange reports whether before, the text before a percentage, ends
// in a verb of change: a rise or a fall is no share of anything.
func hanChange(before string) bool {
	before = strings.TrimSuffix(strings.TrimSuffix(before, " "), "了")
	return hasAnySuffix(before, "下降", "上升", "增长", "增長", "增加", "减少", "減少", "下跌", "上涨", "上漲", "降", "升", "跌", "涨", "漲", "增", "减", "減")
}

// hanNumberAt reads a number at text[p]: digits ("300", "1.5", "1,200")
// or numerals ("五千", "两百", "十二", "卅二", and "三四五五" read digit
// by digit), then scale words ("1.5亿", "28萬", "140 億", "3千万",
// "一万五千"). A number starts with a digit, a numeral from zero to nine,
// 十, 廿 or 卅, or a scale word that 余 or 多 follows ("千余人"): "数千"
// and "上万" name no amount.
func hanNumberAt(text string, p int) (float64, int, bool) {
	var total, section, num float64
	seen, numeral := false, false // numeral: the last rune read was one from zero to nine
	i := p
	for i < len(text) {
		c := text[i]
		if isDigit(c) {
			j := numberEnd(text, i)
			v, ok := parseNumber(text[i:j])
			if !ok {
				return 0, 0, false
			}
			num, i, seen, numeral = v, j, true, false
			if i+1 < len(text) && text[i] == ' ' && hanScale(text, i+1) > 0 {
				i++ // "140 億美元", as Hong Kong prints it
			}
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		if d := hanDigit(r); d >= 0 {
			if numeral {
				num = num*10 + float64(d)
			} else {
				num = float64(d)
			}
			seen, numeral = true, true
			i += w
			continue
		}
		numeral = false
		switch r {
		case '十', '廿', '卅', '百', '千':
			if !seen && !hanLeadScale(text, p, i+w, r) {
				return 0, 0, false
			}
			if num == 0 {
				num = 1
			}
			section += num * hanScaleOf(r)
			num, seen = 0, true
		case '万', '萬', '亿', '億', '兆':
			if !seen && !hanLeadScale(text, p, i+w, r) {
				return 0, 0, false
			}
			if r == '万' || r == '萬' {
				total += orOne(section+num) * 1e4
			} else {
				total = orOne(total+section+num) * hanScaleOf(r)
			}
			section, num, seen = 0, 0, true
		default:
			v := total + section + num
			return v, i, seen && i > p && v > 0
		}
		i += w
	}
	v := total + section + num
	return v, i, seen && v > 0
}

// orOne is the amount a scale word multiplies: 1 when none was written
// before it ("万余人").
func orOne(n float64) float64 {
	if n == 0 {
		return 1
	}
	return n
}

// hanLeadScale reports whether a scale word r at text[p:end] may start a
// number: 十, 廿 and 卅; 百, 千 and 万 when 余 or 多 follows ("千余人");
// and 百 and 千 before a second scale word after a qualifier ("逾百億");
// unless a word of vagueness comes before ("数十亿", "数千余人").
func hanLeadScale(text string, p, end int, r rune) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:p])
	if strings.ContainsRune("数數上成几幾", before) || hasAnySuffix(text[:p], "数以", "數以") {
		return false // "数十亿", "几百", "上千", "數以十億": no amount
	}
	switch r {
	case '十', '廿', '卅':
		return true
	}
	if q, _ := hanQualifierBefore(text, p); q != "" && (r == '百' || r == '千') {
		// "逾百億美元", "近千万元": a qualifier and a second scale
		// word make the round amount a figure.
		next, _ := utf8.DecodeRuneInString(text[end:])
		if strings.ContainsRune("万萬亿億", next) {
			return true
		}
	}
	return listPrefix(text, end, hanMore) != ""
}

// hanScale returns the value of the scale word at text[p] from 百 up,
// or 0: one that may follow a number's digits ("140 億", "6300余万").
func hanScale(text string, p int) float64 {
	r, _ := utf8.DecodeRuneInString(text[p:])
	if v := hanScaleOf(r); v >= 100 {
		return v
	}
	return 0
}

// hanScaleOf returns the value of the scale word r (十, 廿, 卅, 百, 千,
// 万, 亿, 兆 and their traditional forms), or 0.
func hanScaleOf(r rune) float64 {
	switch r {
	case '十':
		return 10
	case '廿':
		return 20
	case '卅':
		return 30
	case '百':
		return 100
	case '千':
		return 1e3
	case '万', '萬':
		return 1e4
	case '亿', '億':
		return 1e8
	case '兆':
		return 1e12 // Taiwan's trillion: "約新台幣1.17兆元"
	}
	return 0
}

// hanNumeral reports a numeral or a scale word below 亿, which may start
// a number (hanNumberAt).
func hanNumeral(r rune) bool {
	return hanDigit(r) >= 0 || hanScaleOf(r) > 0 && hanScaleOf(r) < 1e8
}

func hanDigit(r rune) int {
	switch r {
	case '零', '〇':
		return 0
	case '一':
		return 1
	case '二', '两', '兩':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	}
	return -1
}

// ascii26 reports an ASCII letter: a number joined to one is part of a
// name ("A7", "KK2").
func ascii26(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func hasSuffixAt(text string, p int, s string) bool { return strings.HasSuffix(text[:p], s) }

// listPrefix returns the first word of list that text[p:] starts with.
// Each list holds its longer words before the words they start with.
// Chinese and Khmer read their words with it: neither sets a space
// between them.
func listPrefix(text string, p int, list []string) string {
	for _, w := range list {
		if strings.HasPrefix(text[p:], w) {
			return w
		}
	}
	return ""
}

// hanFollowers are the characters that may follow a number in numerals
// that counts something: the first of a counter or a currency, "多" or
// "余", a range's joiner or a percent sign; a screen before the lists
// (hanCounters, hanCurrencies) are read, which names holding a numeral
// ("金三角") pass through.
const hanFollowers = "名位人个個座处處家间間起宗件部台支本次国國美泰瑞港新坡令比缅緬基韩韓越日欧歐元多余餘至到～–—-~%％"

// hanQualifiers are the words before a number that qualify it, longest
// first where one ends another ("不少于" before "至少", "将近" before
// "近"), with their qualifier.
var hanQualifiers = [...]struct{ word, qualifier string }{
	{"不少于", "at least"}, {"不少於", "at least"}, {"至少", "at least"}, {"最少", "at least"},
	{"超过", "more than"}, {"超過", "more than"}, {"多于", "more than"}, {"多於", "more than"}, {"逾", "more than"}, {"超", "more than"},
	{"大约", "about"}, {"大約", "about"}, {"约有", "about"}, {"約有", "about"}, {"约", "about"}, {"約", "about"},
	{"将近", "nearly"}, {"將近", "nearly"}, {"接近", "nearly"}, {"几乎", "nearly"}, {"幾乎", "nearly"},
	{"最近", ""}, {"附近", ""}, {"近", "nearly"}, // "recently" and "nearby" qualify no number
	{"多达", "up to"}, {"多達", "up to"}, {"高达", "up to"}, {"高達", "up to"}, {"最多", "up to"},
	{"共计", "exact"}, {"共計", "exact"}, {"总计", "exact"}, {"總計", "exact"}, {"合计", "exact"}, {"合計", "exact"},
	{"总共", "exact"}, {"總共", "exact"}, {"累计", "exact"}, {"累計", "exact"}, {"共有", "exact"}, {"共", "exact"},
}

// hanQualifierBefore returns the qualifier written right before text[p],
// a space between them allowed, and where its word starts.
func hanQualifierBefore(text string, p int) (string, int) {
	before := strings.TrimSuffix(text[:p], " ")
	for _, q := range hanQualifiers {
		if strings.HasSuffix(before, q.word) {
			if q.qualifier == "" {
				break
			}
			return q.qualifier, len(before) - len(q.word)
		}
	}
	return "", p
}

// hanMore are the words after a number that make it a floor: "300多名",
// "5万余人".
var hanMore = []string{"多", "余", "餘"}

// hanAfter are the words after a counted noun that qualify its number.
var hanAfter = []string{"以上", "左右"}

func hanAfterQualifier(w string) string {
	if w == "左右" {
		return "about"
	}
	return "more than"
}

// hanRangeSep returns the length of the word joining a range's numbers
// at text[p] ("至", "到", "-", "~"), or 0.
func hanRangeSep(text string, p int) int {
	if p < len(text) && (text[p] == '-' || text[p] == '~') {
		return 1
	}
	for _, s := range [...]string{"至", "到", "～", "–", "—"} {
		if strings.HasPrefix(text[p:], s) {
			return len(s)
		}
	}
	return 0
}

// hanCurrencies maps a currency's name to its ISO code; "元" alone, after
// a number or its scale, is the yuan. Longer names first.
var hanCurrencies = [...]struct{ word, code string }{
	{"美元", "USD"}, {"美金", "USD"},
	{"人民币", "CNY"}, {"人民幣", "CNY"},
	{"泰铢", "THB"}, {"泰銖", "THB"},
	{"瑞尔", "KHR"}, {"瑞爾", "KHR"},
	{"港元", "HKD"}, {"港币", "HKD"}, {"港幣", "HKD"},
	{"新台币", "TWD"}, {"新臺幣", "TWD"}, {"新台幣", "TWD"}, {"台币", "TWD"}, {"台幣", "TWD"},
	{"新加坡元", "SGD"}, {"新元", "SGD"}, {"新币", "SGD"}, {"新幣", "SGD"}, {"坡币", "SGD"}, {"坡幣", "SGD"},
	{"令吉", "MYR"}, {"比索", "PHP"}, {"缅币", "MMK"}, {"緬幣", "MMK"}, {"缅元", "MMK"}, {"緬元", "MMK"}, {"基普", "LAK"},
	{"韩元", "KRW"}, {"韓元", "KRW"},
	{"越南盾", "VND"}, {"日元", "JPY"}, {"日圓", "JPY"}, {"欧元", "EUR"}, {"歐元", "EUR"},
	{"元", "CNY"},
}

func hanCurrency(text string, p int) (string, int) {
	for _, c := range hanCurrencies {
		if strings.HasPrefix(text[p:], c.word) {
			return c.code, len(c.word)
		}
	}
	return "", 0
}

// hanCurrencyBefore returns the code of a currency named before the
// number at p, past its qualifier, and where the name starts: the
// number's 元 is then that currency's unit, not the yuan ("港幣約 3,490
// 元", "新台幣5000元").
func hanCurrencyBefore(text string, p int) (string, int) {
	if _, from := hanQualifierBefore(text, p); from < p {
		p = from
	}
	before := strings.TrimSuffix(text[:p], " ")
	for _, c := range hanCurrencies[:len(hanCurrencies)-1] { // not 元
		if strings.HasSuffix(before, c.word) {
			return c.code, len(before) - len(c.word)
		}
	}
	return "", -1
}

// hanPersonNouns are people counted with 个 ("八个保安").
var hanPersonNouns = []string{"保安", "工人", "员工", "員工", "男子", "女子", "孩子", "青年", "外国人", "外國人", "中国人", "中國人"}

// hanCounters are the measure words between a number and its noun.
var hanCounters = []string{"名", "位", "人", "个", "個", "座", "处", "處", "家", "间", "間", "起", "宗", "件", "部", "台", "支", "本", "次", "国", "國"}

// hanNoun returns the noun after a counter: up to twelve Han characters,
// ending before a word that ends it (的, 被, 在 …) or any other character.
func hanNoun(text string, p int) string {
	i := p
	of := false
	for n := 0; n < 12 && i < len(text); n++ {
		r, w := utf8.DecodeRuneInString(text[i:])
		if r == '的' && !of && i > p {
			// "12名获救的受害者": a modifier and its noun.
			of = true
			i += w
			continue
		}
		if (r == '从' || r == '從') && hasAnyPrefix(text[i+w:], "事") {
			i += w // "从事", to engage in: "涉嫌從事科技詐騙的嫌犯"
			continue
		}
		if !isHan(r) || strings.ContainsRune("的被在于於和及与與从從已将將等都也还還是为為并並遭到至向后後时時", r) {
			break
		}
		i += w
	}
	i = min(i, len(text))
	if strings.HasSuffix(text[p:i], "的") {
		i -= len("的")
	}
	return text[p:i]
}

// isHan reports a CJK unified ideograph.
func isHan(r rune) bool { return r >= 0x3400 && r <= 0x9fff || r >= 0xf900 && r <= 0xfaff }

// hanNounPart cuts the run of characters after a counter at the last
// that ends a noun (a person, a place, a case, an object): the run goes
// on into the verb ("300名工人逃出" counts 工人), which the surface and
// what is counted leave out. It is "" when none does ("6人更曾").
func hanNounPart(run string) string {
	for i := len(run); i > 0; {
		r, w := utf8.DecodeLastRuneInString(run[:i])
		if hanNounEnd(r) {
			return run[:i]
		}
		i -= w
	}
	return ""
}

// hanNounEnd reports a character that may end a noun: a person, a
// place, a case, an object.
func hanNounEnd(r rune) bool {
	return strings.ContainsRune("人员員者士工民客犯子女性童生区區点點穴所场場家心案机機脑腦照台站国國籍动動", r)
}

// hanUnit tells what a counter and its noun count, or "" when it is no
// figure of ours: a duration, an age, a date or something else.
func hanUnit(counter, noun, number string) string {
	u, _ := hanUnitEnd(counter, noun, number)
	return u
}

// hanUnitEnd is hanUnit, and the end in noun of the word that told the
// unit (0 when none did).
func hanUnitEnd(counter, noun, number string) (unit string, end int) {
	has := func(words ...string) bool {
		for _, w := range words {
			if i := strings.Index(noun, w); i >= 0 {
				end = i + len(w)
				return true
			}
		}
		return false
	}
	person := func() string {
		switch {
		case has("嫌疑", "疑犯", "嫌犯"):
			return "suspects"
		case has("受害", "被害"):
			return "victims"
		}
		return "people"
	}
	switch counter {
	case "名", "位", "人":
		return person(), end
	case "个", "個", "座", "处", "處", "家", "间", "間":
		switch {
		case has("园区", "園區"):
			return "compounds", end
		case has("据点", "據點", "窝点", "窩點", "巢穴", "场所", "場所", "地点", "地點", "赌场", "賭場", "娱乐场", "娛樂場", "酒店", "大楼", "大樓", "建筑", "建築", "中心"):
			return "sites", end
		case has("国家", "國家"):
			return "countries", end
		case has("国籍", "國籍"):
			return "nationalities", end
		case has("省"):
			return "provinces", end
		case has("案"):
			return "cases", end
		case has("平台", "网站", "網站"):
			return "platforms", end
		case noun == "人":
			// "九个人": people counted with the common counter; 人 must
			// stand alone, as "个人账户" is personal.
			return "people", len(noun)
		}
		if w := listPrefix(noun, 0, hanPersonNouns); w != "" {
			return "people", len(w) // "八个保安"
		}
	case "起", "宗", "件":
		if has("案") {
			return "cases", end
		}
	case "部", "台", "支":
		switch {
		case has("手机", "手機"):
			return "phones", end
		case has("笔记本", "筆記本"):
			return "laptops", end
		case has("电脑", "電腦", "计算机", "計算機"):
			return "computers", end
		}
	case "本":
		if has("护照", "護照") {
			return "passports", end
		}
	case "次":
		if has("行动", "行動", "突袭", "突襲", "搜查", "清查") {
			return "operations", end
		}
	case "国", "國":
		// "来自23国"; "两国" is the two countries of a talk, not a count.
		if isDigit(number[0]) {
			return "countries", end
		}
	case "":
		// "32 南韓人", "千余外籍人士": people named without a counter,
		// by where they come from or what they are.
		if utf8.RuneCountInString(noun) <= 6 && (strings.HasSuffix(noun, "人") || strings.HasSuffix(noun, "人士") || strings.HasSuffix(noun, "人员") || strings.HasSuffix(noun, "人員")) {
			return person(), end
		}
	}
	return "", end
}
