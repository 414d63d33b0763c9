// Package gazettest builds gazetteers for tests and benchmarks.
package gazettest

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/gazetteer/internal/schema"
)

// Padded returns the shipped gazetteer plus synthetic compounds (each with
// a name and two aliases) until it matches at least min patterns, so that
// speed is measured at the size a grown gazetteer will have, not at
// today's. The padding is the same on every call.
func Padded(tb testing.TB, min int) *gazetteer.Gazetteer {
	tb.Helper()
	var f schema.File
	if err := yaml.Unmarshal(config.DefaultGazetteer(), &f); err != nil {
		tb.Fatal(err)
	}
	g, err := gazetteer.Default()
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; g.Patterns() < min; i++ {
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
			tb.Fatal(err)
		}
		if g, err = gazetteer.Load(data); err != nil {
			tb.Fatal(err)
		}
	}
	return g
}

// word is a capitalised made-up word, unlikely to occur in real text.
func word(rng *rand.Rand) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	w := []byte{byte('A' + rng.IntN(26))}
	for range 3 + rng.IntN(6) {
		w = append(w, letters[rng.IntN(26)])
	}
	return string(w)
}
