package meili

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	json "github.com/goccy/go-json"
	"github.com/meilisearch/meilisearch-go"

	"github.com/compoundwatch/compoundwatch/search"
)

// The events live in a second index, "<index>-events", one record per
// event (search.Event). Upsert replaces a document's events (the new
// ones, then a deletion of the old ones the new version lacks) in the same
// queue as the documents; Delete drops them with the documents.

// idsPerFilter bounds the document ids in one "doc_id IN [...]" filter.
const idsPerFilter = 200

// EventsUID is the name of the events index beside index.
func EventsUID(index string) string { return index + "-events" }

func (x *Index) eventsIndex() meilisearch.IndexManager { return x.cl.Index(EventsUID(x.uid)) }

// eventSettings are the events index's settings. Events are sorted by
// day, never ranked by how close their words are, so word proximity is
// kept per attribute only: that halves the cost of each indexing run
// of events (32,077 events of 2,000 articles, two runs: 7.0 s → 3.8 s),
// and events outnumber documents sixteen to one. Facet search is off
// (see facetSearchOff).
func (x *Index) eventSettings() *meilisearch.Settings {
	return &meilisearch.Settings{
		RankingRules:         []string{"sort", "words", "typo", "proximity", "attribute", "exactness"},
		SearchableAttributes: []string{"summary"},
		FilterableAttributes: []string{"day", "end_day", "entities", "provinces", "outlet", "doc_id"},
		SortableAttributes:   []string{"day"},
		ProximityPrecision:   meilisearch.ByAttribute,
		Pagination:           &meilisearch.Pagination{MaxTotalHits: search.MaxEvents},
	}
}

// ensureEvents creates the events index when missing and brings its
// settings up to date, enqueuing nothing when they are.
func (x *Index) ensureEvents(ctx context.Context) error {
	uid := EventsUID(x.uid)
	err := x.retry(ctx, "get events index", func(ctx context.Context) error {
		_, err := x.cl.GetIndexWithContext(ctx, uid)
		return err
	})
	if err != nil {
		if apiCode(err) != "index_not_found" {
			return fmt.Errorf("meili index %s: %w", uid, err)
		}
		task, err := x.enqueue(ctx, "create events index", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return x.cl.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: uid, PrimaryKey: "id"})
		})
		if err != nil {
			return err
		}
		if task.Status != meilisearch.TaskStatusSucceeded && task.Error.Code != "index_already_exists" {
			return fmt.Errorf("meili index %s: create: %w", uid, taskError(task))
		}
	}
	want := x.eventSettings()
	var cur *meilisearch.Settings
	if err := x.retry(ctx, "get events settings", func(ctx context.Context) error {
		var err error
		cur, err = x.eventsIndex().GetSettingsWithContext(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("meili index %s: settings: %w", uid, err)
	}
	if err := x.facetSearchOff(ctx, x.eventsIndex(), uid, cur); err != nil {
		return err
	}
	if slices.Equal(cur.RankingRules, want.RankingRules) && slices.Equal(cur.SearchableAttributes, want.SearchableAttributes) &&
		sameSet(cur.FilterableAttributes, want.FilterableAttributes) && sameSet(cur.SortableAttributes, want.SortableAttributes) &&
		cur.ProximityPrecision == want.ProximityPrecision &&
		cur.Pagination != nil && cur.Pagination.MaxTotalHits == want.Pagination.MaxTotalHits {
		return nil
	}
	task, err := x.enqueue(ctx, "update events settings", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return x.eventsIndex().UpdateSettingsWithContext(ctx, x.eventSettings())
	})
	if err != nil {
		return err
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return fmt.Errorf("meili index %s: settings: %w", uid, taskError(task))
	}
	return nil
}

