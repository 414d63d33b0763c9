package extractor

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

func testExtractor(t testing.TB) *Extractor {
	t.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	return New(g)
}

func names(es []document.Entity, known bool) []string {
	var out []string
	for _, e := range es {
		if e.Known == known {
			out = append(out, e.Type+":"+e.Name)
		}
	}
	return out
}

func TestDiscovery(t *testing.T) {
	x := testExtractor(t)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"casino with title head", "The Eternal Diamond Casino, owned by tycoon Try Pheap, reopened.", []string{"compound:Eternal Diamond Casino"}},
		{"casino with lower head", "kidnapped at the newly licensed Xing Tian Di casino in Sihanoukville", []string{"compound:Xing Tian Di casino"}},
		{"quoted site", `opened a new casino and scam site "Powerlong" in Cambodia`, []string{"compound:Powerlong"}},
		{"appositive", "raided Clark Sun Valley Hub, a compound inside the free port", []string{"compound:Clark Sun Valley Hub"}},
		{"known as after the noun", "Police searched the Phnom Penh compound, known as Lotus Garden, on Monday; a scam centre also known as Blue Mountain Park shut.",
			[]string{"compound:Lotus Garden", "compound:Blue Mountain Park"}},
		{"which is known as", "Troops raided the compound, which is known as Lotus Park, and a casino, which was called Jade Sun, closed.",
			[]string{"compound:Lotus Park", "compound:Jade Sun"}},
		{"a second head after & or and", "Police searched the Silver Palm Casino & Hotel and the Ruby Bay Hotel and Casino; the Blue Star Hotel and guests stayed.",
			[]string{"compound:Silver Palm Casino & Hotel", "compound:Ruby Bay Hotel and Casino", "compound:Blue Star Hotel"}},
		{"a designation of digits and capitals", "Troops raided the 1G1-7 Hotel in Tachileik; the 24 Hotel and the 2024 Casino stayed open.",
			[]string{"compound:1G1-7 Hotel"}},
		{"quoted name before the noun", `Scam hubs grew around the "Golden Harbor" casino in Poipet and the “Red Lotus” compound; the "Lucky" bet paid.`,
			[]string{"compound:Golden Harbor", "compound:Red Lotus"}},
		{"called or named after the noun", "She worked at a casino called “Jade Sun”, then at a compound named Silver Bay 2.",
			[]string{"compound:Jade Sun", "compound:Silver Bay 2"}},
		{"a name read with its head and without", "Police raided the Jade Sun compound. It was a compound called Jade Sun, and the Lotus Garden compound stayed open.",
			[]string{"compound:Jade Sun", "compound:Lotus Garden compound"}},
		{"known as, not a name", "The compound, known as a hub of fraud, and a casino tycoon known as Big Brother left; the casino known as The Palace closed; a compound called in the police.", nil},
		{"tycoon", "the K99 Group, led by Rithy Raksmei, and tycoon Rithy Raksmei’s hotel", []string{"tycoon:Rithy Raksmei"}},
		{"relative of a known tycoon", "family head Bai Suocheng, his son Bai Yingcang, Liu Zhengxiang, Liu Zhengmao and others",
			[]string{"tycoon:Bai Yingcang", "tycoon:Liu Zhengmao"}},
		{"listed relatives after two spaces", "Liu Zhengxiang and  Liu Zhengmao, Bai Suocheng,  Bai Yingcang",
			[]string{"tycoon:Liu Zhengmao", "tycoon:Bai Yingcang"}},
		{"known names are not candidates", "the Huang Le compound and the KB casino in a Sihanoukville compound", nil},
		{"places are not sites", "a Poipet casino, the Phnom Penh compound and Chinese compounds", nil},
		{"officials are not tycoons", "a meeting led by Prime Minister Hun Sen; a firm led by Interior Minister Sar Kheng", nil},
		{"lists do not adopt officials", "Try Pheap, Hun Sen and others", nil},
		{"descriptions are not names", "Police raided the casino. Casino workers left a hotel.", nil},
		// Issue 12: no counts or trade names as names, no cut names.
		{"a count is not a name", "it ran more than 300 casino websites and 12 compound gates", nil},
		{"a trade name is not a name", "the biggest POGO compound in the town and a KTV casino", nil},
		{"two heads stay together", "police froze assets linked to the Lanxin Resort Casino near the border",
			[]string{"compound:Lanxin Resort Casino"}},
		{"another pair of heads", "staff of the Hailong Hotel Casino were questioned", []string{"compound:Hailong Hotel Casino"}},
		{"a landmark is no site", "Police raided a building across from Kampot’s Moon River Casino, a shop next to the Blue Lotus Hotel and the Jade Crown casino.",
			[]string{"compound:Jade Crown casino"}},
		{"sites listed before a plural head", "Sites sprang up at the Htee Lawng Shu and A1 waterfall resorts and the Sun Tower, Blue Lotus and Golden Reed casinos.",
			[]string{"compound:Htee Lawng Shu waterfall resort", "compound:A1 waterfall resort", "compound:Sun Tower casino", "compound:Blue Lotus casino", "compound:Golden Reed casino"}},
		{"a listed name a site already has", "A man fell at the Jade Crown casino. Crowds left the Jade Crown and Blue Lotus compounds.",
			[]string{"compound:Jade Crown casino", "compound:Blue Lotus compound"}},
		{"descriptions listed before a plural head", "The Thai and Chinese casinos closed; Poipet and Bavet compounds emptied; Casinos and hotels shut.", nil},
		{"a firm named for its site is no site", "They hid at land of Fontana Resort and Country Club Inc and of Golden Sand Hotel Co., not at the Blue Lotus Resort.",
			[]string{"compound:Blue Lotus Resort"}},
		{"role in a named firm", "Police held Zhou Tianming, chief executive of the Bright Harbour Group, at dawn.", []string{"tycoon:Zhou Tianming"}},
		{"role in a firm, other words", "They met Chea Sovann, founder of Mekong Star Holdings.", []string{"tycoon:Chea Sovann"}},
		{"role in an office is not a tycoon", "They met Chea Sovann, chairman of the National Committee.", nil},
		{"role after an article, or a prefix", "Police named Tan Wei Ming, the top boss of Silver Lotus Corp., and Chan Dara, co-founder of Mekong Pearl Holdings.",
			[]string{"tycoon:Tan Wei Ming", "tycoon:Chan Dara"}},
		{"role in a known site", "They questioned Lim Sovann, the president of the Huang Le compound.", []string{"tycoon:Lim Sovann"}},
		{"role in an office after an article is not a tycoon", "They met Chea Sovann, the chairman of the National Committee.", nil},
		{"role after the name", "Police named Sok Dara, a wealthy Cambodian businessman, and Lim Heng, the casino tycoon, fled.",
			[]string{"tycoon:Sok Dara", "tycoon:Lim Heng"}},
		{"role of someone else after the name", "Sok Dara, a nephew of the businessman, and Lim Heng, a former general, fled.", nil},
		// The role rule reads a name from the space before it: at the
		// very start of the text there is none (this crashed Extract).
		{"role at the start of the text", "Zhou Tianming, chief executive of the Bright Harbour Group, resigned.", nil},
		{"role at the start, one word in", "Tycoon Zhou Tianming, chief executive of the Bright Harbour Group, resigned.", []string{"tycoon:Zhou Tianming"}},
		// Firms that own or run a site, with their legal form.
		{"firm owning a site", "The casino is owned by Sunrise Asia Development Co., Ltd., a firm set up in 2021.",
			[]string{"tycoon:Sunrise Asia Development Co., Ltd"}},
		{"firm running a site", "The compound is operated by the Blue River Group and guarded by police.", []string{"tycoon:Blue River Group"}},
		{"firm, full stop after its form", "The complex was developed by Hengfeng Investment Co. Ltd. Its towers are empty.",
			[]string{"tycoon:Hengfeng Investment Co. Ltd"}},
		{"an owner after a title", "The casino was owned by the former Thai MP Somchai Rattanakul and later run by Police General Chan Dara.",
			[]string{"tycoon:Somchai Rattanakul"}},
		{"an owner of a city", "They include Grand Lotus City, formerly owned by the former Thai MP Somchai Rattanakul. The city is run by Governor Kuoch Chamroeun.",
			[]string{"tycoon:Somchai Rattanakul"}},
		{"a relative listed with a name in Chinese", "It named Su Liangsheng (苏良生), Su Jinde (苏金德) and Wang Hai.", []string{"tycoon:Su Jinde"}},
		{"an office is no firm", "The compound is owned by the Interior Ministry and run by the National Police.", nil},
		{"a firm needs an owner's verb", "Sunrise Asia Development Co., Ltd. sells rice in Kampot.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := x.findEntities(newScanner(tt.text, tokenize(nil, tt.text)))
			if got := names(es, false); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			for _, e := range es {
				if e.Known {
					continue
				}
				if e.Confidence > 0.6 || !strings.HasPrefix(e.ID, "candidate:"+e.Type+":") {
					t.Errorf("%s: confidence %.2f id %q", e.Name, e.Confidence, e.ID)
				}
				for _, m := range e.Mentions {
					if tt.text[m.Start:m.End] != m.Text {
						t.Errorf("%s: mention %+v", e.Name, m)
					}
				}
			}
		})
	}
}

