// Package crawler follows news sites, feeds, sitemaps and local folders
// and publishes what it finds as document.Raw on the bus.
//
// It is polite (robots.txt obeyed for its user agent, one request at a
// time per host with a delay, retries that back off and honour
// Retry-After), bounded (allowed hosts only, capped redirects, bodies,
// depth, pages per crawl and URLs per URL pattern, so calendars and
// endless pagination end), incremental (validators and hashes in the
// JetStream KV bucket bus.BucketCrawl: re-crawls send conditional
// requests and skip unchanged pages) and resumable (the frontier is in
// the same bucket: a crawler killed mid-crawl continues where it was).
// Copies of one story under several URLs, syndicated or spun, are linked
// with DuplicateOf.
package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/document"
)

// DefaultUserAgent identifies the crawler and where to learn about it.
const DefaultUserAgent = "compoundwatch/0.1 (+https://github.com/compoundwatch/compoundwatch; news monitoring of scam-compound reporting)"

// Options configures a Crawler. Zero values mean the defaults.
type Options struct {
	UserAgent string
	// Delay between requests to one host (default 2s); NoDelay turns
	// politeness delays off (benchmarks, tests on loopback).
	Delay   time.Duration
	NoDelay bool
	// Parallelism is the number of concurrent requests per host (default 1).
	Parallelism int
	// Timeout bounds one request, body included (default 30s).
	Timeout time.Duration
	// MaxBodySize caps a response body, decompressed (default 10 MB).
	MaxBodySize int64
	// MaxRedirects caps a redirect chain (default 5).
	MaxRedirects int
	// Retries of a request answered 429 or 5xx (default 3), with
	// exponential backoff from RetryBackoff (default 2s) or the server's
	// Retry-After, up to MaxRetryAfter (default 2m; longer is a failure).
	Retries       int
	RetryBackoff  time.Duration
	MaxRetryAfter time.Duration
	// IgnoreRobots disables robots.txt (never in production).
	IgnoreRobots bool
	// Depth and MaxPages bound a Once crawl (defaults 3 and 1000);
	// configured sources carry their own.
	Depth    int
	MaxPages int
	// MaxPerPattern bounds the URLs of one pattern (digits folded) in one
	// crawl, which ends calendars and endless pagination (default 100).
	MaxPerPattern int
	// Progress is the interval of progress logs (default 15s).
	Progress time.Duration
	// PDF extracts PDFs; when nil the crawler starts one with PDFOptions.
	PDF        *content.PDFExtractor
	PDFOptions content.PDFOptions
	// Fetched, when set, is told of every HTTP exchange: the host and the
	// status, 0 when no response came (metrics).
	Fetched func(host string, status int)
	// Transport replaces the HTTP transport (tests).
	Transport http.RoundTripper
	// Now replaces the clock (tests).
	Now func() time.Time
}

