// Package embedded is the on-disk search backend for a laptop with nothing
// installed: a bleve index under one directory, with the same query
// semantics as the Meilisearch backend (its typo and prefix rules, its
// ranking buckets, the same filters, facets, date sort and escaped
// highlights).
//
// Only one process can hold the index: Open fails fast with
// search.ErrLocked when another one does.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
	json "github.com/goccy/go-json"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/compoundwatch/compoundwatch/search"
)

// Options tune the embedded index.
type Options struct {
	Logger *slog.Logger
	// Synonyms are groups of equivalent spellings (a name and its
	// aliases), expanded as the Meilisearch backend does
	// (search.ExpandSynonyms): a query equal to one spelling also searches
	// the others. Optional: documents' entity_names already carry every
	// alias of their entities.
	Synonyms map[string][]string
	// LockTimeout is how long Open waits for another process to release
	// the index (default 200ms).
	LockTimeout time.Duration
}

// Index is an embedded search index. It is safe for concurrent use.
type Index struct {
	dir string
	idx bleve.Index
	ev  bleve.Index // events, see events.go
	log *slog.Logger
	syn map[string][]string
	an  analyzer
	lev levBuilders
	// The options of the fields of idx and ev, for their records.
	docOpts, evOpts fieldOptions
	names           *termMemo
}

var (
	_ search.Backend = (*Index)(nil)
	_ search.Batcher = (*Index)(nil)
)

// Field names in the bleve index.
const (
	fTitle       = "title"
	fEntityNames = "entity_names"
	fText        = "text"
	fPublished   = "published"
	fYearNum     = "year_num"
	// fDate is the date sort key, one fixed-width term per doc (dateKey):
	// a numeric field's doc values hold all its prefix-coded terms, about
	// eight times the bytes to decompress per sorted hit.
	fDate = "_date"
	// fFacets holds every facet value as one code byte (facetCode) and
	// the value: counting one doc-values field per hit is several times
	// faster than seven, and short terms decompress faster.
	fFacets      = "_facets"
	fSource      = "_source"
	noDuplicate  = "_none" // duplicate_of of an original, so "duplicate_of=" can match it
	analyzerName = "cw"
)

// mergeFloor is the merge planner's floor segment size, see Open.
const mergeFloor = 100

// schemaKey holds schemaVersion in the index, so that an index written
// with other fields fails to open instead of sorting and faceting wrong.
const (
	schemaKey     = "cw_schema"
	schemaVersion = "7" // 3: the events index; 4: one events record per document; 5: words of Khmer, Thai, Lao and Myanmar (Words); 6: traditional Chinese folded to simplified (simplify); 7: pairs of Chinese characters (Words)
)

// ErrFormat reports an index written by another version of this package.
// The index is derived data: the caller can delete it and replay the
// tagged-document log into a new one.
var ErrFormat = errors.New("index written in another format")

// facetCode is the byte that marks facet's values in fFacets.
func facetCode(facet string) byte {
	return byte(slices.Index([]string{search.FacetCompounds, search.FacetTycoons, search.FacetProvinces,
		search.FacetOutlet, search.FacetYear, search.FacetMonth, search.FacetLanguage}, facet))
}

// dateKey encodes Unix seconds so that byte order is date order.
func dateKey(unix int64) string { return fmt.Sprintf("%016x", uint64(unix)^1<<63) }

