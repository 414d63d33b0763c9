package extractor

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/ascii"
	"github.com/compoundwatch/compoundwatch/internal/hant"
)

// Discovery in Chinese. Chinese reports introduce a boss the way English
// ones do, by role, but with no capitals and no spaces to tell where a
// name starts and ends: "首犯明学昌则畏罪自杀" (the chief culprit Ming
// Xuechang killed himself). So a person is read only where the text
// marks the name's edges: after a role word, up to a character that
// cannot go on a name; in a list of names between 、 that a role word
// sums up ("杨立强、潘宪等“金主”", "以白所成、白应苍为首"); after a known
// or found boss, in a list of his family ("明学昌（已死亡）、明国安"); or
// after a kin word, where a boss of that family is named in the text
// ("长子白应能"). A name is a family name of the common list and one or
// two more characters. A site is read only where quotes or Latin letters
// mark its name ("“皇乐园区”", "KK园区"), or in a list that a count of
// sites sums up ("天马酒店、东风产业园等9个园区"); two characters before
// 园区 with nothing to mark them are no name ("说明园区", "进入园区").
// Names are compared and identified in simplified characters, so a report
// in either script adds to one candidate.

// hanRoles are the words that introduce a boss, a ringleader, an owner
// or a financier, in both scripts ("大老板" and "幕后老板" hold "老板").
// Officials' titles are left out, as in English: a police chief or a
// spokesman is no tycoon, and neither is a state's 主席 or a
// government's 首脑. "负责人" (the person in charge) is left out too, as
// it is said of officials and of sites alike.
var hanRoles = []string{
	"头目", "頭目", "首犯", "主犯", "头子", "頭子", "老板", "老闆", "董事长", "董事長", "创办人", "創辦人",
	"创始人", "創始人", "大亨", "富商", "金主", "赌王", "賭王", "大佬", "首要分子",
}

// hanLeads are "headed by" ("以…为首") in both scripts.
var hanLeads = []string{"为首", "為首"}

// hanKin name a relative ("长子白应能", his eldest son Bai Yingneng).
var hanKin = []string{"长子", "長子", "次子", "儿子", "兒子", "女儿", "女兒", "妻子", "弟弟", "哥哥", "侄子", "女婿", "胞弟", "胞兄"}

// hanSurnames are the commonest family names of one character, in
// simplified form, less those that are also common words at the start of
// what follows a role ("头目和骨干", "老板于是"): 和, 于, 时, 向, 全, 应,
// 成, 文, 常, 车, 路, 连, 关, 万, 将, 也, 等.
const hanSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤温康施牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简项芦麦褚娄窦戚岑景党宫费卜冷晏席卫柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝洪"

// surnames and afterName are hanSurnames and hanAfterName as sets.
var surnames, afterName = newHanSet(hanSurnames), newHanSet(hanAfterName)

// hanSet is a set of characters of the CJK Unified Ideographs block
// (U+4E00 to U+9FFF), a bit each: a test of a name's every character
// against a list of hundreds is a load.
type hanSet [(0xa000 - 0x4e00) / 64]uint64

func newHanSet(chars string) *hanSet {
	var s hanSet
	for _, r := range chars {
		if r -= 0x4e00; r < 0 || r >= 0xa000-0x4e00 {
			panic("extractor: " + string(r+0x4e00) + " is not a unified ideograph")
		}
		s[r>>6] |= 1 << (r & 63)
	}
	return &s
}

func (s *hanSet) has(r rune) bool {
	r -= 0x4e00
	return r >= 0 && r < 0xa000-0x4e00 && s[r>>6]>>(r&63)&1 != 0
}

// hanAfterName are characters that end a name when they follow it: a
// particle, a conjunction or the first character of a verb phrase that
// reports put right after a name ("明学昌则畏罪自杀", "陈志被捕",
// "明国平等人", "相继落网"). 曾 is also a family name, read as one only
// where a name starts.
const hanAfterName = "被则等已在于因也及和与的为是曾仍又将亦遭涉现以向对把从自称说表透早今昨前后夫妻父子兄弟姐妹家率带所均都经并落相逃获分执兼担掌控负管"

// hanSiteNouns end the name of a site.
var hanSiteNouns = []string{"园区", "赌场", "娱乐城", "科技园", "工业园", "产业园", "度假村", "大酒店", "酒店", "宾馆", "大厦", "特区", "新城", "基地"}

