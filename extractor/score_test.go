package extractor

// The scorer compares the extractor's output with hand-made gold
// annotations. It runs over every corpus it can find (the shared development
// set and the project's own examples/) with the same matching rules and the
// same thresholds, so tuning on one corpus cannot silently overfit it.
//
//	go test ./extractor/ -run TestScore -v   # table plus per-document detail

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// scoreThresholds is the minimum F1 per type that the shared set and the
// examples must reach.
var scoreThresholds = map[string]float64{
	"compounds": 0.85,
	"tycoons":   0.90,
	"provinces": 0.95,
	"figures":   0.80,
	"events":    0.85,
}

// devset2Thresholds are the bars of issue 12 for the second development
// set, built from reports the extractor was never tuned on.
var devset2Thresholds = map[string]float64{
	"compounds": 0.90,
	"tycoons":   0.90,
	"provinces": 0.97,
	"figures":   0.85,
	"events":    0.85,
}

// devsetZhThresholds are the bars for the reports written in Chinese.
var devsetZhThresholds = map[string]float64{
	"compounds": 0.95,
	"tycoons":   0.95,
	"provinces": 0.95,
	"figures":   0.90,
	"events":    0.92,
}

// devsetZh2Thresholds are the bars for the second development set in
// Chinese, below its scores.
var devsetZh2Thresholds = map[string]float64{
	"compounds": 0.85,
	"tycoons":   0.85,
	"provinces": 0.90,
	"figures":   0.93,
	"events":    0.85,
}

// heldoutZhThresholds are the bars for the held-out reports in Chinese.
var heldoutZhThresholds = map[string]float64{
	"compounds": 0.90, // one compound in the set
	"tycoons":   0.90,
	"provinces": 0.90,
	"figures":   0.70,
	"events":    0.55,
}

// heldoutZh2Thresholds are the bars for the second held-out set in
// Chinese, below its scores: compounds and tycoons it names that the
// gazetteer does not know have no bar.
var heldoutZh2Thresholds = map[string]float64{
	"compounds": 0.6, // two compounds in the set, one in the gazetteer
	"tycoons":   0.9, // five of its eight not in the gazetteer, found by discovery in Chinese
	"provinces": 0.9,
	"figures":   0.8,
	"events":    0.7,
}

// devset3Thresholds are the bars for the third development set in
// English, below its scores.
var devset3Thresholds = map[string]float64{
	"compounds": 0.85,
	"tycoons":   0.85,
	"provinces": 0.95,
	"figures":   0.8,
	"events":    0.88,
}

// heldoutEn2Thresholds are the bars for the second held-out set in
// English, below the scores of its one measurement (2026-12-07, at
// 11af365): compounds 0.333, tycoons 0.667, provinces 1.000, figures
// 0.430, events 0.690.
var heldoutEn2Thresholds = map[string]float64{
	"compounds": 0.3, // three sites in all
	"tycoons":   0.6,
	"provinces": 0.95,
	"figures":   0.4,
	"events":    0.65,
}

// heldoutEn3Thresholds are the bars for the third held-out set in
// English, below the scores of its one measurement (2026-12-07, at
// 7727e26): compounds 0.400 (three sites in all), tycoons 1.000,
// provinces 0.957, figures 0.607, events 0.872. The code before the day's
// rules (269d0db) scored 0.591 on its figures and 0.842 on its events,
// the rest the same.
var heldoutEn3Thresholds = map[string]float64{
	"compounds": 0.35,
	"tycoons":   0.9,
	"provinces": 0.9,
	"figures":   0.55,
	"events":    0.8,
}

// heldoutEn4Thresholds are the bars for the fourth held-out set in
// English, below the scores of its one measurement (2026-12-07, at
// b0432c8): compounds 0.667 (two sites in all), no tycoons, provinces
// 1.000, figures 0.646, events 0.865. The code before the day's rules
// (269d0db) scored 0.633 on its figures, the rest the same.
var heldoutEn4Thresholds = map[string]float64{
	"compounds": 0.6,
	"tycoons":   0.9,
	"provinces": 0.95,
	"figures":   0.6,
	"events":    0.8,
}

