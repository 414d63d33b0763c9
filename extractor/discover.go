package extractor

import (
	"cmp"
	"iter"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/internal/ascii"
)

// Discovery finds compounds and people the gazetteer lacks from the way
// reports introduce them: "the Eternal Diamond Casino", "Xing Tian Di
// casino", "OSO site “Powerlong”", "tycoon Rithy Raksmei", "the K99 Group,
// led by …". Each pattern needs a capitalised name right next to a trigger
// word, and a name the gazetteer knows in any form is never a candidate, so
// discovery stays quiet on ordinary prose: a wrong candidate costs more
// (it is shown as a tag) than a missed one (the known entities still are).

// Confidences of discovered entities, below every known one.
const (
	confTitleHead = 0.6 // "Eternal Diamond Casino": the head noun is part of the name
	confTycoon    = 0.6 // "tycoon Rithy Raksmei"
	confLowerHead = 0.5 // "Xing Tian Di casino"
	confQuoted    = 0.5 // casino "Powerlong"
	confOwnedBy   = 0.5 // "owned by X", "Group, led by X"
)

var (
	// quotedRE: a quoted name right after a site noun.
	quotedRE = regexp.MustCompile(`^[“"]((?:\p{Lu}[\p{L}\p{N}]+)(?: \p{Lu}[\p{L}\p{N}]+){0,3})[”"]`)
	// firmRE: a company's name ending in a company word.
	firmRE = regexp.MustCompile(`^ (?:the )?(?:\p{Lu}[\p{L}&.-]*\s){1,4}(?:Group|Co|Company|Ltd|Limited|Holdings?|Corporation|Corp|Inc)\b`)
	// knownAsRE: the name a site noun is known by after it ("the Phnom Penh
	// compound, known as Lotus Garden", a casino called “Jade Sun”, "the
	// compound, which is known as Shunda Park"): one to four capitalised
	// words, as quotedRE reads them, quoted or not, the last of which may
	// be a number ("Jade Sun 2").
	knownAsRE = regexp.MustCompile(`^,? (?:which (?:is |was )|now )?(?:(?:also |locally |widely |commonly |better )?known as|called|named) [“"]?((?:\p{Lu}[\p{L}\p{N}]+)(?: \p{Lu}[\p{L}\p{N}]+){0,2}(?: \p{Lu}[\p{L}\p{N}]+| \p{N}+)?)\b`)
	// firmTailRE: the rest of a company's name after a site's head noun
	// ("Fontana Resort and Country Club Inc", "Golden Sand Hotel Co.").
	firmTailRE = regexp.MustCompile(`^(?: (?:and|&))?(?: \p{Lu}[\p{L}.-]*){0,3} (?:Group|Co|Company|Ltd|Limited|Holdings?|Corporation|Corp|Inc)\b`)
)

// notName are capitalised words that start sentences or describe rather
// than name; a candidate keeps none of them at its start.
var notName = setOf(
	"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "one", "another",
	"new", "old", "large", "big", "notorious", "illegal", "online", "scam", "alleged", "former", "local", "several",
	"many", "some", "other", "each", "every", "in", "at", "on", "of", "from", "to", "and", "or", "but", "when",
	"after", "before", "while", "inside", "outside", "near", "police", "authorities", "officials", "workers",
	"chinese", "cambodian", "vietnamese", "thai", "taiwanese", "indonesian", "korean", "burmese", "lao", "laotian",
	"filipino", "malaysian", "japanese", "american", "british", "foreign", "khmer", "myanmar", "cambodia", "china",
	"thailand", "laos", "vietnam", "philippines", "january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
	"friday", "saturday", "sunday", "province", "city", "district", "state", "government", "national", "royal",
	// Kinds of operation, not names: "POGO compound", "KTV casino".
	"pogo", "pogos", "ktv",
)

// notPerson are words that make a capitalised run a title, office or firm
// rather than a business figure's name ("Prime Minister", "K99 Group").
var notPerson = setOf(
	"prime", "minister", "ministry", "interior", "general", "gen", "police", "president", "governor", "deputy",
	"senator", "king", "queen", "prince", "princess", "chief", "commander", "secretary", "director", "chairman",
	"chairperson", "judge", "court", "mr", "ms", "mrs", "dr", "group", "company", "co", "ltd", "holding",
	"holdings", "bank", "international", "investment", "corporation", "corp", "limited", "casino", "hotel",
	"resort", "compound", "association", "army", "force", "party", "council", "committee", "office", "department",
	"agency", "embassy", "university", "news", "times", "post", "report", "facebook", "telegram",
)

// kinWords name a relative of a known tycoon ("his son Bai Yingcang").
var kinWords = []string{"son", "daughter", "brother", "sister", "nephew", "niece", "cousin", "wife"}

// kinFirst holds the first bytes of kinWords.
var kinFirst = firstBytes(kinWords)

// firstBytes returns a table of the first bytes of words, which tells in
// one load whether a byte may start one of them.
func firstBytes(words []string) (t [256]bool) {
	for _, w := range words {
		t[w[0]] = true
	}
	return t
}

// kinWordEnd returns the end of the first kin word that starts in the first
// 20 bytes of s, or -1. Word edges are ASCII ones, as for \b in a regexp;
// "son-in-law" ends after "son", where the name cannot follow.
func kinWordEnd(s string) int {
	for i := range min(len(s), 20) {
		// The first byte first: a comparison of the whole word at every
		// word start of every known person's next 20 bytes was 3% of
		// extracting the benchmark's articles, and of each first byte
		// with every kin word's 1.4%. A table tells the first bytes in
		// one load, where a switch on them compared each byte three
		// times or four.
		if !kinFirst[s[i]] {
			continue
		}
		if i > 0 && isRegexpWordByte(s[i-1]) {
			continue
		}
		for _, w := range kinWords {
			if s[i] != w[0] {
				continue
			}
			if writtenWordAt(s, i, w) {
				return i + len(w)
			}
		}
	}
	return -1
}

// isRegexpWordByte reports an ASCII word character as \b sees one.
func isRegexpWordByte(c byte) bool { return ascii.IsAlnum(c) || c == '_' }

// ownerWords name what an owner owns: "the K99 Group, led by X", "Grand
// Diamond City, formerly owned by X".
var ownerWords = []string{"group", "co", "ltd", "company", "firm", "casino", "compound", "hotel", "resort",
	"complex", "building", "property", "properties", "syndicate", "gang", "city"}

// ownerFirst holds the first letters of ownerWords.
var ownerFirst = firstBytes(ownerWords)

// ownerContext reports an owner word in s, in any case, between ASCII word
// edges (as \b sees them; "Co." ends at the dot).
func ownerContext(s string) bool {
	for i := range len(s) {
		// An ASCII byte starts an owner word only as one of their first
		// letters, in either case (c|0x20 makes a letter of no other
		// byte), which rules out most bytes before the test of a word
		// edge and the words' loop; any other byte may fold to one.
		if c := s[i]; c < utf8.RuneSelf && !ownerFirst[c|0x20] || !asciiBoundary(s, i) {
			continue
		}
		for _, w := range ownerWords {
			if c := s[i]; c < utf8.RuneSelf && c|0x20 != w[0] {
				continue // an ASCII letter folds only to its other case
			}
			if n, ok := hasPrefixSimpleFold(s[i:], w); ok && asciiBoundary(s, i+n) {
				return true
			}
		}
	}
	return false
}

// hasPrefixSimpleFold reports whether s starts with the lower-case ASCII
// word w under Unicode simple case folding, as (?i) in a regexp matches it
// ("ſ" is an "s"), and how many bytes of s that takes.
func hasPrefixSimpleFold(s, w string) (int, bool) {
	n := 0
	for i := 0; i < len(w); i++ {
		if n >= len(s) {
			return 0, false
		}
		if c := s[n]; c == w[i] || c == w[i]-'a'+'A' {
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[n:])
		f := unicode.SimpleFold(rune(w[i]))
		for f != rune(w[i]) && f != r {
			f = unicode.SimpleFold(f)
		}
		if f != r {
			return 0, false
		}
		n += size
	}
	return n, true
}

