package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/compoundwatch/compoundwatch/content"
)

// SizeError is a response body over the size cap. The body is not
// processed (truncated text would be published as if complete).
type SizeError struct {
	Limit      int64
	Declared   int64 // Content-Length, when it alone exceeded the cap
	Compressed bool  // the body was gzip-encoded: a decompression bomb?
}

func (e *SizeError) Error() string {
	switch {
	case e.Declared > 0:
		return fmt.Sprintf("response too large: Content-Length %d exceeds the %d-byte cap", e.Declared, e.Limit)
	case e.Compressed:
		return fmt.Sprintf("response too large: gzip body decompresses to more than the %d-byte cap (decompression bomb?)", e.Limit)
	default:
		return fmt.Sprintf("response too large: body exceeds the %d-byte cap, truncated and dropped", e.Limit)
	}
}

// RedirectError is a redirect the crawler refused to follow.
type RedirectError struct{ Reason string }

func (e *RedirectError) Error() string { return e.Reason }

// capTransport decodes gzip itself and caps every body, so a size
// overflow (plain or decompressed) is an error rather than the silent
// truncation of colly's MaxBodySize.
type capTransport struct {
	base  http.RoundTripper
	limit int64
}

func (t *capTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Accept-Encoding") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("Accept-Encoding", "gzip")
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > t.limit {
		resp.Body.Close()
		return nil, &SizeError{Limit: t.limit, Declared: resp.ContentLength}
	}
	var body io.Reader = resp.Body
	compressed := false
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		if resp.StatusCode == http.StatusNotModified || req.Method == http.MethodHead {
			break
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil && !errors.Is(err, io.EOF) {
			resp.Body.Close()
			return nil, fmt.Errorf("bad gzip Content-Encoding: %w", err)
		}
		if zr != nil {
			body = zr
		}
		compressed = true
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
	default:
		resp.Body.Close()
		return nil, fmt.Errorf("unsupported Content-Encoding %q", enc)
	}
	// Uncompressed also stops colly from gunzipping .xml.gz files without
	// a cap: the sitemap code does that, capped.
	resp.Uncompressed = true
	resp.Body = &cappedBody{r: io.LimitReader(body, t.limit+1), c: resp.Body, limit: t.limit, compressed: compressed}
	return resp, nil
}

type cappedBody struct {
	r          io.Reader
	c          io.Closer
	n, limit   int64
	compressed bool
}

