package extractor

import (
	"cmp"
	"iter"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
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
	// nameBeforeRE: up to four capitalised tokens ending the string (the
	// text just before a head noun).
	nameBeforeRE = regexp.MustCompile(`(?:^|[^\p{L}\p{N}’'])((?:\p{Lu}[\p{L}\p{N}]*|\p{N}+)(?:[ -](?:\p{Lu}[\p{L}\p{N}]*|\p{N}+)){0,3}) $`)
	// headRE: site head nouns at the start of the string.
	headRE = regexp.MustCompile(`^(?i:(casino complex|casino|compound|special economic zone|sez|hotel|resort))\b`)
	// quotedRE: a quoted name right after a site noun.
	quotedRE = regexp.MustCompile(`^[“"]((?:\p{Lu}[\p{L}\p{N}]+)(?: \p{Lu}[\p{L}\p{N}]+){0,3})[”"]`)
	// personAfterRE: two or three capitalised words at the start.
	personAfterRE = regexp.MustCompile(`^\s+(\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){1,2})(?:[’']s)?\b`)
	// appositiveRE: "Clark Sun Valley Hub, a compound".
	appositiveRE = regexp.MustCompile(`((?:\p{Lu}[\p{L}\p{N}]*)(?: \p{Lu}[\p{L}\p{N}]*){1,4}), (?:a|an|the) (?:[a-z-]+ ){0,2}(?:scam )?(?:compound|casino|scam cent(?:er|re)|scam park)$`)
	// kinRE: a relative of a known tycoon ("his son Bai Yingcang").
	kinRE      = regexp.MustCompile(`\b(?:son|daughter|brother|sister|nephew|niece|cousin|wife|son-in-law|daughter-in-law)\b`)
	ownerCtxRE = regexp.MustCompile(`(?i)\b(?:group|co\.?|ltd\.?|company|firm|casino|compound|hotel|resort|complex|building|propert(?:y|ies)|syndicate|gang)\b`)
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

// ownerVerbs precede "by" in "owned by X".
var ownerVerbs = setOf("owned", "led", "run", "headed", "chaired", "founded", "controlled")

// personTriggers introduce a business figure by role (lower case; the
// first letter may be capitalised in the text). "Neak Oknha X" ends in
// "Oknha", so the title needs no trigger of its own.
func personTriggers() []string {
	return []string{"tycoon", "oligarch", "kingpin", "crime boss", "scam boss", "businessman", "magnate", "oknha"}
}

// hasSiteNounSuffix reports whether s (lower case) ends with a site noun.
func hasSiteNounSuffix(s string) bool {
	for _, n := range []string{"casino", "compound", "site", "complex", "hotel", "resort"} {
		if strings.HasSuffix(s, n) {
			return true
		}
	}
	return false
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// span is a discovered mention before grouping.
type found struct {
	typ, kind, name string
	start, end      int
	conf            float64
}

// discover returns entities the gazetteer lacks (Known false). known holds
// everything the gazetteer found, companies included, so a candidate never
// overlaps or renames a known entity.
func discover(text string, known []document.Entity, g *gazetteer.Gazetteer) []document.Entity {
	var taken [][2]int
	for _, e := range known {
		for _, m := range e.Mentions {
			taken = append(taken, [2]int{m.Start, m.End})
		}
	}
	overlaps := func(a, b int) bool {
		for _, t := range taken {
			if a < t[1] && t[0] < b {
				return true
			}
		}
		return false
	}
	isKnown := func(name string) bool {
		_, ok := g.Resolve("", name)
		return ok
	}

	var spans []found
	add := func(s found) {
		if s.name == "" || overlaps(s.start, s.end) || isKnown(s.name) {
			return
		}
		spans = append(spans, s)
	}

	// Compounds named before a head noun.
	// ASCII folding keeps byte offsets equal to the text's, which full
	// Unicode lower-casing does not.
	lower := asciiLower(text)
	for _, h := range []string{"casino", "compound", "special economic zone", "sez", "hotel", "resort"} {
		for off := 0; ; {
			i := strings.Index(lower[off:], h)
			if i < 0 {
				break
			}
			p := off + i
			off = p + len(h)
			if s, ok := compoundBefore(text, p); ok {
				add(s)
			}
		}
	}
	// Quoted site names: each quote mark is checked for a site noun
	// before it, which is far cheaper than a regexp over the whole text.
	for _, q := range []string{"\u201c", "\""} {
		for off := 0; ; {
			i := strings.Index(text[off:], q)
			if i < 0 {
				break
			}
			p := off + i
			off = p + len(q)
			before := strings.TrimRight(lower[max(0, p-12):p], " \t\n")
			if len(before) == len(lower[max(0, p-12):p]) || !hasSiteNounSuffix(before) {
				continue
			}
			m := quotedRE.FindStringSubmatchIndex(text[p:min(len(text), p+120)])
			if m == nil {
				continue
			}
			a, b := p+m[2], p+m[3]
			if name := text[a:b]; !notName[strings.ToLower(firstWord(name))] {
				add(found{typ: document.Compound, name: name, start: a, end: b, conf: confQuoted})
			}
		}
	}
	// People introduced by role or as owners.
	for _, w := range personTriggers() {
		for off := 0; ; {
			i := strings.Index(lower[off:], w)
			if i < 0 {
				break
			}
			p := off + i
			off = p + len(w)
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
			}
		}
	}
	for off := 0; ; {
		i := strings.Index(text[off:], " by")
		if i < 0 {
			break
		}
		p := off + i
		off = p + 3
		if off < len(text) && isWordByte(text, off) {
			continue
		}
		ws := strings.LastIndexAny(text[max(0, p-12):p], " \t\n(")
		verb := text[max(0, p-12)+ws+1 : p]
		if !ownerVerbs[verb] || !ownerCtxRE.MatchString(text[max(0, p-len(verb)-60):p-len(verb)]) {
			continue
		}
		if s, ok := personAfter(text, off, confOwnedBy); ok {
			add(s)
		}
	}
	// "Clark Sun Valley Hub, a compound": anchored at each appositive head.
	for _, h := range []string{"compound", "casino", "scam center", "scam centre", "scam park"} {
		for off := 0; ; {
			i := strings.Index(text[off:], h)
			if i < 0 {
				break
			}
			p := off + i
			off = p + len(h)
			if off < len(text) && isWordByte(text, off) {
				continue
			}
			lo := max(0, p-160)
			for lo > 0 && !utf8.RuneStart(text[lo]) {
				lo++
			}
			if j := strings.IndexByte(text[lo:p], ' '); j >= 0 && lo > 0 {
				lo += j + 1
			}
			m := appositiveRE.FindStringSubmatchIndex(text[lo:off])
			if m == nil {
				continue
			}
			a, b := lo+m[2], lo+m[3]
			if name := text[a:b]; !notName[strings.ToLower(firstWord(name))] && !sentenceStart(text, a) {
				add(found{typ: document.Compound, name: name, start: a, end: b, conf: confOwnedBy})
			}
		}
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
			after := text[mt.End:min(len(text), mt.End+60)]
			if k := kinRE.FindStringIndex(after); k != nil && k[0] < 20 {
				if s, ok := personAfter(text, mt.End+k[1], confOwnedBy); ok {
					add(s)
				}
			}
			for _, sep := range []string{", ", " and "} {
				if strings.HasPrefix(after, sep) {
					if s, ok := personAfter(text, mt.End+len(sep)-1, confOwnedBy); ok && firstWord(s.name) == family {
						add(s)
					}
				}
			}
		}
	}
	if len(spans) == 0 {
		return nil
	}

	// Group by candidate id and add the other mentions of each name.
	slices.SortStableFunc(spans, func(a, b found) int { return cmp.Compare(a.start, b.start) })
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
		e.Mentions = append(e.Mentions, mention(text, s.start, s.end))
	}
	for i := range out {
		e := &out[i]
		for off := 0; ; {
			j := strings.Index(text[off:], e.Name)
			if j < 0 {
				break
			}
			a := off + j
			b := a + len(e.Name)
			off = b
			if !wordEdge(text, a, b) || overlaps(a, b) || slices.ContainsFunc(e.Mentions, func(m document.Mention) bool { return m.Start == a }) {
				continue
			}
			e.Mentions = append(e.Mentions, mention(text, a, b))
		}
		slices.SortFunc(e.Mentions, func(x, y document.Mention) int { return cmp.Compare(x.Start, y.Start) })
	}
	return out
}

