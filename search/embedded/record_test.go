package embedded

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
)

// mapped is what the index gave bleve's mapping for a Doc before it
// built records.
func mapped(d search.Doc) (map[string]any, error) {
	src, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	m := map[string]any{
		fTitle:       d.Title,
		fEntityNames: d.EntityNames,
		fText:        d.Text,
		fPublished:   float64(d.Published),
		fDate:        dateKey(d.Published),
		fSource:      string(src),
		"compounds":  d.Compounds,
		"tycoons":    d.Tycoons,
		"provinces":  d.Provinces,
	}
	for k, v := range map[string]string{"outlet": d.Outlet, "language": d.Language, "month": d.Month} {
		if v != "" {
			m[k] = v
		}
	}
	if d.Year != 0 {
		m["year"] = strconv.Itoa(d.Year)
		m[fYearNum] = float64(d.Year)
	}
	m[fFacets] = facets(d)
	if d.DuplicateOf != "" {
		m["duplicate_of"] = d.DuplicateOf
	} else {
		m["duplicate_of"] = noDuplicate
	}
	return m, nil
}

// mappedEvents is what the events index gave bleve's mapping for the
// events of a document before it built records, the sentences as one
// text; evs are EventsOf's and are changed.
func mappedEvents(evs []search.Event) (map[string]any, error) {
	v, err := valuesOf(evs)
	if err != nil {
		return nil, err
	}
	var summary strings.Builder
	for _, sum := range v.summaries {
		summary.WriteString(sum)
		summary.WriteByte('\n')
	}
	m := map[string]any{
		fEvSummary: summary.String(), "entities": v.entities, "provinces": v.provinces,
		fEvDayKey: v.days, fEvMonthKey: v.months, fSource: string(v.src),
	}
	if v.outlet != "" {
		m["outlet"] = v.outlet
	}
	return m, nil
}

// indexedField is what the index takes from the instances of one field
// of a bleve document: with no term vectors (checked), their terms,
// counts and lengths added up, and the values stored.
type indexedField struct {
	opts   index.FieldIndexingOptions
	length int
	freqs  map[string]int
	stored []string
}

// indexedFields analyses doc's fields as bleve does before it builds a
// segment.
func indexedFields(t *testing.T, doc *bdoc.Document) map[string]*indexedField {
	t.Helper()
	out := map[string]*indexedField{}
	doc.VisitFields(func(f index.Field) {
		o := f.Options()
		if o.IsIndexed() && o.IncludeTermVectors() {
			t.Fatalf("field %s has term vectors, which this test does not compare", f.Name())
		}
		x := out[f.Name()]
		if x == nil {
			x = &indexedField{opts: o, freqs: map[string]int{}}
			out[f.Name()] = x
		} else if x.opts != o {
			t.Fatalf("field %s with options %v and %v", f.Name(), x.opts, o)
		}
		if o.IsIndexed() {
			f.Analyze()
			x.length += f.AnalyzedLength()
			for term, tf := range f.AnalyzedTokenFrequencies() {
				if string(tf.Term) != term {
					t.Fatalf("field %s: term %q keyed %q", f.Name(), tf.Term, term)
				}
				x.freqs[term] += tf.Frequency()
			}
		}
		if o.IsStored() {
			x.stored = append(x.stored, string(f.Value()))
		}
	})
	return out
}

func sameFields(t *testing.T, what string, want, got map[string]*indexedField) {
	t.Helper()
	if !slices.Equal(slices.Sorted(maps.Keys(want)), slices.Sorted(maps.Keys(got))) {
		t.Fatalf("%s: fields %v, want %v", what, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	for name, w := range want {
		g := got[name]
		if g.opts != w.opts || g.length != w.length || !maps.Equal(g.freqs, w.freqs) || !slices.Equal(g.stored, w.stored) {
			t.Fatalf("%s: field %s is %+v, want %+v", what, name, *g, *w)
		}
	}
}

// TestRecordLikeMapping: a document's record, and its events' record,
// give bleve the fields, terms, counts, lengths and stored values that
// the mapping made of the same values: on the search fixtures, generated
// documents, tagged articles, and values that fold, lower or split
// unusually.
func TestRecordLikeMapping(t *testing.T) {
	x, err := Open(filepath.Join(t.TempDir(), "index"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	docs := slices.Concat(searchtest.Fixtures(), searchtest.EventFixtures(), searchtest.Generate(100, 7).Docs, searchtest.Articles(t, 100))
	docs = append(docs, search.Doc{
		ID:          "odd",
		Title:       "\u039f\u0394\u039f\u03a3 \u023a \u0130stanbul \u1e9e",
		Text:        "Cafe\u0301 na\u00efve \u03a3\u038a\u03a3\u03a5\u03a6\u039f\u03a3 \u1780\u17d2\u179a\u17bb\u1784 \u9ec4\u4e50 \u00c6SIR  e\u0301 \u023e\nAB.CD 3,000 don\u2019t",
		EntityNames: []string{"", "Huang Le", "黄乐", "Huang Le", "ÉLAN"},
		Compounds:   []string{"huang-le", "", "huang-le"},
		Provinces:   []string{},
		Events: []document.Event{
			{Date: "2023-03-23", Precision: "day", Summary: "Police \u03a3\u039f\u03a6\u039f\u03a3 raided \u023a\u0301", Entities: []string{"huang-le", "huang-le"}},
			{Date: "2023-04", Precision: "month", Summary: "ODOS\n\u039f\u0394\u039f\u03a3"},
		},
	}, search.Doc{ID: "bare"})
	docMap, evMap := x.idx.Mapping(), x.ev.Mapping()
	names := map[string]bool{}
	for _, d := range docs {
		for _, n := range d.EntityNames {
			names[n] = true
		}
	}
	// The articles name some entities again and again: the memo of
	// their terms is used, and with a small limit, filled.
	for _, limit := range []int64{memoNames, 5} {
		x.names = newTermMemo(limit)
		events := 0
		for _, d := range docs {
			m, err := mapped(d)
			if err != nil {
				t.Fatal(err)
			}
			rec, _, err := x.record(d)
			if err != nil {
				t.Fatal(err)
			}
			sameFields(t, d.ID, mappedFields(t, docMap, d.ID, m), indexedFields(t, rec))
			if limit != memoNames {
				continue // the events take no names
			}
			if evs := search.EventsOf(d); len(evs) > 0 {
				events++
				m, err := mappedEvents(evs)
				if err != nil {
					t.Fatal(err)
				}
				rec, err := x.eventsRecord(d.ID, search.EventsOf(d))
				if err != nil {
					t.Fatal(err)
				}
				sameFields(t, d.ID+" events", mappedFields(t, evMap, d.ID, m), indexedFields(t, rec))
			}
		}
		if want := min(limit, int64(len(names))); x.names.n.Load() != want {
			t.Errorf("memo of %d names holds %d of %d", limit, x.names.n.Load(), len(names))
		}
		if limit == memoNames && events < 100 {
			t.Fatalf("only %d of %d documents with events", events, len(docs))
		}
	}
	if len(names) < 500 {
		t.Fatalf("only %d distinct entity names: the articles have no aliases", len(names))
	}
}

func mappedFields(t *testing.T, m mapping.IndexMapping, id string, v map[string]any) map[string]*indexedField {
	t.Helper()
	doc := bdoc.NewDocument(id)
	if err := m.MapDocument(doc, v); err != nil {
		t.Fatal(err)
	}
	return indexedFields(t, doc)
}
