// Package meili is the Meilisearch search backend.
//
// Open creates the index with the primary key "id" and applies the
// settings idempotently (searchable, filterable and sortable attributes,
// ranking rules, typo tolerance, synonyms). Upsert validates ids before
// sending (a bad id would fail its whole task), sends batches bounded by
// count and bytes, waits for every task and checks its status itself
// (meilisearch-go's WaitForTask returns no error for a failed task), splits
// a batch that fails on a document to reject only the bad documents, and
// retries transient failures (5xx, dropped connections, timeouts) with
// backoff within a bounded budget before returning an error.
package meili

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"time"

	json "github.com/goccy/go-json"
	"github.com/meilisearch/meilisearch-go"

	"github.com/compoundwatch/compoundwatch/search"
)

// Options tune the backend. Zero values mean the defaults.
type Options struct {
	Logger *slog.Logger
	// Synonyms are groups of equivalent spellings (from the gazetteer: a
	// name and its aliases), expanded both ways and capped at 50 per term
	// by search.ExpandSynonyms.
	Synonyms map[string][]string
	// MaxBatchDocs and MaxBatchBytes bound one document task (default
	// 2,000 docs, 32 MiB; Meilisearch takes up to 100 MB by default). A
	// batch the indexer writes is one task when it fits: tasks enqueued
	// one after another can start separate indexing runs.
	MaxBatchDocs  int
	MaxBatchBytes int
	// RetryBudget bounds how long one call keeps retrying transient
	// failures before it returns an error (default 1 minute).
	RetryBudget time.Duration
	// SearchRetryBudget is the same for searches, where a person waits
	// (default 3s, at most RetryBudget).
	SearchRetryBudget time.Duration
	// RequestTimeout bounds one HTTP request (default 30s).
	RequestTimeout time.Duration
	// TaskTimeout bounds the wait for one task (default 5 minutes).
	TaskTimeout time.Duration
	// PollInterval between task status checks (default 25ms, growing to
	// 50ms).
	PollInterval time.Duration
	// HTTPClient replaces the default HTTP client.
	HTTPClient *http.Client
}

func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxBatchDocs <= 0 {
		o.MaxBatchDocs = 2000
	}
	if o.MaxBatchBytes <= 0 {
		o.MaxBatchBytes = 32 << 20
	}
	if o.RetryBudget <= 0 {
		o.RetryBudget = time.Minute
	}
	if o.SearchRetryBudget <= 0 {
		o.SearchRetryBudget = 3 * time.Second
	}
	o.SearchRetryBudget = min(o.SearchRetryBudget, o.RetryBudget)
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 30 * time.Second
	}
	if o.TaskTimeout <= 0 {
		o.TaskTimeout = 5 * time.Minute
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 25 * time.Millisecond
	}
}

// Index is one Meilisearch index. It is safe for concurrent use.
type Index struct {
	url, uid string
	cl       meilisearch.ServiceManager
	ix       meilisearch.IndexManager
	opts     Options
	log      *slog.Logger
	// skipIDCheck sends invalid ids anyway; tests use it to exercise the
	// split-on-failure path.
	skipIDCheck bool
}

var (
	_ search.Backend = (*Index)(nil)
	_ search.Batcher = (*Index)(nil)
)

// Highlight sentinels: Meilisearch inserts them around matches in the
// raw text; search.MarkHTML escapes the text and turns them into marks.
const (
	preTag  = "\x02cw-mark\x03"
	postTag = "\x02/cw-mark\x03"
	// cropWords is the snippet length in words.
	cropWords = 30
	// cropMarker stands for the text a snippet leaves out at either end.
	cropMarker = "…"
)

// settings returns the index settings the backend relies on.
func (x *Index) settings() *meilisearch.Settings {
	return &meilisearch.Settings{
		// Date sort first, so "sort by date" is a date order; without a
		// sort it is a no-op and relevance decides.
		RankingRules:         []string{"sort", "words", "typo", "proximity", "attribute", "exactness"},
		SearchableAttributes: []string{"title", titleHans, "entity_names", "text", textHans},
		FilterableAttributes: search.FilterableAttributes(),
		SortableAttributes:   []string{"published"},
		Synonyms:             search.ExpandSynonyms(x.opts.Synonyms),
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: search.OneTypoLen, TwoTypos: search.TwoTyposLen},
			DisableOnNumbers:    true,
			DisableOnWords:      []string{},
			DisableOnAttributes: []string{},
		},
		Pagination: &meilisearch.Pagination{MaxTotalHits: search.MaxHits},
		Faceting:   &meilisearch.Faceting{MaxValuesPerFacet: search.MaxFacetValues, SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeCount}},
	}
}