// hanGeneric are the words before a site noun that say what a site is,
// or where, not which: "诈骗园区", "电诈园区", "缅甸园区", "这些园区".
var hanGeneric = []string{
	"诈骗", "电诈", "网诈", "诈", "犯罪", "黑产", "工业", "科技", "产业", "经济", "该", "这", "那", "些", "个", "处",
	"地下", "网络", "线上", "非法", "大型", "巨型", "小型", "当地", "周边", "附近", "境外", "海外", "境内", "其他", "其它",
	"所有", "部分", "整个", "多", "各", "缅甸", "缅北", "柬埔寨", "柬国", "泰国", "老挝", "菲律宾", "中国", "越南", "该处",
}

// hanDiscover appends to out the persons and sites that the Chinese words
// of text introduce (see above): the words are the triggers hanWord of
// trigs (findTriggers), and known the entities the gazetteer found. (A
// function to call for each, as discover's add, would move discover's
// closures to the heap: five allocations a document.)
func hanDiscover(out []found, text string, toks []token, trigs []trigger, known []document.Entity, sc *scratch) []found {
	hans := sc.hanWords[:0]
	defer func() { sc.hanWords = hans[:0] }()
	for _, tr := range trigs {
		if tr.trigger != hanWord {
			continue
		}
		hans = append(hans, tokenAt(toks, tr.at))
	}
	if len(hans) == 0 {
		return out
	}
	h := hanPeople{text: text, out: out, families: sc.families[:0]}
	defer func() { sc.families = h.families[:0] }()
	for k := range known {
		e := &known[k]
		if e.Type != document.Tycoon || e.Kind != "person" {
			continue
		}
		for _, m := range e.Mentions {
			if m.Text[0] < utf8.RuneSelf {
				continue // a name in Latin letters lists no Chinese names
			}
			if f := familyOf(m.Text); f >= 0 {
				h.families = append(h.families, f)
				h.listAfter(m.End, f)
			}
		}
	}
	kin := 0 // hans[:kin] are the words with a kin word's first character
	for _, i := range hans {
		t := toks[i]
		word := text[t.start:t.end]
		role, rel, site := hanCues(word)
		if role {
			h.byRole(t.start, word)
		}
		if rel {
			hans[kin], kin = i, kin+1
		}
		h.out = hanSites(h.out, text, toks, i, site)
	}
	// Relatives last, when every boss of the text is known.
	for _, i := range hans[:kin] {
		t := toks[i]
		h.kin(t.start, text[t.start:t.end])
	}
	return h.out
}

// hanCues reports whether word holds the first character of a role or a
// "以…为首" (hanRoles, hanLeads), of a kin word (hanKin), or of a noun
// that ends or sums up an unquoted site (园区, 赌场, 据点). Most words hold
// none, and are passed over without a search for each word of the lists.
func hanCues(word string) (role, kin, site bool) {
	for _, r := range word {
		role = role || roleCues.has(r)
		kin = kin || kinCues.has(r)
		site = site || siteCues.has(r)
	}
	return role, kin, site
}

var (
	roleCues, kinCues = firstChars(hanRoles, hanLeads), firstChars(hanKin)
	siteCues          = newHanSet("园園场場据據")
	// rolesByFirst lists hanRoles by their first character.
	rolesByFirst = func() map[rune][]string {
		m := map[rune][]string{}
		for _, role := range hanRoles {
			r, _ := utf8.DecodeRuneInString(role)
			m[r] = append(m[r], role)
		}
		return m
	}()
)

// firstChars returns the set of the first characters of the words of
// lists.
func firstChars(lists ...[]string) *hanSet {
	var b strings.Builder
	for _, l := range lists {
		for _, w := range l {
			r, _ := utf8.DecodeRuneInString(w)
			b.WriteRune(r)
		}
	}
	return newHanSet(b.String())
}

// hanPeople reads the persons of one text.
type hanPeople struct {
	text string
	out  []found
	// families are the family names of the bosses named so far, known
	// and found: a relative is read only in one of them.
	families []rune
}

// person passes the name text[a:b] on.
func (h *hanPeople) person(a, b int) {
	name := hant.Simplify(h.text[a:b])
	h.out = append(h.out, found{typ: document.Tycoon, kind: "person", name: name, start: a, end: b, conf: confTycoon})
	h.families = append(h.families, familyOf(name))
}

