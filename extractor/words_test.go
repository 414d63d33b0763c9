package extractor

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestWordTable compares the table with the map it is built from, and
// getFold with a lookup of the ASCII lower case, on the lexicon's words,
// their capitalised and upper-case forms, words one letter off, and
// non-ASCII words.
func TestWordTable(t *testing.T) {
	m := map[string]int{}
	lx := lex()
	for w := range lx.units.all() {
		m[w] = len(m) + 1
	}
	for w := range lx.function.all() {
		m[w] = len(m) + 1
	}
	m["€"] = -1
	tab := newWordTable(m)
	if n := len(tab.slots); n < 2*len(m) || n&(n-1) != 0 {
		t.Fatalf("%d slots for %d words", n, len(m))
	}
	r := rand.New(rand.NewPCG(1, 2))
	var probes []string
	for w := range m {
		b := []byte(w)
		b[r.IntN(len(b))] ^= 1 // one letter off (or an invalid byte)
		probes = append(probes, w, strings.ToUpper(w), strings.ToUpper(w[:1])+w[1:], string(b), w+"s")
	}
	probes = append(probes, "", "x", "€", "É", "\u212Aid")
	for _, p := range probes {
		want, wok := m[p]
		if got, ok := tab.get(p); got != want || ok != wok {
			t.Errorf("get(%q) = %d, %v; want %d, %v", p, got, ok, want, wok)
		}
		if got := tab.at(p); got != want {
			t.Errorf("at(%q) = %d; want %d", p, got, want)
		}
		lower := strings.Map(func(r rune) rune {
			if 'A' <= r && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, p)
		want, wok = m[lower]
		if got, ok := tab.getFold(p); got != want || ok != wok {
			t.Errorf("getFold(%q) = %d, %v; want %d, %v", p, got, ok, want, wok)
		}
	}
	n := 0
	for w, v := range tab.all() {
		if m[w] != v {
			t.Errorf("all yields %q: %d, want %d", w, v, m[w])
		}
		n++
	}
	if n != len(m) {
		t.Errorf("all yields %d words, want %d", n, len(m))
	}
}

// isCurrency tells a sum of money from a count by the unit's form, which
// holds while every currency unit is an ISO code and every counted unit a
// lower-case noun.
func TestCurrencyUnits(t *testing.T) {
	lx := lex()
	for w, code := range lx.currencyCodes.all() {
		if !isCurrency(code) {
			t.Errorf("currency %q's unit %q does not read as a currency", w, code)
		}
	}
	for w, unit := range lx.units.all() {
		if isCurrency(unit) {
			t.Errorf("unit %q of %q reads as a currency", unit, w)
		}
	}
	if isCurrency("percent") || !isCurrency("USD") {
		t.Error("percent or USD misread")
	}
}