// Open opens the index in dir, creating it when missing.
func Open(dir string, opts Options) (*Index, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 200 * time.Millisecond
	}
	cfg := map[string]any{
		"bolt_timeout": opts.LockTimeout.String(),
		// Scorch's merge planner counts every segment under its floor
		// (2,000 documents by default) as one tier, so while documents
		// arrive in batches of a few hundred it merges the growing
		// segment again with each new handful: a quarter of the
		// pipeline's CPU. A floor of 100 keeps the sizes in tiers of
		// their own. Measured side by side: the embedded pipeline's CPU
		// per 2,000 documents 10.4 s -> 7.6 s (mean of 4), indexing
		// 20,000 generated documents 1,006 -> 4,229 docs/s, query p50s
		// within 5-15% (BenchmarkBackends).
		"scorchMergePlanOptions": map[string]any{"FloorSegmentSize": mergeFloor},
	}
	var (
		idx bleve.Index
		err error
	)
	created := false
	if _, statErr := os.Stat(filepath.Join(dir, "index_meta.json")); statErr == nil {
		idx, err = bleve.OpenUsing(dir, cfg)
	} else {
		if err := os.MkdirAll(filepath.Dir(filepath.Clean(dir)), 0o755); err != nil {
			return nil, fmt.Errorf("embedded index %s: %w", dir, err)
		}
		created = true
		var m *mapping.IndexMappingImpl
		if m, err = newMapping(); err == nil {
			idx, err = bleve.NewUsing(dir, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, cfg)
		}
		if err == nil {
			if err = idx.SetInternal([]byte(schemaKey), []byte(schemaVersion)); err != nil {
				idx.Close()
			}
		}
	}
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("embedded index %s: %w", dir, search.ErrLocked)
		}
		return nil, fmt.Errorf("embedded index %s: %w", dir, err)
	}
	if v, err := idx.GetInternal([]byte(schemaKey)); err != nil || string(v) != schemaVersion {
		idx.Close()
		if err == nil {
			err = fmt.Errorf("%w: format %q, want %q", ErrFormat, v, schemaVersion)
		}
		return nil, fmt.Errorf("embedded index %s: %w", dir, err)
	}
	ev, err := openEvents(dir, cfg, created)
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("embedded index %s: events: %w", dir, err)
	}
	an, err := newAnalyzer(idx.Mapping())
	if err != nil {
		idx.Close()
		ev.Close()
		return nil, fmt.Errorf("embedded index %s: %w", dir, err)
	}
	lev, err := newLevBuilders()
	if err != nil {
		idx.Close()
		ev.Close()
		return nil, fmt.Errorf("embedded index %s: %w", dir, err)
	}
	docOpts, err := optionsOf(idx.Mapping())
	var evOpts fieldOptions
	if err == nil {
		evOpts, err = optionsOf(ev.Mapping())
	}
	if err != nil {
		idx.Close()
		ev.Close()
		return nil, fmt.Errorf("embedded index %s: %w", dir, err)
	}
	syn := map[string][]string{}
	for k, v := range search.ExpandSynonyms(opts.Synonyms) {
		k = an.normPhrase(k)
		syn[k] = append(syn[k], v...)
	}
	opts.Logger.Debug("embedded index open", "dir", dir)
	return &Index{dir: dir, idx: idx, ev: ev, log: opts.Logger, syn: syn, an: an, lev: lev, docOpts: docOpts, evOpts: evOpts,
		names: newTermMemo(memoNames)}, nil
}

// newMapping builds the index mapping: a static document mapping, so only
// the declared fields are indexed, the whole Doc stored as JSON in
// _source, BM25 scoring.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	im.ScoringModel = bindex.BM25Scoring
	if err := addAnalyzer(im); err != nil {
		return nil, err
	}
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	dm := bleve.NewDocumentStaticMapping()
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzerName
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	kw := func(docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = docValues
		return f
	}
	num := func() *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false // range filters only; fDate sorts
		return f
	}
	for _, name := range []string{fTitle, fEntityNames, fText} {
		dm.AddFieldMappingsAt(name, text())
	}
	for _, name := range []string{"compounds", "tycoons", "provinces", "outlet", "language", "year", "month", "duplicate_of"} {
		dm.AddFieldMappingsAt(name, kw(false))
	}
	dm.AddFieldMappingsAt(fFacets, kw(true))
	dm.AddFieldMappingsAt(fDate, kw(true))
	dm.AddFieldMappingsAt(fPublished, num())
	dm.AddFieldMappingsAt(fYearNum, num())
	dm.AddFieldMappingsAt(fSource, storedOnly())
	noAll(dm)
	im.DefaultMapping = dm
	return im, nil
}

// noAll turns off the composite "_all" field, which bleve adds to every
// record and composes from every field, although none of ours is
// included in it (IncludeInAll is false throughout) and no query reads
// it.
func noAll(dm *mapping.DocumentMapping) {
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
}

