package embedded

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	json "github.com/goccy/go-json"

	"github.com/compoundwatch/compoundwatch/search"
)

// The events index is a second bleve index in the "events" folder of the
// documents index, one record per document that has events: its events
// (search.Event) stored together, and indexed together, each field
// holding the values of all of them. A record per event costs bleve as
// much as a whole document does, and documents carry about sixteen
// events: writing them was two thirds of an upsert. A query therefore
// finds the documents with events that could match and keeps, in Go, the
// events that do (eventFilter), which is exact because each condition is
// one a single event's values decide.
const (
	eventsDir  = "events"
	fEvSummary = "summary"
	// fEvDayKey holds each event's Day as dateKey, to order the records
	// by the least (doc values): the record's first day.
	fEvDayKey = "_day"
	// fEvMonthKey holds the dateKey of the month of each event's Day,
	// for a term range to find the records that may have events between
	// two dates: a range of a year reads twelve terms where days would
	// be 365 (and a numeric field would index sixteen terms per day).
	fEvMonthKey = "_month"
)

// monthKey is the dateKey of the start of the month (UTC) of unix. Being
// monotonic, it keeps every day of a range within the range's months.
func monthKey(unix int64) string {
	t := time.Unix(unix, 0).UTC()
	return dateKey(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).Unix())
}

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
	if err := addAnalyzer(im); err != nil {
		return nil, err
	}
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false
	dm := bleve.NewDocumentStaticMapping()
	sum := bleve.NewTextFieldMapping()
	sum.Analyzer, sum.Store, sum.IncludeInAll, sum.IncludeTermVectors, sum.DocValues = analyzerName, false, false, false, false
	dm.AddFieldMappingsAt(fEvSummary, sum)
	for _, name := range []string{"entities", "provinces", "outlet", fEvDayKey, fEvMonthKey} {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer, f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = keyword.Name, false, false, false, name == fEvDayKey
		dm.AddFieldMappingsAt(name, f)
	}
	dm.AddFieldMappingsAt(fSource, storedOnly())
	noAll(dm)
	im.DefaultMapping = dm
	return im, nil
}

// eventGroup is what the events index stores for one document: its
// events, with the MinHash they all share kept once (it is most of an
// event's bytes).
type eventGroup struct {
	Events []search.Event `json:"events"`
	Sig    []uint32       `json:"sig,omitempty"`
}

// eventValues are what the events index keeps of the events of one
// document: each field's values, and the events stored together.
type eventValues struct {
	src                                          []byte
	summaries, entities, provinces, days, months []string
	outlet                                       string
}

// valuesOf returns the eventValues of evs, which are EventsOf's and are
// changed.
func valuesOf(evs []search.Event) (eventValues, error) {
	g := eventGroup{Events: evs}
	if !slices.ContainsFunc(evs, func(e search.Event) bool { return !slices.Equal(e.Sig, evs[0].Sig) }) {
		g.Sig = evs[0].Sig
		for i := range evs {
			evs[i].Sig = nil
		}
	}
	v := eventValues{outlet: evs[0].Outlet} // the document's
	var err error
	if v.src, err = json.Marshal(g); err != nil {
		return v, err
	}
	v.summaries = make([]string, len(evs))
	for i, e := range evs {
		v.summaries[i] = e.Summary
		v.months = append(v.months, monthKey(e.Day))
		// A range is found by a window of any month it covers: the
		// months that start after its day, up to its end. Most events
		// are no range, and skip the date arithmetic.
		if e.EndDay > e.Day {
			d := time.Unix(e.Day, 0).UTC()
			for m := time.Date(d.Year(), d.Month()+1, 1, 0, 0, 0, 0, time.UTC); m.Unix() <= e.EndDay; m = m.AddDate(0, 1, 0) {
				v.months = append(v.months, monthKey(m.Unix()))
			}
		}
		v.entities = append(v.entities, e.Entities...)
		v.provinces = append(v.provinces, e.Provinces...)
		v.days = append(v.days, dateKey(e.Day))
	}
	v.entities, v.provinces, v.days, v.months = uniq(v.entities), uniq(v.provinces), uniq(v.days), uniq(v.months)
	return v, nil
}

// eventsRecord is the bleve document of the events of document id; evs
// are EventsOf's and are changed. The sentences are one field: the same
// words, without a field (and a merge of its terms) per event.
func (x *Index) eventsRecord(id string, evs []search.Event) (*bdoc.Document, error) {
	v, err := valuesOf(evs)
	if err != nil {
		return nil, err
	}
	r := newRecord(id, x.evOpts)
	r.text(fEvSummary, v.summaries...)
	r.keywords("entities", v.entities...)
	r.keywords("provinces", v.provinces...)
	r.keywords(fEvDayKey, v.days...)
	r.keywords(fEvMonthKey, v.months...)
	r.stored(fSource, v.src)
	if v.outlet != "" {
		r.keywords("outlet", v.outlet)
	}
	return r.doc, r.err
}

