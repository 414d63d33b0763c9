package extractor

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// The scanners' fast paths must answer as the plain definitions below
// do, on every input: they are compared on hand-picked cases and on
// random strings built from the pieces that make the fast paths branch
// (both cases, the two non-ASCII runes that lower to ASCII, other white
// space, invalid bytes, chunk boundaries).

// containsFoldPlain is containsFold's definition.
func containsFoldPlain(s, sub string) bool {
	return strings.Contains(strings.Map(unicode.ToLower, s), sub)
}

func TestContainsFold(t *testing.T) {
	for _, tc := range []struct {
		s, sub string
		want   bool
	}{
		{"The DEADLINE passed", "deadline", true},
		{"a dead line", "deadline", false},
		{"Estimates vary", "estimat", true},
		{"broken down by Country", "by country", true},
		{"Nationalities", "nationalit", true},
		{"KİN", "kin", true},      // the dotted capital I lowers to i
		{"\u212Aid", "kid", true}, // the Kelvin sign lowers to k
		{"", "deadline", false},
		{"deadlin", "deadline", false},
	} {
		if got := containsFold(tc.s, tc.sub); got != tc.want {
			t.Errorf("containsFold(%q, %q) = %v, want %v", tc.s, tc.sub, got, tc.want)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"d", "D", "e", "E", "a", "A", "l", "L", "i", "I", "n", "N", "İ", "\u212A", "k", " ", "x", "é", "\xff", "dead", "DEADLINE", "line", "est", "imat", "by", " country", "nationalit"}
	for range 50000 {
		s := randomString(r, pieces, 30)
		for _, sub := range []string{"deadline", "estimat", "by country", "nationalit", "kin", "id", "d"} {
			// strings.Map turns an invalid byte into U+FFFD, which
			// matches no ASCII sub either way.
			if got, want := containsFold(s, sub), containsFoldPlain(s, sub); got != want {
				t.Fatalf("containsFold(%q, %q) = %v, want %v", s, sub, got, want)
			}
		}
	}
}

// summarizePlain is summarize's definition: white space collapsed rune
// by rune, and the summary cut before the first rune of a word that
// would end past summaryLimit, at its last space where that keeps more
// than half.
func summarizePlain(s string) string {
	var b strings.Builder
	lastSpace := -1 // length of b at its last space
	pending := false
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if unicode.IsSpace(r) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			lastSpace = b.Len()
			b.WriteByte(' ')
			pending = false
		}
		if strings.ContainsRune("，；、：。", r) && b.Len()+w <= summaryLimit {
			lastSpace = b.Len() // a Chinese clause mark, cut before
		}
		if b.Len()+w > summaryLimit {
			out := b.String()
			if lastSpace > summaryLimit/2 {
				out = out[:lastSpace]
			}
			return out + " …"
		}
		b.WriteString(s[i-w : i])
	}
	return b.String()
}

func TestSummarize(t *testing.T) {
	words := strings.Repeat("word ", 70) // 350 bytes
	for _, tc := range []struct{ name, s, want string }{
		{"one line", "Raids in Poipet.", "Raids in Poipet."},
		{"lines joined", "  Raids\n in\tPoipet. ", "Raids in Poipet."},
		{"cut at a space", words, strings.TrimSpace(words[:300]) + " …"},
		{"space just past the limit", strings.Repeat("a", 150) + " " + strings.Repeat("b", 149) + " tail", strings.Repeat("a", 150) + " " + strings.Repeat("b", 149) + " …"},
		{"no space in the second half", "a " + strings.Repeat("x", 400), "a " + strings.Repeat("x", 298) + " …"},
		{"runes kept whole", strings.Repeat("黄", 120), strings.Repeat("黄", 100) + " …"},
		{"cut before a Chinese clause mark", strings.Repeat("黄", 60) + "，" + strings.Repeat("乐", 60), strings.Repeat("黄", 60) + " …"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := summarize(tc.s); got != tc.want {
				t.Errorf("summarize(%q)\n = %q\nwant %q", tc.s, got, tc.want)
			}
		})
	}
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "b", " ", " ", "\x01", "\t", "\n", "\u00a0", "\u2009", "é", "黄", "\xff", "\x7f", "word", "xx ", "~", "!", "abcdefgh", "    ", "，", "。"}
	for range 100000 {
		s := randomString(r, pieces, 200)
		if got, want := summarize(s), summarizePlain(s); got != want {
			t.Fatalf("summarize(%q)\n = %q\nwant %q", s, got, want)
		}
	}
}