// storedOnly maps the field that keeps a record's JSON: stored to be
// returned, never indexed or searched.
func storedOnly() *mapping.FieldMapping {
	src := bleve.NewTextFieldMapping()
	src.Index, src.Store, src.IncludeInAll, src.DocValues = false, true, false, false
	return src
}

// facets is every facet value of d, each after its facet's code
// (fFacets).
func facets(d search.Doc) []string {
	var out []string
	add := func(facet string, vals ...string) {
		code := string(rune(facetCode(facet)))
		for _, v := range vals {
			if v != "" {
				out = append(out, code+v)
			}
		}
	}
	add(search.FacetCompounds, d.Compounds...)
	add(search.FacetTycoons, d.Tycoons...)
	add(search.FacetProvinces, d.Provinces...)
	add(search.FacetOutlet, d.Outlet)
	add(search.FacetLanguage, d.Language)
	add(search.FacetMonth, d.Month)
	if d.Year != 0 {
		add(search.FacetYear, strconv.Itoa(d.Year))
	}
	return out
}

// record is the bleve document of d, and the size of its JSON, which
// Meilisearch limits.
func (x *Index) record(d search.Doc) (*bdoc.Document, int, error) {
	src, err := json.Marshal(d)
	if err != nil {
		return nil, 0, err
	}
	r := newRecord(d.ID, x.docOpts)
	r.text(fTitle, d.Title)
	r.names(fEntityNames, x.names, d.EntityNames...)
	r.text(fText, d.Text)
	r.number(fPublished, float64(d.Published))
	r.keywords(fDate, dateKey(d.Published))
	r.stored(fSource, src)
	r.keywords("compounds", d.Compounds...)
	r.keywords("tycoons", d.Tycoons...)
	r.keywords("provinces", d.Provinces...)
	for _, f := range []struct{ name, v string }{{"outlet", d.Outlet}, {"language", d.Language}, {"month", d.Month}} {
		if f.v != "" {
			r.keywords(f.name, f.v)
		}
	}
	if d.Year != 0 {
		r.keywords("year", strconv.Itoa(d.Year))
		r.number(fYearNum, float64(d.Year))
	}
	r.keywords(fFacets, facets(d)...)
	if d.DuplicateOf != "" {
		r.keywords("duplicate_of", d.DuplicateOf)
	} else {
		r.keywords("duplicate_of", noDuplicate)
	}
	return r.doc, len(src), r.err
}

// Batching keeps about 500 documents at the index at once, as two
// batches of 250. Each batch is analysed on every core and built into a
// segment in memory, so batches at once overlap their single-core parts
// but multiply their memory: past that, the collector and the caches
// cost more than the overlap gains. Measured side by side with
// BenchmarkStages (the indexer stage alone on a backlog of 2,000
// articles, against a bulk load of the same documents): three batches of
// 500 at once reached 50-61% of the bulk rate, two of 250 85-96%, and
// the work the merger was left with afterwards was the same (30-110 ms of
// CPU). While documents trickle in from the extractor, the two gave the
// same pipeline rate (BenchmarkThroughput/embedded).
//
// A batch that is not full waits 100 ms for its next document, and on
// while they keep coming, up to 300 ms from its first: the documents of
// a folder come faster than that, and the last of them are no longer
// held for a whole linger after they stopped. `ingest` of 20 articles
// spent 300 ms of its half second waiting so.
//
// The index works on this process's cores (InProcess), so the indexer
// decodes each batch at once as it hands it over: decoding each document
// as it arrived, between the other stages' work, cost the embedded
// pipeline more CPU (BenchmarkThroughput/embedded).
func (x *Index) Batching() search.Batching {
	return search.Batching{Docs: 250, InFlight: 2, Linger: 100 * time.Millisecond, LingerMax: 300 * time.Millisecond, InProcess: true}
}