// ownerVerbs precede "by" in "owned by X".
var ownerVerbs = setOf("owned", "led", "run", "headed", "chaired", "founded", "controlled", "operated", "developed")

// triggers are the words discovery looks around, in the order the rules
// apply: when two rules find a name at the same place, the earlier rule's
// reading (and kind) is kept.
var triggers = [...]struct {
	word string
	rule uint8
	fold bool // matched in any ASCII case; otherwise as written
}{
	// Site names before a head noun; compoundBefore reads the head again
	// ("casino complex").
	{"casino", ruleHead, true}, {"compound", ruleHead, true}, {"special economic zone", ruleHead, true},
	{"sez", ruleHead, true}, {"hotel", ruleHead, true}, {"resort", ruleHead, true},
	{"\u201c", ruleQuote, false}, {"\"", ruleQuote, false},
	// People introduced by role. "Neak Oknha X" ends in "Oknha", so the
	// title needs no trigger of its own.
	{"tycoon", rulePerson, true}, {"oligarch", rulePerson, true}, {"kingpin", rulePerson, true},
	{"crime boss", rulePerson, true}, {"scam boss", rulePerson, true}, {"businessman", rulePerson, true},
	{"magnate", rulePerson, true}, {"oknha", rulePerson, true},
	{" by", ruleOwner, false},
	{"compound", ruleAppositive, false}, {"casino", ruleAppositive, false}, {"scam center", ruleAppositive, false},
	{"scam centre", ruleAppositive, false}, {"scam park", ruleAppositive, false},
	// People by their role in a named firm: "X, chief executive of the Y
	// Group", "X, the top boss of Y Corp.".
	{"chief executive of", ruleRole, false}, {"chairman of", ruleRole, false}, {"founder of", ruleRole, false},
	{"owner of", ruleRole, false}, {"boss of", ruleRole, false}, {"president of", ruleRole, false},
}

// hanWord and khmerWord are the triggers findTriggers lists at a word
// holding a Chinese character, for hanDiscover, and at a Khmer word, for
// khmerSites.
const (
	hanWord   = uint8(len(triggers))
	khmerWord = hanWord + 1
)

const (
	ruleHead = iota
	ruleQuote
	rulePerson
	ruleOwner
	ruleAppositive
	ruleRole
)

// siteNounAfterQuote reports a site noun right after a quoted name that
// opens at p, one to four capitalised ASCII words: the "Golden City"
// casino. The words are walked by hand, as most quotations are speech,
// whose second word already ends the walk.
func siteNounAfterQuote(text string, p int) bool {
	_, n := utf8.DecodeRuneInString(text[p:])
	i := p + n
	for range 4 {
		if i >= len(text) || text[i] < 'A' || text[i] > 'Z' {
			return false
		}
		for i < len(text) && ascii.IsAlnum(text[i]) {
			i++
		}
		if i+1 >= len(text) || text[i] != ' ' {
			break
		}
		i++
	}
	switch {
	case strings.HasPrefix(text[i:], "\""):
		i++
	case strings.HasPrefix(text[i:], "”"):
		i += len("”")
	default:
		return false
	}
	if i >= len(text) || text[i] != ' ' {
		return false
	}
	for _, noun := range siteNouns {
		if asciiWordEnd(text, i+1, noun) {
			return true
		}
	}
	return false
}

// siteNouns are the nouns of a site that a name goes with.
var siteNouns = [...]string{"casino", "compound", "site", "complex", "hotel", "resort"}

// hasSiteNounSuffix reports whether s ends with a site noun, in any ASCII
// case.
func hasSiteNounSuffix(s string) bool {
	for _, n := range siteNouns {
		if len(s) >= len(n) && equalFoldASCII(s[len(s)-len(n):], n) {
			return true
		}
	}
	return false
}

func isSpaceOrHyphen(r rune) bool { return unicode.IsSpace(r) || r == '-' }

// equalFoldASCII reports whether s is the lower-case ASCII word w in any
// ASCII case. Unlike strings.EqualFold it folds no other runes (the Kelvin
// sign is not a "k"), so a match has the length of w.
func equalFoldASCII(s, w string) bool {
	if len(s) != len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

func setOf(words ...string) wordTable[bool] {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return newWordTable(m)
}

// inLower returns set's value of strings.ToLower(w): whether set holds it,
// for a set of words. An ASCII word is looked up in any case (getFold);
// other words go through strings.ToLower, which also folds runes such as
// the Kelvin sign to ASCII letters.
func inLower[V any](set *wordTable[V], w string) V {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return set.at(strings.ToLower(w))
		}
	}
	v, _ := set.getFold(w)
	return v
}

// found is a discovered mention before grouping.
type found struct {
	typ, kind, name string
	start, end      int
	conf            float64
	// rule and at order the names found at one place as the rules apply:
	// the trigger and its offset, or len(triggers) and a count for the
	// relatives of known tycoons, which come last.
	rule, at int
}