func randomString(r *rand.Rand, pieces []string, n int) string {
	var b strings.Builder
	for range r.IntN(n) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// sentencePlain is scanner.sentence without its memory of the last
// sentence.
func sentencePlain(s *scanner, i int) (from, to int) {
	from = i
	for from > 0 && i-from < maxSentence && !s.sentenceStartsAt(from) {
		from--
	}
	to = i + 1
	for to < len(s.toks) && to-i < maxSentence && !s.sentenceStartsAt(to) {
		to++
	}
	for to > from+1 && s.toks[to-1].kind == tNL {
		to--
	}
	return from, to
}

// TestSentence asks for the sentences of every token of the benchmark's
// articles and of random texts, in text order, in reverse and at random, so the
// remembered sentence is both reused and passed over, and of texts with
// a sentence longer than maxSentence (but not twice as long, so that its
// middle finds both its edges) and longer than twice that (so that its
// middle finds neither).
func TestSentence(t *testing.T) {
	texts := append(repotest.Articles(t, 30), strings.Repeat("word ", maxSentence*3/2)+"end. Next one.\n\nA line",
		"Start. "+strings.Repeat("word ", maxSentence*3)+"end. Next one.")
	r := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"Word", "word", " ", ". ", "! ", "? ", "\n", "\n\n", "U.S. ", "Mr. ", "”", "\"", "(", ")", "3", "…", "a",
		", ", "; ", "- ", "’", "'", "» ", "] ", "。", "，", "\xff", "Hun Sen. "}
	for range 4000 {
		texts = append(texts, randomString(r, pieces, 80))
	}
	for _, text := range texts {
		s := newScanner(text, tokenize(nil, text))
		n := len(s.toks)
		orders := [][]int{make([]int, n), make([]int, n), r.Perm(n)}
		for i := range n {
			orders[0][i], orders[1][i] = i, n-1-i
		}
		for _, order := range orders {
			for _, i := range order {
				gf, gt := s.sentence(i)
				wf, wt := sentencePlain(&s, i)
				if gf != wf || gt != wt {
					t.Fatalf("sentence(%d) = %d, %d, want %d, %d in %q", i, gf, gt, wf, wt, text)
				}
			}
		}
	}
}

// attachEntitiesPlain is attachEntities' definition: every mention
// against every event.
func attachEntitiesPlain(evs []document.Event, entities []document.Entity) {
	for k := range evs {
		for _, e := range entities {
			for _, m := range e.Mentions {
				if m.Start >= evs[k].Start && m.End <= evs[k].End {
					evs[k].Entities = append(evs[k].Entities, e.ID)
					break
				}
			}
		}
	}
}

func TestAttachEntities(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	sc := new(scratch)
	for range 5000 {
		var entities []document.Entity
		for e := range r.IntN(6) {
			ent := document.Entity{ID: fmt.Sprint("e", e)}
			for range 1 + r.IntN(4) {
				a := r.IntN(100)
				ent.Mentions = append(ent.Mentions, document.Mention{Start: a, End: a + 1 + r.IntN(12)})
			}
			entities = append(entities, ent)
		}
		var got, want []document.Event
		for range r.IntN(8) {
			a := r.IntN(100)
			ev := document.Event{Start: a, End: a + r.IntN(40)}
			got, want = append(got, ev), append(want, ev)
		}
		attachEntities(got, entities, sc)
		attachEntitiesPlain(want, entities)
		for k := range got {
			if !slices.Equal(got[k].Entities, want[k].Entities) {
				t.Fatalf("event %d of %+v, entities %+v: %q, want %q", k, want, entities, got[k].Entities, want[k].Entities)
			}
		}
	}
}

// randomEntities returns fewer than most entities, each with one to three
// mentions of up to ten bytes in the first seventy, overlapping at will:
// the lists the spans' tests take apart.
func randomEntities(r *rand.Rand, most int) []document.Entity {
	var es []document.Entity
	for range r.IntN(most) {
		var e document.Entity
		for range 1 + r.IntN(3) {
			a := r.IntN(60)
			e.Mentions = append(e.Mentions, document.Mention{Start: a, End: a + 1 + r.IntN(10)})
		}
		es = append(es, e)
	}
	return es
}