// Open connects to Meilisearch at url, creates the index when missing
// (primary key "id") and brings its settings up to date.
func Open(ctx context.Context, url, apiKey, index string, opts Options) (*Index, error) {
	x := Connect(url, apiKey, index, opts)
	if err := x.ensureIndex(ctx); err != nil {
		return nil, err
	}
	if err := x.applySettings(ctx); err != nil {
		return nil, err
	}
	if err := x.ensureEvents(ctx); err != nil {
		return nil, err
	}
	return x, nil
}

// Connect returns a handle on an existing index without touching it:
// no index creation and no settings, so a search-only key or a tenant
// token is enough (for a server that only searches).
func Connect(url, apiKey, index string, opts Options) *Index {
	opts.defaults()
	hc := opts.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	cl := meilisearch.New(strings.TrimRight(url, "/"), meilisearch.WithAPIKey(apiKey),
		meilisearch.WithCustomClient(hc), meilisearch.DisableRetries())
	return &Index{url: url, uid: index, cl: cl, ix: cl.Index(index), opts: opts,
		log: opts.Logger.With("index", index)}
}

func defaultHTTPClient() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return quickAck(c), nil
		},
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
	}}
}

// UID is the index name.
func (x *Index) UID() string { return x.uid }

func (x *Index) ensureIndex(ctx context.Context) error {
	var info *meilisearch.IndexResult
	err := x.retry(ctx, "get index", func(ctx context.Context) error {
		var err error
		info, err = x.cl.GetIndexWithContext(ctx, x.uid)
		return err
	})
	if err == nil {
		if info.PrimaryKey != "" && info.PrimaryKey != "id" {
			return fmt.Errorf("meili index %s: primary key is %q, want \"id\"", x.uid, info.PrimaryKey)
		}
		return nil
	}
	if apiCode(err) != "index_not_found" {
		return fmt.Errorf("meili index %s: %w", x.uid, err)
	}
	task, err := x.enqueue(ctx, "create index", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return x.cl.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: x.uid, PrimaryKey: "id"})
	})
	if err != nil {
		return err
	}
	if task.Status != meilisearch.TaskStatusSucceeded && task.Error.Code != "index_already_exists" {
		return fmt.Errorf("meili index %s: create: %w", x.uid, taskError(task))
	}
	x.log.Info("meili index created", "url", x.url)
	return nil
}

func (x *Index) applySettings(ctx context.Context) error {
	want := x.settings()
	var cur *meilisearch.Settings
	if err := x.retry(ctx, "get settings", func(ctx context.Context) error {
		var err error
		cur, err = x.cl.Index(x.uid).GetSettingsWithContext(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("meili index %s: settings: %w", x.uid, err)
	}
	if err := x.facetSearchOff(ctx, x.ix, x.uid, cur); err != nil {
		return err
	}
	if settingsEqual(cur, want) {
		return nil
	}
	// Settings fields are omitempty: an empty synonym map would leave the
	// old synonyms in place, so reset them explicitly.
	if len(want.Synonyms) == 0 && len(cur.Synonyms) > 0 {
		task, err := x.enqueue(ctx, "reset synonyms", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return x.ix.ResetSynonymsWithContext(ctx)
		})
		if err != nil {
			return err
		}
		if task.Status != meilisearch.TaskStatusSucceeded {
			return fmt.Errorf("meili index %s: reset synonyms: %w", x.uid, taskError(task))
		}
	}
	task, err := x.enqueue(ctx, "update settings", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return x.ix.UpdateSettingsWithContext(ctx, want)
	})
	if err != nil {
		return err
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return fmt.Errorf("meili index %s: update settings: %w", x.uid, taskError(task))
	}
	x.log.Info("meili settings applied", "synonyms", len(want.Synonyms))
	return nil
}

