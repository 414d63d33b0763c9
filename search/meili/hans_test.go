package meili

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/internal/hant"
	"github.com/compoundwatch/compoundwatch/search"
)

// m marks s as Meilisearch's highlighting does.
func m(s string) string { return preTag + s + postTag }

func TestUnfoldSnippet(t *testing.T) {
	// Police raided a scam compound in Bavet and freed 20 workers; the
	// compound's boss was arrested. Written for this test.
	orig := "警方突襲巴域一處詐騙園區，解救了20名勞工；園區負責人被捕。"
	hans := hant.Simplify(orig)
	for _, c := range []struct {
		name, formatted, want string
		ok                    bool
	}{
		{"whole", "警方突袭巴域一处诈骗" + m("园区") + "，解救了20名劳工；" + m("园区") + "负责人被捕。",
			"警方突襲巴域一處詐騙" + m("園區") + "，解救了20名勞工；" + m("園區") + "負責人被捕。", true},
		{"cropped both ends", "…一处" + m("诈骗") + m("园区") + "，解救了…",
			"…一處" + m("詐騙") + m("園區") + "，解救了…", true},
		{"cropped at the start, marked at the end", "…负责人被" + m("捕。"),
			"…負責人被" + m("捕。"), true},
		{"marked first", m("警方") + "突袭…", m("警方") + "突襲…", true},
		{"not a stretch of the fold", "…" + m("赌场") + "…", "", false},
		{"no mark", "警方突袭…", "警方突襲…", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := unfoldSnippet(c.formatted, hans, orig)
			if ok != c.ok || got != c.want {
				t.Errorf("unfoldSnippet(%q) = %q, %v; want %q, %v", c.formatted, got, ok, c.want, c.ok)
			}
		})
	}
}

// TestSnippet: the fold's snippet is taken only where the text's own
// has no mark.
func TestSnippet(t *testing.T) {
	orig := "陳某在逃" // Chen is on the run.
	for _, c := range []struct{ text, hans, want string }{
		{m("陳") + "某在逃", m("陈") + "某在逃", m("陳") + "某在逃"}, // Meilisearch folds 陳 itself
		{"陳某在逃", "陈某" + m("在逃"), "陳某" + m("在逃")},         // matched in the fold only
		{"English text", "", "English text"},             // no fold sent
		{"陳某在逃", m("赌场"), "陳某在逃"},                        // a fold that is not this text's
	} {
		if got := snippet(c.text, c.hans, orig); got != c.want {
			t.Errorf("snippet(%q, %q) = %q, want %q", c.text, c.hans, got, c.want)
		}
	}
}

// TestWithHans: a document with traditional characters gains its fold,
// and one without is sent as it was encoded.
func TestWithHans(t *testing.T) {
	for _, d := range []search.Doc{
		{ID: "a", Title: "詐騙園區", Text: "陳某在逃"},
		{ID: "b", Title: "Raid", Text: "诈骗园区"},
	} {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := withHans(b, d)
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]any
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%s: %q is not JSON: %v", d.ID, got, err)
		}
		if back["id"] != d.ID || back["text"] != d.Text {
			t.Errorf("%s: fields lost: %q", d.ID, got)
		}
		if hans := hant.Simplify(d.Text); hans == d.Text {
			if string(got) != string(b) {
				t.Errorf("%s: %q changed to %q", d.ID, b, got)
			}
		} else if back[textHans] != hans || back[titleHans] != hant.Simplify(d.Title) {
			t.Errorf("%s: fold missing: %q", d.ID, got)
		}
	}
}

// FuzzUnfoldSnippet: whatever stretch of a text's fold Meilisearch
// returns, marked anywhere, the snippet is the same stretch of the text,
// its fold is the formatted stretch, and marks are where they were.
func FuzzUnfoldSnippet(f *testing.F) {
	f.Add("警方突襲巴域一處詐騙園區，解救了20名勞工。", 3, 12, 5, 7)
	f.Add("陳某 and 黃樂 in Café", 0, 20, 0, 2)
	f.Fuzz(func(t *testing.T, orig string, from, to, ms, me int) {
		if !utf8.ValidString(orig) || strings.ContainsAny(orig, "\x02\x03…") {
			return
		}
		hans := hant.Simplify(orig)
		rs := []rune(hans)
		n := len(rs)
		if n == 0 {
			return
		}
		clamp := func(v, lo, hi int) int { return min(max(v, lo), hi) }
		from = clamp(from, 0, n)
		to = clamp(to, from, n)
		ms = clamp(ms, from, to)
		me = clamp(me, ms, to)
		formatted := string(rs[from:ms]) + m(string(rs[ms:me])) + string(rs[me:to])
		if from > 0 {
			formatted = cropMarker + formatted
		}
		if to < n {
			formatted += cropMarker
		}
		got, ok := unfoldSnippet(formatted, hans, orig)
		if !ok {
			t.Fatalf("unfoldSnippet(%q, %q, %q) failed", formatted, hans, orig)
		}
		if hant.Simplify(got) != formatted {
			t.Errorf("unfoldSnippet(%q) = %q, whose fold differs", formatted, got)
		}
		plain := strings.NewReplacer(preTag, "", postTag, "", cropMarker, "").Replace(got)
		if !strings.Contains(orig, plain) {
			t.Errorf("unfoldSnippet(%q) = %q, not a stretch of %q", formatted, got, orig)
		}
	})
}