func TestTycoonKinds(t *testing.T) {
	x := testExtractor(t)
	tests := []struct {
		text, id, kind string
	}{
		{"Chen Zhi founded the firm.", "chen-zhi", "person"},
		{"Prince Holding Group was sanctioned.", "prince-holding-group", "company"},
		{"Prince Group and its chairman were sanctioned.", "prince-holding-group", "company"},
		{"Payments went through HuiOne in Cambodia.", "huione-group", "company"},
		{"Try Pheap Group built the road.", "try-pheap-group", "company"},
		{"The casino is run by Golden Orchid Holdings.", "candidate:tycoon:golden-orchid-holdings", "company"},
		{"The casino is run by Chea Sovann.", "candidate:tycoon:chea-sovann", "person"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			// Read the kind back from the JSON that `compoundwatch extract`
			// prints, not from the struct.
			b, err := json.Marshal(Output(x.Extract(document.Raw{Text: tt.text})))
			if err != nil {
				t.Fatal(err)
			}
			var res struct {
				Entities []struct{ ID, Type, Kind string }
			}
			if err := json.Unmarshal(b, &res); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range res.Entities {
				got = append(got, e.ID+"/"+e.Type+"/"+e.Kind)
			}
			if want := []string{tt.id + "/" + document.Tycoon + "/" + tt.kind}; !slices.Equal(got, want) {
				t.Errorf("%q: got %q, want %q", tt.text, got, want)
			}
		})
	}
}