// byRole reads the names around each role word in word, which starts at
// off: after it, and listed before it (hanListBefore); and the names that
// "以…为首" lists.
func (h *hanPeople) byRole(off int, word string) {
	for j, c := range word {
		if !roleCues.has(c) {
			continue
		}
		for _, role := range rolesByFirst[c] {
			if !strings.HasPrefix(word[j:], role) {
				continue
			}
			r := off + j
			if n := hanName(h.text, r+len(role)); n > 0 {
				h.person(r+len(role), r+len(role)+n)
				h.listAfter(r+len(role)+n, familyOf(h.text[r+len(role):]))
			}
			if e := listEnd(h.text, r, true, "等"); e >= 0 {
				for _, nm := range hanListBefore(h.text, e, max(0, e-120)) {
					h.person(nm[0], nm[1])
				}
			}
		}
	}
	for _, lead := range hanLeads {
		for j := range indexes(word, lead) {
			e := off + j
			// The whole span from 以 is the list: names only.
			k := strings.LastIndex(h.text[max(0, e-60):e], "以")
			if k < 0 {
				continue
			}
			a := max(0, e-60) + k + len("以")
			names := hanListBefore(h.text, e, a)
			if len(names) > 0 && names[len(names)-1][0] == a {
				for _, nm := range names {
					h.person(nm[0], nm[1])
				}
			}
		}
	}
}

// listAfter reads the names of family f listed after a name that ends at
// e, each after the one before, past a note in brackets
// ("明学昌（已死亡）、明国安（另案处理）、明国平").
func (h *hanPeople) listAfter(e int, f rune) {
	for f >= 0 {
		p := listNext(h.text, parenEnd(h.text, e))
		if p < 0 {
			return
		}
		n := hanName(h.text, p)
		if n == 0 || familyOf(h.text[p:]) != f {
			return
		}
		h.person(p, p+n)
		e = p + n
	}
}

// kin reads a name after each kin word in word (at off), where a boss of
// its family is named in the text.
func (h *hanPeople) kin(off int, word string) {
	for _, k := range hanKin {
		for j := range indexes(word, k) {
			p := off + j + len(k)
			if n := hanName(h.text, p); n > 0 && slices.Contains(h.families, familyOf(h.text[p:])) {
				h.person(p, p+n)
			}
		}
	}
}

// familyOf returns the family name that s starts with, in simplified
// form, or -1 if its first character is not one of hanSurnames.
func familyOf(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	if t, ok := hant.Rune(r); ok {
		r = t
	}
	if !surnames.has(r) {
		return -1
	}
	return r
}

// hanName returns the length in bytes of the name that starts at p, of
// three or two characters (wholeName), ended by the end of the run or by
// a character of hanAfterName; 0 if there is none.
func hanName(text string, p int) int {
	var ends [4]int // of the first four characters
	var next [4]rune
	n := 0
	for q := p; n < 4 && q < len(text); n++ {
		r, w := utf8.DecodeRuneInString(text[q:])
		if !isHan(r) {
			break
		}
		if s, ok := hant.Rune(r); ok {
			r = s
		}
		q += w
		ends[n], next[n] = q-p, r
	}
	for _, k := range []int{3, 2} {
		if n >= k && (n == k || afterName.has(next[k])) && wholeName(text[p:p+ends[k-1]]) {
			return ends[k-1]
		}
	}
	return 0
}

// listBefore reads the items listed in text[floor:e], last first: each
// between two 、 (span bytes at most) is read whole ("、潘宪等"), the first
// one, with no 、 before it, from where first finds its start
// ("引来杨立强、"). It returns the items valid accepts, [start, end) each,
// up to the first part that is not one.
func listBefore(text string, e, floor, span int, first func(e int) int, valid func(string) bool) [][2]int {
	var out [][2]int
	for e > floor {
		var a int
		if k := strings.LastIndex(text[max(floor, e-span):e], "、"); k >= 0 {
			a = max(floor, e-span) + k + len("、")
		} else {
			a = first(e)
		}
		if a < floor || a >= e || !valid(text[a:e]) {
			break
		}
		out = append(out, [2]int{a, e})
		if !strings.HasSuffix(text[floor:a], "、") {
			break
		}
		e = a - len("、")
	}
	return out
}

// hanListBefore reads the names listed in text[floor:e] (listBefore): the
// first one as the name of three or two characters that ends there.
func hanListBefore(text string, e, floor int) [][2]int {
	return listBefore(text, e, floor, 12, func(e int) int { return hanNameBefore(text, e, floor) }, wholeName)
}