// compoundBefore reads a site name ending just before the head noun at p.
func compoundBefore(text string, p int) (found, bool) {
	hm := headRE.FindStringSubmatchIndex(text[p:])
	if hm == nil || (p > 0 && isWordByte(text, p-1)) {
		return found{}, false
	}
	headEnd := p + hm[3]
	head := text[p:headEnd]
	lo := max(0, p-80)
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo--
	}
	m := nameBeforeRE.FindStringSubmatchIndex(text[lo:p])
	if m == nil {
		return found{}, false
	}
	start, end := lo+m[2], lo+m[3]
	words := strings.Fields(strings.ReplaceAll(text[start:end], "-", " "))
	// Drop leading descriptive words ("The", "Chinese", "Notorious").
	for len(words) > 0 && notName[strings.ToLower(words[0])] {
		start = strings.Index(text[start:end], words[1%len(words)]) + start
		words = words[1:]
	}
	if len(words) == 0 {
		return found{}, false
	}
	for _, w := range words {
		if notName[strings.ToLower(w)] || notPerson[strings.ToLower(w)] && w != "International" {
			return found{}, false
		}
	}
	titleHead := unicode.IsUpper(rune(head[0]))
	lh := strings.ToLower(head)
	// Hotels and resorts are named only with a capitalised head ("X Hotel");
	// "a Sihanoukville hotel" is a description.
	if (lh == "hotel" || lh == "resort") && !titleHead {
		return found{}, false
	}
	// One capitalised word at the start of a sentence is not evidence of a
	// name ("Casinos…", "Police compound").
	if len(words) == 1 && sentenceStart(text, start) {
		return found{}, false
	}
	conf := confLowerHead
	if titleHead {
		conf = confTitleHead
	}
	kind := lh
	if lh == "special economic zone" || lh == "sez" {
		kind = "SEZ"
	}
	return found{typ: document.Compound, kind: kind, name: text[start:headEnd], start: start, end: headEnd, conf: conf}, true
}