// discover returns entities the gazetteer lacks (Known false). known holds
// everything the gazetteer found, companies included, so a candidate never
// overlaps or renames a known entity; taken holds their mentions
// (takenSpans).
func discover(text string, toks []token, known []document.Entity, taken spans, g *gazetteer.Gazetteer, sc *scratch) []document.Entity {
	overlaps := func(a, b int) bool { return !taken.free(a, b) }
	isKnown := func(name string) bool {
		_, ok := g.Resolve("", name)
		return ok
	}

	var spans []found
	rule, at := 0, 0
	add := func(s found) {
		if s.name == "" || overlaps(s.start, s.end) || isKnown(s.name) {
			return
		}
		if rule == len(triggers) {
			at++
		}
		s.rule, s.at = rule, at
		spans = append(spans, s)
	}

	sc.triggers = findTriggers(sc.triggers, text, toks)
	for _, h := range sc.triggers {
		if h.trigger >= hanWord {
			continue
		}
		rule, at = int(h.trigger), h.at
		p, w := h.at, triggers[h.trigger].word
		switch triggers[h.trigger].rule {
		case ruleHead:
			if s, ok := compoundBefore(text, p, w); ok {
				add(s)
			} else {
				sc.sites = siteList(sc.sites[:0], text, p, w, func(name string) bool {
					return isKnown(name) || startsSite(known, spans, text, name)
				})
				for _, s := range sc.sites {
					add(s)
				}
			}
		case ruleQuote:
			// A quoted name right after a site noun, casino "Powerlong", or
			// right before one, the "Golden City" casino.
			w := text[max(0, p-12):p]
			before := strings.TrimRight(w, " \t\n")
			if (len(before) == len(w) || !hasSiteNounSuffix(before)) && !siteNounAfterQuote(text, p) {
				continue
			}
			m := quotedRE.FindStringSubmatchIndex(text[p:min(len(text), p+120)])
			if m == nil {
				continue
			}
			a, b := p+m[2], p+m[3]
			if name := text[a:b]; !inLower(&notName, firstWord(name)) {
				add(found{typ: document.Compound, name: name, start: a, end: b, conf: confQuoted})
			}
		case rulePerson:
			end := p + len(w)
			if w == "tycoon" || w == "oligarch" {
				if end < len(text) && text[end] == 's' {
					end++
				}
			}
			// The trigger keeps its case rule: a lower-case or capitalised
			// first letter, the rest as written.
			if (p > 0 && isWordByte(text, p-1)) || (end < len(text) && isWordByte(text, end)) ||
				text[p+1:p+len(w)] != w[1:] || w == "oknha" && text[p] != 'O' {
				continue
			}
			if s, ok := personAfter(text, end, confTycoon); ok {
				add(s)
			} else if s, ok := personAppositive(text, p, confTycoon); ok {
				add(s)
			}
		case ruleOwner:
			off := p + len(w)
			if off < len(text) && isWordByte(text, off) {
				continue
			}
			ws := strings.LastIndexAny(text[max(0, p-12):p], " \t\n(")
			verb := text[max(0, p-12)+ws+1 : p]
			if !ownerVerbs.at(verb) || !ownerContext(text[max(0, p-len(verb)-60):p-len(verb)]) {
				continue
			}
			// A firm first: "owned by Sunrise Asia Development Co., Ltd."
			// starts with three capitalised words, as a person's name does.
			if s, ok := firmAfter(text, off, confOwnedBy); ok {
				add(s)
			} else if s, ok := personAfter(text, off, confOwnedBy); ok {
				add(s)
			} else if s, ok := titledOwnerAfter(text, off, confOwnedBy); ok {
				add(s)
			}
		case ruleRole:
			// "Liu Zhengqi, chief executive of the Fully Light Group": the
			// firm must be named, or be a known site ("Zhang Jie, the
			// president of Lucky South 99"), so officials ("chairman of
			// the committee") are left out.
			end := p + len(w)
			comma, ok := roleComma(text, p)
			if !ok || !firmRE.MatchString(text[end:min(len(text), end+80)]) && !knownSiteAt(known, text, end) {
				continue
			}
			if s, ok := personBefore(text, comma, confOwnedBy); ok {
				add(s)
			}
		case ruleAppositive:
			// "Clark Sun Valley Hub, a compound".
			off := p + len(w)
			if off < len(text) && isWordByte(text, off) {
				continue
			}
			a, b, ok := appositive(text, p)
			if !ok {
				// "the Phnom Penh compound, known as Lotus Garden". The
				// words first: the expression is the cost.
				after := text[off:min(len(text), off+80)]
				if w := after[:min(len(after), 32)]; strings.Contains(w, "known as ") || strings.Contains(w, "called ") || strings.Contains(w, "named ") {
					if m := knownAsRE.FindStringSubmatchIndex(after); m != nil {
						a, b, ok = off+m[2], off+m[3], true
					}
				}
			}
			if !ok || siteNounOfPerson(text[off:min(len(text), off+20)]) {
				continue
			}
			if name := text[a:b]; !inLower(&notName, firstWord(name)) && !sentenceStart(text, a) {
				add(found{typ: document.Compound, name: name, start: a, end: b, conf: confOwnedBy})
			}
		}
	}
	rule, at = len(triggers), 0
	sc.scriptFound = hanDiscover(sc.scriptFound[:0], text, toks, sc.triggers, known, sc)
	for _, tr := range sc.triggers {
		if tr.trigger == khmerWord {
			sc.scriptFound = khmerSites(sc.scriptFound, text, toks[tokenAt(toks, tr.at)])
		}
	}
	for _, f := range sc.scriptFound {
		add(f)
	}
	// Relatives and co-accused of a known tycoon: "Bai Suocheng, his son
	// Bai Yingcang"; "Liu Zhengxiang, Liu Zhengmao". A listed name must
	// share the known person's family name, so a list mixing tycoons and
	// officials does not turn the officials into tycoons.
	for _, e := range known {
		if e.Type != document.Tycoon || e.Kind != "person" {
			continue
		}
		family := firstWord(e.Name)
		for _, mt := range e.Mentions {
			// The name in Chinese after it is passed over: "Su Liangsheng
			// (苏良生), Su Jinde (苏金德)".
			end := mt.End + hanInParens(text[mt.End:])
			after := text[end:min(len(text), end+60)]
			if k := kinWordEnd(after); k >= 0 {
				if s, ok := personAfter(text, end+k, confOwnedBy); ok {
					add(s)
				}
			}
			for _, sep := range []string{", ", " and "} {
				if !strings.HasPrefix(after, sep) {
					continue
				}
				// The name personAfter would read starts after the white
				// space that follows sep; one that does not start with the
				// family name is not read (the expression is the cost).
				rest := text[end+len(sep):]
				if !strings.HasPrefix(rest[spaceEnd(rest):], family) {
					continue
				}
				if s, ok := personAfter(text, end+len(sep)-1, confOwnedBy); ok && firstWord(s.name) == family {
					add(s)
				}
			}
		}
	}
	if len(spans) == 0 {
		return nil
	}

	// Group by candidate id and add the other mentions of each name.
	slices.SortFunc(spans, func(a, b found) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.rule, b.rule), cmp.Compare(a.at, b.at))
	})
	var out []document.Entity
	pos := map[string]int{}
	for _, s := range spans {
		id := candidateID(s.typ, s.name)
		i, ok := pos[id]
		if !ok {
			i = len(out)
			pos[id] = i
			out = append(out, document.Entity{Type: s.typ, ID: id, Name: s.name, Kind: s.kind, Known: false, Confidence: s.conf})
		}
		e := &out[i]
		e.Confidence = max(e.Confidence, s.conf)
		if n := len(e.Mentions); n > 0 && e.Mentions[n-1].Start == s.start {
			continue // two rules read one name: "頭目王坎…首犯" (seed han-name-read-twice)
		}
		e.Mentions = append(e.Mentions, mention(text, s.start, s.end))
	}
	for i := range out {
		e := &out[i]
		// The mentions so far came from spans in order of start, and the
		// search goes on in order too: the one that may start at a is
		// found by counting on, not by a scan of them all at each
		// occurrence (a text repeating one name thousands of times was
		// quadratic in them).
		//
		// A name in Chinese is looked for as printed (its Name is in
		// simplified characters), and anywhere: the script has no spaces.
		name, han := e.Name, hasHan(e.Name)
		if han {
			name = e.Mentions[0].Text
		}
		spanned, k := len(e.Mentions), 0
		for off := 0; ; {
			j := strings.Index(text[off:], name)
			if j < 0 {
				break
			}
			a := off + j
			b := a + len(name)
			off = b
			for k < spanned && e.Mentions[k].Start < a {
				k++
			}
			if !han && !wordEdge(text, a, b) || overlaps(a, b) || k < spanned && e.Mentions[k].Start == a {
				continue
			}
			e.Mentions = append(e.Mentions, mention(text, a, b))
		}
		slices.SortFunc(e.Mentions, func(x, y document.Mention) int { return cmp.Compare(x.Start, y.Start) })
	}
	// Twins are judged against the whole list, not one DeleteFunc is
	// compacting: a candidate's bare name may sit where a kept one was
	// moved.
	if slices.ContainsFunc(out, func(e document.Entity) bool { return headedTwin(out, e) }) {
		all := slices.Clone(out)
		out = slices.DeleteFunc(out, func(e document.Entity) bool { return headedTwin(all, e) })
	}
	return out
}

// headedTwin reports a site candidate read with a lower-case head noun
// ("White Sand 2 compound") where another candidate is its name without
// it ("a compound called White Sand 2") and holds a mention at each of
// its starts: the one site, which that other candidate already tags.
func headedTwin(out []document.Entity, e document.Entity) bool {
	i := strings.LastIndexByte(e.Name, ' ')
	if e.Type != document.Compound || i < 0 || !lowerWord(e.Name[i+1:]) {
		return false
	}
	for _, o := range out {
		if o.Type == document.Compound && o.Name == e.Name[:i] {
			return !slices.ContainsFunc(e.Mentions, func(m document.Mention) bool {
				return !slices.ContainsFunc(o.Mentions, func(n document.Mention) bool { return n.Start == m.Start })
			})
		}
	}
	return false
}

// trigger is an occurrence of triggers[trigger] at byte at.
type trigger struct {
	trigger uint8
	at      int
}

// triggerBytes[k][c] is the set of triggers whose byte k can be c (in
// either case for the folded ones); a trigger shorter than k+1 bytes is in
// every entry. Three lookups rule out most positions before any string
// comparison. A trigger that starts with a space (" by") is keyed by the
// bytes after the space, the token's, as it is looked for at the space
// before a token: one lookup of the token's bytes serves both.
var triggerBytes = func() (t [3][256]uint32) {
	for i, tr := range triggers {
		w := strings.TrimPrefix(tr.word, " ")
		for k := range t {
			if k >= len(w) {
				for c := range t[k] {
					t[k][c] |= 1 << i
				}
				continue
			}
			c := w[k]
			t[k][c] |= 1 << i
			if tr.fold && 'a' <= c && c <= 'z' {
				t[k][c-'a'+'A'] |= 1 << i
			}
		}
	}
	return t
}()

