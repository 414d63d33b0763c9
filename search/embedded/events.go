package embedded

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/compoundwatch/compoundwatch/search"
)

// The events index is a second bleve index in the "events" folder of the
// documents index, one record per event (search.Event), so a timeline
// query filters events rather than documents. The number of events each
// document has is kept as an internal key, "n/<doc id>", so that an
// upsert that leaves a document fewer events deletes the rest without a
// search.
const (
	eventsDir  = "events"
	fEvSummary = "summary"
	// fEvDayKey is Event.Day as dateKey, one term per event that both
	// sorts (doc values) and bounds (a term range): a numeric field would
	// index sixteen prefix-coded terms per event for the range alone.
	// Indexes written before also hold Day as a numeric field, "day".
	fEvDayKey     = "_day"
	eventCountKey = "n/"
)

var _ search.EventStore = (*Index)(nil)

func openEvents(dir string, cfg map[string]any, create bool) (bleve.Index, error) {
	p := filepath.Join(dir, eventsDir)
	if !create {
		if ix, err := bleve.OpenUsing(p, cfg); err == nil || err != bleve.ErrorIndexPathDoesNotExist {
			return ix, err
		}
	}
	m, err := eventsMapping()
	if err != nil {
		return nil, err
	}
	return bleve.NewUsing(p, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, cfg)
}

func eventsMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"char_filters":  []any{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = analyzerName
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false
	dm := bleve.NewDocumentStaticMapping()
	sum := bleve.NewTextFieldMapping()
	sum.Analyzer, sum.Store, sum.IncludeInAll, sum.IncludeTermVectors, sum.DocValues = analyzerName, false, false, false, false
	dm.AddFieldMappingsAt(fEvSummary, sum)
	for _, name := range []string{"entities", "provinces", "outlet", "doc_id", fEvDayKey} {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer, f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = keyword.Name, false, false, false, name == fEvDayKey
		dm.AddFieldMappingsAt(name, f)
	}
	dm.AddFieldMappingsAt(fSource, storedOnly())
	noAll(dm)
	im.DefaultMapping = dm
	return im, nil
}

func indexedEvent(e search.Event) (map[string]any, error) {
	src, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	m := map[string]any{
		fEvSummary: e.Summary, "entities": e.Entities, "provinces": e.Provinces, "doc_id": e.DocID,
		fEvDayKey: dateKey(e.Day), fSource: string(src),
	}
	if e.Outlet != "" {
		m["outlet"] = e.Outlet
	}
	return m, nil
}

// upsertEvents replaces the events of docs, which the documents index has
// just accepted.
func (x *Index) upsertEvents(docs []search.Doc) error {
	b := x.ev.NewBatch()
	counts := map[string]int{} // within this batch, where a doc may repeat
	for _, d := range docs {
		old, ok := counts[d.ID]
		if !ok {
			var err error
			if old, err = x.eventCount(d.ID); err != nil {
				return err
			}
		}
		evs := search.EventsOf(d)
		for i := len(evs); i < old; i++ {
			b.Delete(d.ID + "-" + strconv.Itoa(i))
		}
		for _, e := range evs {
			m, err := indexedEvent(e)
			if err != nil {
				return fmt.Errorf("event %s: %w", e.ID, err)
			}
			if err := b.Index(e.ID, m); err != nil {
				return fmt.Errorf("event %s: %w", e.ID, err)
			}
		}
		counts[d.ID] = len(evs)
		setCount(b, d.ID, len(evs))
	}
	if b.Size() == 0 {
		return nil
	}
	if err := x.ev.Batch(b); err != nil {
		return fmt.Errorf("embedded index %s: events of %d docs: %w", x.dir, len(docs), err)
	}
	return nil
}

func setCount(b *bleve.Batch, id string, n int) {
	if n == 0 {
		b.DeleteInternal([]byte(eventCountKey + id))
	} else {
		b.SetInternal([]byte(eventCountKey+id), []byte(strconv.Itoa(n)))
	}
}

func (x *Index) eventCount(id string) (int, error) {
	v, err := x.ev.GetInternal([]byte(eventCountKey + id))
	if err != nil {
		return 0, fmt.Errorf("embedded index %s: event count of %s: %w", x.dir, id, err)
	}
	if v == nil {
		return 0, nil
	}
	return strconv.Atoi(string(v))
}

func (x *Index) deleteEvents(ids []string) error {
	b := x.ev.NewBatch()
	for _, id := range ids {
		n, err := x.eventCount(id)
		if err != nil {
			return err
		}
		for i := range n {
			b.Delete(id + "-" + strconv.Itoa(i))
		}
		setCount(b, id, 0)
	}
	if err := x.ev.Batch(b); err != nil {
		return fmt.Errorf("embedded index %s: delete events of %d docs: %w", x.dir, len(ids), err)
	}
	return nil
}

// Events returns the events q selects, by day and id. Text matches every
// word of the event sentence, the last one also as a prefix (as typed);
// unlike Meilisearch it allows no typos.
func (x *Index) Events(ctx context.Context, q search.EventQuery) ([]search.Event, error) {
	var must []query.Query
	if !q.From.IsZero() || !q.To.IsZero() {
		var lo, hi string // "" is open
		if !q.From.IsZero() {
			lo = dateKey(q.From.Unix())
		}
		if !q.To.IsZero() {
			hi = dateKey(q.To.Unix())
		}
		incl := true
		r := bleve.NewTermRangeInclusiveQuery(lo, hi, &incl, &incl)
		r.SetField(fEvDayKey)
		must = append(must, r)
	}
	for _, f := range []struct {
		field string
		vals  []string
	}{{"entities", q.Entities}, {"provinces", q.Provinces}, {"outlet", q.Outlets}} {
		if len(f.vals) > 0 {
			must = append(must, terms(f.field, f.vals))
		}
	}
	if ws := x.an.words(q.Text); len(ws) > 0 {
		for i, w := range ws {
			if i == len(ws)-1 {
				p := bleve.NewPrefixQuery(w)
				p.SetField(fEvSummary)
				must = append(must, p)
				continue
			}
			t := bleve.NewTermQuery(w)
			t.SetField(fEvSummary)
			must = append(must, t)
		}
	}
	var qq query.Query = bleve.NewMatchAllQuery()
	if len(must) > 0 {
		qq = bleve.NewConjunctionQuery(must...)
	}
	limit := q.Limit
	if limit <= 0 || limit > search.MaxEvents {
		limit = search.MaxEvents
	}
	req := bleve.NewSearchRequestOptions(qq, limit, 0, false)
	req.Fields = []string{fSource}
	req.SortBy([]string{fEvDayKey, "_id"})
	res, err := x.ev.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("embedded index %s: events: %w", x.dir, err)
	}
	out := make([]search.Event, 0, len(res.Hits))
	for _, h := range res.Hits {
		var e search.Event
		s, _ := h.Fields[fSource].(string)
		if err := json.Unmarshal([]byte(s), &e); err != nil {
			return nil, fmt.Errorf("embedded index %s: event %s: stored source: %w", x.dir, h.ID, err)
		}
		out = append(out, e)
	}
	return out, nil
}
