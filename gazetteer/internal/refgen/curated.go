package refgen

import (
	"slices"
	"strings"
	"unicode"

	"github.com/compoundwatch/compoundwatch/gazetteer/internal/schema"
)

// Matching vocabulary written into the file (the loader has no built-in
// word lists, so a user override can change them).
var (
	contextWords = []string{"Cambodia", "Cambodian", "Cambodians", "Khmer", "柬埔寨", "កម្ពុជា"}
	placeCues    = []string{"province", "provincial", "city", "town", "district", "commune", "border", "checkpoint", "crossing", "beach", "island", "naval base", "mountain"}
	headNouns    = []string{
		"special economic zone", "economic zone", "casino complex", "hotel and casino",
		"casino and hotel", "hotel casino", "casino hotel", "casino resort", "scam compound",
		"compound", "casino", "complex", "hotel", "resort", "sez", "park", "zone", "building", "tower",
		// Full names cut short otherwise ("Golden Fortune Resorts World").
		"science and technology park", "technology park", "resorts world", "resort world",
	}
	// companyWords end a firm's name.
	companyWords = []string{
		"group", "co", "company", "ltd", "limited", "inc", "incorporated", "corp", "corporation",
		"holdings", "holding", "property", "properties", "plc", "llc", "enterprise", "enterprises",
	}
	// regionIDs are compounds.yaml records that are towns or administrative
	// regions rather than sites ("Laukkaing", "Kokang Self-Administered
	// Zone"): written with kind "region", which the matcher does not tag
	// as a compound in text.
	regionIDs = map[string]bool{"laukkaing": true, "payathonzu-three-pagodas-pass": true, "tangyan": true}
	// stopPhrases contain an alias without naming the place or person.
	stopPhrases = []string{
		"Kampot pepper", "Phsar Kandal", "Psar Kandal", "Angkor Beer", "Angkor Air", "Angkor Observer",
		"Crown Resorts", "Kep Air Base", "Takeo Prefecture", "Westport Ireland",
		// A newspaper, cited as a source, not the capital as a place.
		"Phnom Penh Post",
	}
)

// dropAlias: aliases the reference lists that are too ambiguous to match at
// all (two-letter abbreviations, English words, Bangkok's code).
var dropAlias = map[string][]string{
	"phnom-penh":    {"PP", "BKK", "Mean Chey", "Meanchey"},
	"kampong-speu":  {"Oral"},
	"pailin":        {"Prum"},
	"siem-reap":     {"Angkor"},
	"rithy-samnang": {"Tek"},
	// The Vietnamese side of the Bavet crossing; reports use it for the
	// border gate and the casino complex, not for Svay Rieng.
	"svay-rieng": {"Moc Bai", "Mộc Bài", "Moc Bai border gate", "木牌"},
	// 国公 is also the middle of 中国公民, "Chinese citizens"; the
	// province keeps its name with 省 (addZH) and 戈公.
	"koh-kong": {"国公"},
}

// guard: aliases that are also ordinary words, brand names or common
// personal names; they need Cambodian context.
var guard = map[string][]string{
	"preah-sihanouk":                         {"Chinatown", "Westport", "Xigang", "Victory Hill", "SHV", "Snooky"},
	"koh-kong":                               {"Coastal City"},
	"tboung-khmum":                           {"Suong"},
	"phnom-penh":                             {"Diamond Island"},
	"dara-sakor":                             {"Coastal City"},
	"chinatown-sihanoukville":                {"Chinatown (Sihanoukville)"},
	"long-bay-koh-kong":                      {"Long Bay"},
	"royal-yong-li":                          {"Yong Li"},
	"tangyan":                                {"Tang Yan"},
	"golden-fortune-science-technology-park": {"Golden Fortune"},
	"chen-xiuling":                           {"Karen Chen", "Karen Cheng"},
	"li-thet":                                {"Li Tian"},
	"chen-al-len":                            {"Chen Allen"},
	"alan-yeo-sin-huat":                      {"Alan Yeo"},
	"saw-chit-thu":                           {"San Myint"},
	"saw-steel":                              {"Saw Steel", "Saw Stee"},
	"wan-kuok-koi":                           {"Broken Tooth"},
	"zhao-long":                              {"Zhao Long", "Xiao Long"},
	"trans-asia-international":               {"Trans Asia"},
	"oriental-paris-casino-bavet":            {"Oriental Paris"},
	"my-casino-kampot":                       {"My Casino"},
	// Khmer names that are ordinary words: "កណ្តាល" the middle, "ពួក" a
	// group ("ពួកគេ", they; "បក្សពួក", accomplices), "សំបូរ" plenty and a
	// personal name. A guarded Khmer name is the place only after an
	// administrative word ("ខេត្តកណ្តាល", "ស្រុកពួក"; see the matcher).
	"kandal":    {"កណ្តាល"},
	"siem-reap": {"ពួក"},
	"kratie":    {"សំបូរ"},
}