// spaceTriggers is the set of triggers that start with a space.
var spaceTriggers = func() (set uint32) {
	for i, tr := range triggers {
		if tr.word[0] == ' ' {
			set |= 1 << i
		}
	}
	return set
}()

// findTriggers appends to dst[:0] the occurrences of the triggers in
// text, in text order. Every rule needs its word where a token starts, after a joiner
// inside a word ("ex-tycoon") or, for " by", just before a word, so the
// token scan tells where to look. A word holding a Chinese character
// (fHan) is listed too, as a trigger hanWord at its start, for discovery
// in Chinese: it takes the path of the tokens that may hold a trigger, so
// a text in English pays no more for it than a wider mask.
//
// The trigger set of a token's first three bytes, which also holds " by"
// (triggerBytes), rules out nearly every token with one test, which a
// test of its first byte alone, shared with half the words of English,
// mispredicted at every other token. The few tokens left are read by
// tokenTriggers, out of the loop, so the loop's values stay in registers.
func findTriggers(dst []trigger, text string, toks []token) []trigger {
	out := dst[:0]
	for {
		i, set := nextTriggerToken(text, toks)
		if i == len(toks) {
			return out
		}
		out = tokenTriggers(out, text, toks[i], set)
		toks = toks[i+1:]
	}
}

// nextTriggerToken returns the index of the first token of toks that may
// hold a trigger, as findTriggers tells it, and the set of triggers its
// first three bytes allow; or len(toks).
func nextTriggerToken(text string, toks []token) (int, uint32) {
	for i, t := range toks {
		if set := triggersOf(threeAt(text, t.start)); set|uint32(t.flags&(fHyphen|fJoin|fHan|fKhmer)) != 0 {
			return i, set
		}
	}
	return len(toks), 0
}

// tokenTriggers appends to out the triggers of the token t, whose first
// three bytes allow set: " by" before it, the triggers at its start, the
// token itself if it is a word in Chinese or Khmer, and the triggers
// after a joiner inside it.
func tokenTriggers(out []trigger, text string, t token, set uint32) []trigger {
	if t.kind != tWord && t.kind != tPunct {
		return out
	}
	p := t.start
	if set&spaceTriggers != 0 {
		if p > 0 && text[p-1] == ' ' {
			out = appendTriggersAt(out, text, p-1, set&spaceTriggers)
		}
		set &^= spaceTriggers
	}
	if set != 0 {
		out = appendTriggersAt(out, text, p, set)
	}
	if t.has(fHan | fKhmer) {
		if t.has(fHan) {
			out = append(out, trigger{hanWord, p})
		} else {
			out = append(out, trigger{khmerWord, p})
		}
	}
	if !t.has(fHyphen | fJoin) {
		return out
	}
	for i := t.start + 1; i < t.end; i++ {
		// A trigger set after a joiner may hold " by", which the byte
		// before, the joiner, rules out. The two joiners of three bytes
		// share their first.
		switch text[i] {
		case '-', '\'':
			out = appendTriggersAt(out, text, i+1, triggersOf(threeAt(text, i+1)))
		case "’"[0]:
			if strings.HasPrefix(text[i:], "’") || strings.HasPrefix(text[i:], "\u2011") {
				out = appendTriggersAt(out, text, i+3, triggersOf(threeAt(text, i+3)))
			}
		}
	}
	return out
}

// appendTriggersAt appends to out the triggers of set whose word is at p.
func appendTriggersAt(out []trigger, text string, p int, set uint32) []trigger {
	for ; set != 0; set &= set - 1 {
		i := bits.TrailingZeros32(set)
		w := triggers[i].word
		if len(text)-p < len(w) {
			continue
		}
		// A folded trigger is in lower case: the one test says whether
		// it is there as written too.
		if s := text[p : p+len(w)]; triggers[i].fold && equalFoldASCII(s, w) || !triggers[i].fold && s == w {
			out = append(out, trigger{uint8(i), p})
		}
	}
	return out
}

// tokenAt returns the index of the token that starts at p.
func tokenAt(toks []token, p int) int {
	i, _ := slices.BinarySearchFunc(toks, p, func(t token, p int) int { return cmp.Compare(t.start, p) })
	return i
}

// triggersOf returns the set of triggers whose first three bytes may be
// c0, c1 and c2.
func triggersOf(c0, c1, c2 byte) uint32 {
	return triggerBytes[0][c0] & triggerBytes[1][c1] & triggerBytes[2][c2]
}

// threeAt returns the three bytes at p, 0 past the end: no byte of a
// longer trigger is 0.
func threeAt(text string, p int) (c0, c1, c2 byte) {
	if p+3 <= len(text) {
		s := text[p : p+3]
		return s[0], s[1], s[2]
	}
	if p+2 == len(text) {
		return text[p], text[p+1], 0
	}
	return text[p], 0, 0
}

// compoundBefore reads a site name ending just before the head noun w
// (lower case) at p.
func compoundBefore(text string, p int, w string) (found, bool) {
	if p > 0 && isWordByte(text, p-1) {
		return found{}, false
	}
	headEnd := -1
	if w == "casino" && asciiWordEnd(text, p, "casino complex") {
		w, headEnd = "casino complex", p+len("casino complex")
	} else if asciiWordEnd(text, p, w) {
		headEnd = p + len(w)
	}
	if headEnd < 0 {
		return found{}, false
	}
	lo := max(0, p-80)
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo--
	}
	start, ok := nameBefore(text, lo, p)
	if !ok {
		return found{}, false
	}
	start, words, ok := siteWords(text, start, p-1)
	if !ok {
		return found{}, false
	}
	titleHead := unicode.IsUpper(rune(text[p]))
	// Hotels and resorts are named only with a capitalised head ("X Hotel");
	// "a Sihanoukville hotel" is a description.
	if (w == "hotel" || w == "resort") && !titleHead {
		return found{}, false
	}
	// One capitalised word at the start of a sentence is not evidence of a
	// name ("Casinos…", "Police compound").
	if words == 1 && sentenceStart(text, start) {
		return found{}, false
	}
	conf := confLowerHead
	if titleHead {
		conf = confTitleHead
		// A second capitalised head belongs to the name: "Osamed Resort
		// Casino", "Golden Sun Hotel Casino", "Golden Lion Casino &
		// Hotel", "Silver Palm Hotel and Casino".
	second:
		for _, sep := range []string{" ", " & ", " and "} {
			if !strings.HasPrefix(text[headEnd:], sep) {
				continue
			}
			at := headEnd + len(sep)
			for _, h := range []string{"Casino", "Hotel", "Resort", "Complex"} {
				if writtenWordAt(text, at, h) {
					headEnd = at + len(h)
					break second
				}
			}
		}
	}
	if landmarkBefore(text[max(0, start-60):start]) {
		return found{}, false // "a building across from the Sokha Vegas Casino"
	}
	if titleHead && headEnd < len(text) && text[headEnd] == ' ' {
		if tail := text[headEnd:min(len(text), headEnd+80)]; companyWordIn(tail) && firmTailRE.MatchString(tail) {
			return found{}, false // "Fontana Resort and Country Club Inc" is a firm
		}
	}
	kind := w
	if w == "special economic zone" || w == "sez" {
		kind = "SEZ"
	}
	return found{typ: document.Compound, kind: kind, name: text[start:headEnd], start: start, end: headEnd, conf: conf}, true
}

