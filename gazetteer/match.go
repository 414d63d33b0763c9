package gazetteer

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer/internal/schema"
	"github.com/compoundwatch/compoundwatch/internal/ascii"
)

// gtype indexes the entity types in the matcher, plus two pseudo-types for
// the file's vocabulary.
type gtype uint8

const (
	tProvince gtype = iota
	tCompound
	tTycoon
	nTypes
	tStop // stop phrase: nothing inside is tagged
	tCue  // context word: the text is about Cambodia
)

func typeIndex(t string) gtype {
	switch t {
	case document.Province:
		return tProvince
	case document.Compound:
		return tCompound
	}
	return tTycoon
}

// guardKind orders restrictions from none to strongest.
type guardKind uint8

const (
	gPlain guardKind = iota
	gGuarded
	gHeadOnly
)

type target struct {
	rec   int32
	typ   gtype
	guard guardKind
	form  string // the alias as written, for the capitalisation check
	multi bool   // several words or a non-Latin script: strong evidence
	place bool   // a town or landmark standing for a province, not its name
}

type pat struct {
	key        string
	targets    []target
	prefixes   []int32 // patterns that are whole-word prefixes, longest first
	latinStart bool    // first rune is in a spaced script: needs a boundary
	latinEnd   bool
	endsDigit  bool
}

// matcher finds aliases in folded text with one trie over all types. Types
// may overlap (a compound name contains a province name: "MDS Thmor Da
// special economic zone"), but mentions of one type never do.
type matcher struct {
	trie  trie
	pats  []pat
	heads phrases // folded head-noun phrases, longest first
	cues  phrases // folded place cues
	firms phrases // folded company words
	uncer []bool
}

type matcherBuilder struct {
	index map[string]int
	pats  []pat
	heads []string
	cues  []string
	firms []string
}

func newMatcherBuilder() *matcherBuilder {
	return &matcherBuilder{index: map[string]int{}}
}

func (b *matcherBuilder) add(form string, t target) error {
	k := key(form)
	if k == "" {
		return fmt.Errorf("alias %q has no letters or digits", form)
	}
	t.form = form
	t.multi = strings.Contains(k, " ") || scriptOf(form) != ""
	i, ok := b.index[k]
	if !ok {
		i = len(b.pats)
		b.index[k] = i
		b.pats = append(b.pats, pat{key: k})
	}
	p := &b.pats[i]
	for j, o := range p.targets {
		if o.typ != t.typ {
			continue
		}
		if o.rec == t.rec || t.typ >= nTypes {
			if t.guard > o.guard { // the stricter reading wins
				p.targets[j].guard = t.guard
			}
			return nil
		}
		return &collision{form: form, other: int(o.rec)}
	}
	p.targets = append(p.targets, t)
	return nil
}

type collision struct {
	form  string
	other int
}

func (c *collision) Error() string { return fmt.Sprintf("alias %q", c.form) }