// headOnly: names that alone mean something else ("Amber", "Garden City").
var headOnly = map[string][]string{
	"amber-casino":             {"Amber"},
	"garden-city-hotel":        {"Garden City"},
	"china-project-ochheuteal": {"China Project"},
}

// addAliases: spellings seen in reporting that the reference lacks. Each is
// a fact about the record (name order, number written as a digit, the
// pinyin brand name), not a document-specific string.
var addAliases = map[string][]string{
	// Khmer-style order (given name last) used by CamboJA for Ly Kuong.
	"ly-kuong": {"Kuong Li"},
	// KB is the Latin brand of the Kaibo (凯博) casino of K B Hotel Co.
	"kb-hotel-casino": {"KB casino", "Kaibo compound", "Kaibo casino"},
	// The Thai name under which Ly Yong Phat holds Thai citizenship, as
	// Thailand's anti-money-laundering office named him (The Nation, 2025).
	"ly-yong-phat": {"Phat Suphapha"},
	// Cambodian-spelt form of the Thmorda zone.
	"mds-henghe-thmorda-sez": {"MDS Thmor Da SEZ", "Henghe Thmorda SEZ"},
}

// addZH: Chinese names the reference lacks, as Chinese-language outlets
// print them. One script is enough: the fold reads traditional characters
// as simplified ones (internal/hant), and "KK 园区" as "KK园区".
var addZH = map[string][]string{
	// 皇乐 reads huáng lè as 黄乐 does. A Chinese report of Ly Kuong's
	// arrest (m.163.com, dy/article/KJHR32TP05566LWO) calls his compound
	// 皇乐园区 and him 黄继茂, taken on 15 January with the title of a lord
	// (oknha) and a past at the head of Sihanoukville's casino
	// association: the court's order detaining Ly Kuong is of 15 January
	// 2026, and CamboJA (2023) names him the owner of Majestic Two, the
	// Huang Le compound.
	"huang-le-majestic-two": {"黄乐", "皇乐园区"},
	"ly-kuong":              {"黄继茂"},
	// The zone's own name, without 经济特区, is the one news reports use.
	"shwe-kokko-yatai-new-city": {"水沟谷"},
	// The Chinese names of bosses the reference names in pinyin only, as
	// Chinese reports of their trials and sanctions print them (Kokang's
	// families, Liberty Times and ttnews.tw; Alice Guo, Yahoo News
	// Taiwan; Dong Lecheng, Liberty Times). As persons' names they are
	// guarded.
	"ming-guoping":   {"明国平"},
	"ming-zhenzhen":  {"明珍珍"},
	"liu-zhengxiang": {"刘正祥"},
	"wei-chaoren":    {"魏超仁"},
	"alice-guo":      {"郭华萍"},
	"dong-lecheng":   {"董勒成"},
	// The name under which the Chinese press reported its sanctions.
	"osmach-resort":       {"奥斯玛度假村"},
	"golden-triangle-sez": {"金三角特区"},
	"koh-kong":            {"国公省"},
}

