package alerts

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

func TestZZGolden(t *testing.T) {
	out := os.Getenv("ZZ_OUT")
	if out == "" {
		t.Skip()
	}
	g := testGazetteer(t)
	v := Validator{Gazetteer: g}
	recs := g.Records("")
	words := strings.Fields("trafficking trafficing rescued resued casino casinos raid workers wrokers deported deportd sanctions sanctoins investors scam police " +
		"bank crypto laundering laundrering londering court embassy passport pasport visa border hotel zone election minister tycoon ring " +
		"victims ransom torture escape guards wages loans bonds shares exports rice rubber garments tourism airport railway 黄乐 园区 sihanoukvílle kompong compund compounds 2023 300")
	provs := []string{"Banteay Meanchey", "Preah Sihanouk", "Svay Rieng"}
	var subs []*Subscription
	for i := range 1000 {
		s := Spec{Atom: true}
		switch i % 4 {
		case 0:
			s.Entities = []string{recs[(i*7)%len(recs)].ID}
		case 1:
			s.Query = words[(i*13)%len(words)] + " " + words[(i*29+3)%len(words)]
		case 2:
			s.Query = words[(i*17)%len(words)]
			if i%8 == 2 {
				s.Provinces = []string{provs[i%3]}
			}
		case 3:
			s.Query = words[(i*5)%len(words)] + " " + words[(i*11+1)%len(words)] + " " + words[(i*3+7)%len(words)]
		}
		sub, err := v.New(s)
		if err != nil {
			t.Fatal(err)
		}
		sub.ID = fmt.Sprintf("s%04d", i)
		subs = append(subs, sub)
	}
	p, err := NewPercolator(subs, nil)
	if err != nil {
		t.Fatal(err)
	}
	x := extractor.New(g)
	texts := repotest.Articles(t, 300)
	files, _ := os.ReadDir("../examples")
	for _, f := range files {
		b, _ := os.ReadFile("../examples/" + f.Name())
		texts = append(texts, string(b))
	}
	fh, _ := os.Create(out)
	defer fh.Close()
	enc := json.NewEncoder(fh)
	for i, text := range texts {
		d := tag(t, x, fmt.Sprint(i), "", text)
		for _, h := range p.Match(d) {
			enc.Encode(map[string]any{"doc": i, "sub": h.Sub.ID, "matches": h.Matches})
		}
	}
}
