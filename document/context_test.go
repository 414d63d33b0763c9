package document

import (
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

func TestContext(t *testing.T) {
	long := strings.Repeat("a", 100)
	for _, tc := range []struct {
		name, text string
		start, end int
		want       string
	}{
		{"short line", "Police raided the Golden Fortune compound.", 18, 32, "Police raided the Golden Fortune compound."},
		{"cut either side", long + " Kok An " + long, 101, 107,
			strings.Repeat("a", 79) + " Kok An " + strings.Repeat("a", 79)},
		{"lines joined", "First line.\n\nBavet raid\tmid-2024.  Next.", 13, 18, "First line. Bavet raid mid-2024. Next."},
		{"ends trimmed", "  \n Poipet \n  ", 4, 10, "Poipet"},
		{"rune boundaries", strings.Repeat("黄", 30) + "乐" + strings.Repeat("黄", 30), 90, 93,
			strings.Repeat("黄", 27) + "乐" + strings.Repeat("黄", 27)},
		{"empty mention", "one two", 3, 3, "one two"},
		{"start before the text", "one two", -1, 3, ""},
		{"end past the text", "one two", 4, 8, ""},
		{"end before start", "one two", 4, 3, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Context(tc.text, tc.start, tc.end); got != tc.want {
				t.Errorf("Context(%q, %d, %d) = %q, want %q", tc.text, tc.start, tc.end, got, tc.want)
			}
		})
	}
}

// TestCutContexts: every mention without a context gets its own, one
// that has one keeps it, and offsets that do not fit give none.
func TestCutContexts(t *testing.T) {
	text := "Raids in Poipet.\nLater, Poipet again."
	tg := Tagged{Raw: Raw{Text: text}, Entities: []Entity{
		{ID: "a", Mentions: []Mention{{Text: "Poipet", Start: 9, End: 15}, {Text: "Poipet", Start: 24, End: 30, Context: "kept"}}},
		{ID: "b", Mentions: []Mention{{Text: "x", Start: 30, End: 99}}},
	}}
	tg.CutContexts()
	got := []string{tg.Entities[0].Mentions[0].Context, tg.Entities[0].Mentions[1].Context, tg.Entities[1].Mentions[0].Context}
	want := []string{"Raids in Poipet. Later, Poipet again.", "kept", ""}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("mention %d: context %q, want %q", i, got[i], want[i])
		}
	}
}

// FuzzContext holds Context to what a reader needs of it whatever the
// text: one line of valid UTF-8 (when the text is), no longer than the
// window, and holding the mention itself where the mention has no run of
// white space to collapse.
func FuzzContext(f *testing.F) {
	f.Add("Police raided the Golden Fortune compound.", 18, 32)
	f.Add("黄乐 compound\n\nin Sihanoukville", 0, 6)
	f.Add("a\u00a0b\u2028c  d", 1, 4)
	f.Add("\xff\xfe bad", 0, 2)
	f.Fuzz(func(t *testing.T, text string, start, end int) {
		got := Context(text, start, end)
		if start < 0 || end < start || end > len(text) {
			if got != "" {
				t.Fatalf("offsets %d, %d outside %d bytes: %q", start, end, len(text), got)
			}
			return
		}
		if strings.ContainsAny(got, "\n\r\t") || strings.Contains(got, "  ") {
			t.Fatalf("not one line: %q", got)
		}
		if utf8.ValidString(text) && !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 from valid text: %q", got)
		}
		if len(got) > end-start+2*contextRadius+2*utf8.UTFMax {
			t.Fatalf("%d bytes for a mention of %d", len(got), end-start)
		}
		m := text[start:end]
		if m == strings.Join(strings.Fields(m), " ") && m != "" && utf8.ValidString(text) && utf8.ValidString(m) && !strings.Contains(got, m) {
			t.Fatalf("context %q lacks the mention %q", got, m)
		}
	})
}

// FuzzCollapseSpace holds CollapseSpace to its plain definition,
// strings.Fields joined by spaces, and to returning the text itself when
// that is what the definition gives.
func FuzzCollapseSpace(f *testing.F) {
	for _, s := range []string{"a \nb", "a  b", " a b ", "x\t\ty", "a\u00a0b\u2028c  d", "\xff \x85b", "a \u0085 b", "黄乐 \r\n 公司", "a\x01b", "one line",
		// Eight bytes at once: spaces at either end of a block, and what
		// follows one.
		"abcdefg  hij", "abcdefg \nhij", "abcdefg \u00a0hi", "abcdefg hijklmn", " abcdefgh", "abcdefg ", "abc defg hij klmn op\tq"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, w string) {
		got, want := CollapseSpace(w), strings.Join(strings.Fields(w), " ")
		if got != want {
			t.Fatalf("CollapseSpace(%q) = %q, want %q", w, got, want)
		}
		if got == w && len(w) > 0 && unsafe.StringData(got) != unsafe.StringData(w) {
			t.Fatalf("CollapseSpace(%q) copied a text that needed no change", w)
		}
	})
}

func TestLastBreak(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"", -1},
		{"word", -1},
		{"two words", 3},
		{"已破案件2000余起，所涉金额", len("已破案件2000余起")},
		{"a，b c", len("a，b")},
		{"黄乐。", len("黄乐")},
		{"（全角）", -1},
		{"\xff\xbc\x8c", -1},
	} {
		if got := LastBreak(tc.s); got != tc.want {
			t.Errorf("LastBreak(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}