// hanNameBefore returns where a name of three or two characters ending at e
// starts, no earlier than floor, or -1.
func hanNameBefore(text string, e, floor int) int {
	starts := [3]int{-1, -1, -1}
	for n, a := 0, e; n < 3; n++ {
		r, w := utf8.DecodeLastRuneInString(text[floor:a])
		if !isHan(r) {
			break
		}
		a -= w
		starts[n] = a
	}
	for _, a := range []int{starts[2], starts[1]} {
		if a >= 0 && wholeName(text[a:e]) {
			return a
		}
	}
	return -1
}

// wholeName reports a name of two or three characters, the first a
// family name, none a character that ends a name, and not a role
// ("以金主为首").
func wholeName(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 3 || familyOf(s) < 0 || slices.Contains(hanRoles, s) {
		return false
	}
	for i, r := range s {
		if !isHan(r) {
			return false
		}
		if t, ok := hant.Rune(r); ok {
			r = t
		}
		if i > 0 && afterName.has(r) {
			return false
		}
	}
	return true
}

// listEnd returns where a list ends before the word at r that sums it
// up ("杨立强、潘宪等“金主”", "白所成、白应苍6名…头目", "…、苍胜科技园都是…据点"):
// at the last of words, or at a count's first digit if counted, with no
// clause mark or 、 between it and r, and at most fifteen characters;
// -1 where there is none.
func listEnd(text string, r int, counted bool, words ...string) int {
	from := max(0, r-45)
	gap := text[from:r]
	k := lastClauseMark(gap)
	if i := strings.LastIndex(gap, "、"); i >= 0 {
		k = max(k, i+len("、"))
	}
	if k >= 0 {
		gap, from = gap[k:], from+k
	}
	for _, w := range words {
		if k := strings.LastIndex(gap, w); k >= 0 {
			return from + k
		}
	}
	if counted {
		for k := 0; k < len(gap); k++ {
			if isDigit(gap[k]) {
				return from + k
			}
		}
	}
	return -1
}

// listNext returns where the next name of a list starts after a name
// ending at e ("、", "和", "与", "及"), or -1.
func listNext(text string, e int) int {
	for _, sep := range []string{"、", "和", "與", "与", "及"} {
		if strings.HasPrefix(text[e:], sep) {
			return e + len(sep)
		}
	}
	return -1
}

// parenEnd returns the end of the note in brackets that starts at e
// ("明学昌（已死亡）"), or e where none does.
func parenEnd(text string, e int) int {
	for _, open := range []string{"（", "("} {
		if strings.HasPrefix(text[e:], open) {
			end := ")"
			if open == "（" {
				end = "）"
			}
			if k := strings.Index(text[e:min(len(text), e+45)], end); k > 0 {
				return e + k + len(end)
			}
		}
	}
	return e
}

// hanSites reads a site's name from token i: a quoted name that ends in a
// site noun or that one follows (“皇乐园区”, “金水”赌场), Latin capitals
// and digits right before one ("KK园区"), or the sites listed before what
// sums them up; site reports the word holds a noun of the last two
// (hanCues).
func hanSites(out []found, text string, toks []token, i int, site bool) []found {
	t := toks[i]
	word := text[t.start:t.end]
	quoted := i > 0 && text[toks[i-1].start:toks[i-1].end] == "“"
	closed := i+1 < len(toks) && text[toks[i+1].start:toks[i+1].end] == "”"
	if !(quoted && closed) && !site {
		return out
	}
	simple := hant.Simplify(word)
	if quoted && closed {
		if noun := siteNounSuffix(simple); noun != "" && !generic(simple[:len(simple)-len(noun)]) {
			out = append(out, found{typ: document.Compound, name: simple, start: t.start, end: t.end, conf: confQuoted})
			return out
		}
		if i+2 < len(toks) && toks[i+2].start == toks[i+1].end && toks[i+2].has(fHan) {
			next := hant.Simplify(text[toks[i+2].start:toks[i+2].end])
			for _, noun := range hanSiteNouns {
				if strings.HasPrefix(next, noun) && !generic(simple) {
					out = append(out, found{typ: document.Compound, name: simple + noun, start: t.start, end: t.end, conf: confQuoted})
					return out
				}
			}
		}
	}
	// The rest reads offsets in the word's fold, which keeps them where
	// it keeps the word's length.
	if len(simple) != len(word) {
		return out
	}
	for _, noun := range []string{"园区", "赌场", "据点"} {
		for j := range indexes(simple, noun) {
			out = hanSiteList(out, text, t.start+j)
			if noun == "据点" {
				continue // a strongpoint sums sites up, and ends no name
			}
			// Capitals right before a park or a casino, inside the word
			// ("从KK园区逃出" is one word) or as the word before, a space
			// away at most ("KK 園區").
			r := j
			for r > 0 && ascii.IsAlnum(word[r-1]) {
				r--
			}
			p := t.start + r
			switch {
			case r < j && (r == 0 || word[r-1] >= utf8.RuneSelf) && latinCaps(word[r:j]) == j-r:
			case j == 0 && i > 0 && t.start-toks[i-1].end <= 1 && latinCaps(text[toks[i-1].start:toks[i-1].end]) == toks[i-1].end-toks[i-1].start:
				p = toks[i-1].start
			default:
				continue
			}
			e := t.start + j + len(noun)
			out = append(out, found{typ: document.Compound, name: hant.Simplify(text[p:e]), start: p, end: e, conf: confQuoted})
		}
	}
	return out
}