// submitEvents enqueues the replacement of the events of docs and returns
// the tasks to wait for: the new events, then the deletion, by id, of
// the old events the new version no longer has. The old ones are looked
// up rather than deleted by filter, because a deletion by filter cannot
// join the additions queued around it in one indexing run, and the
// events index pays a large fixed cost per run; a new document, the bulk
// of any backfill, has nothing to delete. Both steps are idempotent, so a
// failure makes the caller retry the whole batch.
func (x *Index) submitEvents(ctx context.Context, docs []search.Doc) ([]int64, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(docs))
	var evs []search.Event
	for _, d := range docs {
		ids = append(ids, d.ID)
		evs = append(evs, search.EventsOf(d)...)
	}
	old, err := x.eventIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var tasks []int64
	for _, e := range evs {
		delete(old, e.ID)
	}
	// Each task holds at most MaxBatchDocs events, encoded as one array,
	// halved until it fits in MaxBatchBytes: one encoding into one
	// buffer per task, where appending event by event grew (and paged
	// in) a megabyte buffer a few hundred bytes at a time.
	wire := make([]wireEvent, len(evs))
	for i, e := range evs {
		wire[i] = wireEvent{e, e.Sig}
	}
	for len(wire) > 0 {
		k := min(len(wire), x.opts.MaxBatchDocs)
		payload, err := json.Marshal(wire[:k])
		for err == nil && len(payload) > x.opts.MaxBatchBytes && k > 1 {
			k /= 2
			payload, err = json.Marshal(wire[:k])
		}
		if err != nil {
			return nil, fmt.Errorf("meili index %s: encode %d events: %w", EventsUID(x.uid), k, err)
		}
		uid, err := x.submit(ctx, "add events", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return x.eventsIndex().AddDocumentsWithContext(ctx, payload, nil)
		})
		if err != nil {
			return nil, fmt.Errorf("meili index %s: %d events: %w", EventsUID(x.uid), k, err)
		}
		tasks = append(tasks, uid)
		wire = wire[k:]
	}
	if len(old) > 0 {
		stale := slices.Sorted(maps.Keys(old))
		uid, err := x.submit(ctx, "delete events", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return x.eventsIndex().DeleteDocumentsWithContext(ctx, stale, nil)
		})
		if err != nil {
			return nil, fmt.Errorf("meili index %s: delete %d old events: %w", EventsUID(x.uid), len(stale), err)
		}
		tasks = append(tasks, uid)
	}
	return tasks, nil
}

// wireEvent is an event as the events index holds it: the signature is
// one base64 string rather than 64 numbers, a quarter less of each
// record and far less for Meilisearch to parse and store (32,077 events,
// two indexing runs: 4.0 s → 2.9 s, means of two).
type wireEvent struct {
	search.Event
	Sig wireSig `json:"sig,omitempty"`
}

// wireSig is a MinHash signature as base64 of its little-endian words.
type wireSig []uint32

func (s wireSig) MarshalJSON() ([]byte, error) {
	raw := make([]byte, 4*len(s))
	for i, v := range s {
		binary.LittleEndian.PutUint32(raw[4*i:], v)
	}
	out := make([]byte, 0, base64.RawStdEncoding.EncodedLen(len(raw))+2)
	out = append(out, '"')
	out = base64.RawStdEncoding.AppendEncode(out, raw)
	return append(out, '"'), nil
}

// UnmarshalJSON also reads the array of numbers that indexes written
// before the string form hold, so a timeline works on them until they
// are rebuilt.
func (s *wireSig) UnmarshalJSON(data []byte) error {
	if len(data) == 0 || data[0] != '"' {
		return json.Unmarshal(data, (*[]uint32)(s))
	}
	var text string
	if err := json.Unmarshal(data, &text); err != nil {
		return err
	}
	raw, err := base64.RawStdEncoding.DecodeString(text)
	if err != nil || len(raw)%4 != 0 {
		return fmt.Errorf("event signature %.20q is not base64 of 32-bit words", text)
	}
	*s = make(wireSig, len(raw)/4)
	for i := range *s {
		(*s)[i] = binary.LittleEndian.Uint32(raw[4*i:])
	}
	return nil
}

