package hant

import (
	"slices"
	"testing"
	"unicode/utf8"
)

// TestSimplify: traditional and simplified spellings of the words this
// project's users search for fold to one; simplified text, other
// scripts and stray bytes are kept as they are.
func TestSimplify(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"詐騙", "诈骗"},
		{"陳志", "陈志"},
		{"黃樂園區", "黄乐园区"},
		{"金邊", "金边"},
		{"KK園區", "KK园区"},
		{"太子集團", "太子集团"},
		{"線上賭場", "线上赌场"},
		{"诈骗园区", "诈骗园区"},
		{"Café 42, ក្រុងព្រះសីហនុ", "Café 42, ក្រុងព្រះសីហនុ"},
		{"詐\xff騙", "诈\xff骗"},
		{"", ""},
	} {
		if got := Simplify(c.in); got != c.want {
			t.Errorf("Simplify(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := string(AppendSimplified([]byte("x"), []byte(c.in))); got != "x"+c.want {
			t.Errorf("AppendSimplified(x, %q) = %q, want %q", c.in, got, "x"+c.want)
		}
	}
}

// TestHantTable: the table is in order, so the binary search finds every
// entry; folding is idempotent; and a character is always one character.
func TestHantTable(t *testing.T) {
	if len(hantFrom) != len(hantTo) || len(hantFrom) < 4000 {
		t.Fatalf("table of %d and %d entries: regenerate table.go", len(hantFrom), len(hantTo))
	}
	if !slices.IsSorted(hantFrom[:]) {
		t.Fatal("hantFrom is not in order: regenerate table.go")
	}
	for i, f := range hantFrom {
		if i > 0 && hantFrom[i-1] == f {
			t.Errorf("%c listed twice", f)
		}
		from, to := string(f), string(hantTo[i])
		if got := Simplify(from); got != to {
			t.Errorf("Simplify(%s) = %s, want %s", from, got, to)
		}
		if got := Simplify(to); got != to {
			t.Errorf("%s folds to %s, which folds again to %s", from, to, got)
		}
		if utf8.RuneCountInString(Simplify(from+"a"+to)) != 3 {
			t.Errorf("%s does not fold to one character", from)
		}
	}
}

func BenchmarkSimplify(b *testing.B) {
	hant := []byte("警方在西港一處詐騙園區解救了二十名外籍勞工，園區負責人陳某被捕。")
	b.SetBytes(int64(len(hant)))
	var dst []byte
	for b.Loop() {
		dst = AppendSimplified(dst[:0], hant)
	}
}

// FuzzSimplify holds Simplify and AppendSimplified, which pass over the
// bytes that start no folded character, to a plain reading of every
// rune through a map of the table.
func FuzzSimplify(f *testing.F) {
	f.Add("詐騙園區 in Café, “quoted” \xe8\xa9 and \xff騙")
	m := make(map[rune]rune, len(hantFrom))
	for i, r := range hantFrom {
		m[r] = hantTo[i]
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want []byte
		for i, r := range s {
			if to, ok := m[r]; ok {
				want = utf8.AppendRune(want, to)
			} else {
				_, n := utf8.DecodeRuneInString(s[i:])
				want = append(want, s[i:i+n]...)
			}
		}
		if got := Simplify(s); got != string(want) {
			t.Errorf("Simplify(%q) = %q, want %q", s, got, want)
		}
		if got := AppendSimplified(nil, []byte(s)); string(got) != string(want) {
			t.Errorf("AppendSimplified(%q) = %q, want %q", s, got, want)
		}
	})
}