// heldoutEn5Thresholds are the bars for the fifth held-out set in
// English, below the scores of its one measurement (2026-12-07, at
// 55650a7, the day's seventh round of rules; c7f6a8f, before the round,
// scored the same): compounds 0.500 (three sites in all), tycoons 0.857,
// provinces 1.000, figures 0.747, events 0.720.
var heldoutEn5Thresholds = map[string]float64{
	"compounds": 0.45,
	"tycoons":   0.8,
	"provinces": 0.95,
	"figures":   0.7,
	"events":    0.65,
}

// heldoutKmThresholds are the bars for the held-out set in Khmer, below
// the scores of its one measurement (2026-12-07, at d4d0be7): compounds
// 0.000 (seven sites named in Khmer or in Latin after a Khmer noun, which
// discovery does not read), tycoons 0.000 (one), provinces 1.000, figures
// 0.830, events 0.889. The code before the Khmer readers (68e8bf7):
// provinces 0.941, figures and events 0.000.
var heldoutKmThresholds = map[string]float64{
	"compounds": 0,
	"tycoons":   0,
	"provinces": 0.95,
	"figures":   0.8,
	"events":    0.85,
}

// devsetKm2Thresholds are the bars for the second development set in
// Khmer, about named sites and bosses, below its scores. Scored first
// (2026-12-07, at d4592e7, before any rule was written from it):
// compounds 0.500, tycoons 0.667, provinces 0.833, figures 0.667, events
// 0.815; before the Khmer readers (68e8bf7): 0.000, 0.000, 0.769, 0.000,
// 0.000; after the rules written from it (5679981): 1.000, 1.000, 1.000,
// 0.848, 0.880.
var devsetKm2Thresholds = map[string]float64{
	"compounds": 0.95,
	"tycoons":   0.95,
	"provinces": 0.95,
	"figures":   0.8,
	"events":    0.85,
}

// heldoutKm2Thresholds are the bars for the second held-out set in
// Khmer, below the scores of its one measurement (2026-12-07, at
// d4592e7, before any rule was written from devset-km2): no compounds in
// its gold (a false one would score 0), tycoons 0.800, provinces 0.889,
// figures 0.846, events 0.833. Before the Khmer readers (68e8bf7):
// tycoons 0.800, provinces 0.800, figures and events 0.000.
var heldoutKm2Thresholds = map[string]float64{
	"compounds": 0,
	"tycoons":   0.75,
	"provinces": 0.85,
	"figures":   0.8,
	"events":    0.8,
}

// devsetKmThresholds are the bars for the development set in Khmer,
// below its scores. Scored first (2026-12-07, at 604da05, the Khmer
// readers written before the set was read): compounds 0.000 (one site,
// "កាស៊ីណូ «មេចេស៊ី»", which discovery does not read in Khmer), no
// tycoons, provinces 0.848, figures 0.750, events 0.867; the code before
// them (68e8bf7) read no Khmer figure or date (0.000, 0.000).
var devsetKmThresholds = map[string]float64{
	"compounds": 0,
	"tycoons":   0.9,
	"provinces": 0.95,
	"figures":   0.85,
	"events":    0.85,
}

// devset4Thresholds are the bars for the fourth development set in
// English, below its scores. Scored first (2026-12-07, before any rule
// was written from it): compounds 0.778, tycoons 0.667, provinces 1.000,
// figures 0.684, events 0.696.
var devset4Thresholds = map[string]float64{
	"compounds": 0.7,
	"tycoons":   0.9,
	"provinces": 0.95,
	"figures":   0.75,
	"events":    0.68,
}

// devset5Thresholds are the bars for the fifth development set in
// English, about figures, below its scores. Scored first (2026-12-07, at
// 1ae8a38, before any rule was written from it): compounds 0.500 (three
// in all), tycoons none to find, provinces 1.000, figures 0.718, events
// 0.774.
// devset6Thresholds are the bars for the sixth development set in
// English, about entities, below its scores. Scored first (2026-12-07, at
// e67a1a4, before any rule was written from it): compounds 0.800,
// tycoons 0.786, provinces 1.000, figures 0.857, events 0.857.
// devset7Thresholds are the bars for the seventh development set in
// English, about dated events, below its scores. Scored first
// (2026-12-07, at 90f5425, before any rule was written from it):
// compounds 0.667 (one in all), tycoons 0.800, provinces 0.923, figures
// 0.667, events 0.725.
// devset8Thresholds are the bars for the eighth development set in
// English, about figures in the coverage of 2019 to 2023, below its
// scores. Scored first (2026-12-07, at d33051f, before any rule was
// written from it): compounds 0.667 (two in all), no tycoons, provinces
// 1.000, figures 0.720, events 0.732.
var devset8Thresholds = map[string]float64{
	"compounds": 0.6,
	"tycoons":   0.9,
	"provinces": 0.95,
	"figures":   0.68,
	"events":    0.7,
}