// facetSearchOff turns off facet search (searching within the values of
// a facet), which compoundwatch never asks for and which costs every
// indexing run a pass over the filterable values. It is a setting of
// its own: the Settings type omits a false facetSearch.
func (x *Index) facetSearchOff(ctx context.Context, ix meilisearch.IndexManager, uid string, cur *meilisearch.Settings) error {
	if !cur.FacetSearch {
		return nil
	}
	task, err := x.enqueue(ctx, "turn off facet search", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return ix.UpdateFacetSearchWithContext(ctx, false)
	})
	if err != nil {
		return err
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return fmt.Errorf("meili index %s: turn off facet search: %w", uid, taskError(task))
	}
	return nil
}

// sameSet reports whether a and b hold the same strings in any order.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func settingsEqual(cur, want *meilisearch.Settings) bool {
	if !slices.Equal(cur.RankingRules, want.RankingRules) ||
		!slices.Equal(cur.SearchableAttributes, want.SearchableAttributes) ||
		!sameSet(cur.FilterableAttributes, want.FilterableAttributes) ||
		!sameSet(cur.SortableAttributes, want.SortableAttributes) ||
		cur.TypoTolerance == nil || !cur.TypoTolerance.Enabled || !cur.TypoTolerance.DisableOnNumbers ||
		cur.TypoTolerance.MinWordSizeForTypos != want.TypoTolerance.MinWordSizeForTypos ||
		len(cur.TypoTolerance.DisableOnWords) > 0 || len(cur.TypoTolerance.DisableOnAttributes) > 0 ||
		cur.Pagination == nil || cur.Pagination.MaxTotalHits != want.Pagination.MaxTotalHits ||
		cur.Faceting == nil || cur.Faceting.MaxValuesPerFacet != want.Faceting.MaxValuesPerFacet ||
		len(cur.Synonyms) != len(want.Synonyms) {
		return false
	}
	for k, v := range want.Synonyms {
		if !sameSet(cur.Synonyms[k], v) {
			return false
		}
	}
	return true
}

// Batching asks for batches of one task's worth of documents, written
// one at a time unless full (search.Batching's Queued), and gathered
// while documents keep coming: a batch lingers 300 ms, and again for as
// long as it grew while it lingered, up to 5 s. Each Meilisearch
// indexing run costs about half a second whatever its size (on the
// 2-core machine) and merges into the index built so far, and a task
// that arrives while a run is under way gets a run of its own, so
// fewer, larger runs cost the engine less CPU in all. Measured with
// BenchmarkThroughput/meili side by side: a linger of a second rather
// than 300 ms, 149 -> 165 docs/s (means of five runs); one partial
// batch at a time rather than three, Meilisearch's CPU for the
// pipeline's writes 0.84-1.00 times its CPU for the bulk load of the
// same documents rather than 1.13-1.53 (three runs each). A fixed
// second cut the benchmark's burst of 2,000 documents in two batches in
// most runs (four indexing runs with the events); lingering while it
// grows makes it one (two runs), and Meilisearch was busy 5.8-5.9 s
// rather than 6.2-6.4 s in the calmest pairs of three alternated runs.
// Two writes at once keep it busy (one runs while the next waits in its
// queue) and bound what a backlog holds in memory to two batches.
func (x *Index) Batching() search.Batching {
	return search.Batching{Docs: x.opts.MaxBatchDocs, Linger: 300 * time.Millisecond, LingerMax: 5 * time.Second, Queued: true, InFlight: 2}
}