// siteWords trims the descriptive words that start the name
// text[start:end] ("The", "Chinese", "Notorious") and reports where it
// then starts, how many words it has, and whether it can name a site: no
// word of it describes, or names an office or a firm, and it does not
// start with a bare count ("239 casino").
func siteWords(text string, start, end int) (int, int, bool) {
	// The words of the name, split at white space and hyphens, and
	// whether each is one of notName and notPerson, which one lookup
	// tells (siteWordSets).
	var buf [8]string
	words := appendFields(buf[:0], text[start:end])
	set := uint8(0)
	for len(words) > 0 {
		if set = inLower(&siteWordSets, words[0]); set&inNotName == 0 {
			break
		}
		start = strings.Index(text[start:end], words[1%len(words)]) + start
		words = words[1:]
	}
	if len(words) == 0 {
		return start, 0, false
	}
	if numberWord(words[0]) {
		return start, 0, false
	}
	for i, w := range words {
		if i > 0 {
			set = inLower(&siteWordSets, w)
		}
		if set&inNotName != 0 || set&inNotPerson != 0 && w != "International" {
			return start, 0, false
		}
	}
	return start, len(words), true
}

// siteWordSets holds the words of notName and of notPerson, with the
// sets each is in.
var siteWordSets = func() wordTable[uint8] {
	m := map[string]uint8{}
	for w := range notName.all() {
		m[w] |= inNotName
	}
	for w := range notPerson.all() {
		m[w] |= inNotPerson
	}
	return newWordTable(m)
}()

// The sets of siteWordSets.
const (
	inNotName = 1 << iota
	inNotPerson
)

// appendFields appends to dst the words of s split at white space and
// hyphens, as strings.FieldsFunc(s, isSpaceOrHyphen) splits them, without
// decoding an ASCII byte or calling isSpaceOrHyphen for it.
func appendFields(dst []string, s string) []string {
	from := -1 // where the word being read starts
	for i := 0; i < len(s); {
		c, size, sep := s[i], 1, false
		if c < utf8.RuneSelf {
			sep = c == ' ' || '\t' <= c && c <= '\r' || c == '-'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			sep = isSpaceOrHyphen(r)
		}
		switch {
		case sep && from >= 0:
			dst, from = append(dst, s[from:i]), -1
		case !sep && from < 0:
			from = i
		}
		i += size
	}
	if from >= 0 {
		dst = append(dst, s[from:])
	}
	return dst
}

// siteList appends to out the sites listed before the plural of the head
// noun w at p: "the Crown, Moc Bai and Heng Heng compounds", "the Htee
// Lawng Shu and A1 waterfall resorts". The list is the evidence of names,
// where one name before a plural ("Chinese casinos", "the Jinbei
// casinos") as often describes or counts a chain. Each site takes the
// singular head into its name ("Moc Bai compound"), so that it is one
// candidate wherever it is written so; the last is mentioned with the
// head as printed, the others bare, and one lower-case word before the
// head ("waterfall") goes with each. A name that named reports is no
// candidate: a place the gazetteer knows ("the Poipet and Bavet
// compounds"), or a site already found ("Crown" after "the Crown
// casino").
func siteList(out []found, text string, p int, w string, named func(string) bool) []found {
	// The trigger matched w at p: the plural's "s" must end the word.
	headEnd := p + len(w) + 1
	if headEnd > len(text) || text[headEnd-1] != 's' || !wordEndsAt(text, headEnd) ||
		p < 2 || text[p-1] != ' ' {
		return out
	}
	head := text[p : p+len(w)]
	lo := max(0, p-160)
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo--
	}
	q := p // the last name ends one space before q
	// Most plurals follow a lower-case word ("the", "scam"): the name's
	// test is asked only where a capital may start the word before the
	// head, or the word before that one.
	if s := lowerStart(text, lo, p-1); s < p-1 && s > lo && text[s-1] == ' ' {
		switch d := text[s : p-1]; d {
		case "and", "or", "the", "of":
			return out
		}
		q, head = s, text[s:p+len(w)]
		if s := lowerStart(text, lo, q-1); s < q-1 && s > lo && text[s-1] == ' ' {
			return out // "the scam compounds"
		}
	}
	// No "and" within the reach of a last name of four words: no list,
	// and the name is not read ("the Chinese casinos").
	if near := text[max(lo, q-64):q]; !strings.Contains(near, " and ") && !strings.Contains(near, " & ") {
		return out
	}
	a, ok := nameBefore(text, lo, q)
	if !ok {
		return out
	}
	// The list, read back from its last name: "and" (or "&") before the
	// last, commas before the others.
	type span struct{ a, b int }
	names := append(make([]span, 0, 4), span{a, q - 1})
	for k := a; ; {
		var e int
		switch before := text[lo:k]; {
		case len(names) == 1 && strings.HasSuffix(before, ", and "):
			e = k - len(", and ")
		case len(names) == 1 && strings.HasSuffix(before, " and "):
			e = k - len(" and ")
		case len(names) == 1 && strings.HasSuffix(before, " & "):
			e = k - len(" & ")
		case len(names) > 1 && strings.HasSuffix(before, ", "):
			e = k - len(", ")
		default:
			e = -1
		}
		if e < 0 {
			break
		}
		s, ok := nameEndingAt(text, lo, e)
		if !ok {
			break
		}
		names = append(names, span{s, e})
		k = s
	}
	if len(names) < 2 {
		return out
	}
	for i, n := range slices.Backward(names) {
		start, words, ok := siteWords(text, n.a, n.b)
		if !ok || words == 1 && sentenceStart(text, start) || named(text[start:n.b]) {
			continue
		}
		end := n.b
		if i == 0 {
			end = headEnd
		}
		out = append(out, found{typ: document.Compound, kind: w, name: text[start:n.b] + " " + head,
			start: start, end: end, conf: confLowerHead})
	}
	return out
}

// startsSite reports a site, known or found so far, with a mention that
// starts with the words of name.
func startsSite(known []document.Entity, found []found, text, name string) bool {
	starts := func(m string) bool {
		return len(m) > len(name) && strings.HasPrefix(m, name) && m[len(name)] == ' '
	}
	for _, e := range known {
		if e.Type != document.Compound {
			continue
		}
		for _, m := range e.Mentions {
			if starts(m.Text) {
				return true
			}
		}
	}
	for _, f := range found {
		if f.typ == document.Compound && starts(text[f.start:f.end]) {
			return true
		}
	}
	return false
}

// lowerStart returns where the run of lower-case ASCII letters ending at
// end starts, reading back no further than lo: end where text[end-1] is
// no such letter.
func lowerStart(text string, lo, end int) int {
	for end > lo && 'a' <= text[end-1] && text[end-1] <= 'z' {
		end--
	}
	return end
}

// landmarkBefore reports a place named to locate another, which before
// holds up to the name: "opposite", "next to", "across from", then maybe
// "the" or a town's possessive ("across from Sihanoukville’s"). A site
// named so is where a raid was not, and a casino given as a landmark is
// no scam site of the report's; a known one is still tagged.
func landmarkBefore(before string) bool {
	s, w := lastWord(before)
	if w == "the" || (strings.HasSuffix(w, "’s") || strings.HasSuffix(w, "'s")) && nameWord(w) {
		s, w = lastWord(s)
	}
	switch {
	case equalFoldASCII(w, "opposite"), equalFoldASCII(w, "beside"), equalFoldASCII(w, "behind"), equalFoldASCII(w, "near"):
		return true
	case equalFoldASCII(w, "to"): // "next to", "close to"
		_, w = lastWord(s)
		return equalFoldASCII(w, "next") || equalFoldASCII(w, "close")
	case equalFoldASCII(w, "from"): // "across from"
		_, w = lastWord(s)
		return equalFoldASCII(w, "across")
	case equalFoldASCII(w, "of"): // "in front of"
		s, w = lastWord(s)
		_, in := lastWord(s)
		return equalFoldASCII(w, "front") && equalFoldASCII(in, "in")
	}
	return false
}

// lastWord splits s, trimmed of spaces at its end, at its last space: the
// text before and the last word.
func lastWord(s string) (before, w string) {
	e := len(s)
	for e > 0 && s[e-1] == ' ' {
		e--
	}
	k := strings.LastIndexByte(s[:e], ' ')
	return s[:k+1], s[k+1 : e]
}