// devset9Thresholds are the bars for the ninth development set in
// English, about sites the gazetteer lacks (ten of its fourteen), below
// its scores. Scored first (2026-12-07, at 7737b60, before any rule was
// written from it): compounds 0.500, tycoons 0.000 (one in all),
// provinces 1.000, figures 0.723, events 0.800.
var devset9Thresholds = map[string]float64{
	"compounds": 0.65,
	"tycoons":   0, // one in all, a militia colonel named only by rank
	"provinces": 0.95,
	"figures":   0.65,
	"events":    0.7,
}

var devset7Thresholds = map[string]float64{
	"compounds": 0.6,
	"tycoons":   0.75,
	"provinces": 0.9,
	"figures":   0.62,
	"events":    0.7,
}

var devset6Thresholds = map[string]float64{
	"compounds": 0.75,
	"tycoons":   0.75,
	"provinces": 0.95,
	"figures":   0.8,
	"events":    0.8,
}

var devset5Thresholds = map[string]float64{
	"compounds": 0.45,
	"tycoons":   0.9,
	"provinces": 0.95,
	"figures":   0.77,
	"events":    0.76,
}

// heldoutEnThresholds are the bars for the held-out reports in English,
// below the scores of their one measurement (2026-12-07): compounds
// 0.800, tycoons 0.952, provinces 1.000, figures 0.675, events 0.750.
var heldoutEnThresholds = map[string]float64{
	"compounds": 0.75, // three of its eight sites not in the gazetteer
	"tycoons":   0.9,
	"provinces": 0.95,
	"figures":   0.6,
	"events":    0.7,
}

// scoreTypes fixes the order of the types in reports.
var scoreTypes = []string{"compounds", "tycoons", "provinces", "figures", "events"}

// personsAsOne names the figures scored with the person units as one
// (personUnit): a row of the report, with no threshold.
const personsAsOne = "figures~"

// goldFile is one hand annotation (see shared/corpus/README.md).
type goldFile struct {
	// Published is not part of the shared schema; an example corpus may
	// add it so that relative dates can be resolved as in production.
	Published string       `json:"published,omitempty"`
	Compounds []goldEntity `json:"compounds"`
	Tycoons   []goldEntity `json:"tycoons"`
	Provinces []goldEntity `json:"provinces"`
	Figures   []goldFigure `json:"figures"`
	Events    []goldEvent  `json:"events"`
}

type goldEntity struct {
	Name     string   `json:"name"`
	Surfaces []string `json:"surfaces"`
}

type goldFigure struct {
	Value     float64 `json:"value"`
	Unit      string  `json:"unit"`
	Qualifier string  `json:"qualifier"`
	Surface   string  `json:"surface"`
}

type goldEvent struct {
	Date           string `json:"date"`
	Summary        string `json:"summary"`
	SourceDateText string `json:"source_date_text,omitempty"`
}

// corpus is a folder of documents with a folder of gold files named after
// them (<base>.txt ↔ <base>.json).
type corpus struct {
	name       string
	docsDir    string
	goldDir    string
	docNames   []string // bases that have both a text and a gold file
	thresholds map[string]float64
	// header: each document starts with a provenance header ending in a
	// "---" line (devset2/README.md); only the text after it is extracted.
	header bool
}

// sharedCorpus is the development set in <repo>/../shared/corpus; it
// skips the test when that is absent (see repotest.Shared).
func sharedCorpus(t testing.TB) corpus {
	base := repotest.Shared(t, "corpus")
	c, ok := loadCorpus(t, "shared", filepath.Join(base, "docs"), filepath.Join(base, "gold"))
	if !ok {
		t.Fatalf("no annotated documents in %s", base)
	}
	return c
}

