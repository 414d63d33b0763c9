package gazetteer

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/gazetteer/internal/schema"
)

// minAliases is the gazetteer size the benchmark must cover: the shipped
// file plus synthetic compounds up to this many patterns, so the numbers
// hold as the gazetteer grows.
const minAliases = 2000

// benchGazetteer is the shipped gazetteer, padded with synthetic records.
func benchGazetteer(b *testing.B) *Gazetteer {
	b.Helper()
	var f schema.File
	if err := yaml.Unmarshal(config.DefaultGazetteer(), &f); err != nil {
		b.Fatal(err)
	}
	g, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; len(g.m.pats) < minAliases; i++ {
		for j := range 200 {
			n := i*200 + j
			f.Compounds = append(f.Compounds, schema.Entry{
				ID: fmt.Sprintf("synthetic-%d", n), Name: fmt.Sprintf("%s %s Tower %d", word(rng), word(rng), n),
				Kind:    "building",
				Aliases: []string{fmt.Sprintf("%s %s Park", word(rng), word(rng)), fmt.Sprintf("%s%d", word(rng), n)},
			})
		}
		data, err := yaml.Marshal(&f)
		if err != nil {
			b.Fatal(err)
		}
		if g, err = Load(data); err != nil {
			b.Fatal(err)
		}
	}
	return g
}

func word(rng *rand.Rand) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	w := []byte{byte('A' + rng.IntN(26))}
	for range 3 + rng.IntN(6) {
		w = append(w, letters[rng.IntN(26)])
	}
	return string(w)
}

// generatedText is news-like English with a sprinkling of names.
func generatedText(size int) string {
	rng := rand.New(rand.NewPCG(3, 4))
	common := strings.Fields("the police said that workers were held in a building near the border and many of them had been promised jobs in the city before they were taken across by car at night while officials denied any knowledge of the raid which came after weeks of reports")
	names := []string{"Sihanoukville", "Huang Le compound", "Chen Zhi", "Poipet", "Kandal province", "KB casino", "Try Pheap", "Phnom Penh", "Bokor"}
	var sb strings.Builder
	for sb.Len() < size {
		if rng.IntN(40) == 0 {
			sb.WriteString(names[rng.IntN(len(names))])
		} else {
			sb.WriteString(common[rng.IntN(len(common))])
		}
		if rng.IntN(15) == 0 {
			sb.WriteString(". ")
		} else {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

func BenchmarkFind(b *testing.B) {
	g := benchGazetteer(b)
	b.Run("generated", func(b *testing.B) {
		text := generatedText(1 << 20)
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			g.Find(text)
		}
		b.ReportMetric(float64(len(g.m.pats)), "patterns")
	})
	b.Run("corpus", func(b *testing.B) {
		docs, _ := filepath.Glob(filepath.Join(repoRoot(b), "..", "shared", "corpus", "docs", "*.txt"))
		if len(docs) == 0 {
			b.Skip("shared corpus not found (expected <repo>/../shared/corpus/docs)")
		}
		var sb strings.Builder
		for sb.Len() < 1<<20 {
			for _, d := range docs {
				data, err := os.ReadFile(d)
				if err != nil {
					b.Fatal(err)
				}
				sb.Write(data)
				sb.WriteString("\n\n")
			}
		}
		text := sb.String()
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			g.Find(text)
		}
		b.ReportMetric(float64(len(g.m.pats)), "patterns")
	})
}