func TestDiscoveryQuietOnProse(t *testing.T) {
	x := testExtractor(t)
	text, err := os.ReadFile(filepath.Join(repotest.Root(t), "gazetteer", "testdata", "ordinary-prose.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if es := x.findEntities(newScanner(string(text), tokenize(nil, string(text)))); len(es) > 0 {
		t.Errorf("ordinary prose tagged %q", names(es, false))
	}
}

func TestCollectCandidates(t *testing.T) {
	x := testExtractor(t)
	docs := []document.Tagged{
		x.Extract(document.Raw{Source: "a", Text: "tycoon Rithy Raksmei opened the Xing Tian Di casino. Rithy Raksmei again."}),
		x.Extract(document.Raw{Source: "b", Text: "the Xing Tian Di casino was raided"}),
		x.Extract(document.Raw{Source: "c", Text: "the Xing Tian Di Casino reopened"}),
	}
	got := CollectCandidates(slices.Values(docs))
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	if got[0].ID != "candidate:compound:xing-tian-di-casino" || got[0].Count != 3 || len(got[0].Examples) != 3 ||
		got[0].Examples[1].Source != "b" || got[0].Examples[1].Context != "the Xing Tian Di casino was raided" {
		t.Errorf("first candidate: %+v", got[0])
	}
	if got[1].Name != "Rithy Raksmei" || got[1].Count != 1 || got[1].Type != document.Tycoon {
		t.Errorf("second candidate: %+v", got[1])
	}
	// The extractor leaves the contexts to readers, and the examples are
	// cut from the text; documents whose contexts were cut give the same.
	for i := range docs {
		docs[i].CutContexts()
	}
	if cut := CollectCandidates(slices.Values(docs)); !reflect.DeepEqual(cut, got) {
		t.Errorf("with contexts:\n%+v\nwant\n%+v", cut, got)
	}
}

// TestVariantLinking: spelling variants of known names are linked when the
// text supports it, and proposed to an editor otherwise. Sentences written
// for this test.
func TestVariantLinking(t *testing.T) {
	x := testExtractor(t)
	tests := []struct {
		name, text string
		linked     []string // "id=mention" of known entities found through a variant
		proposed   []string // "candidate name -> id" proposals left for an editor
	}{
		{"a casino in its town", "Workers ran from Mok Bay Casino in Bavet on Friday.",
			[]string{"bavet-moc-bai-casino=Mok Bay Casino"}, nil},
		{"the same casino without its town", "Workers ran from Mok Bay Casino on Friday.",
			nil, []string{"Mok Bay Casino -> bavet-moc-bai-casino"}},
		{"a person beside a relative", "Police sought Ming Guoping and his daughter Ming Zhen Zhen.",
			[]string{"ming-zhenzhen=Ming Zhen Zhen"}, nil},
		{"a person alone", "Investigators asked about Ming Zhen Zhen again.",
			nil, []string{"Ming Zhen Zhen -> ming-zhenzhen"}},
		{"a middle name", "The senators questioned Alice Leal Guo for hours.",
			nil, []string{"Alice Leal Guo -> alice-guo"}},
		{"a near spelling is only proposed", "Wenzhou police named Ming Xuechen and Ming Guoping.",
			nil, []string{"Ming Xuechen -> ming-xuechang"}},
		{"a spelling met twice is one candidate", "Investigators asked about Ming Xuechen. Ming Xuechen did not reply.",
			nil, []string{"Ming Xuechen -> ming-xuechang"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var linked, proposed []string
			for _, e := range x.findEntities(newScanner(tt.text, tokenize(nil, tt.text))) {
				if e.Known && e.LinkedBy != "" {
					for _, m := range e.Mentions {
						if strings.Contains(e.LinkedBy, m.Text) {
							linked = append(linked, e.ID+"="+m.Text)
						}
					}
				}
				if !e.Known {
					for _, p := range e.Proposals {
						proposed = append(proposed, e.Name+" -> "+p.ID)
					}
				}
			}
			if !slices.Equal(linked, tt.linked) || !slices.Equal(proposed, tt.proposed) {
				t.Errorf("linked %q, proposed %q; want %q, %q", linked, proposed, tt.linked, tt.proposed)
			}
		})
	}
}

// TestRelink: a document tagged before an editor's link gets the known
// entity, merged with a mention of it under its own name, in its entities
// and in its dated events.
func TestRelink(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	text := "Guards left Sunrise Palms Casino on 3 March 2024; the Moc Bai Casino stayed open."
	tagged := x.Extract(document.Raw{ID: "d", Text: text, Published: "2024-03-05"})
	if len(tagged.Events) != 1 || !slices.Contains(tagged.Events[0].Entities, "bavet-moc-bai-casino") || len(tagged.Events[0].Entities) != 2 {
		t.Fatalf("events %+v: want one naming the discovered casino and bavet-moc-bai-casino", tagged.Events)
	}
	if slices.ContainsFunc(tagged.Entities, func(e document.Entity) bool { return e.Known && e.Mentions[0].Text == "Sunrise Palms Casino" }) {
		t.Fatal("linked before the link")
	}
	if Relink(&tagged, g) {
		t.Error("Relink changed a document without links")
	}
	lg, err := g.WithLinks([]gazetteer.Link{{Name: "Sunrise Palms Casino", ID: "bavet-moc-bai-casino"}})
	if err != nil {
		t.Fatal(err)
	}
	if !Relink(&tagged, lg) {
		t.Fatal("Relink changed nothing")
	}
	var got []string
	for _, e := range tagged.Entities {
		for _, m := range e.Mentions {
			got = append(got, e.ID+"="+m.Text)
		}
	}
	want := []string{"bavet-moc-bai-casino=Sunrise Palms Casino", "bavet-moc-bai-casino=Moc Bai Casino"}
	if !slices.Equal(got, want) {
		t.Errorf("entities %q, want %q", got, want)
	}
	if got := tagged.Events[0].Entities; !slices.Equal(got, []string{"bavet-moc-bai-casino"}) {
		t.Errorf("event's entities %q, want the known casino once", got)
	}
}

// TestSpansAdd holds spans.add, the known mentions' spans with the
// candidates' merged in, to takenSpans of both lists: every question free
// and freeOn may be asked has the same answer.
func TestSpansAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	sc, ref := new(scratch), new(scratch)
	for range 5000 {
		known, found := randomEntities(r, 5), randomEntities(r, 5)
		got := takenSpans(sc, known).add(sc, found)
		want := takenSpans(ref, known, found)
		if !slices.Equal(got.starts, want.starts) {
			t.Fatalf("starts %v, want %v; known %+v, found %+v", got.starts, want.starts, known, found)
		}
		for a := range 72 {
			k, wk := 0, 0
			for b := a + 1; b < 80; b++ {
				if g, w := got.free(a, b), want.free(a, b); g != w {
					t.Fatalf("free(%d, %d) = %v, want %v; known %+v, found %+v", a, b, g, w, known, found)
				}
				if g, w := got.freeOn(&k, a, b), want.freeOn(&wk, a, b); g != w {
					t.Fatalf("freeOn(%d, %d) = %v, want %v; known %+v, found %+v", a, b, g, w, known, found)
				}
			}
		}
	}
}