// personAfter reads a two- or three-word name right after position p.
func personAfter(text string, p int, conf float64) (found, bool) {
	m := personAfterRE.FindStringSubmatchIndex(text[p:min(len(text), p+80)])
	if m == nil {
		return found{}, false
	}
	start, end := p+m[2], p+m[3]
	name := text[start:end]
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' }) {
		lw := strings.ToLower(w)
		if notPerson[lw] || notName[lw] {
			return found{}, false
		}
	}
	return found{typ: document.Tycoon, kind: "person", name: name, start: start, end: end, conf: conf}, true
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
	return document.Mention{Text: text[a:b], Start: a, End: b, Context: gazetteer.Context(text, a, b)}
}

// candidateID is "candidate:<type>:<slug>", stable across documents so
// candidates can be counted.
func candidateID(typ, name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return "candidate:" + typ + ":" + strings.TrimSuffix(b.String(), "-")
}

// Candidate is an entity discovery found in coverage that the gazetteer
// lacks: material for a curator deciding what to add.
type Candidate struct {
	Type     string    `json:"type"`
	Name     string    `json:"name"`
	ID       string    `json:"id"`
	Count    int       `json:"count"` // documents mentioning it
	Examples []Example `json:"examples"`
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
// frequent first (then by name), with up to three example contexts each. It
// reads only the tags, so documents whose text was dropped still count.
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
				c.Examples = append(c.Examples, Example{Source: source, Context: e.Mentions[0].Context})
			}
		}
	}
	out := make([]Candidate, 0, len(byID))
	for _, c := range byID {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