func TestSpansFree(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	sc := new(scratch)
	for range 5000 {
		var taken [][]document.Entity
		for range r.IntN(3) {
			taken = append(taken, randomEntities(r, 4))
		}
		sp := takenSpans(sc, taken...)
		k, lastB := 0, 0 // freeOn's, whose b never decreases
		for a := range 70 {
			b := a + 1 + r.IntN(8)
			onB := max(lastB, a+1+r.IntN(8))
			lastB = onB
			if got, want := sp.freeOn(&k, a, onB), sp.free(a, onB); got != want {
				t.Fatalf("freeOn(%d, %d) = %v, free says %v; mentions %+v", a, onB, got, want, taken)
			}
			want := true
			for _, es := range taken {
				for _, e := range es {
					for _, m := range e.Mentions {
						if a < m.End && m.Start < b {
							want = false
						}
					}
				}
			}
			if got := sp.free(a, b); got != want {
				t.Fatalf("free(%d, %d) = %v, want %v; mentions %+v", a, b, got, want, taken)
			}
		}
	}
}

// checkPrefilter holds screen to the expressions it stands in front of
// (matches): wherever they match, on n random runs of pieces and at every
// space of 200 benchmark articles (the 80 bytes from it), screen holds.
func checkPrefilter(t *testing.T, name string, r *rand.Rand, pieces []string, n int, matches, screen func(string) bool) {
	t.Helper()
	check := func(s string) {
		t.Helper()
		if matches(s) && !screen(s) {
			t.Fatalf("%s(%q) = false, but the expression matches", name, s)
		}
	}
	for range 100000 {
		check(randomString(r, pieces, n))
	}
	atArticleSpaces(t, check)
}

// personAfterRE is capitalsAfter's definition (personAfter's reading):
// white space, then two or three capitalised words, an optional
// possessive and a word boundary.
var personAfterRE = regexp.MustCompile(`^\s+(\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){1,2})(?:[’']s)?\b`)

// TestCapitalsAfter holds capitalsAfter to the expression, on random runs
// of pieces that make its choices matter (possessives, a word boundary
// after a non-ASCII letter, words of one letter, hyphens, a fourth word)
// and at every space of 200 benchmark articles.
func TestCapitalsAfter(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	pieces := []string{" ", "\t", "\n", "\v", "Chen", "Zhi", "É", "José", "é", "Ñgu", "Ly", "A", "Bb", "-", "'s", "’s", "'", "s", "x", "1", "_", ".", "ZHI", "\xff"}
	check := func(s string) {
		t.Helper()
		want := -1
		if m := personAfterRE.FindStringSubmatchIndex(s); m != nil {
			want = m[3]
			if m[2] != spaceEnd(s) {
				t.Fatalf("the expression's name starts at %d in %q, not after the white space", m[2], s)
			}
		}
		if got := capitalsAfter(s, spaceEnd(s), 1); got != want {
			t.Fatalf("capitalsAfter(%q) = %d, want %d", s, got, want)
		}
	}
	for _, s := range []string{" Chen Zhi", " Chen Zhi's", " Chen José said", " Aa Bb Cc Dd", " Aa-Bb", " Aa Bb_", "Chen Zhi", " Chen", " Chen Zhi’s boss"} {
		check(s)
	}
	for range 100000 {
		check(randomString(r, pieces, 10))
	}
	atArticleSpaces(t, check)
}

// atArticleSpaces calls check with the 80 bytes from every space of 200
// benchmark articles: the windows the discovery rules read.
func atArticleSpaces(t *testing.T, check func(string)) {
	t.Helper()
	for _, text := range repotest.Articles(t, 200) {
		for i := 0; i < len(text); i++ {
			if text[i] == ' ' {
				check(text[i:min(len(text), i+80)])
			}
		}
	}
}

func TestPersonAfterPrefilter(t *testing.T) {
	pieces := []string{" ", "\t", "\n", "\v", "\u00a0", "Chen", "Zhi", "É", "Ñgu", "ly", "Ly", "é", "US", "-", "'s", "’s", "x", "1", "_", "."}
	checkPrefilter(t, "namePairAhead", rand.New(rand.NewPCG(13, 14)), pieces, 12, personAfterRE.MatchString, namePairAhead)
}

