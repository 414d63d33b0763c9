package timeline

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/timeline/minhash"
)

// TestLeastSame holds leastSame to the thresholds: one slot fewer falls
// short of every one of them, and leastSame slots reach the lowest.
func TestLeastSame(t *testing.T) {
	below := float64(leastSame-1) / minhash.Size
	for _, th := range []float64{simSharedEntity, simSharedPlace, simNoEntity, simCopyEvent} {
		if below >= th {
			t.Errorf("%d slots give %.4f, enough for threshold %.2f: candidates would leave out pairs that merge", leastSame-1, below, th)
		}
	}
	if float64(leastSame)/minhash.Size < simLeast {
		t.Errorf("%d slots give less than simLeast %.2f", leastSame, simLeast)
	}
}

// TestMergeAgainstPlain holds merge, which compares an item only with the
// members candidates lists, to the plain definition: every earlier
// cluster is tried, each against every member. The random items are
// built so that all of merge's shortcuts are taken: sentences said many
// times (shared shapes), near the similarity thresholds, without words
// left by Gist (empty signatures), of one document, dated by day, month
// and year (long periods), relative, copies, and with or without shared
// compounds; and candidates indexes sooner than Build's (or never), and
// sweeps far more often.
func TestMergeAgainstPlain(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 47))
	merged := 0
	for round := range 400 {
		items := randomItems(r)
		plainMax := r.IntN(60)
		if r.IntN(4) == 0 {
			plainMax = len(items)
		}
		got, want := clusterIDs(merge(items, newCandidates(plainMax, 1+r.IntN(40)))), clusterIDs(mergePlain(items))
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("round %d, %d items: merge gives %d clusters, the plain definition %d\nmerge: %v\nplain: %v", round, len(items), len(got), len(want), got, want)
		}
		merged += len(items) - len(got)
	}
	if merged == 0 {
		t.Fatal("no item joined another: the test tries nothing")
	}
}

func clusterIDs(cs []*cluster) [][]string {
	var ids [][]string
	for _, c := range cs {
		var one []string
		for _, it := range c.items {
			one = append(one, it.ev.ID)
		}
		ids = append(ids, one)
	}
	return ids
}

// mergePlain is merge's definition, for TestMergeAgainstPlain.
func mergePlain(items []*item) []*cluster {
	var clusters []*cluster
	for _, it := range items {
		var best *cluster
		bestScore := 0.0
	next:
		for _, c := range clusters {
			score, ok := 0.0, false
			for _, m := range c.items {
				if m.ev.DocID == it.ev.DocID {
					continue next
				}
				if s, match := pair(it, m, minhash.Similarity(it.sig, m.sig)); match && s >= score {
					score, ok = s, true
				}
			}
			if ok && score > bestScore {
				best, bestScore = c, score
			}
		}
		if best == nil {
			best = &cluster{}
			clusters = append(clusters, best)
		}
		best.items = append(best.items, it)
	}
	return clusters
}

// randomItems returns items as Build makes them, sorted as Build sorts
// them.
func randomItems(r *rand.Rand) []*item {
	sentences := []string{
		"officers entered the gated site at dawn and led out dozens of young workers",
		"officers entered the site at dawn and led out the workers held in the dormitories",
		"the provincial court handed the manager a prison term for holding people against their will",
		"the ministry said the building would be sealed and its licence withdrawn",
		"a group of foreign nationals escaped over the wall and asked their embassy for help",
		"the owner denied that anyone had been kept on the premises",
		"Lin Bo Tower Raid", // Gist keeps nothing: an empty signature
		"警方在凌晨进入园区并带走了数十名工人",
	}
	words := strings.Fields("again also then later reportedly quietly once more")
	say := func() string {
		w := strings.Fields(sentences[r.IntN(len(sentences))])
		for k := r.IntN(4); k > 0 && len(w) > 3; k-- {
			i := r.IntN(len(w))
			switch r.IntN(3) {
			case 0:
				w = slices.Delete(w, i, i+1)
			case 1:
				j := r.IntN(len(w))
				w[i], w[j] = w[j], w[i]
			default:
				w = slices.Insert(w, i, words[r.IntN(len(words))])
			}
		}
		return strings.Join(w, " ")
	}
	texts := []minhash.Signature{{}, minhash.OfText("one story told at length"), minhash.OfText("another story altogether, told differently")}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	ndocs := 1 + r.IntN(30)
	var items []*item
	for d := range ndocs {
		doc := fmt.Sprintf("d%02d", d)
		dup := ""
		if r.IntN(5) == 0 {
			dup = fmt.Sprintf("https://x.example/d%02d", r.IntN(ndocs))
		}
		docSig := texts[r.IntN(len(texts))]
		pub := start.AddDate(0, 0, r.IntN(90)).Unix()
		said := say()
		for k := range 1 + r.IntN(25) {
			from := start.AddDate(0, 0, r.IntN(80))
			prec := document.Day
			switch r.IntN(12) {
			case 0:
				prec, from = document.Month, time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
			case 1:
				prec, from = document.Year, time.Date(from.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
			}
			if r.IntN(3) > 0 {
				said = say() // else the document says it again
			}
			ev := search.Event{ID: fmt.Sprintf("%s-%d", doc, k), DocID: doc, URL: "https://x.example/" + doc, DuplicateOf: dup, Published: pub}
			for _, id := range []string{"jade-bay", "river-star", "lo-chen", "kampot"} {
				if r.IntN(4) == 0 {
					ev.Entities = append(ev.Entities, id)
					switch id {
					case "jade-bay", "river-star":
						ev.Compounds = append(ev.Compounds, id)
					case "lo-chen":
						ev.Tycoons = append(ev.Tycoons, id)
					}
				}
			}
			items = append(items, &item{ev: ev, sig: minhash.Of(Gist(said)), doc: docSig, from: from, to: periodEnd(from, prec),
				loose: r.IntN(5) == 0, strong: len(ev.Compounds)+len(ev.Tycoons) > 0})
		}
	}
	slices.SortStableFunc(items, func(a, b *item) int { return a.from.Compare(b.from) })
	return items
}