// Upsert adds or replaces docs by id. Docs with invalid ids (or too
// large) are rejected without being sent; a doc that Meilisearch itself
// rejects is found by splitting its batch and rejected alone while the
// rest is indexed. The error is non-nil only for transient failures that
// outlasted the retry budget: the caller retries (naks) the whole call,
// which is safe because upserts are idempotent.
//
// Every task of the call (the document batches, then the replacement of
// their events) is enqueued before any is waited for: Meilisearch runs an
// index's tasks in the order they were enqueued and merges queued ones
// into one indexing run, so the engine never idles between the steps of
// one call, and the calls of several (full) batches in flight queue up
// behind each other.
func (x *Index) Upsert(ctx context.Context, docs []search.Doc) ([]search.Rejection, error) {
	var rej []search.Rejection
	// The last version of an id wins, as within one Meilisearch payload.
	last := make(map[string]int, len(docs))
	for i, d := range docs {
		last[d.ID] = i
	}
	var (
		batches [][]batchDoc
		batch   []batchDoc
		size    = 2
		sent    []search.Doc
	)
	for i, d := range docs {
		if !x.skipIDCheck {
			if reason := search.CheckID(d.ID); reason != "" {
				rej = append(rej, search.Rejection{ID: d.ID, Reason: reason})
				continue
			}
		}
		if last[d.ID] != i {
			continue
		}
		b, err := json.Marshal(d)
		if err != nil {
			rej = append(rej, search.Rejection{ID: d.ID, Reason: "encode: " + err.Error()})
			continue
		}
		if len(b) > search.MaxDocBytes {
			rej = append(rej, search.Rejection{ID: d.ID, Reason: fmt.Sprintf("document too large: %d bytes, at most %d", len(b), search.MaxDocBytes)})
			continue
		}
		if b, err = withHans(b, d); err != nil {
			rej = append(rej, search.Rejection{ID: d.ID, Reason: "encode: " + err.Error()})
			continue
		}
		if len(b)+2 > x.opts.MaxBatchBytes {
			rej = append(rej, search.Rejection{ID: d.ID, Reason: fmt.Sprintf("document too large: %d bytes as sent, at most %d", len(b), x.opts.MaxBatchBytes-2)})
			continue
		}
		// Batches bounded by count and bytes.
		if len(batch) > 0 && (len(batch) >= x.opts.MaxBatchDocs || size+len(b)+1 > x.opts.MaxBatchBytes) {
			batches, batch, size = append(batches, batch), nil, 2
		}
		batch = append(batch, batchDoc{d.ID, b})
		size += len(b) + 1
		sent = append(sent, d)
	}
	if len(batch) > 0 {
		batches = append(batches, batch)
	}
	for _, r := range rej {
		x.log.Warn("document rejected before sending", "id", r.ID, "reason", r.Reason)
	}
	tasks := make([]docTask, len(batches))
	for i, batch := range batches {
		var err error
		if tasks[i], err = x.submitBatch(ctx, batch); err != nil {
			return rej, err
		}
	}
	events, err := x.submitEvents(ctx, sent)
	if err != nil {
		return rej, err
	}
	var refused []string
	for i, batch := range batches {
		r, err := x.settleBatch(ctx, batch, tasks[i])
		if err != nil {
			return rej, err
		}
		rej = append(rej, r...)
		for _, r := range r {
			refused = append(refused, r.ID)
		}
	}
	if err := x.waitAll(ctx, "events", events); err != nil {
		return rej, fmt.Errorf("meili index %s: %w", EventsUID(x.uid), err)
	}
	// The events of a document Meilisearch refused went in with the
	// batch; they go again.
	return rej, x.deleteEvents(ctx, refused)
}

type batchDoc struct {
	id   string
	json []byte
}

func payload(batch []batchDoc) []byte {
	n := 2
	for _, d := range batch {
		n += len(d.json) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, '[')
	for i, d := range batch {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, d.json...)
	}
	return append(b, ']')
}

func batchIDs(batch []batchDoc) []string {
	ids := make([]string, len(batch))
	for i, d := range batch {
		ids[i] = d.id
	}
	return ids
}

// documentError reports whether a failed task's error code blames the
// documents it held (rather than the server or the index).
func documentError(code string) bool {
	return strings.HasPrefix(code, "invalid_document") || code == "missing_document_id" ||
		strings.HasPrefix(code, "invalid_vector") || code == "payload_too_large" ||
		code == "max_fields_limit_exceeded" || code == "malformed_payload" || code == "bad_request"
}

// docTask is a batch's task: its uid, or, for a batch Meilisearch
// refused when it was sent (payload too large or malformed), a failed
// task standing in for it.
type docTask struct {
	uid     int64
	refused *meilisearch.Task
}

// submitBatch enqueues one batch of documents.
func (x *Index) submitBatch(ctx context.Context, batch []batchDoc) (docTask, error) {
	body := payload(batch)
	uid, err := x.submit(ctx, "add documents", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return x.ix.AddDocumentsWithContext(ctx, body, nil)
	})
	if code := apiCode(err); err != nil && documentError(code) {
		t := &meilisearch.Task{Status: meilisearch.TaskStatusFailed}
		t.Error.Code, t.Error.Message = code, errMessage(err)
		return docTask{refused: t}, nil
	}
	if err != nil {
		return docTask{}, fmt.Errorf("meili index %s: %d docs (%s): %w", x.uid, len(batch), idList(batch), err)
	}
	return docTask{uid: uid}, nil
}