func TestFirmPrefilter(t *testing.T) {
	pieces := []string{" ", "\t", "\n", "\r", "\f", "the ", "and", "&", "Blue", "É", "River", ".", "-", "Group", "Co", "Company", "Corp", "Corporation",
		"Ltd", "Limited", "Holding", "Holdings", "Inc", "Gro", "Lt", "x", "1"}
	firm := func(s string) bool { return firmRE.MatchString(s) || firmTailRE.MatchString(s) }
	checkPrefilter(t, "companyWordIn", rand.New(rand.NewPCG(17, 18)), pieces, 10, firm, companyWordIn)
}

// kinWordEndPlain is kinWordEnd's definition: a kin word at any word
// start of the first 20 bytes.
func kinWordEndPlain(s string) int {
	for i := 0; i < min(len(s), 20); i++ {
		if i > 0 && isRegexpWordByte(s[i-1]) {
			continue
		}
		for _, w := range kinWords {
			if e := i + len(w); strings.HasPrefix(s[i:], w) && (e == len(s) || !isRegexpWordByte(s[e])) {
				return e
			}
		}
	}
	return -1
}

func TestKinWordEnd(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	pieces := append([]string{" ", "-", "in-law", "x", "his ", "S", "_", "é", "\xff", "9"}, kinWords...)
	for range 50000 {
		s := randomString(r, pieces, 8)
		if got, want := kinWordEnd(s), kinWordEndPlain(s); got != want {
			t.Fatalf("kinWordEnd(%q) = %d, want %d", s, got, want)
		}
	}
}