// eventIDs returns the ids of the events indexed for the documents ids.
func (x *Index) eventIDs(ctx context.Context, ids []string) (map[string]bool, error) {
	const page = 1000
	out := map[string]bool{}
	for chunk := range slices.Chunk(ids, idsPerFilter) {
		q := &meilisearch.DocumentsQuery{Filter: in("doc_id", chunk), Fields: []string{"id"}, Limit: page}
		for {
			var res meilisearch.DocumentsResult
			if err := x.retry(ctx, "list events", func(ctx context.Context) error {
				return x.eventsIndex().GetDocumentsWithContext(ctx, q, &res)
			}); err != nil {
				return nil, fmt.Errorf("meili index %s: events of %d docs: %w", EventsUID(x.uid), len(ids), err)
			}
			var got []struct {
				ID string `json:"id"`
			}
			if err := res.Results.DecodeInto(&got); err != nil {
				return nil, fmt.Errorf("meili index %s: events of %d docs: %w", EventsUID(x.uid), len(ids), err)
			}
			for _, e := range got {
				out[e.ID] = true
			}
			if len(got) < page {
				break
			}
			q.Offset += page
		}
	}
	return out, nil
}

// deleteEvents drops the events of the documents ids and waits for it.
func (x *Index) deleteEvents(ctx context.Context, ids []string) error {
	tasks, err := x.submitDeleteEvents(ctx, ids)
	if err != nil {
		return err // names the index already
	}
	if err := x.waitAll(ctx, "delete events", tasks); err != nil {
		return fmt.Errorf("meili index %s: delete events of %d docs: %w", EventsUID(x.uid), len(ids), err)
	}
	return nil
}

// submitDeleteEvents enqueues the deletion of the events of the
// documents ids, in filters of a bounded length.
func (x *Index) submitDeleteEvents(ctx context.Context, ids []string) ([]int64, error) {
	var tasks []int64
	for chunk := range slices.Chunk(ids, idsPerFilter) {
		filter := in("doc_id", chunk)
		uid, err := x.submit(ctx, "delete events", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return x.eventsIndex().DeleteDocumentsByFilterWithContext(ctx, filter, nil)
		})
		if err != nil {
			return nil, fmt.Errorf("meili index %s: delete events of %d docs: %w", EventsUID(x.uid), len(ids), err)
		}
		tasks = append(tasks, uid)
	}
	return tasks, nil
}

// Events returns the events q selects, by day and id. Text is matched by
// Meilisearch's rules (every word, typos, the last word as a prefix).
func (x *Index) Events(ctx context.Context, q search.EventQuery) ([]search.Event, error) {
	var conds []string
	if !q.From.IsZero() {
		// A range reaching into the window: events indexed without
		// end_day (and single dates) match by their day alone.
		from := strconv.FormatInt(q.From.Unix(), 10)
		conds = append(conds, "(day >= "+from+" OR end_day >= "+from+")")
	}
	if !q.To.IsZero() {
		conds = append(conds, "day <= "+strconv.FormatInt(q.To.Unix(), 10))
	}
	for _, f := range []struct {
		attr string
		vals []string
	}{{"entities", q.Entities}, {"provinces", q.Provinces}, {"outlet", q.Outlets}} {
		if len(f.vals) > 0 {
			conds = append(conds, in(f.attr, f.vals))
		}
	}
	limit := q.Limit
	if limit <= 0 || limit > search.MaxEvents {
		limit = search.MaxEvents
	}
	req := &meilisearch.SearchRequest{
		Filter: strings.Join(conds, " AND "), Sort: []string{"day:asc"}, Limit: int64(limit),
		MatchingStrategy: meilisearch.All,
	}
	var res *meilisearch.SearchResponse
	err := x.retry(ctx, "search events", func(ctx context.Context) error {
		var err error
		res, err = x.eventsIndex().SearchWithContext(ctx, q.Text, req)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("meili index %s: events: %w", EventsUID(x.uid), err)
	}
	wire := make([]wireEvent, 0, len(res.Hits))
	if err := res.Hits.DecodeInto(&wire); err != nil {
		return nil, fmt.Errorf("meili index %s: events: %w", EventsUID(x.uid), err)
	}
	out := make([]search.Event, len(wire))
	for i, w := range wire {
		out[i] = w.Event
		out[i].Sig = w.Sig
	}
	// Meilisearch orders equal days by relevance; ids make it stable.
	slices.SortStableFunc(out, func(a, b search.Event) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}