// TestSiteWordsSplit holds siteWords' two shortcuts to what they stand
// for: appendFields to strings.FieldsFunc with isSpaceOrHyphen, on random
// texts with every kind of separator, and siteWordSets to notName and
// notPerson, for each of their words in three cases and a few others.
func TestSiteWordsSplit(t *testing.T) {
	pieces := []string{" ", "  ", "\t", "\n", "\v", "\f", "\r", "-", "\u0085", "\u00a0", "\u2003", "\u3000",
		"\u00e9", "\xff", "\xe2\x80", "Golden", "Sun", "K99", "the", "THE", "_", ",", "’s"}
	r := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		s := randomString(r, pieces, 12)
		got := appendFields(nil, s)
		want := strings.FieldsFunc(s, isSpaceOrHyphen)
		if len(want) == 0 {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Fatalf("appendFields(%q) = %q, want %q", s, got, want)
		}
	}
	var words []string
	for _, set := range []*wordTable[bool]{&notName, &notPerson} {
		for w := range set.all() {
			words = append(words, w, strings.ToUpper(w), strings.ToUpper(w[:1])+w[1:])
		}
	}
	words = append(words, "Golden", "International", "Ktv", "K\u212av", "Café", "")
	for _, w := range words {
		got := inLower(&siteWordSets, w)
		if got&inNotName != 0 != inLower(&notName, w) || got&inNotPerson != 0 != inLower(&notPerson, w) {
			t.Fatalf("siteWordSets of %q: %b; notName %v, notPerson %v", w, got, inLower(&notName, w), inLower(&notPerson, w))
		}
	}
}