// addKM: Khmer names the reference lacks or could not check
// (km_unverified), as Khmer-language outlets print them.
var addKM = map[string][]string{
	// Oknha.news and Wikipedia's article print លី យ៉ុងផាត់, the
	// reference's unchecked spelling; Property Area's Khmer site prints
	// លី យ៉ងផាត់.
	"ly-yong-phat": {"លី យ៉ុងផាត់", "លី យ៉ងផាត់"},
	// RFA's Khmer service (2023-06-28), on the casino owner made a Neak
	// Oknha, owner of the Huang Le compound's buildings, which it calls
	// បរិវេណអគារ ហួង លី (the Huang Le buildings' grounds); the name is
	// read with "building" before it, as it is also a person's.
	"ly-kuong":              {"លី គួង"},
	"huang-le-majestic-two": {"អគារ ហួង លី"},
}

// addPlaceZH: Chinese names of towns the reference lacks, by the record
// and the town's name.
var addPlaceZH = map[string]map[string][]string{
	// Taiwan's press writes Bavet 巴威特, the mainland's 巴域.
	"svay-rieng": {"Bavet": {"巴威特"}},
}

func applyCurated(f *schema.File) {
	each(f, func(e *schema.Entry) {
		for _, a := range dropAlias[e.ID] {
			e.Aliases = remove(e.Aliases, a)
			e.Guarded = remove(e.Guarded, a)
			e.ZH = remove(e.ZH, a)
			for i := range e.Places {
				e.Places[i].Aliases = remove(e.Places[i].Aliases, a)
			}
			e.Places = slices.DeleteFunc(e.Places, func(p schema.Place) bool { return fold(p.Name) == fold(a) })
		}
		e.Aliases = appendUnique(e.Aliases, addAliases[e.ID]...)
		for i := range e.Places {
			e.Places[i].ZH = appendUnique(e.Places[i].ZH, addPlaceZH[e.ID][e.Places[i].Name]...)
		}
		if zh := addZH[e.ID]; len(zh) > 0 {
			if len(e.ZH) == 0 {
				// The Chinese names are all ours, not the reference's.
				e.ScriptsUnverified = appendUnique(e.ScriptsUnverified, "zh")
			}
			e.ZH = appendUnique(e.ZH, zh...)
		}
		e.KM = appendUnique(e.KM, addKM[e.ID]...)
		for _, a := range headOnly[e.ID] {
			e.HeadOnly = appendUnique(e.HeadOnly, a)
		}
		for _, a := range guard[e.ID] {
			inPlace := false
			for i := range e.Places {
				p := &e.Places[i]
				if fold(p.Name) == fold(a) || p.KM == a || slices.ContainsFunc(p.Aliases, func(s string) bool { return fold(s) == fold(a) }) {
					p.Aliases = remove(p.Aliases, a)
					if p.KM == a {
						p.KM = ""
					}
					p.Guarded = appendUnique(p.Guarded, a)
					inPlace = true
				}
			}
			if !inPlace || slices.ContainsFunc(e.Aliases, func(s string) bool { return fold(s) == fold(a) }) {
				e.Aliases = remove(e.Aliases, a)
				e.KM = remove(e.KM, a)
				e.Guarded = appendUnique(e.Guarded, a)
			}
		}
	})
}

