package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/fnv1a"
)

// frontier is the in-memory side of a crawl's queue: a visited set of
// URL hashes and one FIFO queue per host. Its persistent side is the
// q.<source>.* keys of the crawl bucket.
type frontier struct {
	seen   map[uint64]struct{}
	queues map[string][]job
	size   int
}

func newFrontier() frontier {
	return frontier{seen: map[uint64]struct{}{}, queues: map[string][]job{}}
}

// markSeen records u and reports whether it was new.
func (f *frontier) markSeen(u string) bool {
	k := fnv1a.Add(fnv1a.Offset, u)
	if _, ok := f.seen[k]; ok {
		return false
	}
	f.seen[k] = struct{}{}
	return true
}

func (f *frontier) push(host string, j job) {
	f.queues[host] = append(f.queues[host], j)
	f.size++
}

func (f *frontier) pop(host string) (job, bool) {
	q := f.queues[host]
	if len(q) == 0 {
		return job{}, false
	}
	j := q[0]
	q[0] = job{}
	if len(q) == 1 {
		delete(f.queues, host)
	} else {
		f.queues[host] = q[1:]
	}
	f.size--
	return j, true
}

// session is one crawl (generation) of one source.
type session struct {
	c       *Crawler
	src     config.Source
	key     string
	jsonl   io.Writer
	allowed map[string]bool
	article []*regexp.Regexp
	listing []*regexp.Regexp
	exclude []*regexp.Regexp
	col     *colly.Collector
	log     *slog.Logger

	mu        sync.Mutex
	cond      *sync.Cond
	run       runState
	front     frontier
	pending   int
	workers   map[string]int
	wg        sync.WaitGroup
	templates map[string]int
	warned    map[string]int
	emitted   map[string]bool
	sum       Summary
	jsonlErr  error
}

func compileAll(list []string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	for _, p := range list {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", p, err)
		}
		out = append(out, re)
	}
	return out, nil
}