// settleBatch waits for a batch's task. A task failing on its documents
// is split in halves, each sent and waited for, until the bad documents
// are alone; they are rejected and the rest indexed.
func (x *Index) settleBatch(ctx context.Context, batch []batchDoc, dt docTask) ([]search.Rejection, error) {
	task := dt.refused
	if task == nil {
		var err error
		if task, err = x.wait(ctx, "add documents", dt.uid); err != nil {
			return nil, fmt.Errorf("meili index %s: %d docs (%s): %w", x.uid, len(batch), idList(batch), err)
		}
	}
	if task.Status == meilisearch.TaskStatusSucceeded {
		return nil, nil
	}
	x.log.Warn("document task failed", "task", task.UID, "status", task.Status, "code", task.Error.Code,
		"error", task.Error.Message, "docs", len(batch), "ids", idList(batch))
	if !documentError(task.Error.Code) {
		return nil, fmt.Errorf("meili index %s: task %d with %d docs (%s): %w", x.uid, task.UID, len(batch), idList(batch), taskError(task))
	}
	if len(batch) == 1 {
		return []search.Rejection{{ID: batch[0].id, Reason: fmt.Sprintf("meilisearch %s: %s", task.Error.Code, task.Error.Message)}}, nil
	}
	var rej []search.Rejection
	for _, half := range [][]batchDoc{batch[:len(batch)/2], batch[len(batch)/2:]} {
		dt, err := x.submitBatch(ctx, half)
		if err != nil {
			return rej, err
		}
		r, err := x.settleBatch(ctx, half, dt)
		rej = append(rej, r...)
		if err != nil {
			return rej, err
		}
	}
	return rej, nil
}

func idList(batch []batchDoc) string {
	ids := batchIDs(batch)
	if len(ids) > 5 {
		return strings.Join(ids[:5], ",") + fmt.Sprintf(",… (%d more)", len(ids)-5)
	}
	return strings.Join(ids, ",")
}

// Delete removes docs by id; unknown (or invalid) ids are ignored.
func (x *Index) Delete(ctx context.Context, ids ...string) error {
	var valid []string
	for _, id := range ids {
		if search.ValidID(id) {
			valid = append(valid, id)
		}
	}
	if len(valid) == 0 {
		return nil
	}
	task, err := x.enqueue(ctx, "delete documents", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return x.ix.DeleteDocumentsWithContext(ctx, valid, nil)
	})
	if err != nil {
		return fmt.Errorf("meili index %s: delete %d docs: %w", x.uid, len(valid), err)
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return fmt.Errorf("meili index %s: delete %d docs: %w", x.uid, len(valid), taskError(task))
	}
	return x.deleteEvents(ctx, valid)
}

// Get returns one doc, or an error wrapping search.ErrNotFound.
func (x *Index) Get(ctx context.Context, id string) (search.Doc, error) {
	var d search.Doc
	if !search.ValidID(id) {
		return d, fmt.Errorf("meili index %s: doc %q: %w", x.uid, id, search.ErrNotFound)
	}
	err := x.retry(ctx, "get document", func(ctx context.Context) error {
		d = search.Doc{}
		return x.ix.GetDocumentWithContext(ctx, id, nil, &d)
	})
	if apiCode(err) == "document_not_found" {
		return search.Doc{}, fmt.Errorf("meili index %s: doc %s: %w", x.uid, id, search.ErrNotFound)
	}
	if err != nil {
		return search.Doc{}, fmt.Errorf("meili index %s: get %s: %w", x.uid, id, err)
	}
	return d, nil
}