// parseNumberPlain is parseNumber's definition.
func parseNumberPlain(s string) (float64, bool) {
	if s == "" || !isDigit(s[0]) {
		return 0, false
	}
	if strings.IndexByte(s, ',') >= 0 {
		intPart, frac, _ := strings.Cut(s, ".")
		groups := strings.Split(intPart, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false
			}
		}
		s = strings.Join(groups, "")
		if frac != "" {
			s += "." + frac
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

func TestParseNumberAndPublished(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	pieces := []string{"1", "2", "0", "9", ",", ".", "-", "T", " ", "e", "x", "+", "12", "150,000", "2024", "-02-", "31", "Title"}
	for range 100000 {
		s := randomString(r, pieces, 10)
		gv, gok := parseNumber(s)
		wv, wok := parseNumberPlain(s)
		if gok != wok || gok && gv != wv {
			t.Fatalf("parseNumber(%q) = %v, %v, want %v, %v", s, gv, gok, wv, wok)
		}
		// The test of the year's digits rules out nothing the layouts
		// would read.
		gd, gok := parsePublished(s)
		wd, wok := parseLayouts(strings.TrimSpace(s))
		if gd != wd || gok != wok {
			t.Fatalf("parsePublished(%q) = %v, %v, want %v, %v", s, gd, gok, wd, wok)
		}
	}
}

// findTriggersPlain is findTriggers' definition: every trigger word, in
// its case rule, where a word or punctuation token starts, where " by"
// ends just before one, and after a joiner inside a word, in text order.
func findTriggersPlain(text string, toks []token) []trigger {
	var out []trigger
	match := func(p int) {
		for i, tr := range triggers {
			if p < 0 || len(text)-p < len(tr.word) {
				continue
			}
			if w := text[p : p+len(tr.word)]; w == tr.word || tr.fold && strings.EqualFold(w, tr.word) && isASCII(w) {
				out = append(out, trigger{uint8(i), p})
			}
		}
	}
	for _, t := range toks {
		if t.kind != tWord && t.kind != tPunct {
			continue
		}
		if t.start > 0 && text[t.start-1] == ' ' && strings.HasPrefix(text[t.start:], "by") {
			match(t.start - 1)
		}
		match(t.start)
		if !t.has(fHyphen | fJoin) {
			continue
		}
		for i := t.start + 1; i < t.end; i++ {
			switch {
			case text[i] == '-' || text[i] == '\'':
				match(i + 1)
			case strings.HasPrefix(text[i:], "’") || strings.HasPrefix(text[i:], "\u2011"):
				match(i + 3)
			}
		}
	}
	// A " by" before a token is matched with that token, and only " by"
	// starts with a space, so text order is the order of positions.
	slices.SortStableFunc(out, func(a, b trigger) int { return a.at - b.at })
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func TestFindTriggers(t *testing.T) {
	pieces := []string{
		" ", " ", " ", ", ", ". ", "\n", "-", "'", "’", "\u2011", "\"", "\u201c",
		"the", "a", "by", "By", "bypass", "owned", "Casino", "casino", "CASINO", "compound", "Compound",
		"special economic zone", "SEZ", "Hotel", "resort", "tycoon", "tycoons", "Oknha", "oknha",
		"crime boss", "scam centre", "scam center", "scam park", "businessman", "magnate", "kingpin",
		", chief executive of", ", chairman of", ", owner of", "ex", "Huione", "2024", "co",
		"头目", "陈志", "KK园区", "、", "“",
	}
	r := rand.New(rand.NewPCG(11, 17))
	for n := range 3000 {
		text := randomString(r, pieces, 1+n%40)
		toks := tokenize(nil, text)
		all := findTriggers(nil, text, toks)
		// The words holding a Chinese character are listed as hanWord,
		// and every trigger comes in text order.
		var hans, wantHans []int
		for _, tr := range all {
			if tr.trigger == hanWord {
				hans = append(hans, tr.at)
			}
		}
		for _, tk := range toks {
			if tk.kind == tWord && tk.has(fHan) {
				wantHans = append(wantHans, tk.start)
			}
		}
		if !slices.Equal(hans, wantHans) || !slices.IsSortedFunc(all, func(a, b trigger) int { return a.at - b.at }) {
			t.Fatalf("%q: Chinese words at %v, want %v; in text order: %v", text, hans, wantHans, all)
		}
		got := slices.DeleteFunc(all, func(t trigger) bool { return t.trigger == hanWord })
		want := findTriggersPlain(text, toks)
		if !slices.Equal(got, want) {
			t.Fatalf("%q:\n got %v\nwant %v", text, got, want)
		}
	}
}

// TestLowerWords checks every token's folded form against lowering it
// byte by byte, on random texts whose words cross the eight and 32 bytes
// lowerText folds at once and end the text.
func TestLowerWords(t *testing.T) {
	pieces := []string{" ", ", ", "\n", "The", "POLICE", "Sihanoukville", "iPhone", "K99", "MIXEDcaseWORDS",
		"Café", "ÉTÉ", "said", "a", "Z", "LONGERTHANSIXTEENBYTES", "-", "O'Smach", "2024"}
	r := rand.New(rand.NewPCG(37, 41))
	sc := new(scratch)
	for range 3000 {
		text := randomString(r, pieces, 30)
		toks := tokenize(nil, text)
		s := newScannerIn(text, toks, sc)
		for i, tk := range toks {
			want := strings.Map(func(r rune) rune {
				if 'A' <= r && r <= 'Z' {
					return r + 'a' - 'A'
				}
				return r
			}, text[tk.start:tk.end])
			if got := s.lowerTok(i); got != want {
				t.Fatalf("%q: token %d %q folds to %q, want %q", text, i, text[tk.start:tk.end], got, want)
			}
		}
		// ups lists the tokens that start with an upper-case letter.
		var ups []int32
		for i, tk := range toks {
			if r, _ := utf8.DecodeRuneInString(text[tk.start:]); tk.kind == tWord && unicode.IsUpper(r) {
				ups = append(ups, int32(i))
			}
		}
		if !slices.Equal(s.ups, ups) {
			t.Fatalf("%q: capitalised tokens %v, want %v", text, s.ups, ups)
		}
	}
}

// candidateIDPlain is candidateID's definition.
func candidateIDPlain(typ, name string) string {
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

func TestCandidateID(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Golden Fortune Resort", "candidate:compound:golden-fortune-resort"},
		{"  K.B. Hotel -- ", "candidate:compound:k-b-hotel"},
		{"Lê Văn Đức", "candidate:compound:lê-văn-đức"},
		{"İSTANBUL Tower", "candidate:compound:istanbul-tower"},
		{"黄乐 园区", "candidate:compound:黄乐-园区"},
		{"\xff\xfeA", "candidate:compound:a"},
		{"--", "candidate:compound:"},
	} {
		if got := candidateID(document.Compound, tc.name); got != tc.want || got != candidateIDPlain(document.Compound, tc.name) {
			t.Errorf("candidateID(%q) = %q, want %q (definition %q)", tc.name, got, tc.want, candidateIDPlain(document.Compound, tc.name))
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"A", "a", "Z", "9", " ", "  ", "-", ".", "İ", "\u212A", "Ǆ", "ẞ", "é", "É", "黄", "ស", "\u0301", "\xff", "\xe2\x80", "'", "’"}
	for range 50000 {
		s := randomString(r, pieces, 12)
		if got, want := candidateID(document.Tycoon, s), candidateIDPlain(document.Tycoon, s); got != want {
			t.Fatalf("candidateID(%q) = %q, want %q", s, got, want)
		}
	}
}

// isYearTokenPlain is isYearToken's definition.
func isYearTokenPlain(s string) bool {
	v, err := strconv.Atoi(s)
	return len(s) == 4 && err == nil && v >= 1900 && v <= 2100
}

// oneDigitApartPlain is oneDigitApart's definition: the decimal forms
// differ in one digit, or in two neighbouring digits swapped.
func oneDigitApartPlain(a, b int) bool {
	sa, sb := strconv.Itoa(a), strconv.Itoa(b)
	if len(sa) != len(sb) {
		return false
	}
	var pos []int
	for i := range sa {
		if sa[i] != sb[i] {
			pos = append(pos, i)
		}
	}
	return len(pos) == 1 || len(pos) == 2 && pos[1] == pos[0]+1 && sa[pos[0]] == sb[pos[1]] && sa[pos[1]] == sb[pos[0]]
}

func TestYearDigits(t *testing.T) {
	for _, s := range []string{"1899", "1900", "2024", "2100", "2101", "+999", "-200", "20 4", "3.5m", "2,40", "０２０", "202", "20245", ""} {
		if got, want := isYearToken(s), isYearTokenPlain(s); got != want {
			t.Errorf("isYearToken(%q) = %v, want %v", s, got, want)
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"0", "1", "2", "9", "+", "-", ".", ",", "x"}
	for range 50000 {
		s := randomString(r, pieces, 5)
		if got, want := isYearToken(s), isYearTokenPlain(s); got != want {
			t.Fatalf("isYearToken(%q) = %v, want %v", s, got, want)
		}
	}
	for _, p := range [][2]int{{2023, 2033}, {2023, 2203}, {2023, 2032}, {2023, 2023}, {2023, 3024}, {999, 1999}, {2019, 2091}} {
		if got, want := oneDigitApart(p[0], p[1]), oneDigitApartPlain(p[0], p[1]); got != want {
			t.Errorf("oneDigitApart(%d, %d) = %v, want %v", p[0], p[1], got, want)
		}
	}
	for range 50000 {
		a, b := 1900+r.IntN(300), 1900+r.IntN(300)
		if got, want := oneDigitApart(a, b), oneDigitApartPlain(a, b); got != want {
			t.Fatalf("oneDigitApart(%d, %d) = %v, want %v", a, b, got, want)
		}
	}
}

// lineOfPlain is scanner.lineOf without its memory of the last line:
// the walk to the line's edges, given up past the window.
func lineOfPlain(s *scanner, i int) string {
	const maxLine = 40
	from, to := i, i
	for from > 0 && s.toks[from-1].kind != tNL {
		if from--; i-from > maxLine {
			return ""
		}
	}
	for to+1 < len(s.toks) && s.toks[to+1].kind != tNL {
		if to++; to-i > maxLine {
			return ""
		}
	}
	return s.text[s.toks[from].start:s.toks[to].end]
}

// TestLineOf: lineOf, asked for tokens in text order (as prose asks),
// in random order and for line breaks themselves, answers as the walk
// does, on random texts of short and long lines.
func TestLineOf(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	pieces := []string{"word ", "Word ", "9 ", ". ", "\n", "\n\n", " \n", "\r\n", "\t", "\u2028", "\r", "é ", strings.Repeat("long ", 30), "x"}
	for range 3000 {
		text := randomString(r, pieces, 20)
		s := newScanner(text, tokenize(nil, text))
		if len(s.toks) == 0 {
			continue
		}
		order := make([]int, len(s.toks))
		for i := range order {
			order[i] = i
		}
		if r.IntN(2) == 0 {
			r.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		}
		for _, i := range order {
			if got, want := s.lineOf(i), lineOfPlain(&s, i); got != want {
				t.Fatalf("%q token %d: lineOf %q, want %q", text, i, got, want)
			}
		}
	}
}

// TestAppendQuote: appendQuote writes what strconv.AppendQuote does.
func TestAppendQuote(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	pieces := []string{"12", " ", "March", "2025", "\"", "\\", "'", "~", "\x7f", "\x1f", "\t", "\n", "é", "黄", "\xff", "\u2011", ","}
	cases := []string{"", "March 23, 2033", "mid-2025", `say "when"`, "a\\b", "2025\u20112026", "\x00"}
	for range 50000 {
		cases = append(cases, randomString(r, pieces, 6))
	}
	for _, s := range cases {
		if got, want := appendQuote([]byte("x"), s), strconv.AppendQuote([]byte("x"), s); string(got) != string(want) {
			t.Fatalf("appendQuote(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestTokenizeFastPaths: the words tokenize reads without scanWord (lower
// case, and a capital then lower case) are the tokens scanWord reads.
func TestTokenizeFastPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	pieces := []string{"a", "z", "A", "Z", "ab", "Cd", "MC", "9", "1,000", "2.5", " ", "  ", "\n", "-", "'", "’", ",", ".", "é", "É", "黄", "\u2011", "\xff", "(", ")"}
	for range 50000 {
		text := randomString(r, pieces, 12)
		for _, tok := range tokenize(nil, text) {
			if tok.kind != tWord && tok.kind != tNum {
				continue
			}
			want := scanWord(text, tok.start)
			if got := tok; got.end != want.end || got.kind != want.kind || got.flags&^fSpace != want.flags {
				t.Fatalf("%q at %d: tokenize read %+v, scanWord %+v", text, tok.start, got, want)
			}
		}
	}
}

// TestDateLead: the first test of the date scan lets through every word
// maybeDateWord takes, on the benchmark's articles and on random words of
// every case, length and first byte.
func TestDateLead(t *testing.T) {
	texts := repotest.Articles(t, 30)
	r := rand.New(rand.NewPCG(17, 18))
	pieces := []string{"day", "Day", "year", "month", "today", "Yesterday", "March", "MAY", "Monday", "sept", "Sept", "mid-", "early-", "2024",
		"14th", "the", "To", "make", "Phnom", "É", "é", "x", "’s", "-", " ", ". ", "\n"}
	for range 20000 {
		texts = append(texts, randomString(r, pieces, 8))
	}
	seen := 0
	for _, text := range texts {
		s := newScanner(text, tokenize(nil, text))
		es := &eventScanner{scanner: s}
		for i := range s.toks {
			if tok := &s.toks[i]; tok.kind == tWord && es.maybeDateWord(tok) {
				seen++
				if !dateLead(&s.lx.dateLeads, text, tok) {
					t.Fatalf("%q in %q: a date word the first test rules out", text[tok.start:tok.end], text)
				}
			}
		}
	}
	if seen < 1000 {
		t.Fatalf("only %d date words: the test reads too few", seen)
	}
}

// personBeforeRE is capitalsBefore's definition: two or three capitalised
// words at the end, not inside a longer word.
var personBeforeRE = regexp.MustCompile(`(?:^|[^\p{L}])(\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){1,2})$`)

func TestCapitalsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	pieces := []string{"Chen", "Zhi", "Liu", "Ly", "Yong", "said", "x", "A", "Bb", " ", "-", ",", "\n", "É", "Éva", "é", "Ông", "\xff", "McD", "ZHI", "'s"}
	texts := []string{"", "Chen Zhi", "said Chen Zhi", "Police Chen Zhi", "Aa Bb Cc Dd", "xAa Bb Cc", "McDonald Chen", "Ly Yong-Phat", "A Bb Cc"}
	for range 50000 {
		texts = append(texts, randomString(r, pieces, 12))
	}
	for _, text := range texts {
		for _, lo := range []int{0, min(3, len(text))} {
			want := -1
			if m := personBeforeRE.FindStringSubmatchIndex(text[lo:]); m != nil {
				want = lo + m[2]
			}
			if got := capitalsBefore(text, lo, len(text)); got != want {
				t.Fatalf("capitalsBefore(%q, %d) = %d, want %d", text, lo, got, want)
			}
		}
	}
}