func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// crawl runs one generation of src (resuming an interrupted one).
func (c *Crawler) crawl(ctx context.Context, src config.Source, key string, jsonl io.Writer) (Summary, error) {
	s := &session{
		c: c, src: src, key: key, jsonl: jsonl,
		allowed:   map[string]bool{},
		front:     newFrontier(),
		workers:   map[string]int{},
		templates: map[string]int{},
		warned:    map[string]int{},
		emitted:   map[string]bool{},
		log:       c.log.With("source", src.Name),
	}
	s.cond = sync.NewCond(&s.mu)
	for _, h := range src.Hosts() {
		s.allowed[h] = true
	}
	var err error
	if s.article, err = compileAll(src.ArticlePatterns); err != nil {
		return Summary{}, err
	}
	if s.listing, err = compileAll(src.ListingPatterns); err != nil {
		return Summary{}, err
	}
	if s.exclude, err = compileAll(src.ExcludePatterns); err != nil {
		return Summary{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.col = c.newCollector(ctx, s.allowed)
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer stop()

	// Hold one pending slot while seeding, so workers do not finish early.
	s.mu.Lock()
	s.pending++
	s.mu.Unlock()
	if err := s.start(ctx); err != nil {
		s.done()
		s.wg.Wait()
		return s.summary(), err
	}
	s.done()

	progress := time.NewTicker(c.opts.Progress)
	defer progress.Stop()
	finished := make(chan struct{})
	go func() { s.wg.Wait(); close(finished) }()
	started := time.Now()
	for waiting := true; waiting; {
		select {
		case <-finished:
			waiting = false
		case <-progress.C:
			s.mu.Lock()
			sum, queued := s.sum, s.front.size
			s.mu.Unlock()
			s.log.Info("crawl progress", "fetched", sum.Fetched, "published", sum.Published, "unchanged", sum.Unchanged,
				"robots", sum.SkippedRobots, "skipped", sum.Skipped, "failed", len(sum.Failed), "queued", queued,
				"elapsed", time.Since(started).Round(time.Second))
		}
	}
	sum := s.summary()
	if err := ctx.Err(); err != nil {
		s.log.Info("crawl interrupted; it resumes on the next start", "summary", sum.String())
		return sum, err
	}
	s.mu.Lock()
	s.run.Done, s.run.Finished = true, c.opts.Now()
	run := s.run
	s.mu.Unlock()
	if err := c.store.put(ctx, runKey(key), run); err != nil {
		return sum, err
	}
	if s.jsonlErr != nil {
		return sum, fmt.Errorf("write JSONL: %w", s.jsonlErr)
	}
	return sum, nil
}

func (s *session) summary() Summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := s.sum
	sum.Failed = append([]Failure(nil), s.sum.Failed...)
	return sum
}

// start resumes the source's interrupted crawl, or begins a new one from
// the start URLs.
func (s *session) start(ctx context.Context) error {
	var run runState
	found, err := s.c.store.get(ctx, runKey(s.key), &run)
	if err != nil {
		return err
	}
	if found && !run.Done {
		jobs, err := s.c.store.jobs(ctx, s.key)
		if err != nil {
			return err
		}
		s.mu.Lock()
		s.run = run
		s.sum.Resumed = true
		for _, j := range jobs {
			if s.front.markSeen(j.URL) {
				s.pushLocked(ctx, j)
			}
		}
		s.mu.Unlock()
		s.log.Info("resuming interrupted crawl", "started", run.Started.Format(time.RFC3339), "queued", len(jobs))
		return nil
	}
	s.run = runState{Started: s.c.opts.Now()}
	if err := s.c.store.put(ctx, runKey(s.key), s.run); err != nil {
		return err
	}
	s.log.Info("crawl started", "urls", len(s.src.URLs), "depth", s.src.Depth, "max_pages", s.src.MaxPages)
	for _, raw := range s.src.URLs {
		j := job{URL: raw}
		switch s.src.Kind {
		case config.KindFeed:
			j.Hint = kindFeed
		case config.KindSitemap:
			j.Hint = kindSitemap
		}
		s.enqueue(ctx, j)
	}
	return nil
}

// pushLocked queues j and starts the host's workers. s.mu is held.
func (s *session) pushLocked(ctx context.Context, j job) {
	host := hostOf(j.URL)
	s.front.push(host, j)
	s.pending++
	for s.workers[host] < s.c.opts.Parallelism {
		s.workers[host]++
		s.wg.Add(1)
		go s.worker(ctx, host)
	}
	s.cond.Broadcast()
}

func (s *session) done() {
	s.mu.Lock()
	s.pending--
	if s.pending == 0 {
		s.cond.Broadcast()
	}
	s.mu.Unlock()
}

func (s *session) worker(ctx context.Context, host string) {
	defer s.wg.Done()
	for {
		s.mu.Lock()
		var (
			j  job
			ok bool
		)
		for {
			if ctx.Err() != nil || s.pending == 0 {
				s.workers[host]--
				s.mu.Unlock()
				return
			}
			if j, ok = s.front.pop(host); ok {
				break
			}
			s.cond.Wait()
		}
		s.mu.Unlock()
		s.process(ctx, j)
		s.done()
	}
}

// skip counts a link not followed and logs why: scope and depth quietly,
// traps and budgets loudly (a few times per reason).
func (s *session) skip(kind, reason, u string, loud bool) {
	s.mu.Lock()
	s.sum.Skipped++
	s.warned[kind]++
	n := s.warned[kind]
	s.mu.Unlock()
	if loud && n <= 5 {
		s.log.Warn("link not followed", "url", u, "reason", reason)
		if n == 5 {
			s.log.Warn("more links skipped for this reason will be counted, not logged", "reason_kind", kind)
		}
	} else {
		s.log.Debug("link not followed", "url", u, "reason", reason)
	}
}

func (s *session) fail(u, why string) {
	s.mu.Lock()
	s.sum.Failed = append(s.sum.Failed, Failure{URL: u, Reason: why})
	s.mu.Unlock()
	s.log.Warn("fetch failed", "url", u, "reason", why)
}

// enqueue admits j into the frontier (memory and KV) unless it is out of
// scope, a trap, over budget, already seen, or already fetched in this
// crawl.
func (s *session) enqueue(ctx context.Context, j job) {
	u, err := url.Parse(j.URL)
	if err != nil {
		return
	}
	canon, err := content.CanonicalizeURL(u)
	if err != nil {
		return
	}
	j.URL = canon
	u, _ = url.Parse(canon)
	host := u.Host
	switch {
	case !s.allowed[host]:
		s.skip("host", "host "+host+" not allowed", canon, false)
		return
	case j.Depth > s.src.Depth:
		s.skip("depth", fmt.Sprintf("depth limit %d reached", s.src.Depth), canon, false)
		return
	case skipExtension(u.Path):
		s.skip("type", "not a document type", canon, false)
		return
	case matchAny(s.exclude, canon):
		s.skip("exclude", "excluded by pattern", canon, false)
		return
	}
	if len(s.article)+len(s.listing) > 0 && j.Depth > 0 && j.Hint == "" &&
		!matchAny(s.article, canon) && !matchAny(s.listing, canon) && !isPDFURL(u) {
		s.skip("pattern", "matches no article or listing pattern", canon, false)
		return
	}
	if why := trapReason(u, s.c.opts.Now()); why != "" {
		s.skip("trap", why, canon, true)
		return
	}
	s.mu.Lock()
	fresh := s.front.markSeen(canon)
	s.mu.Unlock()
	if !fresh {
		return
	}
	if st, ok, err := s.c.store.state(ctx, canon); err == nil && ok && !st.LastSeen.Before(s.run.Started) {
		return // fetched earlier in this crawl (before a restart)
	}
	s.mu.Lock()
	if s.run.Admitted >= s.src.MaxPages {
		s.mu.Unlock()
		s.skip("budget", fmt.Sprintf("page budget of %d per crawl reached", s.src.MaxPages), canon, true)
		return
	}
	if j.Hint != hintArticle && j.Hint != kindSitemap && j.Hint != kindFeed {
		t := urlTemplate(u)
		s.templates[t]++
		if s.templates[t] > s.c.opts.MaxPerPattern {
			s.mu.Unlock()
			s.skip("pattern-cap:"+t, fmt.Sprintf("more than %d URLs of pattern %s (calendar or pagination trap?)", s.c.opts.MaxPerPattern, t), canon, true)
			return
		}
	}
	s.run.Admitted++
	run := s.run
	s.mu.Unlock()
	if err := s.c.store.put(ctx, jobKey(s.key, canon), j); err != nil {
		if ctx.Err() == nil {
			s.fail(canon, "queue: "+err.Error())
		}
		return
	}
	if run.Admitted%20 == 0 {
		_ = s.c.store.put(ctx, runKey(s.key), run)
	}
	s.mu.Lock()
	s.pushLocked(ctx, j)
	s.mu.Unlock()
}

func isPDFURL(u *url.URL) bool {
	p := u.Path
	return len(p) > 4 && (p[len(p)-4:] == ".pdf" || p[len(p)-4:] == ".PDF")
}

// follow queues a page's links one hop deeper.
func (s *session) follow(ctx context.Context, parent job, out []job) {
	for _, o := range out {
		if ctx.Err() != nil {
			return
		}
		o.Depth = parent.Depth + 1
		s.enqueue(ctx, o)
	}
}

// process fetches one frontier entry and settles it. The entry is
// removed from the KV frontier only when it was fully handled, so an
// interrupted crawl retries it.
func (s *session) process(ctx context.Context, j job) {
	st, found, err := s.c.store.state(ctx, j.URL)
	if err != nil {
		if ctx.Err() == nil {
			s.fail(j.URL, err.Error())
		}
		return
	}
	if ctx.Err() != nil {
		return
	}
	if found && !st.LastSeen.Before(s.run.Started) {
		// Stored before an interruption: replay its links, fetch nothing.
		s.follow(ctx, j, st.Out)
		s.finish(ctx, j)
		return
	}
	hdr := http.Header{}
	if found && st.OutComplete && st.Status < 400 {
		if st.ETag != "" {
			hdr.Set("If-None-Match", st.ETag)
		}
		if st.LastModified != "" {
			hdr.Set("If-Modified-Since", st.LastModified)
		}
	}
	res, retries, err := s.fetch(ctx, j.URL, hdr)
	if ctx.Err() != nil {
		return
	}
	now := s.c.opts.Now()
	if !found {
		st = urlState{URL: j.URL}
	}
	switch {
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		s.mu.Lock()
		s.sum.SkippedRobots++
		s.mu.Unlock()
		s.log.Info("skipped by robots.txt", "url", j.URL, "user_agent", s.c.opts.UserAgent)
	case err != nil:
		why := reason(err, s.c.opts.Timeout)
		s.fail(j.URL, why)
		st.Error, st.LastSeen = why, now
		s.putState(ctx, &st)
	case res.Status == http.StatusNotModified:
		s.mu.Lock()
		s.sum.Unchanged++
		s.mu.Unlock()
		st.Status, st.LastSeen, st.Error = res.Status, now, ""
		if !s.putState(ctx, &st) {
			return
		}
		s.follow(ctx, j, st.Out)
	case res.Status >= 300:
		why := fmt.Sprintf("HTTP %d %s", res.Status, http.StatusText(res.Status))
		if retries > 0 {
			why += fmt.Sprintf(" after %d retries", retries)
		}
		if ra := res.Header.Get("Retry-After"); ra != "" && (res.Status == 429 || res.Status == 503) {
			why += " (Retry-After: " + ra + ")"
		}
		s.fail(j.URL, why)
		st.Status, st.Error, st.LastSeen = res.Status, why, now
		s.putState(ctx, &st)
	default:
		if !s.handle(ctx, j, st, found, res, now) {
			return
		}
	}
	if ctx.Err() == nil {
		s.finish(ctx, j)
	}
}

func (s *session) finish(ctx context.Context, j job) {
	if err := s.c.store.del(ctx, jobKey(s.key, j.URL)); err != nil && ctx.Err() == nil {
		s.log.Warn("crawl state", "url", j.URL, "err", err)
	}
}

func (s *session) putState(ctx context.Context, st *urlState) bool {
	if err := s.c.store.putState(ctx, st); err != nil {
		if ctx.Err() == nil {
			s.fail(st.URL, err.Error())
		}
		return false
	}
	return true
}

// fetch requests u through the host's gate, retrying 429 and 5xx with
// exponential backoff or the server's Retry-After.
func (s *session) fetch(ctx context.Context, u string, hdr http.Header) (*fetchResult, int, error) {
	g := s.c.gate(hostOf(u))
	for attempt := 0; ; attempt++ {
		if err := g.acquire(ctx); err != nil {
			return nil, attempt, err
		}
		res, err := fetchOnce(s.col, u, hdr.Clone())
		g.release()
		if f := s.c.opts.Fetched; f != nil {
			status := 0
			if res != nil {
				status = res.Status
			}
			f(hostOf(u), status)
		}
		if err != nil {
			return nil, attempt, err
		}
		if res.Status != http.StatusTooManyRequests && res.Status < 500 {
			return res, attempt, nil
		}
		if attempt >= s.c.opts.Retries {
			return res, attempt, nil
		}
		wait := s.c.opts.RetryBackoff << attempt
		if ra, ok := retryAfter(res.Header, time.Now()); ok {
			if ra > s.c.opts.MaxRetryAfter {
				s.log.Warn("not retrying: Retry-After too long", "url", u, "status", res.Status, "retry_after", ra, "cap", s.c.opts.MaxRetryAfter)
				return res, attempt, nil
			}
			wait = ra
		}
		g.pushBack(time.Now().Add(wait))
		s.log.Info("retrying", "url", u, "status", res.Status, "attempt", attempt+1, "wait", wait)
		if err := sleep(ctx, wait); err != nil {
			return nil, attempt, err
		}
	}
}

// handle processes a 2xx body: feeds and sitemaps give links, HTML gives
// links and maybe a document, PDFs and texts are documents. It reports
// whether the page's state was stored.
func (s *session) handle(ctx context.Context, j job, old urlState, found bool, res *fetchResult, now time.Time) bool {
	body := res.Body
	s.mu.Lock()
	s.sum.Fetched++
	s.sum.Bytes += int64(len(body))
	s.mu.Unlock()
	final := j.URL
	if res.FinalURL != "" {
		if f, err := content.Canonicalize(res.FinalURL); err == nil {
			final = f
		}
	}
	base, _ := url.Parse(final)
	st := urlState{URL: j.URL, Status: res.Status, ETag: res.Header.Get("ETag"), LastModified: res.Header.Get("Last-Modified"),
		LastSeen: now, LastFetched: now, DocID: old.DocID, ContentHash: old.ContentHash}
	if final != j.URL {
		s.mu.Lock()
		s.front.markSeen(final)
		s.mu.Unlock()
	}
	ct := res.Header.Get("Content-Type")
	if isGzip(body) {
		var err error
		if body, err = gunzipCapped(body, s.c.opts.MaxBodySize); err != nil {
			why := reason(err, s.c.opts.Timeout)
			s.fail(j.URL, why)
			st.Error = why
			return s.putState(ctx, &st)
		}
		ct = ""
	}
	st.BodyHash = bodyHash(body)
	if found && old.BodyHash == st.BodyHash && old.OutComplete && old.Error == "" {
		// Same bytes as last time (a server without validators).
		s.mu.Lock()
		s.sum.Unchanged++
		s.mu.Unlock()
		st.Kind, st.Out, st.OutComplete = old.Kind, old.Out, true
		if !s.putState(ctx, &st) {
			return false
		}
		s.follow(ctx, j, st.Out)
		return true
	}
	kind := detectKind(ct, body)
	st.Kind = kind
	var (
		out   []job
		isDoc bool
	)
	switch kind {
	case kindFeed:
		items, err := feedItems(body, base)
		if err != nil {
			s.fail(j.URL, err.Error())
			st.Error = err.Error()
			return s.putState(ctx, &st)
		}
		out = items
	case kindSitemap:
		entries, err := sitemapEntries(body, base, 50000)
		if err != nil {
			s.fail(j.URL, err.Error())
			st.Error = err.Error()
			return s.putState(ctx, &st)
		}
		out = entries
	case kindHTML:
		decoded, _, err := content.DecodeHTML(body, ct)
		if err != nil {
			s.fail(j.URL, err.Error())
			st.Error = err.Error()
			return s.putState(ctx, &st)
		}
		info, err := inspectHTML(decoded, base)
		if err != nil {
			s.fail(j.URL, err.Error())
			st.Error = err.Error()
			return s.putState(ctx, &st)
		}
		for _, l := range info.Feeds {
			out = append(out, job{URL: l, Hint: kindFeed})
		}
		for _, l := range info.Links {
			out = append(out, job{URL: l})
		}
		for _, l := range info.PDFs {
			out = append(out, job{URL: l, Hint: hintArticle})
		}
		switch {
		case matchAny(s.article, final):
			isDoc = true
		case matchAny(s.listing, final):
		case j.Hint == hintArticle:
			isDoc = !info.IsListing
		case len(s.article) > 0:
		default:
			isDoc = info.IsArticle
		}
	case kindPDF, kindText:
		isDoc = true
	default:
		why := fmt.Sprintf("unsupported content type %q", ct)
		s.fail(j.URL, why)
		st.Error = why
		return s.putState(ctx, &st)
	}
	if isDoc {
		if !s.document(ctx, j, final, body, res.Header.Get("Content-Type"), &st, now) {
			return ctx.Err() == nil && s.putState(ctx, &st)
		}
	}
	st.Out, st.OutComplete = s.scoped(out)
	if !s.putState(ctx, &st) {
		return false
	}
	s.follow(ctx, j, st.Out)
	return true
}

// scoped keeps the links on allowed hosts (what is worth storing for a
// replay), and reports whether they all fit in the state record.
func (s *session) scoped(out []job) ([]job, bool) {
	var keep []job
	size := 0
	for _, o := range out {
		if !s.allowed[hostOf(o.URL)] {
			continue
		}
		size += len(o.URL) + len(o.Date) + 24
		if size > maxOutBytes {
			return keep, false
		}
		keep = append(keep, o)
	}
	return keep, true
}

// document extracts, deduplicates and publishes one document. It reports
// false when the document failed (the failure is recorded).
func (s *session) document(ctx context.Context, j job, final string, body []byte, ct string, st *urlState, now time.Time) bool {
	x, err := s.c.extract.Extract(ctx, body, ct, final)
	if err != nil {
		if ctx.Err() != nil {
			return false
		}
		why := "extract: " + err.Error()
		s.fail(final, why)
		st.Error = why
		return false
	}
	canonical, declared := final, ""
	if x.CanonicalURL != "" {
		if cu, err := content.Canonicalize(x.CanonicalURL); err == nil {
			if s.allowed[hostOf(cu)] {
				canonical = cu
			} else {
				declared = cu // a copy naming its original elsewhere
			}
		}
	}
	published := x.Published
	if published == "" {
		published = j.Date
	}
	tags := map[string]string{"source": s.src.Name}
	for k, v := range s.src.Tags.Extra {
		tags[k] = v
	}
	raw := document.Raw{
		Source:       final,
		CanonicalURL: canonical,
		Title:        x.Title,
		Byline:       x.Byline,
		Published:    published,
		Outlet:       firstNonEmpty(s.src.Tags.Outlet, x.Outlet),
		Country:      s.src.Tags.Country,
		Language:     firstNonEmpty(x.Language, s.src.Tags.Language),
		ContentType:  x.ContentType,
		Text:         x.Text,
		FetchedAt:    now.UTC(),
		Links:        x.Links,
		Tags:         tags,
	}
	raw.Finalize()
	root, fp := s.c.dedup.match(raw.ID, canonical, raw.ContentHash, raw.Text, now)
	if root == "" && declared != "" {
		root = declared
	}
	if root == canonical {
		root = ""
	}
	raw.DuplicateOf, fp.Root = root, root
	pub, err := s.c.bus.PublishRaw(ctx, &raw)
	if err != nil {
		if ctx.Err() == nil {
			s.fail(final, err.Error())
			st.Error = err.Error()
		}
		return false
	}
	s.c.dedup.add(fp)
	if err := s.c.store.put(ctx, fingerprintKey(raw.ID), fp); err != nil && ctx.Err() == nil {
		s.log.Warn("crawl state: fingerprint not stored", "url", final, "err", err)
	}
	st.DocID, st.ContentHash = raw.ID, raw.ContentHash
	s.mu.Lock()
	s.sum.Documents++
	if pub {
		s.sum.Published++
	} else {
		s.sum.Unchanged++
	}
	if root != "" {
		s.sum.Duplicates++
	}
	first := !s.emitted[raw.ID]
	s.emitted[raw.ID] = true
	s.mu.Unlock()
	if root != "" {
		s.log.Info("duplicate of an earlier copy", "url", final, "duplicate_of", root)
	}
	s.log.Debug("document", "url", final, "title", raw.Title, "published", raw.Published, "new", pub)
	if s.jsonl != nil && first {
		line := jsonLine{URL: final, CanonicalURL: canonical, ID: raw.ID, Title: raw.Title, Text: raw.Text,
			ContentType: raw.ContentType, DuplicateOf: raw.DuplicateOf, Byline: raw.Byline,
			Outlet: raw.Outlet, Language: raw.Language, FetchedAt: raw.FetchedAt}
		if raw.Published != "" {
			line.Published = &raw.Published
		}
		data, _ := json.Marshal(line)
		s.mu.Lock()
		if s.jsonlErr == nil {
			_, s.jsonlErr = s.jsonl.Write(append(data, '\n'))
		}
		s.mu.Unlock()
	}
	return true
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