// asciiWordEnd reports whether text has the lower-case word w at p, in
// any ASCII case, not followed by an ASCII letter, digit or underscore.
func asciiWordEnd(text string, p int, w string) bool {
	e := p + len(w)
	if e > len(text) || !equalFoldASCII(text[p:e], w) {
		return false
	}
	return wordEndsAt(text, e)
}

// writtenWordAt reports w at text[p:] as written, ending at an ASCII word
// edge: asciiWordEnd in w's own case.
func writtenWordAt(text string, p int, w string) bool {
	return strings.HasPrefix(text[p:], w) && wordEndsAt(text, p+len(w))
}

// wordEndsAt reports an ASCII word edge (\b) after a word that ends at e:
// the end of text, or a byte that is no word byte.
func wordEndsAt(text string, e int) bool { return e == len(text) || !isRegexpWordByte(text[e]) }

// nameBefore finds the start of the name that ends one space before p: up
// to four capitalised words or numbers joined by single spaces or hyphens,
// read back no further than lo. The name begins after a character that
// is not a letter, digit or apostrophe, or at lo; the longest such name
// wins.
func nameBefore(text string, lo, p int) (int, bool) {
	if p-1 < lo || text[p-1] != ' ' {
		return 0, false
	}
	return nameEndingAt(text, lo, p-1)
}

// nameEndingAt is nameBefore for a name that ends at end, whatever
// follows it ("Crown" in "Crown, Moc Bai").
func nameEndingAt(text string, lo, end int) (int, bool) {
	start := -1
	for range 4 {
		s := runStart(text, lo, end)
		if s == end || !nameWord(text[s:end]) {
			break
		}
		if s == lo {
			start = s
			break
		}
		r, w := utf8.DecodeLastRuneInString(text[lo:s])
		if r != '’' && r != '\'' {
			start = s
		}
		if r != ' ' && r != '-' {
			break
		}
		end = s - w
	}
	return start, start >= 0
}

// runStart returns where the run of letters and digits ending at end
// starts, reading back no further than lo.
func runStart(text string, lo, end int) int {
	s := end
	for s > lo {
		if c := text[s-1]; c < utf8.RuneSelf {
			// An ASCII byte is a letter or digit by the table, not by
			// decoding it and asking Unicode.
			if !ascii.IsAlnum(c) {
				break
			}
			s--
			continue
		}
		r, w := utf8.DecodeLastRuneInString(text[lo:s])
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			break
		}
		s -= w
	}
	return s
}

// nameWord reports a run of letters and digits that starts with a capital
// or holds only digits and capitals: a number ("Silver Bay 2") or a
// designation ("the 1G1-7 Hotel").
func nameWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.IsUpper(r) {
		return true
	}
	for _, r := range w {
		if !unicode.IsNumber(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// numberWord reports a word of digits alone, which starts no name.
func numberWord(w string) bool {
	return w != "" && strings.IndexFunc(w, func(r rune) bool { return !unicode.IsNumber(r) }) < 0
}

// appositive reads the name in "Clark Sun Valley Hub, a compound", where
// the site noun starts at p: two to five capitalised words joined by
// single spaces, then ", a", ", an" or ", the", up to two lower-case words
// ("scam" may be a third) and the noun. It reads back at most about 160
// bytes, from a word start.
func appositive(text string, p int) (a, b int, ok bool) {
	lo := max(0, p-160)
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo++
	}
	if j := strings.IndexByte(text[lo:p], ' '); j >= 0 && lo > 0 {
		lo += j + 1
	}
	// The lower-case words before the noun, the article first among them.
	n := 2
	if strings.HasSuffix(text[lo:p], " scam ") {
		n = 3
	}
	comma, ok := articleBefore(text, lo, p, n, lowerWord)
	if !ok {
		return 0, 0, false
	}
	// The name: the last word must be whole and capitalised; the first may
	// start at any capital inside a run of letters, as the pattern is not
	// anchored there.
	start, end := -1, comma
	for k := 1; k <= 5; k++ {
		s := runStart(text, lo, end)
		if s == end {
			break
		}
		if k >= 2 {
			for i, r := range text[s:end] {
				if unicode.IsUpper(r) {
					start = s + i
					break
				}
			}
		}
		if r, _ := utf8.DecodeRuneInString(text[s:end]); !unicode.IsUpper(r) || s == lo || text[s-1] != ' ' {
			break
		}
		end = s - 1
	}
	if start < 0 {
		return 0, 0, false
	}
	return start, comma, true
}

// personAppositive reads the name a role at p describes after it: "Yim
// Leak, a Cambodian businessman", "Chen Zhi, the Chinese-born tycoon".
// Between the article and the role stand at most two words, each a
// nationality or origin (capitalised: "Cambodian", "Chinese-born") or
// one of roleModifiers ("wealthy", "casino"); any other word ("Hun To,
// a nephew of businessman …") means the role is not the name's.
func personAppositive(text string, p int, conf float64) (found, bool) {
	comma, ok := articleBefore(text, 0, p, 2, roleModifier)
	if !ok {
		return found{}, false
	}
	return personBefore(text, comma, conf)
}

// personBefore reads a name of two or three capitalised words that ends
// at end ("Liu Zhengqi" of "Liu Zhengqi, chief executive of …"), within
// the 60 bytes before it and after white space, as personAfter reads one
// (a name at the very start of the text is left to the other rules), and
// refuses the same words.
func personBefore(text string, end int, conf float64) (found, bool) {
	a := capitalsBefore(text, max(0, end-60), end)
	if a <= 0 || spaceEnd(text[a-1:a]) == 0 {
		return found{}, false
	}
	return personName(text, a, end, conf)
}

// capitalsBefore returns where the last two or three capitalised words
// before end start, -1 when there are fewer than two: each an upper-case
// letter then lower-case ones, joined by a space or a hyphen, not reading
// before lo, and not inside a longer word. It is personBeforeRE (in the
// tests) without the regexp, which tried every start in the 60 bytes.
func capitalsBefore(text string, lo, end int) int {
	starts := [3]int{}
	n := 0
	for i := end; n < 3; {
		j := i
		for j > lo {
			r, size := utf8.DecodeLastRuneInString(text[lo:j])
			if !unicode.IsLower(r) {
				break
			}
			j -= size
		}
		if j == i || j == lo {
			break
		}
		r, size := utf8.DecodeLastRuneInString(text[lo:j])
		if !unicode.IsUpper(r) {
			break
		}
		j -= size
		starts[n] = j
		n++
		if j == lo || text[j-1] != ' ' && text[j-1] != '-' {
			break
		}
		i = j - 1
	}
	// The first word must not continue a longer one: where a letter
	// precedes it, the name starts a word later.
	for ; n >= 2; n-- {
		a := starts[n-1]
		if a == lo {
			return a
		}
		if r, _ := utf8.DecodeLastRuneInString(text[lo:a]); !unicode.IsLetter(r) {
			return a
		}
	}
	return -1
}

// articleBefore finds the ", a", ", an" or ", the" that opens an
// appositive whose noun starts at p ("Clark Sun Valley Hub, a compound",
// "Yim Leak, a Cambodian businessman"): it walks back over at most n
// words that modifier accepts, not past lo, and returns the comma's
// position.
func articleBefore(text string, lo, p, n int, modifier func(w string) bool) (comma int, ok bool) {
	for k := 0; k <= n; k++ {
		if p-1 <= lo || text[p-1] != ' ' {
			return 0, false
		}
		ws := p - 1
		for ws > lo && (ascii.IsAlnum(text[ws-1]) || text[ws-1] == '-') {
			ws--
		}
		w := text[ws : p-1]
		if (w == "a" || w == "an" || w == "the") && ws-2 >= lo && text[ws-2:ws] == ", " {
			return ws - 2, true
		}
		if w == "" || !modifier(w) {
			return 0, false
		}
		p = ws
	}
	return 0, false
}

// roleComma finds the comma that sets off a role starting at p from the
// name before it: ", chief executive of", ", co-founder of", ", the top
// boss of", ", a former owner of".
func roleComma(text string, p int) (int, bool) {
	for p > 0 && text[p-1] == '-' { // "co-founder", "ex-boss"
		p = runStart(text, max(0, p-8), p-1)
	}
	if p >= 2 && text[p-2:p] == ", " {
		return p - 2, true
	}
	return articleBefore(text, max(0, p-40), p, 2, roleModifier)
}

// knownSiteAt reports a known compound named at text[p:], after a space
// and maybe "the".
func knownSiteAt(known []document.Entity, text string, p int) bool {
	p += spaceEnd(text[p:])
	if rest, ok := strings.CutPrefix(text[p:], "the "); ok {
		p = len(text) - len(rest)
	}
	for _, e := range known {
		if e.Type != document.Compound {
			continue
		}
		for _, m := range e.Mentions {
			if m.Start == p {
				return true
			}
		}
	}
	return false
}

// lowerWord reports whether w is written in lower-case ASCII letters and
// hyphens: a site's appositive describes it in such words ("a sprawling
// compound").
func lowerWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; (c < 'a' || c > 'z') && c != '-' {
			return false
		}
	}
	return true
}