func uniq(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

func decodeGroup(src []byte) ([]search.Event, error) {
	var g eventGroup
	if err := json.Unmarshal(src, &g); err != nil {
		return nil, err
	}
	if g.Sig != nil {
		for i := range g.Events {
			g.Events[i].Sig = g.Sig
		}
	}
	return g.Events, nil
}

// upsertEvents replaces the events of docs, which the documents index has
// just accepted. In a batch, the last version of a document wins, as
// bleve keeps the last operation on an id.
func (x *Index) upsertEvents(docs []search.Doc) error {
	b := x.ev.NewBatch()
	for _, d := range docs {
		evs := search.EventsOf(d)
		if len(evs) == 0 {
			b.Delete(d.ID)
			continue
		}
		doc, err := x.eventsRecord(d.ID, evs)
		if err != nil {
			return fmt.Errorf("events of %s: %w", d.ID, err)
		}
		if err := b.IndexAdvanced(doc); err != nil {
			return fmt.Errorf("events of %s: %w", d.ID, err)
		}
	}
	if b.Size() == 0 {
		return nil
	}
	if err := x.ev.Batch(b); err != nil {
		return fmt.Errorf("embedded index %s: events of %d docs: %w", x.dir, len(docs), err)
	}
	return nil
}

func (x *Index) deleteEvents(ids []string) error {
	b := x.ev.NewBatch()
	for _, id := range ids {
		b.Delete(id)
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
			lo = monthKey(q.From.Unix())
		}
		if !q.To.IsZero() {
			hi = monthKey(q.To.Unix())
		}
		incl := true
		r := bleve.NewTermRangeInclusiveQuery(lo, hi, &incl, &incl)
		r.SetField(fEvMonthKey)
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
	if ws := x.an.queryWords(q.Text); len(ws) > 0 {
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
	n, err := x.ev.DocCount()
	if err != nil {
		return nil, fmt.Errorf("embedded index %s: events: %w", x.dir, err)
	}
	out := []search.Event{}
	if n == 0 {
		return out, nil
	}
	// The records by their first day: once limit events are in hand, a
	// record whose first day is past the limit-th event's has none to
	// add, so the rest are never read.
	req := bleve.NewSearchRequestOptions(qq, int(n), 0, false)
	req.SortByCustom(bsearch.SortOrder{
		&bsearch.SortField{Field: fEvDayKey, Type: bsearch.SortFieldAsString, Mode: bsearch.SortFieldMin},
		&bsearch.SortDocID{},
	})
	res, err := x.ev.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("embedded index %s: events: %w", x.dir, err)
	}
	keep := x.eventFilter(q)
	byDay := func(a, b search.Event) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), strings.Compare(a.ID, b.ID))
	}
	last := "" // dateKey of the limit-th event, once there are that many
	for _, h := range res.Hits {
		if last != "" && h.Sort[0] > last {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		evs, err := x.storedEvents(h.ID)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			if keep(e) {
				out = append(out, e)
			}
		}
		if len(out) >= limit && (last == "" || len(out) >= 2*limit) {
			slices.SortFunc(out, byDay)
			out = out[:limit]
			last = dateKey(out[limit-1].Day)
		}
	}
	slices.SortFunc(out, byDay)
	return out[:min(len(out), limit)], nil
}

// storedEvents reads the events of one document from its record.
func (x *Index) storedEvents(id string) ([]search.Event, error) {
	d, err := x.ev.Document(id)
	if err != nil {
		return nil, fmt.Errorf("embedded index %s: events of %s: %w", x.dir, id, err)
	}
	var src []byte
	if d != nil {
		d.VisitFields(func(f index.Field) {
			if f.Name() == fSource {
				src = f.Value()
			}
		})
	}
	if src == nil {
		return nil, fmt.Errorf("embedded index %s: events of %s: no stored source", x.dir, id)
	}
	evs, err := decodeGroup(src)
	if err != nil {
		return nil, fmt.Errorf("embedded index %s: events of %s: stored source: %w", x.dir, id, err)
	}
	return evs, nil
}

// eventFilter is q for one event, as the index would answer it with a
// record per event: the range on its day, any of the values of each
// filter among its own, every word of the text a word of its sentence,
// the last one also a prefix of one.
func (x *Index) eventFilter(q search.EventQuery) func(search.Event) bool {
	from, to := int64(math.MinInt64), int64(math.MaxInt64)
	if !q.From.IsZero() {
		from = q.From.Unix()
	}
	if !q.To.IsZero() {
		to = q.To.Unix()
	}
	anyOf := func(want, have []string) bool {
		return len(want) == 0 || slices.ContainsFunc(have, func(v string) bool { return slices.Contains(want, v) })
	}
	ws := x.an.queryWords(q.Text)
	return func(e search.Event) bool {
		if max(e.Day, e.EndDay) < from || e.Day > to || !anyOf(q.Entities, e.Entities) || !anyOf(q.Provinces, e.Provinces) {
			return false
		}
		if len(q.Outlets) > 0 && (e.Outlet == "" || !slices.Contains(q.Outlets, e.Outlet)) {
			return false
		}
		if len(ws) == 0 {
			return true
		}
		terms := x.an.words(e.Summary)
		for i, w := range ws {
			match := func(t string) bool { return t == w }
			if i == len(ws)-1 {
				match = func(t string) bool { return strings.HasPrefix(t, w) }
			}
			if !slices.ContainsFunc(terms, match) {
				return false
			}
		}
		return true
	}
}