// examplesCorpus is the project's own documents in <repo>/examples with
// their gold in extractor/testdata/examples-gold.
func examplesCorpus(t testing.TB) corpus {
	root := repotest.Root(t)
	c, ok := loadCorpus(t, "examples", filepath.Join(root, "examples"),
		filepath.Join(root, "extractor", "testdata", "examples-gold"))
	if !ok {
		t.Fatalf("no annotated examples (documents in %s with gold in %s)", c.docsDir, c.goldDir)
	}
	return c
}

// devsetCorpus is a development set in extractor/testdata/<name>, built
// from reports the extractor was not tuned on (see its README.md).
func devsetCorpus(t testing.TB, name string, thresholds map[string]float64) corpus {
	root := repotest.Root(t)
	dir := filepath.Join(root, "extractor", "testdata", name)
	c, ok := loadCorpus(t, name, filepath.Join(dir, "docs"), filepath.Join(dir, "gold"))
	if !ok {
		t.Fatalf("no annotated documents in %s", dir)
	}
	c.thresholds, c.header = thresholds, true
	return c
}

// loadCorpus lists the documents of a corpus that have gold; ok is false
// when the folders are missing or nothing is annotated.
func loadCorpus(t testing.TB, name, docsDir, goldDir string) (corpus, bool) {
	t.Helper()
	c := corpus{name: name, docsDir: docsDir, goldDir: goldDir, thresholds: scoreThresholds}
	entries, err := os.ReadDir(docsDir)
	if errors.Is(err, os.ErrNotExist) {
		return c, false
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		base := strings.TrimSuffix(e.Name(), ".txt")
		if _, err := os.Stat(filepath.Join(goldDir, base+".json")); err == nil {
			c.docNames = append(c.docNames, base)
		}
	}
	slices.Sort(c.docNames)
	return c, len(c.docNames) > 0
}

func (c corpus) read(t testing.TB, base string) (string, goldFile) {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(c.docsDir, base+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(c.goldDir, base+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var g goldFile
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatalf("%s/%s.json: %v", c.name, base, err)
	}
	body := string(text)
	if c.header {
		_, after, ok := strings.Cut(body, "\n---\n")
		if !ok {
			t.Fatalf("%s/%s.txt: no provenance header ending in a \"---\" line", c.name, base)
		}
		body = after
	}
	return body, g
}

// counts accumulates true positives, predictions and gold items.
type counts struct{ tp, pred, gold int }

func (c *counts) add(o counts) { c.tp += o.tp; c.pred += o.pred; c.gold += o.gold }

func (c counts) prf() (p, r, f float64) {
	if c.pred > 0 {
		p = float64(c.tp) / float64(c.pred)
	}
	if c.gold > 0 {
		r = float64(c.tp) / float64(c.gold)
	}
	if c.pred == 0 && c.gold == 0 {
		p, r = 1, 1
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// typeResult is the outcome of one type on one document: the counts and
// human-readable lists of what was missed and what was spurious.
type typeResult struct {
	counts
	missed, spurious []string
}

// match pairs items one-to-one (maximum bipartite matching, so a loose
// prediction cannot steal the only partner of a stricter one) and returns,
// for each gold item, the index of its prediction or -1.
func match(nGold, nPred int, ok func(g, p int) bool) []int {
	goldOf := make([]int, nPred)
	for i := range goldOf {
		goldOf[i] = -1
	}
	predOf := make([]int, nGold)
	for i := range predOf {
		predOf[i] = -1
	}
	var try func(g int, seen []bool) bool
	try = func(g int, seen []bool) bool {
		for p := 0; p < nPred; p++ {
			if seen[p] || !ok(g, p) {
				continue
			}
			seen[p] = true
			if goldOf[p] < 0 || try(goldOf[p], seen) {
				goldOf[p], predOf[g] = g, p
				return true
			}
		}
		return false
	}
	for g := 0; g < nGold; g++ {
		try(g, make([]bool, nPred))
	}
	return predOf
}

func result(nGold, nPred int, ok func(g, p int) bool, goldStr, predStr func(int) string) typeResult {
	predOf := match(nGold, nPred, ok)
	r := typeResult{counts: counts{pred: nPred, gold: nGold}}
	used := make([]bool, nPred)
	for g, p := range predOf {
		if p < 0 {
			r.missed = append(r.missed, goldStr(g))
			continue
		}
		r.tp++
		used[p] = true
	}
	for p, u := range used {
		if !u {
			r.spurious = append(r.spurious, predStr(p))
		}
	}
	return r
}

// normName folds case, typographic quotes and punctuation so that
// "Kuong Li’s" style variants compare equal to the gold's spelling.
func normName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '‘':
			// Apostrophes join ("Cambodia’s" → "cambodias").
		default:
			space = true
		}
	}
	return b.String()
}

