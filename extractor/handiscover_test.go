package extractor

import (
	"slices"
	"testing"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
)

// TestHanDiscover: persons named in Chinese after a boss's role, each
// with the names listed after it that share the family name, and sites
// marked by quotes or Latin capitals; officials, common words after a
// role and generic sites are not candidates. Names are identified in
// simplified characters, and mentioned as printed.
func TestHanDiscover(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	for _, c := range []struct {
		name, text string
		want       []string // type:name=mention|mention
	}{
		{"a ringleader, then a list with his family name", "警方称，该团伙头目王德海、王德福兄弟已被押回，首犯李明则在逃。",
			[]string{"tycoon:王德海=王德海", "tycoon:王德福=王德福", "tycoon:李明=李明"}},
		{"a list stops at another family name", "头目范一鸣和郭小川被捕。", []string{"tycoon:范一鸣=范一鸣"}},
		{"traditional characters, named in simplified", "幕後老闆陳偉明已遭起訴，陳偉明的妻子也被帶走。",
			[]string{"tycoon:陈伟明=陳偉明|陳偉明"}},
		{"a quoted park and its boss", "警方突袭“金龙园区”，园区老板林志强被捕。",
			[]string{"compound:金龙园区=金龙园区", "tycoon:林志强=林志强"}},
		{"a quoted name before its site noun", "位于西港的“银河”赌场昨日被查封，“银河”的员工被遣返。", []string{"compound:银河赌场=银河|银河"}},
		{"Latin capitals before a park", "数百人从QQ园区逃出。", []string{"compound:QQ园区=QQ园区"}},
		{"Latin capitals a space before a casino", "有人从 ZZ 賭場 逃出，abcZZ园区不是名字。", []string{"compound:ZZ 赌场=ZZ 賭場"}},
		{"names listed before their role", "法院查明，他引来高振宇、江涛等“金主”，又与徐一凡等武装头目合作。",
			[]string{"tycoon:高振宇=高振宇", "tycoon:江涛=江涛", "tycoon:徐一凡=徐一凡"}},
		{"a count between the names and their role", "严大兴、严小兴、叶文3名犯罪集团重要头目落网。",
			[]string{"tycoon:严大兴=严大兴", "tycoon:严小兴=严小兴", "tycoon:叶文=叶文"}},
		{"headed by", "该团伙以孟庆山、孟庆水为首，在边境设点。", []string{"tycoon:孟庆山=孟庆山", "tycoon:孟庆水=孟庆水"}},
		{"a relative of a boss", "首犯韩光明已落网，他的长子韩东执掌赌场，女儿李娜在读书。",
			[]string{"tycoon:韩光明=韩光明", "tycoon:韩东=韩东"}},
		{"a family listed with notes in brackets", "头目庞文昌（已死亡）、庞文武（另案处理）、庞丽等人被通缉。",
			[]string{"tycoon:庞文昌=庞文昌", "tycoon:庞文武=庞文武", "tycoon:庞丽=庞丽"}},
		{"sites listed before what sums them up", "他租下天马酒店、东风产业园、大石寨、88号楼等9个诈骗园区。",
			[]string{"compound:天马酒店=天马酒店", "compound:东风产业园=东风产业园", "compound:大石寨=大石寨", "compound:88号楼=88号楼"}},
		{"people listed before a park are no sites", "他招来吴海、郑山等多名金主进驻园区。", []string{"tycoon:吴海=吴海", "tycoon:郑山=郑山"}},
		{"the family listed after a known boss", "果敢的明学昌（已死亡）、明小龙（在逃）被列入通缉名单。", []string{"tycoon:明小龙=明小龙"}},
		{"officials are not bosses", "国家主席习近平会见了首相洪玛奈，外交部发言人毛宁表示欢迎。", nil},
		{"words after a role are not names", "头目和骨干共63名被移交，老板本人在逃，老板们不见踪影。", nil},
		{"generic sites are not names", "他们被卖到“诈骗园区”和一处地下赌场。", nil},
		{"a known tycoon is not a candidate", "太子集团创办人陈志被押解回国。", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, e := range x.Extract(document.Raw{Text: c.text}).Entities {
				if e.Known {
					continue
				}
				s := e.Type + ":" + e.Name + "="
				for k, m := range e.Mentions {
					if k > 0 {
						s += "|"
					}
					s += m.Text
				}
				got = append(got, s)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(c.want))
			if !slices.Equal(got, want) {
				t.Errorf("%s\n got %q\nwant %q", c.text, got, want)
			}
		})
	}
}