// roleModifier reports whether w may describe a business figure's role in
// an appositive: a nationality or origin, capitalised ("Cambodian",
// "Chinese-born"), or one of roleModifiers.
func roleModifier(w string) bool {
	return 'A' <= w[0] && w[0] <= 'Z' || roleModifiers.at(w)
}

// siteNounOfPerson reports whether after, the text after a site noun,
// starts with a noun for a person that the site noun qualifies: "Sok
// Dara, a casino tycoon" names a person, not a casino.
func siteNounOfPerson(after string) bool {
	if !strings.HasPrefix(after, " ") {
		return false
	}
	w := after[1:]
	if i := strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		w = w[:i]
	}
	return personNouns.at(w) || personNouns.at(strings.TrimSuffix(w, "s")) || personNouns.at(strings.TrimSuffix(w, "es"))
}

// personNouns are the nouns for persons that a site noun may qualify
// ("casino tycoon", "compound bosses"), in the singular.
var personNouns = setOf("tycoon", "boss", "magnate", "kingpin", "owner", "operator", "mogul", "king",
	"businessman", "businessmen", "manager", "worker", "employee", "guard", "staff")

// roleModifiers are the lower-case words that may stand between an
// article and a business figure's role in an appositive ("a wealthy
// businessman", "the casino tycoon", "the top boss of").
var roleModifiers = setOf("wealthy", "prominent", "powerful", "influential", "notorious", "rich", "billionaire",
	"millionaire", "well-connected", "well-known", "alleged", "reputed", "fugitive", "local", "former",
	"casino", "property", "real-estate", "gambling", "business", "scam", "crime", "shipping", "construction",
	"top", "then", "chief")

// personAfter reads a two- or three-word name right after position p.
func personAfter(text string, p int, conf float64) (found, bool) {
	w := text[p:min(len(text), p+80)]
	if !namePairAhead(w) {
		return found{}, false
	}
	i := spaceEnd(w)
	e := capitalsAfter(w, i, 1)
	if e < 0 {
		return found{}, false
	}
	return personName(text, p+i, p+e, conf)
}

// capitalsAfter reads two or three capitalised words from w[i:], the k-th
// starting there, joined by a space or a hyphen, then an optional "’s" or
// "'s" and an ASCII word boundary, and returns where the words end, or -1.
// It is personAfterRE (in the tests) without the regexp, and gives its
// match: the longest choice first at each word, as the expression's
// greedy repeats try them, backing off a letter where the boundary fails.
func capitalsAfter(w string, i, k int) int {
	if i == 0 && k == 1 || i >= len(w) {
		return -1 // the expression's \s+: white space first
	}
	r, n := utf8.DecodeRuneInString(w[i:])
	if !unicode.IsUpper(r) {
		return -1
	}
	first := i + n // the word's lower-case letters start here
	end := first
	for end < len(w) {
		r, n := utf8.DecodeRuneInString(w[end:])
		if !unicode.IsLower(r) {
			break
		}
		end += n
	}
	// Each end the word may have, one lower-case letter or more, the
	// longest first.
	for e := end; e > first; {
		if k < 3 && e+1 < len(w) && (w[e] == ' ' || w[e] == '-') {
			if f := capitalsAfter(w, e+1, k+1); f >= 0 {
				return f
			}
		}
		if k >= 2 {
			if t := possessiveEnd(w, e); t > e && asciiBoundary(w, t) || asciiBoundary(w, e) {
				return e
			}
		}
		_, n := utf8.DecodeLastRuneInString(w[first:e])
		e -= n
	}
	return -1
}

// possessiveEnd returns where a "’s" or "'s" at w[e:] ends, or e.
func possessiveEnd(w string, e int) int {
	for _, p := range [...]string{"’s", "'s"} {
		if strings.HasPrefix(w[e:], p) {
			return e + len(p)
		}
	}
	return e
}

// asciiBoundary reports \b at w[i]: a word byte ([0-9A-Za-z_]) on one side
// and not on the other, the end of w being no word byte.
func asciiBoundary(w string, i int) bool {
	before := i > 0 && isRegexpWordByte(w[i-1])
	after := i < len(w) && isRegexpWordByte(w[i])
	return before != after
}

// ownerTitles may stand before an owner's name, after "owned by" and
// words such as "the former Thai" ("owned by the former Thai MP Watthana
// Asavahem"): a politician's or a business figure's, never an office of
// the state ("led by Interior Minister Sar Kheng"). "Tycoon",
// "businessman" and "magnate" are rulePerson's, which reads the name
// after them.
var ownerTitles = setOf("mp", "lawmaker", "politician", "businesswoman")

// titledOwnerAfter reads an owner's name after p, where up to three
// words ("the", "former", a nationality) and then one of ownerTitles
// stand before it.
func titledOwnerAfter(text string, p int, conf float64) (found, bool) {
	rest := text[p:min(len(text), p+60)]
	i := spaceEnd(rest)
	if i == 0 {
		return found{}, false
	}
	for range 4 {
		j := strings.IndexByte(rest[i:], ' ')
		if j <= 0 {
			return found{}, false
		}
		w := rest[i : i+j]
		switch {
		case inLower(&ownerTitles, w):
			return personAfter(text, p+i+j, conf)
		case w == "the" || w == "former" || w == "late":
		case 'A' <= w[0] && w[0] <= 'Z' && inLower(&notName, w) && w != "The":
			// A nationality ("Thai", "Chinese").
		default:
			return found{}, false
		}
		i += j + 1
	}
	return found{}, false
}

// hanInParens returns the length of a name in Chinese characters in
// brackets at the start of s, perhaps after a space (" (苏良生)"), or 0.
func hanInParens(s string) int {
	i := 0
	if len(s) > 1 && s[0] == ' ' {
		i++
	}
	if len(s) <= i || s[i] != '(' && s[i] != "（"[0] {
		return 0 // most names: no bracket
	}
	var closing string
	switch {
	case strings.HasPrefix(s[i:], "("):
		i, closing = i+1, ")"
	case strings.HasPrefix(s[i:], "（"):
		i, closing = i+len("（"), "）"
	default:
		return 0
	}
	n := 0
	for n < 8 && i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isHan(r) {
			break
		}
		i, n = i+size, n+1
	}
	if n < 2 || !strings.HasPrefix(s[i:], closing) {
		return 0
	}
	return i + len(closing)
}

// personName is the person named text[a:b], unless one of its words is a
// title's, an office's or a firm's (notPerson, notName).
func personName(text string, a, b int, conf float64) (found, bool) {
	name := text[a:b]
	for w := range strings.FieldsFuncSeq(name, func(r rune) bool { return r == ' ' || r == '-' }) {
		if inLower(&notPerson, w) || inLower(&notName, w) {
			return found{}, false
		}
	}
	return found{typ: document.Tycoon, kind: "person", name: name, start: a, end: b, conf: conf}, true
}

