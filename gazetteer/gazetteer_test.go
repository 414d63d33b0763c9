package gazetteer

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer/internal/refgen"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

func defaultGaz(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// found is "type:id=mention|mention" for every entity, for compact tables.
func found(es []document.Entity) []string {
	var out []string
	for _, e := range es {
		var ms []string
		for _, m := range e.Mentions {
			ms = append(ms, m.Text)
		}
		out = append(out, e.Type+":"+e.ID+"="+strings.Join(ms, "|"))
	}
	return out
}

// TestAppendAliases holds AppendAliases to its definition, the records'
// aliases (Entity) together, sorted and each once, appended to what dst
// holds, on random sets of ids with repeats and unknown ids, from
// goroutines sharing the gazetteer's recycled sets.
func TestAppendAliases(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range g.Records("") {
		ids = append(ids, r.ID)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for range 2000 {
				pick := []string{"no-such-id"}
				for range rng.IntN(40) {
					pick = append(pick, ids[rng.IntN(len(ids))])
				}
				pick = append(pick, pick[rng.IntN(len(pick))])
				var want []string
				for _, id := range pick {
					r, _ := g.Entity(id)
					want = append(want, r.Aliases...)
				}
				slices.Sort(want)
				want = slices.Compact(want)
				if len(want) == 0 {
					want = nil
				}
				if got := g.AppendAliases(nil, pick); !slices.Equal(got, want) {
					t.Errorf("AppendAliases(nil, %q)\n= %q\nwant %q", pick, got, want)
					return
				}
				head := []string{"own name"}
				if got := g.AppendAliases(head, pick); !slices.Equal(got, append([]string{"own name"}, want...)) {
					t.Errorf("AppendAliases(%q, %q)\n= %q\nwant the aliases after it", head, pick, got)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := g.AppendAliases(nil, nil); got != nil {
		t.Errorf("AppendAliases(nil, nil) = %q", got)
	}
}

func TestFind(t *testing.T) {
	g := defaultGaz(t)
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"aliases merge to one site", "Inside Huang Le compound, registered as Majestic 2 casino, and the 黄乐 site.",
			[]string{"compound:huang-le-majestic-two=Huang Le compound|Majestic 2 casino|黄乐"}},
		{"head noun joins the mention", "The KB casino, known as the Kaibo compound.",
			[]string{"compound:kb-hotel-casino=KB casino|Kaibo compound"}},
		{"head-only alias needs its head noun", "Bokor compound; Bokor mountain.",
			[]string{"compound:bokor-thansur-sokha=Bokor compound", "province:kampot=Bokor|Bokor"}},
		{"SEZ spelt out and province inside it", "the MDS Thmor Da special economic zone in Cambodia",
			[]string{"compound:mds-henghe-thmorda-sez=MDS Thmor Da special economic zone", "province:pursat=Thmor Da"}},
		{"numbered branch", "an ID card for Jinbei 1 in Cambodia", []string{"compound:jin-bei-casino-hotel=Jinbei 1"}},
		{"towns to provinces", "From Poipet to Bavet, Anlong Veng and Chrey Thom in Cambodia.",
			[]string{"province:banteay-meanchey=Poipet", "province:svay-rieng=Bavet", "province:oddar-meanchey=Anlong Veng", "province:kandal=Chrey Thom"}},
		{"Sihanoukville is Preah Sihanouk", "Sihanoukville province and Preah Sihanouk’s governor",
			[]string{"province:preah-sihanouk=Sihanoukville|Preah Sihanouk"}},
		{"Koh Thom is both a casino and a district", "the Koh Thom casino complex in Kandal province",
			[]string{"compound:golden-phoenix-koh-thom=Koh Thom casino complex", "province:kandal=Koh Thom|Kandal province"}},
		{"a designator in lower case", "raids in Sihanouk province and in sihanouk Province, not in the sihanouk province",
			[]string{"province:preah-sihanouk=Sihanouk province"}},
		{"Khmer and Chinese script", "ខេត្តកំពត និង 西哈努克省", []string{"province:kampot=កំពត", "province:preah-sihanouk=西哈努克省"}},
		{"diacritics and case", "PHNOM PENH and Phnum Pénh", []string{"province:phnom-penh=PHNOM PENH|Phnum Pénh"}},
		{"traditional characters for simplified names", "柬埔寨警方在金邊截獲一批人，他們原本要被送往水溝谷。",
			[]string{"province:phnom-penh=金邊", "compound:shwe-kokko-yatai-new-city=水溝谷"}},
		{"a space where Latin meets Chinese", "軍方突擊 KK 園區後，又搜查了KK园区旁的宿舍。", []string{"compound:kk-park=KK 園區|KK园区"}},
		{"hyphen, apostrophe, spaces", "O-Smach Resort, O'Smach, and O  Smach\nResort",
			[]string{"compound:osmach-resort=O-Smach Resort|O  Smach\nResort", "province:oddar-meanchey=O-Smach|O'Smach|O  Smach"}},
		{"ampersand", "Jin Bei Casino and Hotel", []string{"compound:jin-bei-casino-hotel=Jin Bei Casino and Hotel"}},
		{"tycoons by alias", "tycoon Kuong Li, who is Ly Kuong, and Try Pheap", []string{"tycoon:ly-kuong=Kuong Li|Ly Kuong", "tycoon:try-pheap=Try Pheap"}},
		{"companies are left out", "Prince Group and HuiOne", nil},
		{"company name does not become a person", "Try Pheap Group", nil},
		{"lower case is not a name", "try pheap; hun to the shops", nil},
		{"inside a longer word", "Kandalx and xKandal and Bavets", nil},
		{"guarded needs Cambodia", "Takeo and Kep and Pailin", nil},
		{"guarded with Cambodia", "Takeo and Kep and Pailin, Cambodia",
			[]string{"province:takeo=Takeo", "province:kep=Kep", "province:pailin=Pailin"}},
		{"guarded with a place cue", "Kep province", []string{"province:kep=Kep"}},
		{"stop phrase", "Kampot pepper from Cambodia", nil},
		{"a newspaper is no place", "the Phnom Penh Post reports from Phnom Penh", []string{"province:phnom-penh=Phnom Penh"}},
		{"they in Khmer is not Puok", "ពួកគេ និងបក្សពួក ត្រូវបានចាប់ខ្លួននៅស្រុកពួក", []string{"province:siem-reap=ពួក"}},
		{"half in Khmer is not Kandal", "ពាក់កណ្តាលអធ្រាត្រ នៅភូមិបាវិតកណ្តាល និងខេត្ត កណ្តាល", []string{"province:kandal=កណ្តាល"}},
		{"subscript da is ta", "នៅខេត្តកណ្ដាល", []string{"province:kandal=កណ្ដាល"}},
		{"a boss in Khmer", "អ្នកឧកញ៉ា លី យ៉ុងផាត់ និងលោក លី គួង", []string{"tycoon:ly-yong-phat=លី យ៉ុងផាត់", "tycoon:ly-kuong=លី គួង"}},
		{"Moc Bai is not mapped", "the Moc Bai border gate in Cambodia", nil},
		{"a head-only name takes its head in the plural", "the Heng Heng compounds", []string{"compound:heng-heng-bavet=Heng Heng compounds"}},
		{"or from the end of a list", "crowds left the Crown, Moc Bai and Heng Heng compounds",
			[]string{"compound:bavet-moc-bai-casino=Moc Bai", "compound:heng-heng-bavet=Heng Heng compounds"}},
		{"a list's last name may take a description", "near Moc Bai, Heng Heng and Blue Lotus waterfall resorts",
			[]string{"compound:bavet-moc-bai-casino=Moc Bai", "compound:heng-heng-bavet=Heng Heng"}},
		{"a list needs names, commas and its head", "Moc Bai and other compounds; Moc Bai. Jinbei compounds; Moc Bai and Jinbei schools",
			[]string{"compound:jin-bei-casino-hotel=Jinbei|Jinbei"}},

		{"Sihanouk the king is not a province", "King Norodom Sihanouk of Cambodia", nil},
		{"Zhao Wei needs a linked entity or Cambodia", "the actress Zhao Wei", nil},
		// Issue 12: names are not cut, regions and firms are not sites,
		// provinces inside names are not places.
		{"Resorts World is part of the name", "licences held by Golden Fortune Resorts World in Cambodia",
			[]string{"compound:golden-fortune-science-technology-park=Golden Fortune Resorts World"}},
		{"Science and Technology Park is part of the name", "guards at Golden Fortune Science and Technology Park",
			[]string{"compound:golden-fortune-science-technology-park=Golden Fortune Science and Technology Park"}},
		{"a region is not a site", "bosses from Laukkaing and the Kokang Self-Administered Zone", nil},
		{"but it is context for a guarded name", "果敢的明学昌已死亡。", []string{"tycoon:ming-xuechang=明学昌"}},
		{"a guarded name without context", "明学昌已死亡。", nil},
		{"another region", "traffickers moved workers through Tangyan", nil},
		{"a firm is not the site", "Jinbei Group and the Zun Yuan Technology Incorporated", nil},
		{"the site beside its firm", "Jinbei 4 casino is run by the Jinbei Group", []string{"compound:jin-bei-casino-hotel=Jinbei 4 casino"}},
		{"capital inside a hotel name", "guests at the Phnom Penh Hotel", []string{"compound:phnom-penh-hotel-lyp=Phnom Penh Hotel"}},
		{"province inside a resort name", "workers left Koh Kong Resort for Koh Kong town",
			[]string{"compound:koh-kong-resort=Koh Kong Resort", "province:koh-kong=Koh Kong town"}},
		{"capital in a temple name", "monks of Wat Phnom Penh; Kandal pagoda fair; Phnom Penh streets",
			[]string{"province:phnom-penh=Phnom Penh"}},
		{"a town inside a name still counts", "the O-Smach Resort casino", []string{"compound:osmach-resort=O-Smach Resort casino", "province:oddar-meanchey=O-Smach"}},
		{"Zhao Wei with the Golden Triangle SEZ", "Zhao Wei and the Golden Triangle SEZ",
			[]string{"tycoon:zhao-wei=Zhao Wei", "compound:golden-triangle-sez=Golden Triangle SEZ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := found(g.Find(tt.text))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Find(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestFindMentions(t *testing.T) {
	g := defaultGaz(t)
	text := "“Sihanoukville’s Huang Le compound” — owned by tycoon Kuong Li.\nKuong Li said so in Sihanoukville."
	es := g.Find(text)
	if len(es) != 3 {
		t.Fatalf("got %q", found(es))
	}
	for _, e := range es {
		if !e.Known || e.Confidence <= 0.6 || e.Confidence > 1 || e.Name == "" || e.Kind == "" {
			t.Errorf("%s: bad fields %+v", e.ID, e)
		}
		for _, m := range e.Mentions {
			if text[m.Start:m.End] != m.Text || m.Context != "" {
				t.Errorf("%s: mention %+v does not match the text, or has a context (a reader cuts its own)", e.ID, m)
			}
		}
	}
	// First-mention order: the province comes first.
	if es[0].ID != "preah-sihanouk" || len(es[0].Mentions) != 2 {
		t.Errorf("order/mentions: %q", found(es))
	}
	if got := g.Find(text); !slices.EqualFunc(got, es, func(a, b document.Entity) bool { return a.ID == b.ID && len(a.Mentions) == len(b.Mentions) }) {
		t.Error("Find is not deterministic")
	}
}

func TestFindUncertain(t *testing.T) {
	g := defaultGaz(t)
	es := g.Find("GC Casino in Sihanoukville")
	if len(es) == 0 || es[0].ID != "gc-casino" || !es[0].Uncertain {
		t.Fatalf("want uncertain gc-casino first, got %+v", es)
	}
}

func TestCompaniesOption(t *testing.T) {
	g := defaultGaz(t)
	got := found(g.FindWith("Prince Group and HuiOne in Cambodia", FindOptions{Companies: true}))
	want := []string{"tycoon:prince-holding-group=Prince Group", "tycoon:huione-group=HuiOne"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestOrdinaryProse: a page of everyday English full of words that are also
// aliases (ream, crown, prince, kep, Takeo, Pailin, Westport…) tags nothing.
func TestOrdinaryProse(t *testing.T) {
	g := defaultGaz(t)
	text, err := os.ReadFile(filepath.Join("testdata", "ordinary-prose.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if es := g.Find(string(text)); len(es) > 0 {
		t.Errorf("ordinary prose tagged %q", found(es))
	}
}

func TestResolve(t *testing.T) {
	g := defaultGaz(t)
	tests := []struct{ typ, name, want string }{
		{document.Province, "Preah Sihanouk", "preah-sihanouk"},
		{document.Province, "sihanoukville", "preah-sihanouk"},
		{document.Province, "  Phnom  Penh ", "phnom-penh"},
		{document.Province, "Poipet", "banteay-meanchey"},
		{document.Province, "西港", "preah-sihanouk"},
		{"", "Majestic Two", "huang-le-majestic-two"},
		{"", "黄乐", "huang-le-majestic-two"},
		{"", "Koh Thom", "kandal"},
		{document.Compound, "Koh Thom", "golden-phoenix-koh-thom"},
		{document.Tycoon, "Li Kuong", "ly-kuong"},
		{"", "HuiOne", "huione-group"},
		{"", "chen-zhi", "chen-zhi"},
		{document.Province, "Huang Le", ""},
		{"", "nowhere at all", ""},
	}
	for _, tt := range tests {
		got, ok := g.Resolve(tt.typ, tt.name)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q", tt.typ, tt.name, got, ok, tt.want)
		}
	}
}

// Lookup lists every record a name denotes, where Resolve picks one.
func TestLookup(t *testing.T) {
	g := defaultGaz(t)
	for _, tt := range []struct {
		typ, name string
		want      []string
	}{
		{"", "Koh Thom", []string{"golden-phoenix-koh-thom", "kandal"}},
		{document.Compound, "Koh Thom", []string{"golden-phoenix-koh-thom"}},
		{"", "黄乐", []string{"huang-le-majestic-two"}},
		{"", "chen-zhi", []string{"chen-zhi"}},
		{document.Province, "Huang Le", nil},
		{"", "nowhere at all", nil},
	} {
		got := g.Lookup(tt.typ, tt.name)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Lookup(%q, %q) = %q, want %q", tt.typ, tt.name, got, tt.want)
		}
		if r, ok := g.Resolve(tt.typ, tt.name); ok != (len(got) > 0) || ok && !slices.Contains(got, r) {
			t.Errorf("Lookup(%q, %q) = %q disagrees with Resolve = %q", tt.typ, tt.name, got, r)
		}
	}
}

func TestRecords(t *testing.T) {
	g := defaultGaz(t)
	if n := len(g.Records(document.Province)); n != 25 {
		t.Errorf("%d provinces, want 25", n)
	}
	if len(g.Records(document.Compound)) < 50 || len(g.Records(document.Tycoon)) < 100 {
		t.Error("too few compounds or tycoons")
	}
	r, ok := g.Entity("huang-le-majestic-two")
	if !ok || r.Type != document.Compound || r.Province != "preah-sihanouk" || r.Country != "Cambodia" ||
		!slices.Contains(r.Links, "ly-kuong") || !slices.Contains(r.Aliases, "Majestic Two casino") ||
		!slices.Contains(r.Scripts["zh"], "黄乐") || !slices.Contains(r.ScriptsUnverified, "zh") {
		t.Errorf("huang-le record: %+v", r)
	}
	p, _ := g.Entity("ly-kuong")
	if p.Kind != "person" || !slices.Contains(p.Links, "huang-le-majestic-two") {
		t.Errorf("links are not both ways: %+v", p)
	}
	k, _ := g.Entity("chen-zhi")
	if len(k.Sanctions) == 0 || k.Sanctions[0].Date != "2025-10-14" {
		t.Errorf("sanctions: %+v", k.Sanctions)
	}
	// Records are copies: changing one does not change the gazetteer.
	r.Aliases[0] = "changed"
	if again, _ := g.Entity("huang-le-majestic-two"); again.Aliases[0] == "changed" {
		t.Error("Entity shares its slices with the gazetteer")
	}
	again, _ := g.Entity("huang-le-majestic-two")
	one := []string{"huang-le-majestic-two"}
	if as, want := g.AppendAliases(nil, one), slices.Sorted(slices.Values(again.Aliases)); !slices.Equal(as, want) {
		t.Errorf("AppendAliases = %q, want the record's, sorted: %q", as, want)
	} else if as[0] = "changed"; g.AppendAliases(nil, one)[0] == "changed" {
		t.Error("AppendAliases shares its slice with the gazetteer")
	}
	if as := g.AppendAliases(nil, []string{"no-such-id"}); as != nil {
		t.Errorf("AppendAliases of an unknown id = %q", as)
	}
	if len(g.Version()) != 12 {
		t.Errorf("version %q", g.Version())
	}
}

func TestLoadErrors(t *testing.T) {
	base := "version: 1\nprovinces:\n  - {id: kandal, name: Kandal}\ncompounds:\n  - {id: a-site, name: A Site, province: kandal}\ntycoons: []\n"
	if _, err := Load([]byte(base)); err != nil {
		t.Fatalf("minimal file: %v", err)
	}
	tests := []struct{ name, data, want string }{
		{"empty", "", "empty"},
		{"unknown key", base + "colour: red\n", "line 7"},
		{"unknown entry key", strings.Replace(base, "name: A Site", "nam: A Site", 1), "line 5"},
		{"bad version", strings.Replace(base, "version: 1", "version: 2", 1), "version"},
		{"duplicate id", strings.Replace(base, "a-site", "kandal", 1), `compounds[0] (line 5): id "kandal" already used by provinces[0] (line 3)`},
		{"unknown province", strings.Replace(base, "province: kandal", "province: mars", 1), `compounds[0] (line 5): a-site: province "mars"`},
		{"bad id", strings.Replace(base, "a-site", "A Site", 1), "compounds[0] (line 5)"},
		{"alias collision", strings.Replace(base, "tycoons: []", "tycoons:\n  - {id: x, name: A Site, kind: person}\n  - {id: y, name: Y, kind: person, aliases: [a site]}", 1), `tycoons[1] (line 8): y: alias "a site" also names x at tycoons[0] (line 7)`},
		{"bad kind", strings.Replace(base, "tycoons: []", "tycoons:\n  - {id: x, name: X}", 1), "tycoons[0] (line 7): x: kind"},
		{"bad link", strings.Replace(base, "province: kandal", "province: kandal, links: [nobody]", 1), `link "nobody"`},
	}
	for _, tt := range tests {
		_, err := Load([]byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "g.yaml")
	data := "version: 1\nprovinces:\n  - {id: kandal, name: Kandal}\ncompounds: []\ntycoons: []\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	g, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := found(g.Find("Kandal")); !slices.Equal(got, []string{"province:kandal=Kandal"}) {
		t.Errorf("override file: got %q", got)
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestGeneratedFileIsCurrent: config/gazetteer.yaml is what the generator
// makes from the reference, so nobody edits the shipped file by hand and a
// reference change is not forgotten.
func TestGeneratedFileIsCurrent(t *testing.T) {
	ref := repotest.Shared(t, "reference")
	want, err := refgen.Generate(ref)
	if err != nil {
		t.Fatal(err)
	}
	if got := config.DefaultGazetteer(); !bytes.Equal(got, want) {
		t.Errorf("config/gazetteer.yaml is stale: run `go generate ./gazetteer/`")
	}
}

func FuzzFind(f *testing.F) {
	g := defaultGaz(f)
	for _, s := range []string{"Huang Le compound", "Kep province", "O-Smach\u0301 Resort", "K.B Hotel & Casino", "軍方突擊 KK 園區", "㑮水溝谷KK園區"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var starts []int // rune starts as DecodeRune walks them
		for i := 0; i < len(text); {
			starts = append(starts, i)
			_, n := utf8.DecodeRuneInString(text[i:])
			i += n
		}
		starts = append(starts, len(text))
		for _, e := range g.FindWith(text, FindOptions{Companies: true}) {
			if len(e.Mentions) == 0 {
				t.Fatalf("%s has no mentions", e.ID)
			}
			for _, m := range e.Mentions {
				if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
					t.Fatalf("%s: bad offsets %d..%d in %d bytes", e.ID, m.Start, m.End, len(text))
				}
				if !slices.Contains(starts, m.Start) || !slices.Contains(starts, m.End) {
					t.Fatalf("%s: offsets %d..%d not on rune boundaries", e.ID, m.Start, m.End)
				}
				if text[m.Start:m.End] != m.Text {
					t.Fatalf("%s: text %q != slice %q", e.ID, m.Text, text[m.Start:m.End])
				}
			}
		}
	})
}

// TestVariantKey: the spellings of one name meet, different names do not.
// The pairs are written for this test.
func TestVariantKey(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"Mok Bay", "Moc Bai", true},           // c/k, ai/ay
		{"Zhen Zhen", "Zhenzhen", true},        // spacing
		{"Chan-Thol", "Chanthol", true},        // hyphen
		{"Phalla", "Pala", true},               // ph/p, doubled letters
		{"Kuoch Sophea", "Kuoc Sopea", true},   // h after a consonant (Khmer)
		{"Hsu Wei", "Xu Wei", true},            // Wade-Giles / pinyin
		{"Lee Heng", "Ly Heng", true},          // ee/y
		{"Srey Leak", "Srei Lek", true},        // ey/ei, ea/e
		{"Dòng Lèchéng", "Dong Lecheng", true}, // tones
		{"Moc Bai", "Mong Bai", false},
		{"Heng He", "Heng Heng", false},
		{"Try Pheap", "Tri Peap", true},
		{"Chen Zhi", "Chen Zhe", false},
	}
	for _, tt := range tests {
		if got := variantKey(tt.a) == variantKey(tt.b); got != tt.same {
			t.Errorf("variantKey(%q)=%q, variantKey(%q)=%q: same=%v, want %v", tt.a, variantKey(tt.a), tt.b, variantKey(tt.b), got, tt.same)
		}
	}
}

func TestVariants(t *testing.T) {
	g := defaultGaz(t)
	tests := []struct {
		typ, name string
		want      []string // id, with "~" for a proposal that is not exact
	}{
		{document.Compound, "Mok Bay Casino", []string{"bavet-moc-bai-casino"}},
		{document.Compound, "Mok Bai compound", []string{"bavet-moc-bai-casino"}},
		{document.Tycoon, "Ming Zhen Zhen", []string{"ming-zhenzhen"}},
		{document.Tycoon, "Kuong Lee", []string{"ly-kuong"}},
		{document.Tycoon, "Ming Xuechen", []string{"~ming-xuechang"}},
		{document.Tycoon, "Xiao Cheng", nil},           // two letters from Xiao Long, but another given name
		{document.Tycoon, "Ly Kuong", nil},             // known as written
		{document.Compound, "Sunrise Bay Casino", nil}, // nothing like it
		{document.Tycoon, "Hun Sen", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, v := range g.Variants(tt.typ, tt.name) {
			id := v.ID
			if !v.Exact {
				id = "~" + id
			}
			got = append(got, id)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Variants(%s, %q) = %q, want %q", tt.typ, tt.name, got, tt.want)
		}
	}
}

// TestOverlay: an editor's link makes a name an alias of the entity, for
// matching and Resolve, and is kept in the overlay file.
func TestOverlay(t *testing.T) {
	g := defaultGaz(t)
	path := filepath.Join(t.TempDir(), OverlayFile)
	text := "Guards left Sunrise Palms Casino at dawn."
	if got := found(g.Find(text)); got != nil {
		t.Fatalf("before the link: %q", got)
	}
	ng, err := g.AddLink(path, Link{Name: "Sunrise  Palms Casino", ID: "bavet-moc-bai-casino", By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := found(ng.Find(text)), []string{"compound:bavet-moc-bai-casino=Sunrise Palms Casino"}; !slices.Equal(got, want) {
		t.Errorf("after the link: %q, want %q", got, want)
	}
	if ng.Version() == g.Version() {
		t.Error("the version did not change with the link")
	}
	links, err := ReadOverlay(path)
	if err != nil || len(links) != 1 || links[0].Name != "Sunrise Palms Casino" || links[0].Type != document.Compound || links[0].Decided == "" {
		t.Fatalf("overlay file: %+v, %v", links, err)
	}
	again, err := g.WithLinks(links)
	if err != nil || again.Version() != ng.Version() {
		t.Errorf("reloading the overlay: %v, version %s, want %s", err, again.Version(), ng.Version())
	}
	for _, tt := range []struct {
		link Link
		want string
	}{
		{Link{Name: "Other Name", ID: "no-such-id"}, `no entity "no-such-id"`},
		{Link{Name: "Moc Bai Casino", ID: "bavet-moc-bai-casino"}, "already names bavet-moc-bai-casino"},
		{Link{Name: "Moc Bai Casino", ID: "a7-park-bavet"}, "already names another entity"},
		{Link{Name: "Bavet town", ID: "svay-rieng"}, "is a province"},
	} {
		if _, err := ng.AddLink(path, tt.link); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("AddLink(%+v) = %v, want %q", tt.link, err, tt.want)
		}
	}
	if err := os.WriteFile(path, []byte("links:\n  - {name: X, id: y, colour: red}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadOverlay(path); err == nil || !strings.Contains(err.Error(), "colour") {
		t.Errorf("unknown key: %v", err)
	}
}
