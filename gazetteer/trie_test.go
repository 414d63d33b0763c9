package gazetteer

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// randomBytes returns n bytes drawn from alphabet.
func randomBytes(rng *rand.Rand, alphabet string, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return b
}

// TestTrieLongest compares the trie's walk with a scan of every key, on
// random keys over a few letters, so that the trie has chains of single
// children, sparse nodes and dense rows, and repeated keys (the last
// wins, as when they are inserted in order).
func TestTrieLongest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for round := range 50 {
		alphabet := "abcdefgh ."[:2+round%9]
		keys := make([]string, 1+rng.IntN(200))
		for i := range keys {
			keys[i] = string(randomBytes(rng, alphabet, 1+rng.IntN(12)))
		}
		tr := newTrie(keys)
		for range 200 {
			b := randomBytes(rng, alphabet, 1+rng.IntN(20))
			for s := range b {
				want := int32(-1)
				for i, k := range keys {
					if bytes.HasPrefix(b[s:], []byte(k)) && (want < 0 || len(k) >= len(keys[want])) {
						want = int32(i)
					}
				}
				if got := tr.longest(b, s); got != want {
					t.Fatalf("keys %q: longest(%q, %d) = %d, want %d", keys, b, s, got, want)
				}
			}
		}
	}
}

// TestFirstWordFilter: the filter of patterns' first words, fed by the
// hashes fold computes as it copies, only spares walks. FindWith gives
// the same entities with the filter letting every word through, on texts
// that spell every alias the ways fold treats apart: as written, in
// capitals, with accented letters and combining marks inside a word
// (folded outside the fast path), after "&", glued to other words, and
// at the very end of the text.
func TestFirstWordFilter(t *testing.T) {
	g := defaultGaz(t)
	var aliases []string
	for _, typ := range []string{"compound", "tycoon", "province"} {
		for _, r := range g.Records(typ) {
			aliases = append(aliases, r.Aliases...)
		}
	}
	rng := rand.New(rand.NewPCG(7, 13))
	accent := strings.NewReplacer("e", "é", "a", "á", "o", "ô", "E", "É")
	spell := []func(string) string{
		func(s string) string { return s },
		strings.ToUpper,
		strings.ToLower,
		func(s string) string { return accent.Replace(s) },
		func(s string) string { return strings.Replace(s, "e", "e\u0301", 1) },
		func(s string) string { return "& " + s },
		func(s string) string { return "x" + s + "s" },
		func(s string) string { return strings.ReplaceAll(s, " ", "  ") },
	}
	filler := []string{"the", "police", "said", "in", "a", "raid", "on", "Monday", "near", "the", "border", "2023", "US$4.5m"}
	var texts []string
	for i := 0; i < len(aliases); i += 5 {
		var b strings.Builder
		for _, a := range aliases[i:min(i+5, len(aliases))] {
			b.WriteString(filler[rng.IntN(len(filler))])
			b.WriteString(" ")
			b.WriteString(spell[rng.IntN(len(spell))](a))
			b.WriteString([]string{" ", ", ", ". ", "\n", "-"}[rng.IntN(5)])
		}
		texts = append(texts, b.String(), strings.TrimRight(b.String(), " ,.\n-"))
	}

	filtered := make([][]int, len(texts))
	want := make([]any, len(texts))
	for i, text := range texts {
		want[i] = g.FindWith(text, FindOptions{Companies: true})
		var f folded
		fold(&f, text, &g.m.trie)
		filtered[i] = f.starts
	}
	saved := g.m.trie.words
	for i := range g.m.trie.words {
		g.m.trie.words[i] = ^uint64(0)
	}
	defer func() { g.m.trie.words = saved }()
	fewer := 0
	for i, text := range texts {
		var f folded
		fold(&f, text, &g.m.trie)
		if len(f.starts) > len(filtered[i]) {
			fewer++
		}
		if got := g.FindWith(text, FindOptions{Companies: true}); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%q: with the filter\n%v\nwithout\n%v", text, want[i], got)
		}
	}
	if fewer < len(texts)/2 {
		t.Errorf("the filter spared walks in %d of %d texts, want most", fewer, len(texts))
	}
}