// deriveForms adds the forms general rules derive from the reference:
//   - a guarded or head-only alias is not also a plain alias;
//   - short one-word place names (≤6 letters: Kep, Takeo, Bati…) and
//     two-character Chinese place names (白马 is also "white horse") are
//     guarded;
//   - Chinese names of persons are guarded (陈志, 赵伟 are common names);
//   - a compound alias "X casino" also gives head-only "X", so "X compound"
//     or "X casino complex" resolve to the same site;
//   - "SEZ" is also spelt out, and number words have digit twins
//     ("Majestic Two" / "Majestic 2").
func deriveForms(f *schema.File) {
	provinceNames := map[string]bool{}
	for _, p := range f.Provinces {
		provinceNames[fold(p.Name)] = true
	}
	for i := range f.Provinces {
		e := &f.Provinces[i]
		for j := range e.Places {
			p := &e.Places[j]
			if shortWord(p.Name) {
				p.Guarded = appendUnique(p.Guarded, p.Name)
			}
			for _, a := range p.Aliases {
				if shortWord(a) {
					p.Guarded = appendUnique(p.Guarded, a)
				}
			}
			for _, g := range p.Guarded {
				p.Aliases = remove(p.Aliases, g)
			}
			var zh []string
			for _, z := range p.ZH {
				if len([]rune(z)) <= 2 {
					p.Guarded = appendUnique(p.Guarded, z)
				} else {
					zh = append(zh, z)
				}
			}
			p.ZH = zh
		}
		for _, a := range append([]string{e.Name}, e.Aliases...) {
			if shortWord(a) {
				e.Guarded = appendUnique(e.Guarded, a)
			}
		}
		var zh []string
		for _, z := range e.ZH {
			if len([]rune(z)) <= 2 {
				e.Guarded = appendUnique(e.Guarded, z)
			} else {
				zh = append(zh, z)
			}
		}
		e.ZH = zh
		for _, g := range e.Guarded {
			e.Aliases = remove(e.Aliases, g)
		}
	}
	for i := range f.Tycoons {
		e := &f.Tycoons[i]
		if e.Kind == "person" {
			e.Guarded = appendUnique(e.Guarded, e.ZH...)
			e.ZH = nil
		}
		for _, g := range e.Guarded {
			e.Aliases = remove(e.Aliases, g)
		}
	}
	for i := range f.Compounds {
		e := &f.Compounds[i]
		forms := append([]string{stripParens(e.Name)}, e.Aliases...)
		var extra []string
		for _, a := range forms {
			if stem := headStem(a); stem != "" && !provinceNames[fold(stem)] && !stopword(stem) &&
				!slices.ContainsFunc(forms, func(s string) bool { return fold(s) == fold(stem) }) {
				e.HeadOnly = appendUnique(e.HeadOnly, stem)
			}
			if strings.HasSuffix(a, " SEZ") {
				extra = append(extra, strings.TrimSuffix(a, "SEZ")+"Special Economic Zone")
			}
			if d := digitTwin(a); d != "" {
				extra = append(extra, d)
			}
		}
		for _, x := range extra {
			if !slices.ContainsFunc(forms, func(s string) bool { return fold(s) == fold(x) }) {
				e.Aliases = appendUnique(e.Aliases, x)
			}
		}
		for _, g := range slices.Concat(e.Guarded, e.HeadOnly) {
			e.Aliases = remove(e.Aliases, g)
		}
		e.HeadOnly = slices.DeleteFunc(e.HeadOnly, func(h string) bool {
			return slices.ContainsFunc(e.Guarded, func(g string) bool { return fold(g) == fold(h) })
		})
	}
}

// headStem returns alias a without its trailing head-noun phrase
// ("K.B Hotel & Casino" -> "K B"), or "" when a has none.
func headStem(a string) string {
	words := strings.Fields(fold(a))
	n := len(words)
	for stripped := true; stripped; {
		stripped = false
		for k := 0; k < n; k++ { // longest head phrase first
			if k >= 1 && slices.Contains(headNouns, strings.Join(words[k:n], " ")) {
				n, stripped = k, true
				break
			}
		}
	}
	if n == len(words) {
		return ""
	}
	return originalWords(a, n)
}

// originalWords returns the first n fold-words of a in their original
// spelling (capitals kept; punctuation between words becomes a space).
func originalWords(a string, n int) string {
	a = strings.ReplaceAll(a, "&", " and ")
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for _, r := range a {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			cur.WriteRune(r)
		} else {
			flush()
		}
	}
	flush()
	if n > len(words) {
		n = len(words)
	}
	return strings.Join(words[:n], " ")
}

// shortWord reports a single Latin word of at most six letters.
func shortWord(s string) bool {
	if strings.ContainsAny(s, " -'") || !hasLatin(s) {
		return false
	}
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n <= 6 && strings.ToUpper(s) != s // acronyms keep their exact-case check instead
}

