package gazetteer

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/compoundwatch/compoundwatch/document"
)

// Variant is a known record that a name may be a spelling variant of.
type Variant struct {
	ID, Name string
	// Alias is the known spelling the name was compared with.
	Alias string
	// Exact: both spellings fold to the same key (variantKey); otherwise
	// the keys differ by an edit or two and the match is only a proposal.
	Exact bool
}

// variantKey folds a Latin-script name so that the usual transliteration
// variants of one name meet: case, accents, spaces and hyphens ("Zhen
// Zhen", "Zhenzhen"); c, k and q; ph/p, th/t, kh/k; zh/j, x/hs/s; y/i
// ("Bay", "Bai"); ee/i ("Lee", "Li"); ou/oo/u and ea/e (Khmer
// romanisation); doubled letters; h after a consonant. Names in other
// scripts give "".
func variantKey(s string) string {
	var buf [64]byte
	return string(appendVariantKey(buf[:0], s))
}

// appendVariantKey appends the variant key of s to dst; it allocates
// nothing for an ASCII name of up to 64 letters.
func appendVariantKey(dst []byte, s string) []byte {
	var lb [64]byte
	letters := lb[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			k := key(s) // accents and tones folded
			letters = letters[:0]
			for j := 0; j < len(k); j++ {
				if c := k[j]; c >= 0x80 {
					return dst[:0] // not a Latin name
				} else if 'a' <= c && c <= 'z' {
					letters = append(letters, c)
				}
			}
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'a' <= c && c <= 'z' {
			letters = append(letters, c)
		}
	}
	start := len(dst)
	emit := func(c byte) {
		if n := len(dst); n > start {
			last := dst[n-1]
			if last == c {
				return // doubled letters
			}
			if c == 'h' && !isVowel(last) {
				return // h after a consonant
			}
		}
		dst = append(dst, c)
	}
	for i := 0; i < len(letters); i++ {
		c := letters[i]
		var d byte
		if i+1 < len(letters) {
			d = letters[i+1]
		}
		// Two letters spelt for one sound, by the first: a switch on it
		// asks one question of most letters, not one per pair.
		var one byte
		switch c {
		case 'e':
			if d == 'e' {
				one = 'i'
			} else if d == 'a' {
				one = 'e'
			}
		case 'z':
			if d == 'h' {
				one = 'j'
			}
		case 'h':
			if d == 's' {
				one = 's'
			}
		case 'p', 't', 'k', 'g':
			if d == 'h' {
				one = c
			}
		case 'c':
			if d == 'h' {
				one = 'k'
			}
		case 'o':
			if d == 'u' || d == 'o' {
				one = 'u'
			} else if d == 'e' && i+2 < len(letters) && letters[i+2] == 'u' {
				one = 'e'
			}
		}
		if one != 0 {
			emit(one)
			i++
			continue
		}
		switch c {
		case 'c', 'q':
			c = 'k'
		case 'x':
			c = 's'
		case 'w':
			c = 'v'
		case 'y':
			c = 'i'
		}
		emit(c)
	}
	if n := len(dst); n > start+1 && dst[n-1] == 'h' {
		dst = dst[:n-1]
	}
	return dst
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// stripHeads removes the head nouns a site name ends with ("Moc Bai
// Casino" → "moc bai"), so variants are compared on the name itself.
func (m *matcher) stripHeads(k string) string {
	for changed := true; changed; {
		changed = false
		for _, h := range m.heads.list {
			if n := len(k) - len(h); n > 1 && k[n-1] == ' ' && k[n:] == string(h) {
				k, changed = k[:n-1], true
			}
		}
	}
	return k
}

// buildVariants indexes every Latin alias of the sites and people by its
// variant key, and the words of people's names for NameWord.
func (g *Gazetteer) buildVariants() {
	g.variants = map[string][]variantRef{}
	g.byFirst = map[string][]spelling{}
	g.nameWords = map[string]bool{}
	for _, r := range g.records {
		if r.Kind != "person" {
			continue
		}
		for _, a := range r.Aliases {
			for _, w := range strings.Fields(key(a)) {
				if vk := variantKey(w); vk != "" {
					g.nameWords[vk] = true
				}
			}
		}
	}
	for i, r := range g.records {
		if r.Type == document.Province || r.Kind == "region" {
			continue
		}
		for _, a := range r.Aliases {
			vk := g.nameKey(r.Type, a)
			if len(vk) < 4 {
				continue
			}
			if _, ok := g.variants[vk]; !ok {
				sp := spelling{vk, letterSet(vk)}
				g.variantKeys[vk[0]] = append(g.variantKeys[vk[0]], sp)
				fk := variantKey(firstField(key(a)))
				g.byFirst[fk] = append(g.byFirst[fk], sp)
			}
			if !slices.ContainsFunc(g.variants[vk], func(v variantRef) bool { return v.rec == i }) {
				g.variants[vk] = append(g.variants[vk], variantRef{rec: i, alias: a})
			}
		}
	}
}

// NameWord reports whether w is, up to spelling variants, a word of a
// known person's name: a cheap test before Variants on a run of
// capitalised words.
func (g *Gazetteer) NameWord(w string) bool {
	var buf [64]byte
	return g.nameWords[string(appendVariantKey(buf[:0], w))]
}

// spelling is a variant key with its letterSet, which rules out most
// keys before their edit distance is counted.
type spelling struct {
	key     string
	letters uint64
}

// letterSet returns the set of the bytes of s, each as bit b%64: a
// smaller set where two bytes share a bit, which fewLettersApart allows.
func letterSet[S string | []byte](s S) uint64 {
	var set uint64
	for i := 0; i < len(s); i++ {
		set |= 1 << (s[i] & 63)
	}
	return set
}

// nearEdits is how many letters a near spelling may differ by.
const nearEdits = 2

// fewLettersApart reports whether two letter sets allow nearEdits edits:
// each edit brings at most one letter in and takes at most one out, so
// two strings that many edits apart each hold at most that many letters
// the other lacks (and two letters sharing a bit only make fewer).
func fewLettersApart(a, b uint64) bool {
	return bits.OnesCount64(a&^b) <= nearEdits && bits.OnesCount64(b&^a) <= nearEdits
}

type variantRef struct {
	rec   int
	alias string
}

func (g *Gazetteer) nameKey(typ, name string) string {
	k := key(name)
	if typ == document.Compound {
		k = g.m.stripHeads(k)
	}
	return variantKey(k)
}

// Variants returns the known records of type typ (document.Compound or
// document.Tycoon) whose name or alias is a spelling variant of name:
// first those whose variant key is the same ("Mok Bay Casino" and "Moc Bai
// Casino"), then those one or two letters apart when the name is long
// enough for that to mean something. A name the gazetteer already knows
// as written gives nothing.
func (g *Gazetteer) Variants(typ, name string) []Variant {
	var kb, fb [64]byte
	var vk []byte
	if typ == document.Compound {
		vk = appendVariantKey(kb[:0], g.m.stripHeads(key(name)))
	} else {
		vk = appendVariantKey(kb[:0], name) // no copy for a plain ASCII name
	}
	if len(vk) < 4 {
		return nil
	}
	var out []Variant
	seen := map[int]bool{}
	add := func(refs []variantRef, exact bool) {
		for _, v := range refs {
			r := &g.records[v.rec]
			if r.Type == typ && !seen[v.rec] {
				seen[v.rec] = true
				out = append(out, Variant{ID: r.ID, Name: r.Name, Alias: v.alias, Exact: exact})
			}
		}
	}
	add(g.variants[string(vk)], true)
	if len(out) == 0 && len(vk) >= 8 {
		// Near spellings: among the names that share the first word, up
		// to spelling ("Ming Xuechen", "Ming Xuechang"); sites, which
		// discovery finds rarely, against every name with the same first
		// letter.
		keys := g.variantKeys[vk[0]]
		if typ != document.Compound {
			first := name
			if i := strings.IndexAny(name, " -"); i >= 0 {
				first = name[:i]
			}
			keys = g.byFirst[string(appendVariantKey(fb[:0], first))]
		}
		vks, letters := string(vk), letterSet(vk)
		for _, k := range keys {
			if k.key[0] != vk[0] || !fewLettersApart(k.letters, letters) || editDistance(k.key, vks, nearEdits) > nearEdits {
				continue
			}
			refs := g.variants[k.key]
			if typ != document.Compound {
				// A person's given name two letters from another is
				// another name where its first letter differs ("Xiao
				// Cheng", a victim, and "Xiao Long").
				refs = sameLastInitial(refs, name)
			}
			add(refs, false)
		}
	}
	if len(out) == 0 {
		return nil
	}
	if _, ok := g.Resolve(typ, name); ok {
		return nil // known as written
	}
	slices.SortFunc(out, func(a, b Variant) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// sameLastInitial returns the refs whose alias's last word starts, up to
// spelling (variantKey), as name's last word does.
func sameLastInitial(refs []variantRef, name string) []variantRef {
	initial := func(s string) byte {
		var b [64]byte
		if i := strings.LastIndexAny(s, " -"); i >= 0 {
			s = s[i+1:]
		}
		if k := appendVariantKey(b[:0], s); len(k) > 0 {
			return k[0]
		}
		return 0
	}
	want := initial(name)
	var out []variantRef
	for _, v := range refs {
		if initial(v.alias) == want {
			out = append(out, v)
		}
	}
	return out
}

func firstField(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// editDistance is the Levenshtein distance of a and b, or max+1 when it
// exceeds max.
//
// Only the band of cells within max of the diagonal is filled: a path
// through any other cell costs more than max. Variant matching calls it
// with max nearEdits against every name that shares a first word, and the
// full table cost ten times the band on names of 15 letters.
func editDistance(a, b string, max int) int {
	if len(a)-len(b) > max || len(b)-len(a) > max {
		return max + 1
	}
	inf := max + 1
	var pb, cb [48]int
	prev, cur := pb[:0], cb[:0]
	if len(b)+2 > len(pb) {
		prev, cur = make([]int, 0, len(b)+2), make([]int, 0, len(b)+2)
	}
	prev, cur = prev[:len(b)+2], cur[:len(b)+2] // one past the end for the band's edge
	for j := range prev {
		prev[j] = min(j, inf)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := i-max, min(len(b), i+max)
		if lo <= 1 {
			lo, cur[0] = 1, min(i, inf)
		} else {
			cur[lo-1] = inf
		}
		best := cur[lo-1]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost, inf)
			best = min(best, cur[j])
		}
		cur[hi+1] = inf
		if best > max {
			return inf
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