// Upsert adds or replaces docs by id. Docs with ids Meilisearch would
// reject, or too large, are rejected, so both backends accept alike.
// It returns once both indexes have written the batch to disk and synced
// it (bleve's default, safe batches), so a document the caller then
// acknowledges survives a crash.
func (x *Index) Upsert(ctx context.Context, docs []search.Doc) ([]search.Rejection, error) {
	var rej []search.Rejection
	b := x.idx.NewBatch()
	seen := make(map[string]bool, len(docs))
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if reason := search.CheckID(d.ID); reason != "" {
			rej = append(rej, search.Rejection{ID: d.ID, Reason: reason})
			continue
		}
		doc, n, err := x.record(d)
		if err != nil {
			rej = append(rej, search.Rejection{ID: d.ID, Reason: "encode: " + err.Error()})
			continue
		}
		if n > search.MaxDocBytes {
			rej = append(rej, search.Rejection{ID: d.ID, Reason: fmt.Sprintf("document too large: %d bytes, at most %d", n, search.MaxDocBytes)})
			continue
		}
		if seen[d.ID] {
			// The last version of an id in one batch wins, as in Meilisearch.
			b.Delete(d.ID)
		}
		seen[d.ID] = true
		if err := b.IndexAdvanced(doc); err != nil {
			rej = append(rej, search.Rejection{ID: d.ID, Reason: "index: " + err.Error()})
		}
	}
	// The events follow the accepted documents. The two indexes are
	// written at once, as each batch builds its segment on one core.
	// Should either fail, the error makes the caller retry the whole
	// batch, which is harmless.
	accepted := docs
	if len(rej) > 0 {
		bad := map[string]bool{}
		for _, r := range rej {
			bad[r.ID] = true
		}
		accepted = nil
		for _, d := range docs {
			if !bad[d.ID] {
				accepted = append(accepted, d)
			}
		}
	}
	var (
		wg     sync.WaitGroup
		docErr error
	)
	if b.Size() > 0 {
		wg.Go(func() { docErr = x.idx.Batch(b) })
	}
	evErr := x.upsertEvents(accepted)
	wg.Wait()
	if docErr != nil {
		return rej, fmt.Errorf("embedded index %s: batch of %d: %w", x.dir, len(docs), docErr)
	}
	if evErr != nil {
		return rej, evErr
	}
	for _, r := range rej {
		x.log.Warn("document rejected", "index", x.dir, "id", r.ID, "reason", r.Reason)
	}
	return rej, nil
}

// Delete removes docs by id; unknown ids are ignored.
func (x *Index) Delete(ctx context.Context, ids ...string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b := x.idx.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	if err := x.idx.Batch(b); err != nil {
		return fmt.Errorf("embedded index %s: delete %d docs: %w", x.dir, len(ids), err)
	}
	return x.deleteEvents(ids)
}

// Get returns one doc by id, or an error wrapping search.ErrNotFound.
func (x *Index) Get(ctx context.Context, id string) (search.Doc, error) {
	if err := ctx.Err(); err != nil {
		return search.Doc{}, err
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery([]string{id}), 1, 0, false)
	req.Fields = []string{fSource}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return search.Doc{}, fmt.Errorf("embedded index %s: get %s: %w", x.dir, id, err)
	}
	if len(res.Hits) == 0 {
		return search.Doc{}, fmt.Errorf("embedded index %s: doc %s: %w", x.dir, id, search.ErrNotFound)
	}
	return decodeSource(res.Hits[0].Fields, id)
}

func decodeSource(fields map[string]any, id string) (search.Doc, error) {
	var d search.Doc
	s, _ := fields[fSource].(string)
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return d, fmt.Errorf("doc %s: stored source: %w", id, err)
	}
	return d, nil
}

// Count returns the number of docs.
func (x *Index) Count(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n, err := x.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("embedded index %s: count: %w", x.dir, err)
	}
	return int(n), nil
}

// Close releases the index (and its lock).
func (x *Index) Close() error {
	err := x.idx.Close()
	if evErr := x.ev.Close(); err == nil {
		err = evErr
	}
	if err != nil {
		return fmt.Errorf("embedded index %s: close: %w", x.dir, err)
	}
	return nil
}

// Dir is where the index lives.
func (x *Index) Dir() string { return x.dir }

// Analyzer returns the analyzer the index folds queries with, so that a
// matcher outside the index (the alerts percolator), splitting texts
// with Words and queries with QueryWords, folds each of their words
// exactly as search does: a word of either comes out of it whole.
func Analyzer() (analysis.Analyzer, error) {
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	an, err := newAnalyzer(m)
	return an.query, err
}