func stopword(s string) bool {
	switch strings.ToLower(s) {
	case "my", "the", "a", "an", "new", "old", "big", "royal", "golden", "grand":
		return true
	}
	return len([]rune(s)) < 2
}

var numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}

// digitTwin rewrites a number word as a digit or the reverse.
func digitTwin(a string) string {
	words := strings.Fields(a)
	changed := false
	for i, w := range words {
		if n := slices.Index(numberWords, strings.ToLower(w)); n >= 0 && i > 0 {
			words[i] = string(rune('0' + n))
			if n == 10 {
				words[i] = "10"
			}
			changed = true
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(words, " ")
}

// resolveCollisions keeps every normalised form on one record per type.
// A form both a site and a company names goes to the site (the gold
// annotations tag the site), and a form two records of one type share is
// dropped from both, since neither reading is safe.
func resolveCollisions(f *schema.File) {
	compoundForms := map[string]bool{}
	for _, e := range f.Compounds {
		for _, a := range forms(e) {
			compoundForms[fold(a)] = true
		}
	}
	for i := range f.Tycoons {
		e := &f.Tycoons[i]
		if e.Kind != "company" {
			continue
		}
		e.Aliases = slices.DeleteFunc(e.Aliases, func(a string) bool { return compoundForms[fold(a)] })
		e.Guarded = slices.DeleteFunc(e.Guarded, func(a string) bool { return compoundForms[fold(a)] })
		// A company named exactly like a site keeps its name for Resolve;
		// the loader lets the site win in text.
	}
	for _, list := range [][]schema.Entry{f.Provinces, f.Compounds, f.Tycoons} {
		owner := map[string]string{}
		shared := map[string]bool{}
		for _, e := range list {
			for _, a := range forms(e) {
				k := fold(a)
				if o, ok := owner[k]; ok && o != e.ID {
					shared[k] = true
				}
				owner[k] = e.ID
			}
		}
		for i := range list {
			e := &list[i]
			drop := func(a string) bool { return shared[fold(a)] }
			e.Aliases = slices.DeleteFunc(e.Aliases, drop)
			e.Guarded = slices.DeleteFunc(e.Guarded, drop)
			e.HeadOnly = slices.DeleteFunc(e.HeadOnly, drop)
			for j := range e.Places {
				p := &e.Places[j]
				p.Aliases = slices.DeleteFunc(p.Aliases, drop)
				p.Guarded = slices.DeleteFunc(p.Guarded, drop)
			}
			e.Places = slices.DeleteFunc(e.Places, func(p schema.Place) bool {
				return drop(p.Name)
			})
		}
	}
}

// forms lists every Latin surface form of a record (names included).
func forms(e schema.Entry) []string {
	out := slices.Concat([]string{stripParens(e.Name)}, e.Aliases, e.Guarded, e.HeadOnly)
	for _, p := range e.Places {
		out = slices.Concat(out, []string{p.Name}, p.Aliases, p.Guarded)
	}
	return out
}

// linkBothWays makes owner↔compound links symmetric and drops link targets
// that are not records (the reference sometimes names people in free text).
func linkBothWays(f *schema.File) {
	idx := map[string]*schema.Entry{}
	each(f, func(e *schema.Entry) { idx[e.ID] = e })
	each(f, func(e *schema.Entry) {
		e.Links = slices.DeleteFunc(e.Links, func(l string) bool { return idx[l] == nil || l == e.ID })
	})
	each(f, func(e *schema.Entry) {
		for _, l := range e.Links {
			o := idx[l]
			if !slices.Contains(o.Links, e.ID) {
				o.Links = append(o.Links, e.ID)
			}
		}
	})
	each(f, func(e *schema.Entry) { slices.Sort(e.Links) })
}

func each(f *schema.File, fn func(*schema.Entry)) {
	for _, list := range [][]schema.Entry{f.Provinces, f.Compounds, f.Tycoons} {
		for i := range list {
			fn(&list[i])
		}
	}
}
