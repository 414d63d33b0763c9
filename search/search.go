// Package search defines the query model and the backend interface that
// both search engines implement: Meilisearch in production and an embedded
// on-disk index for a laptop with nothing installed. Callers build one
// Query and get the same semantics from either backend.
package search

import (
	"context"
	"errors"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
)

// Doc is a tagged document as the search engines store it.
type Doc struct {
	ID           string `json:"id"` // document.Raw.ID: lower-case hex, valid everywhere
	URL          string `json:"url"`
	CanonicalURL string `json:"canonical_url,omitempty"`
	Title        string `json:"title"`
	Outlet       string `json:"outlet,omitempty"`
	Language     string `json:"language,omitempty"`
	// Published is Unix seconds (0 when unknown), as Meilisearch filters
	// and sorts dates only as numbers; PublishedDate keeps YYYY-MM-DD.
	Published     int64  `json:"published"`
	PublishedDate string `json:"published_date,omitempty"`
	Year          int    `json:"year,omitempty"`
	Month         string `json:"month,omitempty"` // YYYY-MM, for mentions-per-month charts
	Text          string `json:"text"`
	// Entity ids per type, for filters and facets.
	Compounds []string `json:"compounds"`
	Tycoons   []string `json:"tycoons"`
	Provinces []string `json:"provinces"`
	// EntityNames holds the canonical names and every alias of the tagged
	// entities, so a search for any spelling finds the document.
	EntityNames []string `json:"entity_names"`
	// Labels names the entities the gazetteer does not know (discovered
	// candidates), by id, so they can be shown without the gazetteer.
	Labels      map[string]string `json:"labels,omitempty"`
	Figures     []document.Figure `json:"figures,omitempty"`
	DuplicateOf string            `json:"duplicate_of,omitempty"`
	ContentHash string            `json:"content_hash"`
	// Events are the document's dated events. The backends keep them in
	// their events index (see Event), not in the document, so a search
	// hit does not carry them.
	Events []document.Event `json:"-"`
}

// Sort orders.
const (
	SortRelevance = ""
	SortDateDesc  = "date"
	SortDateAsc   = "date:asc"
)

// Facet names, which are also the Doc fields they count.
const (
	FacetCompounds = "compounds"
	FacetTycoons   = "tycoons"
	FacetProvinces = "provinces"
	FacetOutlet    = "outlet"
	FacetYear      = "year"
	FacetMonth     = "month"
	FacetLanguage  = "language"
)

// Query is one search. Entity filters take gazetteer ids; several ids in
// one filter match any of them, and different filters must all match.
type Query struct {
	Text      string
	Compounds []string
	Tycoons   []string
	Provinces []string
	Outlets   []string
	Languages []string
	// From and To bound the publication date, inclusive; zero is open.
	From, To time.Time
	Sort     string
	Limit    int // default 20
	Offset   int
	Facets   []string
	// Filter is a raw attribute filter "attr=value" (for callers that know
	// the schema); an attribute that is not filterable is ErrBadFilter.
	Filter []string
}

// Hit is one matching document.
type Hit struct {
	Doc   Doc     `json:"doc"`
	Score float64 `json:"score,omitempty"`
	// Snippet is HTML: the matching passage with the text escaped first
	// and then the matches wrapped in <mark>…</mark>, so it is safe to
	// insert into a page however hostile the crawled text.
	Snippet string `json:"snippet"`
}

// Result of a query.
type Result struct {
	Hits   []Hit                     `json:"hits"`
	Total  int                       `json:"total"`
	Facets map[string]map[string]int `json:"facets,omitempty"`
	Took   time.Duration             `json:"took"`
}

// Rejection is a document that a backend refused for good (bad id, too
// large, invalid field), so the indexer dead-letters it instead of
// retrying.
type Rejection struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Backend is a search engine holding Docs.
type Backend interface {
	// Upsert adds or replaces docs by id. Rejections are per-document and
	// final; a non-nil error is transient (the caller retries the batch).
	Upsert(ctx context.Context, docs []Doc) ([]Rejection, error)
	Delete(ctx context.Context, ids ...string) error
	Get(ctx context.Context, id string) (Doc, error)
	Search(ctx context.Context, q Query) (*Result, error)
	Count(ctx context.Context) (int, error)
	Close() error
}

// Batching is how a backend wants its writes shaped by the indexer.
type Batching struct {
	// Docs is the most documents one write gets; 0 keeps the indexer's
	// default.
	Docs int
	// Linger is how long a batch written to an idle backend waits for
	// more documents; 0 keeps the indexer's default.
	Linger time.Duration
	// LingerMax lets a batch wait on while documents keep coming, until
	// Linger after the last, up to LingerMax (bus.Stage.LingerMax): for a
	// backend whose every write has a large fixed cost, a burst of
	// documents is one write.
	LingerMax time.Duration
	// Queued says the backend queues writes and works through them one
	// at a time: a batch that is not full then waits until no write is
	// in flight rather than queue behind one (bus.Stage.HoldPartial).
	Queued bool
	// InFlight bounds the writes at the backend at once; 0 keeps the
	// indexer's default. Large batches ask for fewer, since each holds
	// its documents in memory until the backend confirms them.
	InFlight int
	// InProcess says the backend works on this process's cores (the
	// embedded index): the indexer then decodes a batch when it hands it
	// over rather than each document as it arrives
	// (bus.Stage.DecodeOnHandover), since the backend cannot work
	// meanwhile on what that would have readied sooner.
	InProcess bool
}

// Batcher is a Backend that wants its writes shaped otherwise than the
// indexer's defaults: Meilisearch fewer and larger ones, since each
// indexing run has a large fixed cost; the embedded index fewer documents
// at once, since each batch in flight holds a segment in memory. The
// indexer asks.
type Batcher interface {
	Batching() Batching
}

// Errors common to the backends.
var (
	ErrNotFound  = errors.New("document not found")
	ErrBadFilter = errors.New("bad filter")
	// ErrLocked means another process holds the embedded index.
	ErrLocked = errors.New("index in use by another process")
)