func (o *Options) defaults() {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Delay == 0 {
		o.Delay = 2 * time.Second
	}
	if o.NoDelay {
		o.Delay = 0
	}
	if o.Parallelism <= 0 {
		o.Parallelism = 1
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = 10 << 20
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 5
	}
	if o.Retries == 0 {
		o.Retries = 3
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = 2 * time.Second
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = 2 * time.Minute
	}
	if o.Depth <= 0 {
		o.Depth = 3
	}
	if o.MaxPages <= 0 {
		o.MaxPages = 1000
	}
	if o.MaxPerPattern <= 0 {
		o.MaxPerPattern = 100
	}
	if o.Progress <= 0 {
		o.Progress = 15 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Crawler crawls sources onto the bus. Create it with New and Close it.
type Crawler struct {
	bus     *bus.Bus
	store   store
	opts    Options
	log     *slog.Logger
	extract *content.Extractor
	dedup   *dedupIndex

	mu    sync.Mutex
	gates map[string]*hostGate
}

// New opens the crawl state bucket and loads the duplicate index.
func New(b *bus.Bus, cfg Options, log *slog.Logger) (*Crawler, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.defaults()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	kv, err := b.KeyValue(bus.BucketCrawl)
	if err != nil {
		return nil, err
	}
	c := &Crawler{
		bus:   b,
		store: store{kv},
		opts:  cfg,
		log:   log,
		dedup: newDedupIndex(),
		gates: map[string]*hostGate{},
		extract: content.New(content.Options{
			PDF: cfg.PDF, PDFOptions: cfg.PDFOptions, MaxFileSize: cfg.MaxBodySize,
		}),
	}
	n := 0
	err = c.store.each(ctx, "m.>", func(key string, v []byte) error {
		var fp fingerprint
		if err := json.Unmarshal(v, &fp); err != nil {
			log.Warn("crawl state: bad fingerprint, ignored", "key", key, "err", err)
			return nil
		}
		c.dedup.add(fp)
		n++
		return nil
	})
	if err != nil {
		c.extract.Close()
		return nil, err
	}
	log.Debug("crawler ready", "fingerprints", n)
	return c, nil
}

// Close releases the PDF engine the crawler started.
func (c *Crawler) Close() error { return c.extract.Close() }

func (c *Crawler) gate(host string) *hostGate {
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.gates[host]
	if g == nil {
		g = newHostGate(c.opts.Parallelism, c.opts.Delay)
		c.gates[host] = g
	}
	return g
}

// Failure is a URL that could not be crawled, and why.
type Failure struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// Summary counts what one crawl did.
type Summary struct {
	Fetched       int       `json:"fetched"`        // responses with a body processed (2xx)
	Bytes         int64     `json:"bytes"`          // body bytes of those
	Documents     int       `json:"documents"`      // articles, PDFs and texts extracted
	Published     int       `json:"published"`      // documents new or changed, sent to the bus
	Duplicates    int       `json:"duplicates"`     // documents marked DuplicateOf
	Unchanged     int       `json:"unchanged"`      // 304 or same content as stored
	SkippedRobots int       `json:"skipped_robots"` // disallowed by robots.txt
	Skipped       int       `json:"skipped"`        // links not followed: out of scope, depth, traps, budget
	Failed        []Failure `json:"failed,omitempty"`
	Resumed       bool      `json:"resumed,omitempty"`
}

func (s Summary) String() string {
	return fmt.Sprintf("fetched %d (%d bytes), documents %d, published %d, duplicates %d, unchanged %d, skipped by robots %d, skipped %d, failed %d",
		s.Fetched, s.Bytes, s.Documents, s.Published, s.Duplicates, s.Unchanged, s.SkippedRobots, s.Skipped, len(s.Failed))
}

// Once crawls from startURLs (each a site page, feed or sitemap: detected
// from the response) within their hosts, publishes what it fetches,
// writes one JSON line per fetched document to jsonl when not nil, and
// returns when nothing is left. A crawl interrupted earlier with the same
// start URLs is resumed.
func (c *Crawler) Once(ctx context.Context, startURLs []string, jsonl io.Writer) (Summary, error) {
	if len(startURLs) == 0 {
		return Summary{}, errors.New("crawl: no start URLs")
	}
	var urls []string
	for _, raw := range startURLs {
		u, err := content.Canonicalize(raw)
		if err != nil {
			return Summary{}, fmt.Errorf("crawl: start URL: %w", err)
		}
		urls = append(urls, u)
	}
	sorted := append([]string(nil), urls...)
	sort.Strings(sorted)
	src := config.Source{
		Name:     "once",
		Kind:     config.KindSite,
		URLs:     urls,
		Depth:    c.opts.Depth,
		MaxPages: c.opts.MaxPages,
	}
	key := "once-" + document.IDFor(strings.Join(sorted, " "))[:16]
	return c.crawl(ctx, src, key, jsonl)
}

// Run crawls the enabled sources on their schedules until ctx is done.
func (c *Crawler) Run(ctx context.Context, sources []config.Source) error {
	var wg sync.WaitGroup
	n := 0
	for _, src := range sources {
		if !src.IsEnabled() {
			continue
		}
		if err := src.Validate(); err != nil {
			return fmt.Errorf("crawl: %w", err)
		}
		n++
		wg.Go(func() { c.loop(ctx, src) })
	}
	c.log.Info("crawler running", "sources", n)
	wg.Wait()
	return nil
}

func (c *Crawler) loop(ctx context.Context, src config.Source) {
	key := "src-" + slug(src.Name)
	for ctx.Err() == nil {
		start := c.opts.Now()
		var (
			sum Summary
			err error
		)
		if src.Kind == config.KindFolder {
			sum, err = c.crawlFolder(ctx, src)
		} else {
			sum, err = c.crawl(ctx, src, key, nil)
		}
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			c.log.Error("crawl failed", "source", src.Name, "err", err)
		} else {
			c.log.Info("crawl done", "source", src.Name, "summary", sum.String(), "took", time.Since(start).Round(time.Millisecond))
		}
		wait := src.Schedule - c.opts.Now().Sub(start)
		if err != nil {
			wait = min(max(wait, time.Minute), 10*time.Minute)
		}
		if sleep(ctx, wait) != nil {
			return
		}
	}
}

func slug(s string) string {
	b := []byte(strings.ToLower(s))
	for i, ch := range b {
		if !(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_') {
			b[i] = '_'
		}
	}
	if len(b) > 64 {
		return string(b[:48]) + "_" + document.IDFor(s)[:12]
	}
	return string(b)
}

func bodyHash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:16])
}

// jsonLine is one line of Once's JSONL output.
type jsonLine struct {
	URL          string    `json:"url"`
	CanonicalURL string    `json:"canonical_url"`
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Published    *string   `json:"published"`
	Text         string    `json:"text"`
	ContentType  string    `json:"content_type"`
	DuplicateOf  string    `json:"duplicate_of"`
	Byline       string    `json:"byline,omitempty"`
	Outlet       string    `json:"outlet,omitempty"`
	Language     string    `json:"language,omitempty"`
	FetchedAt    time.Time `json:"fetched_at"`
}

// hostOf returns the lower-case host[:port] of a URL string.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

// CrawlSource runs one crawl of src (resuming an interrupted one) and
// returns when it is done.
func (c *Crawler) CrawlSource(ctx context.Context, src config.Source) (Summary, error) {
	if err := src.Validate(); err != nil {
		return Summary{}, fmt.Errorf("crawl: %w", err)
	}
	if src.Kind == config.KindFolder {
		return c.crawlFolder(ctx, src)
	}
	return c.crawl(ctx, src, "src-"+slug(src.Name), nil)
}
