package gazetteer

import (
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
// ("Bay", "Bai"); ou/oo/u and ea/e (Khmer romanisation); doubled letters;
// h after a consonant. Names in other scripts give "".
func variantKey(s string) string {
	k := key(s)
	b := make([]byte, 0, len(k))
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c >= 0x80 {
			return "" // not a Latin name
		}
		if 'a' <= c && c <= 'z' {
			b = append(b, c)
		}
	}
	w := string(b)
	for _, r := range [...][2]string{
		{"ee", "i"}, {"zh", "j"}, {"hs", "s"}, {"ph", "p"}, {"th", "t"}, {"kh", "k"}, {"gh", "g"}, {"ch", "k"},
		{"c", "k"}, {"q", "k"}, {"x", "s"}, {"w", "v"}, {"y", "i"},
		{"ou", "u"}, {"oo", "u"}, {"ea", "e"}, {"oeu", "eu"},
	} {
		w = strings.ReplaceAll(w, r[0], r[1])
	}
	out := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		c := w[i]
		if len(out) > 0 && out[len(out)-1] == c {
			continue // doubled letters
		}
		if c == 'h' && len(out) > 0 && !strings.ContainsRune("aeiou", rune(out[len(out)-1])) {
			continue // h after a consonant
		}
		out = append(out, c)
	}
	if n := len(out); n > 1 && out[n-1] == 'h' {
		out = out[:n-1]
	}
	return string(out)
}

// stripHeads removes the head nouns a site name ends with ("Moc Bai
// Casino" → "moc bai"), so variants are compared on the name itself.
func (m *matcher) stripHeads(k string) string {
	for changed := true; changed; {
		changed = false
		for _, h := range m.heads {
			if len(k) > len(h)+1 && strings.HasSuffix(k, " "+string(h)) {
				k, changed = k[:len(k)-len(h)-1], true
			}
		}
	}
	return k
}

// buildVariants indexes every Latin alias of the sites and people by its
// variant key, and the words of people's names for NameWord.
func (g *Gazetteer) buildVariants() {
	g.variants = map[string][]variantRef{}
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
			if !slices.ContainsFunc(g.variants[vk], func(v variantRef) bool { return v.rec == i }) {
				g.variants[vk] = append(g.variants[vk], variantRef{rec: i, alias: a})
			}
		}
	}
}

// NameWord reports whether w is, up to spelling variants, a word of a
// known person's name: a cheap test before Variants on a run of
// capitalised words.
func (g *Gazetteer) NameWord(w string) bool { return g.nameWords[variantKey(w)] }

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
	if _, ok := g.Resolve(typ, name); ok {
		return nil
	}
	vk := g.nameKey(typ, name)
	if len(vk) < 4 {
		return nil
	}
	var out []Variant
	seen := map[int]bool{}
	for _, v := range g.variants[vk] {
		r := &g.records[v.rec]
		if r.Type == typ && !seen[v.rec] {
			seen[v.rec] = true
			out = append(out, Variant{ID: r.ID, Name: r.Name, Alias: v.alias, Exact: true})
		}
	}
	if len(out) > 0 || len(vk) < 8 {
		return out
	}
	for k, refs := range g.variants {
		if k[0] != vk[0] || absDiff(len(k), len(vk)) > 2 || editDistance(k, vk, 2) > 2 {
			continue
		}
		for _, v := range refs {
			r := &g.records[v.rec]
			if r.Type == typ && !seen[v.rec] {
				seen[v.rec] = true
				out = append(out, Variant{ID: r.ID, Name: r.Name, Alias: v.alias})
			}
		}
	}
	slices.SortFunc(out, func(a, b Variant) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}

// editDistance is the Levenshtein distance of a and b, or max+1 as soon as
// it must exceed max.
func editDistance(a, b string, max int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