// hanSiteList reads the sites listed before a 园区 or 据点 at r that sums
// them up ("天子酒店、东城产业园、包包寨、311大厦等14个…园区",
// "百胜宾馆、腾龙一号楼、苍胜科技园都是…据点"): two or more names between
// 、, the first from a clause mark or, in a run, as two characters and
// a site noun.
func hanSiteList(out []found, text string, r int) []found {
	e := listEnd(text, r, false, "等", "都是")
	if e < 0 {
		return out
	}
	first := func(e int) int {
		if k := lastClauseMark(text[max(0, e-27):e]); k >= 0 {
			return max(0, e-27) + k
		}
		if noun := siteNounSuffix(hant.Simplify(text[max(0, e-15):e])); noun != "" {
			return e - len(noun) - 6 // "租下天子酒店"
		}
		return -1
	}
	names := listBefore(text, e, max(0, e-200), 27, first, siteName)
	// A list of people that a 园区 follows ("巫鸿明、罗建章等金主进驻园区")
	// names no site: one of the names must end in a site noun.
	if len(names) < 2 || !slices.ContainsFunc(names, func(nm [2]int) bool {
		return siteNounSuffix(hant.Simplify(text[nm[0]:nm[1]])) != ""
	}) {
		return out
	}
	for _, nm := range names {
		out = append(out, found{typ: document.Compound, name: hant.Simplify(text[nm[0]:nm[1]]), start: nm[0], end: nm[1], conf: confQuoted})
	}
	return out
}

// lastClauseMark returns the offset after the last clause mark in s, or -1.
func lastClauseMark(s string) int {
	k := -1
	for _, m := range []string{"，", "。", "；", "：", ","} {
		if i := strings.LastIndex(s, m); i >= 0 {
			k = max(k, i+len(m))
		}
	}
	return k
}

// siteName reports a listed site's name: two to eight characters or
// digits, no punctuation, not generic.
func siteName(s string) bool {
	n := 0
	for _, r := range s {
		if !isHan(r) && !(r < utf8.RuneSelf && ascii.IsAlnum(byte(r))) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 8 && !generic(hant.Simplify(s))
}

// siteNounSuffix returns the site noun that s ends with, or "".
func siteNounSuffix(s string) string {
	for _, n := range hanSiteNouns {
		if len(s) > len(n) && strings.HasSuffix(s, n) {
			return n
		}
	}
	return ""
}

// generic reports a word that says what a site is rather than which.
func generic(s string) bool {
	if utf8.RuneCountInString(s) < 2 {
		return true
	}
	for _, g := range hanGeneric {
		if strings.HasSuffix(s, g) || strings.HasPrefix(s, g) {
			return true
		}
	}
	return false
}

// latinCaps returns the length of the run of capitals and digits that s
// starts with ("KK", "K99"), or 0 unless it is two to six long and holds
// a letter.
func latinCaps(s string) int {
	n, letter := 0, false
	for ; n < len(s); n++ {
		if c := s[n]; 'A' <= c && c <= 'Z' {
			letter = true
		} else if c < '0' || c > '9' {
			break
		}
	}
	if n < 2 || n > 6 || !letter {
		return 0
	}
	return n
}

// hasHan reports a name that holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if isHan(r) {
			return true
		}
	}
	return false
}