func scoreEntities(gold []goldEntity, pred []document.Entity) typeResult {
	goldNames := make([]map[string]bool, len(gold))
	for i, g := range gold {
		goldNames[i] = map[string]bool{normName(g.Name): true}
		for _, s := range g.Surfaces {
			goldNames[i][normName(s)] = true
		}
	}
	predNames := make([][]string, len(pred))
	for i, p := range pred {
		predNames[i] = append(predNames[i], normName(p.Name))
		for _, m := range p.Mentions {
			predNames[i] = append(predNames[i], normName(m.Text))
		}
	}
	return result(len(gold), len(pred),
		func(g, p int) bool {
			for _, n := range predNames[p] {
				if goldNames[g][n] {
					return true
				}
			}
			return false
		},
		func(g int) string { return fmt.Sprintf("%s %q", gold[g].Name, gold[g].Surfaces) },
		func(p int) string {
			var ms []string
			for _, m := range pred[p].Mentions {
				if !slices.Contains(ms, m.Text) {
					ms = append(ms, m.Text)
				}
			}
			return fmt.Sprintf("%s (%s) %q", pred[p].Name, pred[p].ID, ms)
		})
}

// sameValue allows for fractions written with one decimal ("33.3").
func sameValue(a, b float64) bool {
	return math.Abs(a-b) <= 0.051+1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// personUnit reports a unit of counts of persons. The shared corpus's
// guide calls persons victims only where the text calls them so
// ("victims", "survivors", trafficked persons) and the parts of a victims'
// total, and people otherwise; the annotators of the sets in testdata
// often called them victims or suspects where the story does (rescued,
// repatriated; arrested, deported). Scored with the three as one unit
// (the "figures~" row), a set's figures show how much of their error is
// that difference and how much is values missed or read wrong. The
// scorer keeps its own list, not the extractor's, which it judges.
func personUnit(u string) bool {
	switch strings.ToLower(u) {
	case "people", "victims", "suspects":
		return true
	}
	return false
}

// sameUnit reports whether a gold and a predicted unit match; with
// persons, any two person units do.
func sameUnit(gold, pred string, persons bool) bool {
	return strings.EqualFold(gold, pred) || persons && personUnit(gold) && personUnit(pred)
}

func TestSameUnit(t *testing.T) {
	for _, tc := range []struct {
		gold, pred string
		persons    bool
		want       bool
	}{
		{"victims", "victims", false, true},
		{"USD", "usd", false, true},
		{"victims", "people", false, false},
		{"victims", "people", true, true},
		{"people", "suspects", true, true},
		{"Suspects", "victims", true, true},
		{"sites", "people", true, false},
		{"people", "percent", true, false},
		{"compounds", "sites", true, false},
	} {
		if got := sameUnit(tc.gold, tc.pred, tc.persons); got != tc.want {
			t.Errorf("sameUnit(%q, %q, %v) = %v, want %v", tc.gold, tc.pred, tc.persons, got, tc.want)
		}
	}
}

func scoreFigures(gold []goldFigure, pred []document.Figure, persons bool) typeResult {
	return result(len(gold), len(pred),
		func(g, p int) bool {
			return sameUnit(gold[g].Unit, pred[p].Unit, persons) && sameValue(gold[g].Value, pred[p].Value)
		},
		func(g int) string {
			f := gold[g]
			return fmt.Sprintf("%v %s %s %q", f.Value, f.Unit, f.Qualifier, f.Surface)
		},
		func(p int) string {
			f := pred[p]
			return fmt.Sprintf("%v %s %s %q @%d", f.Value, f.Unit, f.Qualifier, f.Text, f.Start)
		})
}

func scoreEvents(gold []goldEvent, pred []document.Event) typeResult {
	return result(len(gold), len(pred),
		func(g, p int) bool { return gold[g].Date == pred[p].Date },
		func(g int) string {
			e := gold[g]
			s := e.Date + " " + e.Summary
			if e.SourceDateText != "" {
				s += fmt.Sprintf(" [%s]", e.SourceDateText)
			}
			return s
		},
		func(p int) string {
			e := pred[p]
			s := fmt.Sprintf("%s @%d %.90q", e.Date, e.Start, e.Summary)
			if e.DateText != "" {
				s += fmt.Sprintf(" [%s]", e.DateText)
			}
			if e.Flag != "" {
				s += " flag: " + e.Flag
			}
			return s
		})
}

func entitiesOfType(es []document.Entity, typ string) []document.Entity {
	var out []document.Entity
	for _, e := range es {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// persons leaves out the tycoons of kind "company": the gold annotates
// tycoons as named individuals only (shared/corpus/README.md), so a firm
// the extractor reports is neither a hit nor a false positive there.
func persons(es []document.Entity) []document.Entity {
	return slices.DeleteFunc(es, func(e document.Entity) bool { return e.Kind == "company" })
}

// scoreDoc scores one document for every type.
func scoreDoc(g goldFile, tagged document.Tagged) map[string]typeResult {
	return map[string]typeResult{
		"compounds":  scoreEntities(g.Compounds, entitiesOfType(tagged.Entities, document.Compound)),
		"tycoons":    scoreEntities(g.Tycoons, persons(entitiesOfType(tagged.Entities, document.Tycoon))),
		"provinces":  scoreEntities(g.Provinces, entitiesOfType(tagged.Entities, document.Province)),
		"figures":    scoreFigures(g.Figures, tagged.Figures, false),
		personsAsOne: scoreFigures(g.Figures, tagged.Figures, true),
		"events":     scoreEvents(g.Events, tagged.Events),
	}
}

// runScore extracts every document of c, prints the table and fails the
// types below their threshold, listing their missed and spurious items.
func runScore(t *testing.T, c corpus) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatalf("gazetteer: %v", err)
	}
	x := New(g)
	total := map[string]*counts{personsAsOne: {}}
	for _, typ := range scoreTypes {
		total[typ] = &counts{}
	}
	perDoc := map[string]map[string]typeResult{}
	var detail strings.Builder
	for _, base := range c.docNames {
		text, g := c.read(t, base)
		raw := document.Raw{ID: base, Source: filepath.Join(c.docsDir, base+".txt"), Published: g.Published, Text: text}
		res := scoreDoc(g, x.Extract(raw))
		perDoc[base] = res
		fmt.Fprintf(&detail, "%s\n", base)
		total[personsAsOne].add(res[personsAsOne].counts)
		for _, typ := range scoreTypes {
			r := res[typ]
			total[typ].add(r.counts)
			p, rc, f := r.prf()
			fmt.Fprintf(&detail, "  %-10s tp=%-3d pred=%-3d gold=%-3d P=%.2f R=%.2f F1=%.2f\n", typ, r.tp, r.pred, r.gold, p, rc, f)
			for _, m := range r.missed {
				fmt.Fprintf(&detail, "      missed:   %s\n", m)
			}
			for _, s := range r.spurious {
				fmt.Fprintf(&detail, "      spurious: %s\n", s)
			}
		}
	}

	var table strings.Builder
	fmt.Fprintf(&table, "corpus %q (%d documents)\n", c.name, len(c.docNames))
	fmt.Fprintf(&table, "%-10s %5s %5s %5s %6s %6s %6s %6s\n", "type", "tp", "pred", "gold", "P", "R", "F1", "min")
	for _, typ := range scoreTypes {
		tc := total[typ]
		p, r, f := tc.prf()
		fmt.Fprintf(&table, "%-10s %5d %5d %5d %6.3f %6.3f %6.3f %6.2f\n", typ, tc.tp, tc.pred, tc.gold, p, r, f, c.thresholds[typ])
	}
	tc := total[personsAsOne]
	p, r, f := tc.prf()
	fmt.Fprintf(&table, "%-10s %5d %5d %5d %6.3f %6.3f %6.3f %6s\n", personsAsOne, tc.tp, tc.pred, tc.gold, p, r, f, "-")
	t.Log("\n" + table.String())
	if testing.Verbose() {
		t.Log("per document:\n" + detail.String())
	}

	for _, typ := range scoreTypes {
		t.Run(typ, func(t *testing.T) {
			tc := total[typ]
			_, _, f := tc.prf()
			if f >= c.thresholds[typ] {
				return
			}
			var items strings.Builder
			for _, base := range c.docNames {
				r := perDoc[base][typ]
				for _, m := range r.missed {
					fmt.Fprintf(&items, "  %s missed:   %s\n", base, m)
				}
				for _, s := range r.spurious {
					fmt.Fprintf(&items, "  %s spurious: %s\n", base, s)
				}
			}
			t.Errorf("%s: %s F1 %.3f < %.2f\n%s", c.name, typ, f, c.thresholds[typ], items.String())
		})
	}
}

// TestScoreShared scores the shared development set.
func TestScoreShared(t *testing.T) {
	c := sharedCorpus(t)
	runScore(t, c)
}

// TestScoreExamples scores the project's own example documents with the
// same rules and thresholds.
func TestScoreExamples(t *testing.T) {
	c := examplesCorpus(t)
	runScore(t, c)
}

// TestScoreDevset2 scores the second development set, whose bars are
// higher than the others' (issue 12).
func TestScoreDevset2(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset2", devset2Thresholds))
}

// TestScoreDevsetZh scores the reports written in Chinese.
func TestScoreDevsetZh(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset-zh", devsetZhThresholds))
}

// TestScoreDevsetZh2 scores reports in Chinese that name bosses and
// sites, many of them ones the gazetteer lacks: the development set of
// discovery in Chinese.
func TestScoreDevsetZh2(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset-zh2", devsetZh2Thresholds))
}

// TestScoreHeldoutZh scores reports written in Chinese that were
// annotated after the extractor's Chinese rules were written, and never
// used to change them: how the rules fare on text they were not fitted to.
func TestScoreHeldoutZh(t *testing.T) {
	runScore(t, devsetCorpus(t, "heldout-zh", heldoutZhThresholds))
}

func TestScoreHeldoutZh2(t *testing.T) {
	runScore(t, devsetCorpus(t, "heldout-zh2", heldoutZh2Thresholds))
}

// TestScoreDevset3 scores a third development set in English, built
// (2026-12-07) to write rules from once devset2 was used up.
func TestScoreDevset3(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset3", devset3Thresholds))
}

// TestScoreDevset4 scores a fourth development set in English, built
// (2026-12-07) when devset3's misses had been read.
func TestScoreDevset4(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset4", devset4Thresholds))
}

// TestScoreDevset5 scores a fifth development set in English, rich in
// figures (100 in twelve passages: lists by nationality, statistics,
// money in rupees and pesos), built (2026-12-07) for the type that scores
// lowest on the held-out sets.
func TestScoreDevset5(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset5", devset5Thresholds))
}

// TestScoreDevset6 scores the sixth development set in English, rich in
// named sites and the people behind them: how discovery and the
// gazetteer fare on names the gazetteer may lack.
func TestScoreDevset6(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset6", devset6Thresholds))
}

// TestScoreDevset7 scores the seventh development set in English, rich
// in dated events: the material of an editor's timeline.
func TestScoreDevset7(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset7", devset7Thresholds))
}

// TestScoreDevset8 scores the eighth development set in English: figures
// in ordinary coverage of 2019 to 2023.
func TestScoreDevset8(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset8", devset8Thresholds))
}

// TestScoreDevset9 scores a ninth development set in English, built
// (2026-12-07) for the discovery of sites the gazetteer lacks.
func TestScoreDevset9(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset9", devset9Thresholds))
}

// TestScoreHeldoutEn scores reports in English that were built and
// annotated without reading the extractor's code, and never used to
// change its rules: how the rules fare on English text they were not
// fitted to, which the development sets, tuned on, no longer tell.
func TestScoreHeldoutEn(t *testing.T) {
	runScore(t, devsetCorpus(t, "heldout-en", heldoutEnThresholds))
}

// TestScoreHeldoutEn2 scores a second held-out set in English, built
// (2026-12-07) like heldout-en, without reading the extractor's code, and
// measured once, after the day's rules were written.
func TestScoreHeldoutEn2(t *testing.T) {
	runScore(t, devsetCorpus(t, "heldout-en2", heldoutEn2Thresholds))
}

// TestScoreHeldoutEn3 scores a third held-out set in English, built
// (2026-12-07) like heldout-en2, without reading the extractor's code,
// and measured once, after the day's rules were written.
func TestScoreHeldoutEn3(t *testing.T) {
	runScore(t, devsetCorpus(t, "heldout-en3", heldoutEn3Thresholds))
}

// TestScoreHeldoutEn4 scores a fourth held-out set in English, of the
// coverage of 2024 to 2026, built (2026-12-07) like heldout-en3 and
// measured once, after the day's rules were written.
func TestScoreHeldoutEn4(t *testing.T) {
	runScore(t, devsetCorpus(t, "heldout-en4", heldoutEn4Thresholds))
}

// TestScoreHeldoutEn5 scores a fifth held-out set in English, ordinary
// coverage of 2023 to 2026, built (2026-12-07) like heldout-en3 and
// measured once, after the day's seventh round of rules.
func TestScoreHeldoutEn5(t *testing.T) {
	runScore(t, devsetCorpus(t, "heldout-en5", heldoutEn5Thresholds))
}

// TestExamplesDiscovery checks the examples' promise: their gold holds
// compounds and tycoons that the shipped gazetteer lacks, and discovery
// tags every one of them as an unknown entity.
func TestExamplesDiscovery(t *testing.T) {
	c := examplesCorpus(t)
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	x := New(g)
	unknown := 0
	for _, base := range c.docNames {
		text, gold := c.read(t, base)
		tagged := x.Extract(document.Raw{ID: base, Published: gold.Published, Text: text})
		for _, tc := range []struct {
			typ  string
			gold []goldEntity
		}{{document.Compound, gold.Compounds}, {document.Tycoon, gold.Tycoons}} {
			for _, ge := range tc.gold {
				if known(g, tc.typ, ge) {
					continue
				}
				unknown++
				var cands []document.Entity
				for _, e := range entitiesOfType(tagged.Entities, tc.typ) {
					if !e.Known {
						cands = append(cands, e)
					}
				}
				if r := scoreEntities([]goldEntity{ge}, cands); r.tp != 1 {
					t.Errorf("%s: %s %q is not in the gazetteer and discovery missed it (candidates found: %v)", base, tc.typ, ge.Name, names(cands, false))
				}
			}
		}
	}
	if unknown < 3 {
		t.Errorf("the examples' gold has %d entities the gazetteer lacks; want at least 3 to exercise discovery", unknown)
	}
	t.Logf("%d gold entities absent from the gazetteer, all found by discovery", unknown)
}

// known reports whether the gazetteer resolves the gold entity's name or
// any of its surfaces.
func known(g *gazetteer.Gazetteer, typ string, ge goldEntity) bool {
	for _, n := range append([]string{ge.Name}, ge.Surfaces...) {
		if _, ok := g.Resolve(typ, n); ok {
			return true
		}
	}
	return false
}

// TestScoreDevsetKm scores reports written in Khmer: the development set
// of the Khmer readers of figures and dates (khmerfigures.go,
// khmerdates.go).
func TestScoreDevsetKm(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset-km", devsetKmThresholds))
}

// TestScoreHeldoutKm scores reports written in Khmer that were built
// (2026-12-07) without reading the extractor's code, and measured once,
// after the Khmer rules were written: how they fare on Khmer text they
// were not fitted to.
func TestScoreHeldoutKm(t *testing.T) {
	runScore(t, devsetCorpus(t, "heldout-km", heldoutKmThresholds))
}

// TestScoreDevsetKm2 scores a second development set in Khmer, about the
// sites and bosses that Khmer reports name.
func TestScoreDevsetKm2(t *testing.T) {
	runScore(t, devsetCorpus(t, "devset-km2", devsetKm2Thresholds))
}

// TestScoreHeldoutKm2 scores a second held-out set in Khmer (stories of
// 2024 to 2026), built (2026-12-07) without reading the extractor's code
// and measured once, before the rules of devset-km2 were written.
func TestScoreHeldoutKm2(t *testing.T) {
	runScore(t, devsetCorpus(t, "heldout-km2", heldoutKm2Thresholds))
}