// firmAfter reads a company's name after p, where white space starts: a
// run of capitalised words ending in a company word (firmRE), with the
// legal form that follows it ("Co., Ltd.", "Co. Ltd", "Company Limited").
// A firm that owns or runs a site is what the tycoon type counts besides
// persons, and its legal form marks it as a name more surely than any
// capitalised run.
func firmAfter(text string, p int, conf float64) (found, bool) {
	w := text[p:min(len(text), p+120)]
	sp := spaceEnd(w)
	if sp == 0 {
		return found{}, false
	}
	start := p + sp
	if strings.HasPrefix(text[start:], "the ") {
		start += len("the ") // "operated by the Blue River Group"
	}
	if start >= len(text) || text[start] < 'A' || text[start] > 'Z' {
		return found{}, false // most places: no capital, no expression run
	}
	if !companyWordIn(w[sp-1:]) {
		return found{}, false
	}
	m := firmRE.FindStringIndex(w[sp-1:])
	if m == nil {
		return found{}, false
	}
	end := p + sp - 1 + m[1]
	// The legal form after the company word ("Co., Ltd", "Co. Ltd",
	// "Company Limited"); the name keeps no final dot, which may be a
	// full stop.
	j := end
	if strings.HasPrefix(text[j:], ".") {
		j++
	}
	for _, form := range []string{", Ltd", " Ltd", ", Limited", " Limited", ", Inc", " Inc"} {
		if writtenWordAt(text, j, form) {
			end = j + len(form)
			break
		}
	}
	name := text[start:end]
	if inLower(&notName, firstWord(name)) {
		return found{}, false
	}
	return found{typ: document.Tycoon, kind: "company", name: name, start: start, end: start + len(name), conf: conf}, true
}

// companyWordIn reports a company word of firmRE's and firmTailRE's
// ("Group", "Co", "Company", "Ltd", "Holdings", "Corp", "Inc"…) after
// white space in s, the start of every match of either: a test that rules
// out most places without running them (they cost 3,000–16,000
// instructions a place, most of it backtracking over capitalised words
// that no company word ends).
func companyWordIn(s string) bool {
	for _, w := range [...]string{"Group", "Co", "Ltd", "Limited", "Holding", "Inc"} {
		// indexes' loop, written out: through the iterator this screen
		// counted half as many instructions again (0.42 → 0.64 million on
		// the benchmark's articles), and it exists to be cheap.
		for from := 0; ; {
			i := strings.Index(s[from:], w)
			if i < 0 {
				break
			}
			i += from
			if i > 0 && spaceEnd(s[i-1:i]) == 1 {
				return true
			}
			from = i + len(w)
		}
	}
	return false
}

// indexes yields where sub starts in s, each place after the end of the
// one before: the discovery rules that read every site noun, kin word or
// list's lead in a Chinese or Khmer word ("KK园区…据点") walk them with
// it.
func indexes(s, sub string) iter.Seq[int] {
	return func(yield func(int) bool) {
		for from := 0; ; {
			j := strings.Index(s[from:], sub)
			if j < 0 || !yield(from+j) {
				return
			}
			from += j + len(sub)
		}
	}
}

// namePairAhead is the start personAfterRE needs, white space (\s), an
// upper-case letter and, where the first word is in ASCII, lower-case
// letters up to a space or hyphen and another capital: a test that rules
// out most places ("Police said") without running the expression. A word
// with other letters is left to the expression.
func namePairAhead(s string) bool {
	i := spaceEnd(s)
	if i == 0 || i == len(s) {
		return false
	}
	if c := s[i]; c >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return unicode.Is(unicode.Lu, r)
	} else if c < 'A' || c > 'Z' {
		return false
	}
	j := i + 1
	for j < len(s) && 'a' <= s[j] && s[j] <= 'z' {
		j++
	}
	switch {
	case j < len(s) && s[j] >= utf8.RuneSelf:
		return true // "Méndez", "Lý": the expression's
	case j == i+1 || j+1 >= len(s) || s[j] != ' ' && s[j] != '-':
		return false // "US", "Police." or "Police said"
	}
	c := s[j+1]
	return c >= utf8.RuneSelf || 'A' <= c && c <= 'Z'
}

// spaceEnd returns the length of the white space (\s: space, tab, line
// feed, form feed, carriage return) s starts with.
func spaceEnd(s string) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\f' || s[i] == '\r') {
		i++
	}
	return i
}

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

func isWordByte(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i+1])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// wordEdge reports whether s[a:b] is not part of a longer word.
func wordEdge(s string, a, b int) bool {
	if a > 0 {
		if r, _ := utf8.DecodeLastRuneInString(s[:a]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if b < len(s) {
		if r, _ := utf8.DecodeRuneInString(s[b:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// sentenceStart reports whether i begins a sentence, line or quotation.
func sentenceStart(s string, i int) bool {
	j := i
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if r == '\n' {
			return true
		}
		if !unicode.IsSpace(r) && !strings.ContainsRune(`"“‘'(`, r) {
			return strings.ContainsRune(".!?:•", r)
		}
		j -= n
	}
	return true
}

func mention(text string, a, b int) document.Mention {
	return document.Mention{Text: text[a:b], Start: a, End: b}
}

// candidateID is "candidate:<type>:<slug>", stable across documents so
// candidates can be counted. It is written in one allocation: a document
// has a dozen candidates.
func candidateID(typ, name string) string {
	const prefix = "candidate:"
	var b strings.Builder
	b.Grow(len(prefix) + len(typ) + 1 + len(name) + utf8.UTFMax)
	b.WriteString(prefix)
	b.WriteString(typ)
	b.WriteByte(':')
	slug, dash := b.Len(), false // a dash is written only before a letter
	for _, r := range name {
		if r = unicode.ToLower(r); unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else if b.Len() > slug {
			dash = true
		}
	}
	return b.String()
}

// Candidate is an entity discovery found in coverage that the gazetteer
// lacks: material for a curator deciding what to add.
type Candidate struct {
	Type     string    `json:"type"`
	Name     string    `json:"name"`
	ID       string    `json:"id"`
	Count    int       `json:"count"` // documents mentioning it
	Examples []Example `json:"examples"`
	// Proposals are known entities the candidate is likely the same as
	// (a spelling variant), best first, for "entities link".
	Proposals []document.Proposal `json:"proposals,omitempty"`
}

// Example is one context a candidate was seen in.
type Example struct {
	Source  string `json:"source"`
	Context string `json:"context"`
}

func (e Example) String() string { return e.Source + ": " + e.Context }

// maxExamples bounds the contexts kept per candidate.
const maxExamples = 3

// CollectCandidates counts the unknown entities of docs by document, most
// frequent first (then by name), with up to three example contexts each,
// cut from the text where the payload left them out (as the bus does).
// It keeps no document, so docs can stream a whole log.
func CollectCandidates(docs iter.Seq[document.Tagged]) []Candidate {
	byID := map[string]*Candidate{}
	for d := range docs {
		source := cmp.Or(d.Source, d.CanonicalURL, d.ID)
		seen := map[string]bool{}
		for _, e := range d.Entities {
			if e.Known || seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			c := byID[e.ID]
			if c == nil {
				c = &Candidate{Type: e.Type, Name: e.Name, ID: e.ID}
				byID[e.ID] = c
			}
			c.Count++
			if len(c.Examples) < maxExamples && len(e.Mentions) > 0 {
				m := e.Mentions[0]
				if m.Context == "" {
					m.Context = document.Context(d.Text, m.Start, m.End)
				}
				c.Examples = append(c.Examples, Example{Source: source, Context: m.Context})
			}
			for _, p := range e.Proposals {
				i := slices.IndexFunc(c.Proposals, func(q document.Proposal) bool { return q.ID == p.ID })
				if i < 0 {
					c.Proposals = append(c.Proposals, p)
				} else if p.Confidence > c.Proposals[i].Confidence {
					c.Proposals[i] = p
				}
			}
		}
	}
	out := make([]Candidate, 0, len(byID))
	for _, c := range byID {
		slices.SortStableFunc(c.Proposals, func(a, b document.Proposal) int { return cmp.Compare(b.Confidence, a.Confidence) })
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out
}