func (b *cappedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > b.limit {
		return n, &SizeError{Limit: b.limit, Compressed: b.compressed}
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.c.Close() }

// gunzipCapped decompresses a gzip file (sitemap.xml.gz) up to limit bytes.
func gunzipCapped(data []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("gzip file: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, fmt.Errorf("gzip file: %w", err)
	}
	if int64(len(out)) > limit {
		return nil, &SizeError{Limit: limit, Compressed: true}
	}
	return out, nil
}

func isGzip(b []byte) bool { return len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b }

// fetchResult is one HTTP exchange as the crawler sees it.
type fetchResult struct {
	Status   int
	Header   http.Header
	Body     []byte
	FinalURL string
}

// newCollector returns a colly collector for one crawl: robots.txt obeyed
// with our user agent, requests only to allowed hosts (redirects
// included), capped redirects and bodies, a request timeout.
func (c *Crawler) newCollector(ctx context.Context, allowed map[string]bool) *colly.Collector {
	col := colly.NewCollector(
		colly.UserAgent(c.opts.UserAgent),
		colly.StdlibContext(ctx),
		colly.AllowURLRevisit(),        // the crawler keeps its own (persistent) visited set
		colly.ParseHTTPErrorResponse(), // statuses are handled by the crawler
	)
	col.IgnoreRobotsTxt = c.opts.IgnoreRobots
	col.DetectCharset = false // it corrupts PDFs; HTML is decoded by content
	col.MaxBodySize = 0       // capTransport caps, and reports overflow
	col.MaxDepth = 0
	hostnames := map[string]bool{}
	for h := range allowed {
		if hn, _, err := net.SplitHostPort(h); err == nil {
			hostnames[hn] = true
		} else {
			hostnames[h] = true
		}
	}
	for h := range hostnames {
		col.AllowedDomains = append(col.AllowedDomains, h)
	}
	base := c.opts.Transport
	if base == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.DisableCompression = true
		tr.MaxIdleConnsPerHost = 4
		tr.ResponseHeaderTimeout = c.opts.Timeout
		base = tr
	}
	col.WithTransport(&capTransport{base: base, limit: c.opts.MaxBodySize})
	col.SetRequestTimeout(c.opts.Timeout)
	maxRedirects := c.opts.MaxRedirects
	col.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return &RedirectError{fmt.Sprintf("redirect cap: stopped after %d redirects (last to %s; loop?)", len(via), req.URL)}
		}
		for _, v := range via {
			if sameURL(v.URL, req.URL) {
				return &RedirectError{fmt.Sprintf("redirect loop: %s redirects back to %s", via[len(via)-1].URL, req.URL)}
			}
		}
		if !allowed[strings.ToLower(req.URL.Host)] {
			return &RedirectError{fmt.Sprintf("redirect to %s: host %s is not allowed", req.URL, req.URL.Host)}
		}
		return nil
	})
	col.OnResponse(func(r *colly.Response) {
		res, _ := r.Ctx.GetAny("result").(*fetchResult)
		if res == nil {
			return
		}
		res.Status = r.StatusCode
		if r.Headers != nil {
			res.Header = r.Headers.Clone()
		}
		res.Body = r.Body
		res.FinalURL = r.Request.URL.String()
	})
	return col
}

func sameURL(a, b *url.URL) bool {
	ca, err1 := content.CanonicalizeURL(a)
	cb, err2 := content.CanonicalizeURL(b)
	return err1 == nil && err2 == nil && ca == cb
}

// fetchOnce makes one request through col.
func fetchOnce(col *colly.Collector, rawURL string, hdr http.Header) (*fetchResult, error) {
	res := &fetchResult{}
	cctx := colly.NewContext()
	cctx.Put("result", res)
	err := col.Request(http.MethodGet, rawURL, nil, cctx, hdr)
	if err != nil {
		return nil, err
	}
	if res.Status == 0 {
		return nil, errors.New("no response")
	}
	return res, nil
}

// reason turns a fetch error into a short, clear log reason.
func reason(err error, timeout time.Duration) string {
	var se *SizeError
	var re *RedirectError
	var ne net.Error
	switch {
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		return "disallowed by robots.txt"
	case errors.Is(err, colly.ErrForbiddenDomain):
		return "host not allowed"
	case errors.As(err, &se):
		return se.Error()
	case errors.As(err, &re):
		return re.Error()
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("timeout: no complete response within %s", timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// retryAfter parses a Retry-After header (seconds or HTTP date).
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// hostGate spaces requests to one host: at most n at a time, each start
// at least delay after the previous one.
type hostGate struct {
	sem   chan struct{}
	mu    sync.Mutex
	next  time.Time
	delay time.Duration
}

func newHostGate(n int, delay time.Duration) *hostGate {
	return &hostGate{sem: make(chan struct{}, n), delay: delay}
}

func (g *hostGate) acquire(ctx context.Context) error {
	select {
	case g.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	g.mu.Lock()
	now := time.Now()
	start := now
	if g.next.After(now) {
		start = g.next
	}
	g.next = start.Add(g.delay)
	g.mu.Unlock()
	if err := sleep(ctx, start.Sub(now)); err != nil {
		<-g.sem
		return err
	}
	return nil
}

func (g *hostGate) release() { <-g.sem }

// pushBack delays the host's next request (after a 429 or 503).
func (g *hostGate) pushBack(until time.Time) {
	g.mu.Lock()
	if until.After(g.next) {
		g.next = until
	}
	g.mu.Unlock()
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