// Count returns the number of docs.
func (x *Index) Count(ctx context.Context) (int, error) {
	var n int64
	err := x.retry(ctx, "stats", func(ctx context.Context) error {
		st, err := x.ix.GetStatsWithContext(ctx, nil)
		if err == nil {
			n = st.NumberOfDocuments
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("meili index %s: count: %w", x.uid, err)
	}
	return int(n), nil
}

// Close releases idle connections.
func (x *Index) Close() error {
	x.cl.Close()
	return nil
}

// DeleteIndex drops the whole index and its events index (tests,
// reindexing).
func (x *Index) DeleteIndex(ctx context.Context) error {
	for _, uid := range []string{x.uid, EventsUID(x.uid)} {
		task, err := x.enqueue(ctx, "delete index", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return x.cl.DeleteIndexWithContext(ctx, uid)
		})
		if err != nil {
			return err
		}
		if task.Status != meilisearch.TaskStatusSucceeded && task.Error.Code != "index_not_found" {
			return fmt.Errorf("meili index %s: delete index: %w", uid, taskError(task))
		}
	}
	return nil
}

// SearchKey returns an API key that can only search this index, for a
// browser (never hand it the master key). The key's uid is derived from
// the index name, so every call returns the same key.
func (x *Index) SearchKey(ctx context.Context) (string, error) {
	k, err := x.searchKey(ctx)
	if err != nil {
		return "", err
	}
	return k.Key, nil
}

func (x *Index) searchKey(ctx context.Context) (*meilisearch.Key, error) {
	uid := keyUID("compoundwatch-search:" + x.uid)
	var k *meilisearch.Key
	err := x.retry(ctx, "get key", func(ctx context.Context) error {
		var err error
		k, err = x.cl.GetKeyWithContext(ctx, uid)
		return err
	})
	if err == nil {
		return k, nil
	}
	if apiCode(err) != "api_key_not_found" {
		return nil, fmt.Errorf("meili index %s: search key: %w", x.uid, err)
	}
	err = x.retry(ctx, "create key", func(ctx context.Context) error {
		var err error
		k, err = x.cl.CreateKeyWithContext(ctx, &meilisearch.Key{
			UID: uid, Name: "compoundwatch search " + x.uid,
			Description: "search-only key for the web page, scoped to index " + x.uid,
			Actions:     []string{"search"}, Indexes: []string{x.uid},
		})
		if apiCode(err) == "api_key_already_exists" {
			k, err = x.cl.GetKeyWithContext(ctx, uid)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("meili index %s: create search key: %w", x.uid, err)
	}
	return k, nil
}

// TenantToken returns a short-lived token signed with the search key that
// can search this index only, optionally restricted by a Meilisearch
// filter (e.g. `duplicate_of NOT EXISTS`).
func (x *Index) TenantToken(ctx context.Context, filter string, ttl time.Duration) (string, error) {
	k, err := x.searchKey(ctx)
	if err != nil {
		return "", err
	}
	rules := map[string]any{x.uid: map[string]any{}}
	if filter != "" {
		rules[x.uid] = map[string]any{"filter": filter}
	}
	tok, err := x.cl.GenerateTenantToken(k.UID, rules, &meilisearch.TenantTokenOptions{APIKey: k.Key, ExpiresAt: time.Now().Add(ttl)})
	if err != nil {
		return "", fmt.Errorf("meili index %s: tenant token: %w", x.uid, err)
	}
	return tok, nil
}

// keyUID formats a hash of s as a version-4 UUID.
func keyUID(s string) string {
	h := sha256.Sum256([]byte(s))
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// enqueue sends a task-creating request (retrying transient failures) and
// waits for the task to finish. The returned task may have failed: the
// caller checks task.Status.
func (x *Index) enqueue(ctx context.Context, what string, f func(context.Context) (*meilisearch.TaskInfo, error)) (*meilisearch.Task, error) {
	uid, err := x.submit(ctx, what, f)
	if err != nil {
		return nil, err
	}
	return x.wait(ctx, what, uid)
}

// submit sends a request that enqueues a task, retrying transient
// failures, and returns the task's uid without waiting for it.
func (x *Index) submit(ctx context.Context, what string, f func(context.Context) (*meilisearch.TaskInfo, error)) (int64, error) {
	var info *meilisearch.TaskInfo
	if err := x.retry(ctx, what, func(ctx context.Context) error {
		var err error
		info, err = f(ctx)
		return err
	}); err != nil {
		return 0, err
	}
	return info.TaskUID, nil
}

// waitAll waits for tasks in order and fails on the first that did not
// succeed.
func (x *Index) waitAll(ctx context.Context, what string, uids []int64) error {
	for _, uid := range uids {
		task, err := x.wait(ctx, what, uid)
		if err == nil && task.Status != meilisearch.TaskStatusSucceeded {
			err = taskError(task)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

// wait polls a task until it succeeds, fails or is canceled.
func (x *Index) wait(ctx context.Context, what string, uid int64) (*meilisearch.Task, error) {
	ctx, cancel := context.WithTimeout(ctx, x.opts.TaskTimeout)
	defer cancel()
	interval := x.opts.PollInterval
	for {
		var task *meilisearch.Task
		err := x.retry(ctx, "get task", func(ctx context.Context) error {
			var err error
			task, err = x.cl.GetTaskWithContext(ctx, uid)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("%s: task %d: %w", what, uid, err)
		}
		switch task.Status {
		case meilisearch.TaskStatusSucceeded, meilisearch.TaskStatusFailed, meilisearch.TaskStatusCanceled:
			if task.UID == 0 {
				task.UID = uid
			}
			return task, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: task %d still %s: %w", what, uid, task.Status, ctx.Err())
		case <-time.After(interval):
		}
		// A short cap: a task of a batch in flight that is seen late
		// holds back the acks of its documents.
		interval = min(interval*3/2, 50*time.Millisecond)
	}
}

// TaskError is a failed Meilisearch task.
type TaskError struct {
	Task    int64
	Status  string
	Code    string
	Message string
}

func (e *TaskError) Error() string {
	return fmt.Sprintf("task %d %s: %s: %s", e.Task, e.Status, e.Code, e.Message)
}

func taskError(t *meilisearch.Task) error {
	return &TaskError{Task: t.UID, Status: string(t.Status), Code: t.Error.Code, Message: t.Error.Message}
}

// apiCode is the Meilisearch error code of err ("" when none).
func apiCode(err error) string {
	var me *meilisearch.Error
	if errors.As(err, &me) {
		return me.MeilisearchApiError.Code
	}
	return ""
}

func errMessage(err error) string {
	var me *meilisearch.Error
	if errors.As(err, &me) && me.MeilisearchApiError.Message != "" {
		return me.MeilisearchApiError.Message
	}
	return err.Error()
}

// transient reports whether retrying err may succeed: server errors,
// rate limiting, dropped or refused connections, timeouts.
func transient(err error) bool {
	var me *meilisearch.Error
	if errors.As(err, &me) {
		switch {
		case me.ErrCode == meilisearch.MeilisearchCommunicationError, me.ErrCode == meilisearch.MeilisearchTimeoutError:
			return true
		case me.StatusCode >= 500, me.StatusCode == http.StatusTooManyRequests, me.StatusCode == http.StatusRequestTimeout:
			return true
		case me.StatusCode == 0 && me.OriginError != nil:
			return transient(me.OriginError)
		case me.ErrCode == meilisearch.ErrCodeResponseUnmarshalBody:
			// A truncated body from a dropped connection.
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, context.DeadlineExceeded)
}

// retry runs f with a per-request timeout, retrying transient failures
// with exponential backoff until RetryBudget is spent or ctx is done.
func (x *Index) retry(ctx context.Context, what string, f func(context.Context) error) error {
	return x.retryFor(ctx, x.opts.RetryBudget, what, f)
}

func (x *Index) retryFor(ctx context.Context, budget time.Duration, what string, f func(context.Context) error) error {
	deadline := time.Now().Add(budget)
	backoff := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		rctx, cancel := context.WithTimeout(ctx, x.opts.RequestTimeout)
		err := f(rctx)
		cancel()
		if err == nil || ctx.Err() != nil || !transient(err) {
			if ctx.Err() != nil && err != nil {
				return fmt.Errorf("%s: %w (%v)", what, ctx.Err(), shortErr(err))
			}
			return err
		}
		if time.Now().Add(backoff).After(deadline) {
			return fmt.Errorf("%s: giving up after %d attempts in %s: %w", what, attempt, budget, err)
		}
		x.log.Debug("meili transient error, retrying", "op", what, "attempt", attempt, "backoff", backoff, "err", shortErr(err))
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w (%v)", what, ctx.Err(), shortErr(err))
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func shortErr(err error) string {
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
