package minhash

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// reference is Of as first written, one multiply-add per function for
// every shingle, kept to hold the faster Of to the same signatures:
// stored signatures must compare with new ones.
func reference(s string) Signature {
	var sig Signature
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	var (
		win [Shingle]rune
		n   int
		gap bool // a run of other characters, written once before the next letter
		any bool
	)
	add := func(r rune) {
		copy(win[:], win[1:])
		win[Shingle-1] = r
		width := Shingle
		if unicode.Is(unicode.Han, r) {
			width = 2
		}
		if n++; n < width {
			return
		}
		h := shingleHash(win[Shingle-width:])
		any = true
		for i := range sig {
			// h_i = high half of a_i*h + b_i: one multiply-add per
			// function, cheap enough for whole documents.
			if v := uint32((perm[i][0]*h + perm[i][1]) >> 32); v < sig[i] {
				sig[i] = v
			}
		}
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r) {
			gap = n > 0
			continue
		}
		if gap {
			add(' ')
			gap = false
		}
		add(unicode.ToLower(r))
	}
	if !any {
		return Signature{}
	}
	return sig
}

func TestOfMatchesReference(t *testing.T) {
	texts := []string{"", "a", "Ab", "THE the The", "Police raided the compound.", "警方突击搜查了诈骗园区", "ប៉ូលិសបានវាយឆ្មក់", "İstanbul ǅemal Σίσυφος", "\xff\xfe bad utf-8 ok", "12 345 678 9"}
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	// Longer than the table of seen shingles holds.
	texts = append(texts, strings.Join(texts, " "))
	for _, s := range texts {
		if got, want := Of(s), reference(s); got != want {
			t.Errorf("Of(%.40q…) differs from the reference", s)
		}
	}
}

func FuzzOfMatchesReference(f *testing.F) {
	for _, s := range []string{"", "a b", "Police raided the compound.", "警方突击搜查", "ប៉ូលិស", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Of(s) != reference(s) {
			t.Errorf("Of(%q) differs from the reference", s)
		}
	})
}

// BenchmarkOfArticles runs Of on the example articles, with their
// repeated words, against the reference.
func BenchmarkOfArticles(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.txt"))
	var texts []string
	size := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(raw))
		size += len(raw)
	}
	for _, bc := range []struct {
		name string
		of   func(string) Signature
	}{{"Of", Of}, {"OfText", OfText}, {"reference", reference}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, s := range texts {
					bc.of(s)
				}
			}
		})
	}
}

// shingleSet is the set of shingle hashes of s, for exact similarities.
func shingleSet(s string) map[uint64]bool {
	set := map[uint64]bool{}
	eachShingle(s, func(h uint64) { set[h] = true })
	return set
}

func jaccard(a, b map[uint64]bool) float64 {
	both := 0
	for h := range a {
		if b[h] {
			both++
		}
	}
	if n := len(a) + len(b) - both; n > 0 {
		return float64(both) / float64(n)
	}
	return 0
}

// TestOfTextEstimates holds OfText's estimates of the Jaccard similarity
// of whole texts to the exact figure and to Of's: pairs of example texts
// that share from none to all of their sentences, the other sentences
// taken from another example.
func TestOfTextEstimates(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.txt"))
	if len(files) < 4 {
		t.Fatalf("%d example texts, want at least 4", len(files))
	}
	var docs [][]string // sentences
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, strings.SplitAfter(string(b), ". "))
	}
	var errText, errOf float64
	pairs := 0
	for i, a := range docs {
		other := docs[(i+1)%len(docs)]
		for _, keep := range []int{0, 1, 2, 3, 4, 6, 8, 10} { // tenths of a's sentences kept
			var b []string
			for k, s := range a {
				if k*10 < keep*len(a) {
					b = append(b, s)
				} else {
					b = append(b, other[k%len(other)])
				}
			}
			ta, tb := strings.Join(a, ""), strings.Join(b, "")
			exact := jaccard(shingleSet(ta), shingleSet(tb))
			est := Similarity(OfText(ta), OfText(tb))
			// Four standard errors of a 64-slot estimate at worst.
			if d := est - exact; d > 0.25 || d < -0.25 {
				t.Errorf("%s keeping %d%%: OfText estimates %.2f, exact %.2f", filepath.Base(files[i]), 10*keep, est, exact)
			}
			errText += max(est-exact, exact-est)
			d := Similarity(Of(ta), Of(tb)) - exact
			errOf += max(d, -d)
			pairs++
		}
	}
	errText, errOf = errText/float64(pairs), errOf/float64(pairs)
	t.Logf("%d pairs: mean error OfText %.3f, Of %.3f", pairs, errText, errOf)
	if errText > errOf+0.02 {
		t.Errorf("OfText's mean error %.3f is above Of's %.3f", errText, errOf)
	}
}

// TestOfTextShort: a text of fewer shingles than slots fills every slot,
// is wholly like itself, and is as like another as their shingles are.
func TestOfTextShort(t *testing.T) {
	for _, s := range []string{"raid", "Police raided it.", "警方突击", "ប៉ូលិស"} {
		sig := OfText(s)
		if sig.Empty() {
			t.Fatalf("OfText(%q) is empty", s)
		}
		for i, v := range sig {
			if v == ^uint32(0) {
				t.Errorf("OfText(%q): slot %d holds nothing", s, i)
			}
		}
		if sim := Similarity(sig, OfText(s)); sim != 1 {
			t.Errorf("OfText(%q) is %.2f like itself", s, sim)
		}
	}
	a, b := "Police raided the compound.", "The court fined the casino."
	exact := jaccard(shingleSet(a), shingleSet(b))
	if sim := Similarity(OfText(a), OfText(b)); sim-exact > 0.25 || exact-sim > 0.25 {
		t.Errorf("unrelated sentences %.2f alike, exactly %.2f", sim, exact)
	}
}

// TestDonor: every empty slot takes a filled one, whichever are filled.
func TestDonor(t *testing.T) {
	for _, filled := range []uint64{1, 1 << 63, 1<<17 | 1<<40, 0xaaaaaaaaaaaaaaaa, ^uint64(0) >> 1} {
		for i := uint64(0); i < Size; i++ {
			if j := donor(i, filled); j >= Size || filled&(1<<j) == 0 {
				t.Errorf("filled %#x: slot %d takes slot %d, which is empty", filled, i, j)
			}
		}
	}
}

func FuzzOfText(f *testing.F) {
	for _, s := range []string{"", "a b", "Police raided the compound.", "警方突击搜查", "ប៉ូលិស", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sig := OfText(s)
		if sig.Empty() != Of(s).Empty() {
			t.Errorf("OfText(%q) empty %v, Of empty %v", s, sig.Empty(), Of(s).Empty())
		}
		if !sig.Empty() && Similarity(sig, OfText(s)) != 1 {
			t.Errorf("OfText(%q) is not wholly like itself", s)
		}
	})
}
