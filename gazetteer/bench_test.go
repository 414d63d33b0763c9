package gazetteer_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/gazetteer/gazettest"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// minPatterns is the gazetteer size the benchmark covers, as the issue
// asks for a full gazetteer of at least 2,000 aliases.
const minPatterns = 2000

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
	g := gazettest.Padded(b, minPatterns)
	b.Run("generated", func(b *testing.B) {
		text := generatedText(1 << 20)
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			g.Find(text)
		}
		b.ReportMetric(float64(g.Patterns()), "patterns")
	})
	b.Run("corpus", func(b *testing.B) {
		docs, _ := filepath.Glob(filepath.Join(repotest.Shared(b, "corpus", "docs"), "*.txt"))
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
		b.ReportMetric(float64(g.Patterns()), "patterns")
	})
}