// addEntry adds every matchable form of e. Names in parentheses are also
// matched without them ("Crown Casino Resort (Poipet)").
func (b *matcherBuilder) addEntry(rec int, typ string, e *schema.Entry) error {
	ti := typeIndex(typ)
	restricted := map[string]guardKind{}
	for _, s := range e.Guarded {
		restricted[key(s)] = gGuarded
	}
	for _, s := range e.HeadOnly {
		restricted[key(s)] = gHeadOnly
	}
	inPlace := false
	add := func(s string, g guardKind) error {
		for _, short := range withoutParens(s) {
			for _, form := range hanSpacings(short) {
				if rg, ok := restricted[key(form)]; ok && rg > g {
					g = rg
				}
				if err := b.add(form, target{rec: int32(rec), typ: ti, guard: g, place: inPlace}); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var err error
	try := func(list []string, g guardKind) {
		for _, s := range list {
			if err == nil && strings.TrimSpace(s) != "" {
				err = add(s, g)
			}
		}
	}
	try([]string{e.Name}, gPlain)
	try(e.Aliases, gPlain)
	try(e.Guarded, gGuarded)
	try(e.HeadOnly, gHeadOnly)
	try(e.ZH, gPlain)
	try(e.KM, gPlain)
	inPlace = true
	for _, p := range e.Places {
		placeGuard := map[string]bool{}
		for _, s := range p.Guarded {
			placeGuard[key(s)] = true
		}
		g := gPlain
		if placeGuard[key(p.Name)] {
			g = gGuarded
		}
		try([]string{p.Name}, g)
		try(p.Aliases, gPlain)
		try(p.Guarded, gGuarded)
		try(p.ZH, gPlain)
		try([]string{p.KM}, gPlain)
	}
	return err
}

// withoutParens returns s and, if it has a parenthesised part, s without it.
func withoutParens(s string) []string {
	i := strings.IndexByte(s, '(')
	j := strings.LastIndexByte(s, ')')
	if i < 0 || j < i {
		return []string{s}
	}
	short := strings.TrimSpace(strings.Join(strings.Fields(s[:i]+" "+s[j+1:]), " "))
	if short == "" {
		return []string{s}
	}
	return []string{short, s}
}

// hanSpacings returns s and, where a Latin letter or digit meets a Chinese
// character in it, s with a space at each such meeting and s with none:
// Hong Kong's press prints "KK 園區" where the mainland's prints "KK园区",
// and a space is a separator to the fold, while two Chinese characters
// side by side are not.
func hanSpacings(s string) []string {
	var spaced, joined []byte
	meets := false
	prev := rune(-1) // the rune before the spaces just passed, or -1
	for i, r := range s {
		if r == ' ' {
			continue
		}
		if han := unicode.Is(unicode.Han, r); prev >= 0 && (han && isWordRune(prev) || !han && isWordRune(r) && unicode.Is(unicode.Han, prev)) {
			meets = true
			spaced = append(spaced, ' ')
		} else if prev >= 0 && s[i-1] == ' ' {
			spaced, joined = append(spaced, ' '), append(joined, ' ')
		}
		spaced, joined = utf8.AppendRune(spaced, r), utf8.AppendRune(joined, r)
		prev = r
	}
	out := []string{s}
	for _, f := range [...][]byte{spaced, joined} {
		if meets && string(f) != s {
			out = append(out, string(f))
		}
	}
	return out
}

func (b *matcherBuilder) addVocabulary(f *schema.File) error {
	for _, s := range f.StopPhrases {
		if err := b.add(s, target{rec: -1, typ: tStop}); err != nil {
			return fmt.Errorf("stop_phrases: %w", err)
		}
	}
	for _, s := range f.ContextWords {
		if err := b.add(s, target{rec: -1, typ: tCue}); err != nil {
			return fmt.Errorf("context_words: %w", err)
		}
	}
	for _, s := range f.HeadNouns {
		if k := key(s); k != "" {
			b.heads = append(b.heads, k)
		}
	}
	for _, s := range f.PlaceCues {
		if k := key(s); k != "" {
			b.cues = append(b.cues, k)
		}
	}
	for _, s := range f.CompanyWords {
		if k := key(s); k != "" {
			b.firms = append(b.firms, k)
		}
	}
	return nil
}

func (b *matcherBuilder) build(records []Record) matcher {
	m := matcher{pats: b.pats}
	for i := range m.pats {
		p := &m.pats[i]
		// A site and the company that shares its name: the site wins in
		// text (the company stays reachable through Resolve).
		hasCompound := false
		for _, t := range p.targets {
			hasCompound = hasCompound || t.typ == tCompound
		}
		if hasCompound {
			kept := p.targets[:0]
			for _, t := range p.targets {
				if t.typ != tTycoon {
					kept = append(kept, t)
				}
			}
			p.targets = kept
		}
		first, _ := utf8.DecodeRuneInString(p.key)
		last, _ := utf8.DecodeLastRuneInString(p.key)
		p.latinStart, p.latinEnd = isWordRune(first), isWordRune(last)
		p.endsDigit = unicode.IsDigit(last)
		for j := len(p.key) - 1; j > 0; j-- {
			if p.key[j] == soft {
				if q, ok := b.index[p.key[:j]]; ok {
					p.prefixes = append(p.prefixes, int32(q))
				}
			}
		}
	}
	sortByLenDesc(b.heads)
	m.heads, m.cues, m.firms = newPhrases(b.heads), newPhrases(b.cues), newPhrases(b.firms)
	m.uncer = make([]bool, len(records))
	for i, r := range records {
		m.uncer[i] = r.Uncertain
	}
	keys := make([]string, len(m.pats))
	for i, p := range m.pats {
		keys[i] = p.key
	}
	m.trie = newTrie(keys)
	return m
}

func sortByLenDesc(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && len(s[j]) > len(s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// hit is an accepted mention in folded coordinates.
type hit struct {
	rec        int32
	typ        gtype
	guard      guardKind
	start, end int
	ostart     int // start in the original text, f.origAt(start)
	oend       int // end in the original text, f.origAt(end)
	multi      bool
	place      bool
}

// FindOptions changes what FindWith reports.
type FindOptions struct {
	// Companies also reports tycoon records of kind "company". Find leaves
	// them out for callers that want people and sites only, as the gold
	// annotations do. Companies are matched either way, so "Try Pheap
	// Group" is not read as the person Try Pheap.
	Companies bool
}

// Find returns the known compounds, people and provinces mentioned in text,
// in order of first mention, each with all its mentions: their texts and
// offsets, from which a reader that shows one cuts its context
// (document.Context).
func (g *Gazetteer) Find(text string) []document.Entity {
	return g.FindWith(text, FindOptions{})
}

// maxPooledFold bounds the folded copies Gazetteer.folds keeps.
const maxPooledFold = 1 << 20

// getFold returns a folded copy from the pool, for putFold to return.
func (g *Gazetteer) getFold() *folded {
	if f, ok := g.folds.Get().(*folded); ok {
		return f
	}
	return new(folded)
}

// putFold returns f to the pool unless a huge text grew it.
func (g *Gazetteer) putFold(f *folded) {
	if cap(f.b) <= maxPooledFold {
		g.folds.Put(f)
	}
}

// FindWith is Find with options.
func (g *Gazetteer) FindWith(text string, opt FindOptions) []document.Entity {
	return g.AppendFind(nil, text, opt)
}

// AppendFind appends what FindWith returns to dst and returns the
// extended slice. A caller that builds a longer list of its own (the
// extractor adds the names it discovers) finds the known entities into a
// scratch slice it reuses and allocates its result once, at its length.
func (g *Gazetteer) AppendFind(dst []document.Entity, text string, opt FindOptions) []document.Entity {
	if text == "" || len(g.m.pats) == 0 {
		return dst
	}
	m := &g.m
	f := g.getFold()
	fold(f, text, &m.trie)
	var (
		hits    = f.hits[:0]
		lastEnd [nTypes]int
		cue     bool
	)
	defer func() {
		f.hits = hits[:0]
		g.putFold(f)
	}()
	// The longest pattern at every start position, including starts inside
	// an earlier match ("Thmor Da" inside "MDS Thmor Da SEZ"), is a
	// candidate. Per-type lastEnd keeps one type's mentions from
	// overlapping.
	ks := 0 // the shift points at or before the last start (origFrom)
	for _, s := range f.starts {
		pid := m.trie.longest(f.b, s)
		if pid < 0 {
			continue
		}
		p0 := &m.pats[pid]
		if p0.latinStart && wordBefore(f.b, s) {
			continue
		}
		var done [nTypes]bool
		stopped := false
		so := f.origFrom(&ks, s) // where the candidates start in the text
		cand := func(pid int, e int) {
			p := &m.pats[pid]
			if p.latinEnd && wordAt(f.b, e) {
				return
			}
			for _, t := range p.targets {
				switch t.typ {
				case tStop:
					for i := range lastEnd {
						lastEnd[i] = max(lastEnd[i], e)
						done[i] = true
					}
					stopped = true
					continue
				case tCue:
					cue = true
					continue
				}
				if done[t.typ] || s < lastEnd[t.typ] {
					continue
				}
				end := e
				if t.typ == tCompound {
					var head bool
					end, head = m.extend(f.b, e, p.endsDigit)
					if t.guard == gHeadOnly && !head {
						// A name read only with its head may take it in
						// the plural ("the Heng Heng compounds") or from
						// the end of a list.
						if n := m.heads.pluralAt(f.b, e+1); e < len(f.b) && f.b[e] == soft && n > 0 {
							end = e + 1 + n
						} else if !m.listedBeforeHead(f, text, e) {
							continue
						}
					}
					// A region is not a site, but it says what the text is
					// about as a context word does: the guarded names of
					// Kokang's bosses (明学昌) are kept beside 果敢.
					// "Jinbei Group" is the firm.
					if g.records[t.rec].Kind == "region" {
						cue = true
						continue
					}
					if m.firmAfter(f.b, end, head) {
						continue
					}
				} else if t.guard == gHeadOnly {
					if _, head := m.extend(f.b, e, true); !head {
						continue
					}
				}
				ke := ks
				if !caseOK(text[so:f.origFrom(&ke, e)], t.form) {
					continue
				}
				if t.guard == gGuarded && khmerAt(f.b, s) && !khmerAdminBefore(f.b, s) {
					// A guarded name in Khmer is an ordinary word too
					// ("ពួក", a group; "កណ្តាល", the middle), in every
					// text: it names the place only after an
					// administrative word ("ស្រុកពួក", "ខេត្តកណ្តាល").
					continue
				}
				// The end in the text, found from e's on (end >= e), is a
				// step or two, where entities' search for it cost a dozen.
				hits = append(hits, hit{rec: t.rec, typ: t.typ, guard: t.guard, start: s, end: end, ostart: so, oend: f.origFrom(&ke, end), multi: t.multi, place: t.place})
				done[t.typ] = true
				lastEnd[t.typ] = end
			}
		}
		cand(int(pid), s+len(p0.key))
		for _, q := range p0.prefixes {
			if stopped {
				break
			}
			cand(int(q), s+len(m.pats[q].key))
		}
	}
	if len(hits) == 0 {
		return dst
	}
	hits = m.applyGuards(f.b, hits, cue)
	hits = g.dropInsideNames(f.b, hits)
	if !opt.Companies {
		hits = slices.DeleteFunc(hits, func(h hit) bool { return g.records[h.rec].Kind == "company" })
	}
	return g.entities(dst, text, f, hits)
}

// applyGuards keeps a guarded mention only in a text about Cambodia or a
// scam region (a context word, a region such as Kokang, or an unguarded
// mention) or next to a place cue ("Kep province"). An unguarded mention
// of an entity linked to a guarded one is an unguarded mention, so links
// need no test of their own.
func (m *matcher) applyGuards(b []byte, hits []hit, cue bool) []hit {
	if cue || slices.ContainsFunc(hits, func(h hit) bool { return h.guard != gGuarded }) {
		return hits
	}
	// Those left in Khmer follow an administrative word, a place cue.
	return slices.DeleteFunc(hits, func(h hit) bool { return !m.placeCue(b, h.end) && !khmerAt(b, h.start) })
}

// khmerAt reports a Khmer letter at b[i] (U+1780–U+17FF: E1 9E or E1 9F).
func khmerAt(b []byte, i int) bool {
	return i+1 < len(b) && b[i] == 0xE1 && (b[i+1] == 0x9E || b[i+1] == 0x9F)
}

// khmerAdmin are the words for a province, district, town, commune and
// the capital, which Khmer writes before a place's name.
var khmerAdmin = [...]string{"ខេត្ត", "ស្រុក", "ក្រុង", "ខណ្ឌ", "ឃុំ", "សង្កាត់", "រាជធានី"}

// khmerAdminBefore reports an administrative word right before b[i], a
// space between them or not.
func khmerAdminBefore(b []byte, i int) bool {
	if i > 0 && b[i-1] == soft {
		i--
	}
	for _, w := range khmerAdmin {
		if len(w) <= i && string(b[i-len(w):i]) == w {
			return true
		}
	}
	return false
}

// firmAfter reports a company word right after e, or within the three
// words after a name that took no head noun ("Jinbei Group", "Zun Yuan
// Technology Incorporated"); a function word ends the search ("the casino
// of the group").
func (m *matcher) firmAfter(b []byte, e int, head bool) bool {
	n := 3
	if head {
		n = 1
	}
	for range n {
		if e >= len(b) || b[e] != soft {
			return false
		}
		e++
		if m.firms.at(b, e) > 0 {
			return true
		}
		w := e
		for e < len(b) && wordAt(b, e) {
			e++
		}
		switch string(b[w:e]) {
		case "in", "the", "of", "and", "at", "by", "to", "for", "on", "with", "a", "an", "is", "was", "said":
			return false
		}
	}
	return false
}

// dropInsideNames removes mentions that are only part of a longer name: a
// province or capital named inside a site's or a firm's name ("Phnom Penh
// Hotel", "Koh Kong Resort") or a temple's ("Wat Phnom"), and a site named
// inside a firm's ("Casino Bavet-Moc Bai Co., Ltd."). Towns and districts
// standing for a province still count inside a name ("Koh Thom casino
// complex"), as the gold annotations have it.
func (g *Gazetteer) dropInsideNames(b []byte, hits []hit) []hit {
	var nb, fb [16][2]int
	names, firms := nb[:0], fb[:0] // spans of sites and firms, on the stack for most texts
	for _, h := range hits {
		switch {
		case h.typ == tCompound:
			names = append(names, [2]int{h.start, h.end})
		case h.typ == tTycoon && g.records[h.rec].Kind == "company":
			names = append(names, [2]int{h.start, h.end})
			firms = append(firms, [2]int{h.start, h.end})
		}
	}
	if len(names) == 0 && len(hits) < 2 {
		return hits
	}
	inside := func(h hit, outer [][2]int) bool {
		for _, o := range outer {
			if o[0] <= h.start && h.end <= o[1] && o[1]-o[0] > h.end-h.start {
				return true
			}
		}
		return false
	}
	return slices.DeleteFunc(hits, func(h hit) bool {
		switch h.typ {
		case tProvince:
			return !h.place && (inside(h, names) || templeAround(b, h.start, h.end))
		case tCompound:
			return inside(h, firms)
		}
		return false
	})
}

// templeAround reports a name inside a temple's: "Wat Phnom Penh",
// "Kandal pagoda".
func templeAround(b []byte, start, end int) bool {
	if start >= 4 && string(b[start-4:start]) == "wat"+string(soft) && !wordBefore(b, start-4) {
		return true
	}
	for _, w := range []string{"pagoda", "temple"} {
		if end < len(b) && b[end] == soft && hasWordAt(b, end+1, w) {
			return true
		}
	}
	return false
}

func (m *matcher) placeCue(b []byte, e int) bool {
	if e >= len(b) || b[e] != soft {
		return false
	}
	return m.cues.at(b, e+1) > 0
}

// extend moves a compound mention's end over a branch number ("Jinbei 1")
// and a following head noun ("Huang Le" + "compound"), because reports name
// sites that way and the head noun is part of the name as printed. head
// reports whether a head noun was absorbed.
func (m *matcher) extend(b []byte, e int, endsDigit bool) (end int, head bool) {
	end = e
	if !endsDigit && end+1 < len(b) && b[end] == soft {
		j := end + 1
		k := j
		for k < len(b) && k-j < 3 && '0' <= b[k] && b[k] <= '9' {
			k++
		}
		thousands := k+1 < len(b) && b[k] == hard && '0' <= b[k+1] && b[k+1] <= '9'
		if k > j && !wordAt(b, k) && !thousands {
			end = k
		}
	}
	for range 2 {
		if end >= len(b) || b[end] != soft {
			break
		}
		n := m.heads.at(b, end+1)
		if n == 0 {
			break
		}
		end, head = end+1+n, true
	}
	return end, head
}

// listedBeforeHead reports a name, ending at e in the folded text, that a
// list carries to a plural head noun: "Moc Bai" in "the Crown, Moc Bai
// and Heng Heng compounds", where the head that names every site of the
// list is printed once, after the last. The list is read forward from e:
// names of up to four words, each starting with a capital or a digit in
// the text, joined by commas and a last "and" (or "&"), then perhaps one
// lower-case word ("waterfall resorts") and the plural. A hard
// separator in the folded text must be a comma in the text: a full stop
// folds alike.
func (m *matcher) listedBeforeHead(f *folded, text string, e int) bool {
	b := f.b
	last := false // past the list's "and"
	for range 6 {
		// The separator before the next name.
		switch {
		case e < len(b) && b[e] == hard && text[f.origAt(e)] == ',':
			e++
			if hasWordAt(b, e, "and") {
				e, last = e+len("and "), true
			}
		case e < len(b) && b[e] == soft && hasWordAt(b, e+1, "and"):
			e, last = e+1+len("and "), true
		default:
			return false
		}
		// The next name's words.
		words := 0
		for words < 4 && wordAt(b, e) && capitalAt(text, f.origAt(e)) {
			words++
			e = wordEnd(b, e)
			if e >= len(b) || b[e] != soft {
				break
			}
			if last {
				if m.heads.pluralAt(b, e+1) > 0 {
					return true
				}
				// One lower-case word between the name and the head.
				if d := e + 1; wordAt(b, d) && !capitalAt(text, f.origAt(d)) {
					k := wordEnd(b, d)
					return k < len(b) && b[k] == soft && m.heads.pluralAt(b, k+1) > 0
				}
			}
			if !wordAt(b, e+1) || !capitalAt(text, f.origAt(e+1)) {
				break
			}
			e++ // the space before the name's next word
		}
		if words == 0 || last {
			return false
		}
	}
	return false
}

// hasWordAt reports the ASCII word w at i in the folded text b, whole:
// followed by a separator or the end.
func hasWordAt(b []byte, i int, w string) bool {
	return i+len(w) <= len(b) && string(b[i:i+len(w)]) == w && !wordAt(b, i+len(w))
}

// wordEnd returns the end of the word at i in the folded text b.
func wordEnd(b []byte, i int) int {
	for i < len(b) && wordAt(b, i) {
		_, n := utf8.DecodeRune(b[i:])
		i += n
	}
	return i
}

// capitalAt reports a capital or a digit at text[i], as a name's word
// starts.
func capitalAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	if c := text[i]; c < utf8.RuneSelf {
		return 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsUpper(r)
}

// phrases is a list of folded phrases (head nouns, place cues, company
// words), also by first byte: a position of the text is tried against the
// phrases that start with its byte, not against all of them, and extend
// and firmAfter ask for most candidates of a text.
type phrases struct {
	list    [][]byte // in the order given
	byFirst [256][][]byte
}

func newPhrases(keys []string) phrases {
	var p phrases
	for _, k := range keys {
		b := []byte(k)
		p.list = append(p.list, b)
		p.byFirst[b[0]] = append(p.byFirst[b[0]], b)
	}
	return p
}

// at returns the length of the first phrase, in the list's order, that b
// holds at i as whole words, or 0.
func (p *phrases) at(b []byte, i int) int {
	if i >= len(b) {
		return 0
	}
	for _, h := range p.byFirst[b[i]] {
		if bytes.HasPrefix(b[i:], h) && !wordAt(b, i+len(h)) {
			return len(h)
		}
	}
	return 0
}

// pluralAt returns the length of the first phrase, in the list's order,
// that b holds at i as a whole word in the plural ("compounds",
// "complexes"), or 0.
func (p *phrases) pluralAt(b []byte, i int) int {
	if i >= len(b) {
		return 0
	}
	for _, h := range p.byFirst[b[i]] {
		if !bytes.HasPrefix(b[i:], h) {
			continue
		}
		switch j := i + len(h); {
		case j < len(b) && b[j] == 's' && !wordAt(b, j+1):
			return len(h) + 1
		case j+1 < len(b) && b[j] == 'e' && b[j+1] == 's' && !wordAt(b, j+2):
			return len(h) + 2
		}
	}
	return 0
}

// caseOK checks that each capitalised word of the alias is capitalised in
// the text (an acronym must be in capitals), so "Kep" is not "kep" and
// "Try Pheap" is not "try pheap". Scripts without case always pass.
func caseOK(span, form string) bool {
	// Most mentions are written as the gazetteer writes them, and a word
	// always has its own case.
	return span == form || caseWordsOK(span, form)
}

// caseWordsOK is caseOK word by word. A designator after the name
// ("Sihanouk Province") may be in lower case, as news style writes it
// ("in Sihanouk province").
func caseWordsOK(span, form string) bool {
	si, fi := 0, 0
	for first := true; ; first = false {
		var sw, fw string
		sw, si = nextWord(span, si)
		fw, fi = nextWord(form, fi)
		if sw == "" || fw == "" {
			return true
		}
		if sw == "&" || fw == "&" {
			continue
		}
		if !wordCaseOK(sw, fw) && (first || !designator(sw, fw)) {
			return false
		}
	}
}

// designator reports whether fw is a word that names the kind of an
// administrative place, and sw that word in lower case.
func designator(sw, fw string) bool {
	switch fw {
	case "Province", "District", "Commune", "City", "Municipality":
		// Only the first letter is a capital: no lowered copy to make.
		return len(sw) == len(fw) && sw[0] == fw[0]|0x20 && sw[1:] == fw[1:]
	}
	return false
}

// nextWord returns the word of s (letters, digits and marks, or a lone
// "&") at or after i, and the index after it. Names are mostly ASCII, so
// ASCII bytes are tested here and only other runes decoded: for them
// unicode's letters and digits are exactly ascii.IsAlnum, and no byte is
// a mark.
func nextWord(s string, i int) (string, int) {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if c == '&' || ascii.IsAlnum(c) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		i += n
	}
	if i >= len(s) {
		return "", i
	}
	if s[i] == '&' {
		return "&", i + 1
	}
	j := i
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			if !ascii.IsAlnum(c) {
				break
			}
			j++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[j:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) {
			break
		}
		j += n
	}
	return s[i:j], j
}

func wordCaseOK(sw, fw string) bool {
	upper, lower := 0, 0
	for i := 0; i < len(fw); {
		if c := fw[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				upper++
			} else if 'a' <= c && c <= 'z' {
				lower++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(fw[i:])
		if unicode.IsUpper(r) {
			upper++
		} else if unicode.IsLower(r) {
			lower++
		}
		i += n
	}
	if upper >= 2 && lower == 0 { // acronym
		for _, r := range sw {
			if unicode.IsLower(r) {
				return false
			}
		}
		return true
	}
	fr, _ := utf8.DecodeRuneInString(fw)
	sr, _ := utf8.DecodeRuneInString(sw)
	return !unicode.IsUpper(fr) || !unicode.IsLower(sr)
}

// entities appends to dst the hits grouped by record in order of first
// mention. The entities are counted before they are built, so dst grows
// once, to its final length (an Entity is large to copy), and
// the mentions of all of them share one backing array (each entity's
// slice is capped at its own part).
func (g *Gazetteer) entities(dst []document.Entity, text string, f *folded, hits []hit) []document.Entity {
	if len(hits) == 0 {
		return dst
	}
	type group struct {
		rec   int32
		count int
	}
	groups := make([]group, 0, 16) // on the stack for most documents
	// pos[rec] is 1 + the group of record rec, 0 for none yet: a slot per
	// record, kept with the folded text and cleared after use, costs less
	// than a map per document.
	pos := f.groupOf
	if len(pos) < len(g.records) {
		pos = make([]int32, len(g.records))
		f.groupOf = pos
	}
	defer func() { // even on a panic, which the stage recovers from
		for _, gr := range groups {
			pos[gr.rec] = 0
		}
	}()
	for _, h := range hits {
		if pos[h.rec] == 0 {
			groups = append(groups, group{rec: h.rec})
			pos[h.rec] = int32(len(groups))
		}
		groups[pos[h.rec]-1].count++
	}
	dst = slices.Grow(dst, len(groups))[:len(dst)+len(groups)]
	out := dst[len(dst)-len(groups):]
	all := make([]document.Mention, 0, len(hits))
	for i, gr := range groups {
		r := &g.records[gr.rec]
		out[i] = document.Entity{
			Type: r.Type, ID: r.ID, Name: r.Name, Kind: r.Kind, Known: true, Uncertain: r.Uncertain,
			Mentions: all[len(all) : len(all) : len(all)+gr.count],
		}
		all = all[:len(all)+gr.count]
	}
	for _, h := range hits {
		e := &out[pos[h.rec]-1]
		start, end := h.ostart, h.oend
		e.Mentions = append(e.Mentions, document.Mention{Text: text[start:end], Start: start, End: end})
		conf := 0.9
		switch {
		case h.guard == gGuarded:
			conf = 0.75
		case h.multi:
			conf = 0.95
		}
		if g.m.uncer[h.rec] {
			conf -= 0.1
		}
		e.Confidence = max(e.Confidence, conf)
	}
	return out
}
