package meili

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/meilisearch/meilisearch-go"

	"github.com/compoundwatch/compoundwatch/search"
)

// The events live in a second index, "<index>-events", one record per
// event (search.Event). Upsert replaces a document's events (delete by
// doc_id filter, then add) after the documents are confirmed; Delete drops
// them with the documents.

// EventsUID is the name of the events index beside index.
func EventsUID(index string) string { return index + "-events" }

func (x *Index) eventsIndex() meilisearch.IndexManager { return x.cl.Index(EventsUID(x.uid)) }

func (x *Index) eventSettings() *meilisearch.Settings {
	return &meilisearch.Settings{
		RankingRules:         []string{"sort", "words", "typo", "proximity", "attribute", "exactness"},
		SearchableAttributes: []string{"summary"},
		FilterableAttributes: []string{"day", "entities", "provinces", "outlet", "doc_id"},
		SortableAttributes:   []string{"day"},
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
	if slices.Equal(cur.RankingRules, want.RankingRules) && slices.Equal(cur.SearchableAttributes, want.SearchableAttributes) &&
		sameSet(cur.FilterableAttributes, want.FilterableAttributes) && sameSet(cur.SortableAttributes, want.SortableAttributes) &&
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

// upsertEvents replaces the events of docs, which the documents index
// has accepted. Any failure is transient for the caller, which retries
// the whole batch: both steps are idempotent.
func (x *Index) upsertEvents(ctx context.Context, docs []search.Doc) error {
	if len(docs) == 0 {
		return nil
	}
	ids := make([]string, 0, len(docs))
	var evs []search.Event
	for _, d := range docs {
		ids = append(ids, d.ID)
		evs = append(evs, search.EventsOf(d)...)
	}
	if err := x.deleteEvents(ctx, ids); err != nil {
		return err
	}
	var (
		body = []byte{'['}
		n    int
	)
	flush := func() error {
		if n == 0 {
			return nil
		}
		payload := append(body, ']')
		task, err := x.enqueue(ctx, "add events", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return x.eventsIndex().AddDocumentsWithContext(ctx, payload, nil)
		})
		if err == nil && task.Status != meilisearch.TaskStatusSucceeded {
			err = taskError(task)
		}
		if err != nil {
			return fmt.Errorf("meili index %s: %d events: %w", EventsUID(x.uid), n, err)
		}
		body, n = []byte{'['}, 0
		return nil
	}
	for _, e := range evs {
		b, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("event %s: %w", e.ID, err)
		}
		if n > 0 && (n >= x.opts.MaxBatchDocs || len(body)+len(b)+2 > x.opts.MaxBatchBytes) {
			if err := flush(); err != nil {
				return err
			}
		}
		if n > 0 {
			body = append(body, ',')
		}
		body = append(body, b...)
		n++
	}
	return flush()
}

// deleteEvents drops the events of the documents ids, in filters of a
// bounded length.
func (x *Index) deleteEvents(ctx context.Context, ids []string) error {
	const perFilter = 200
	for i := 0; i < len(ids); i += perFilter {
		filter := in("doc_id", ids[i:min(i+perFilter, len(ids))])
		task, err := x.enqueue(ctx, "delete events", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return x.eventsIndex().DeleteDocumentsByFilterWithContext(ctx, filter, nil)
		})
		if err == nil && task.Status != meilisearch.TaskStatusSucceeded {
			err = taskError(task)
		}
		if err != nil {
			return fmt.Errorf("meili index %s: delete events of %d docs: %w", EventsUID(x.uid), len(ids), err)
		}
	}
	return nil
}

// Events returns the events q selects, by day and id. Text is matched by
// Meilisearch's rules (every word, typos, the last word as a prefix).
func (x *Index) Events(ctx context.Context, q search.EventQuery) ([]search.Event, error) {
	var conds []string
	if !q.From.IsZero() {
		conds = append(conds, "day >= "+strconv.FormatInt(q.From.Unix(), 10))
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
	out := make([]search.Event, 0, len(res.Hits))
	if err := res.Hits.DecodeInto(&out); err != nil {
		return nil, fmt.Errorf("meili index %s: events: %w", EventsUID(x.uid), err)
	}
	// Meilisearch orders equal days by relevance; ids make it stable.
	slices.SortStableFunc(out, func(a, b search.Event) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}
