package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/document"
)

// Crawl state lives in the JetStream key-value bucket bus.BucketCrawl:
//
//	u.<url-id>            urlState: validators, hashes, last seen, outlinks
//	q.<source>.<url-id>   job: the frontier of a source's current crawl
//	r.<source>            runState: the current crawl of a source
//	m.<doc-id>            fingerprint: for duplicate detection
//	f.<path-id>           fileState: a folder source's file
//
// <url-id> is document.IDFor(canonical URL). A page's state is written
// before its links are queued and before its own frontier entry is
// deleted, so a crawler killed at any point resumes without fetching a
// stored page again and without losing its links.

// urlState is what the crawler remembers about one URL.
type urlState struct {
	URL          string    `json:"url"`
	Status       int       `json:"status"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	BodyHash     string    `json:"body_hash,omitempty"`
	ContentHash  string    `json:"content_hash,omitempty"` // of the published document
	DocID        string    `json:"doc_id,omitempty"`
	Kind         string    `json:"kind,omitempty"`
	LastSeen     time.Time `json:"last_seen"`
	LastFetched  time.Time `json:"last_fetched,omitzero"`
	Error        string    `json:"error,omitempty"`
	// Out are the in-scope links found on the page, replayed when the
	// page answers 304 or was stored before a crash. OutComplete is false
	// when they did not fit, and the page is then always fetched in full.
	Out         []job `json:"out,omitempty"`
	OutComplete bool  `json:"out_complete,omitempty"`
}

// job is one frontier entry.
type job struct {
	URL   string `json:"u"`
	Depth int    `json:"d"`
	Hint  string `json:"k,omitempty"` // kind expected: feed, sitemap, article
	Date  string `json:"p,omitempty"` // publication date announced by a feed or sitemap
}

// runState is one crawl (generation) of a source.
type runState struct {
	Started  time.Time `json:"started"`
	Done     bool      `json:"done"`
	Finished time.Time `json:"finished,omitzero"`
	Admitted int       `json:"admitted"`
}

type fileState struct {
	Path        string    `json:"path"`
	Size        int64     `json:"size"`
	ModTime     time.Time `json:"mod_time"`
	ContentHash string    `json:"content_hash"`
}

// maxOutBytes bounds the links stored with a page (a KV value must stay
// well under the server's max payload).
const maxOutBytes = 256 << 10

type store struct{ kv jetstream.KeyValue }

func urlKey(u string) string          { return "u." + document.IDFor(u) }
func jobKey(src, u string) string     { return "q." + src + "." + document.IDFor(u) }
func runKey(src string) string        { return "r." + src }
func fingerprintKey(id string) string { return "m." + id }
func fileKey(path string) string      { return "f." + document.IDFor(path) }

func (s store) get(ctx context.Context, key string, v any) (bool, error) {
	e, err := s.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("crawl state %s: %w", key, err)
	}
	if err := json.Unmarshal(e.Value(), v); err != nil {
		return false, fmt.Errorf("crawl state %s: %w", key, err)
	}
	return true, nil
}

func (s store) put(ctx context.Context, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := s.kv.Put(ctx, key, data); err != nil {
		return fmt.Errorf("crawl state %s: %w", key, err)
	}
	return nil
}

func (s store) del(ctx context.Context, key string) error {
	if err := s.kv.Delete(ctx, key); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("crawl state %s: %w", key, err)
	}
	return nil
}

// each calls f with the current value of every key matching filter.
func (s store) each(ctx context.Context, filter string, f func(key string, value []byte) error) error {
	w, err := s.kv.Watch(ctx, filter, jetstream.IgnoreDeletes())
	if err != nil {
		return fmt.Errorf("crawl state %s: %w", filter, err)
	}
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e, ok := <-w.Updates():
			if !ok {
				return fmt.Errorf("crawl state %s: watcher closed", filter)
			}
			if e == nil {
				return nil // initial values done
			}
			if err := f(e.Key(), e.Value()); err != nil {
				return err
			}
		}
	}
}

func (s store) state(ctx context.Context, canon string) (urlState, bool, error) {
	var st urlState
	ok, err := s.get(ctx, urlKey(canon), &st)
	return st, ok, err
}

func (s store) putState(ctx context.Context, st *urlState) error {
	return s.put(ctx, urlKey(st.URL), st)
}

func (s store) jobs(ctx context.Context, src string) ([]job, error) {
	var out []job
	err := s.each(ctx, "q."+src+".>", func(key string, v []byte) error {
		var j job
		if err := json.Unmarshal(v, &j); err != nil {
			return fmt.Errorf("crawl state %s: %w", key, err)
		}
		out = append(out, j)
		return nil
	})
	return out, err
}
