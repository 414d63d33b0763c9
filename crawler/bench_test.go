package crawler

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// benchSite serves n articles behind paginated listings: the articles
// the other stages' benchmarks read (repotest.Articles, sentences of the
// examples), each paragraph a <p> inside the page's navigation and footer.
func benchSite(b *testing.B, n int) (*httptest.Server, []string) {
	pages := make([]string, n)
	for i, text := range repotest.Articles(b, n) {
		header, body, _ := strings.Cut(text, "\n\n")
		var sb strings.Builder
		fmt.Fprintf(&sb, `<html lang="en"><head><title>Story %d</title><meta property="og:type" content="article"><meta property="article:published_time" content="2024-03-%02d"></head><body><nav><a href="/">Home</a><a href="/list/0">News</a></nav><article><h1>%s</h1>`,
			i, i%28+1, html.EscapeString(strings.TrimPrefix(strings.SplitN(header, "\n", 2)[0], "Title: ")))
		for para := range strings.SplitSeq(body, "\n\n") {
			sb.WriteString("<p>" + html.EscapeString(para) + "</p>")
		}
		sb.WriteString(`</article><footer>Copyright</footer></body></html>`)
		pages[i] = sb.String()
	}
	const perList = 20
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		p := req.URL.Path
		switch {
		case p == "/robots.txt":
			w.Write([]byte("User-agent: *\nDisallow:\n"))
		case p == "/" || strings.HasPrefix(p, "/list/"):
			k, _ := strconv.Atoi(strings.TrimPrefix(p, "/list/"))
			var sb strings.Builder
			sb.WriteString(`<html><body><h1>News</h1>`)
			for i := k * perList; i < min((k+1)*perList, n); i++ {
				fmt.Fprintf(&sb, `<article><a href="/a/%d">Story %d</a></article>`, i, i)
			}
			if (k+1)*perList < n {
				fmt.Fprintf(&sb, `<a rel="next" href="/list/%d">next</a>`, k+1)
			}
			sb.WriteString(`</body></html>`)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(sb.String()))
		case strings.HasPrefix(p, "/a/"):
			i, err := strconv.Atoi(strings.TrimPrefix(p, "/a/"))
			if err != nil || i >= n {
				http.NotFound(w, req)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(pages[i]))
		default:
			http.NotFound(w, req)
		}
	}))
	b.Cleanup(srv.Close)
	return srv, pages
}

// BenchmarkCrawl measures a full first crawl of a 300-article site over
// loopback with politeness off: fetch, extract, deduplicate, publish and
// persist state. Its limit, extract, is the content extraction of the
// same article pages alone, as many at once as the crawl's four
// workers, so documents/s of parallel=4 over extract's is the share of
// the crawler's rate that fetching, deduplicating and publishing leave.
func BenchmarkCrawl(b *testing.B) {
	for _, par := range []int{1, 4} {
		b.Run(fmt.Sprintf("parallel=%d", par), func(b *testing.B) { benchCrawl(b, par) })
	}
	b.Run("extract", func(b *testing.B) {
		const workers = 4
		_, pages := benchSite(b, 300)
		x := content.New(content.Options{})
		defer x.Close()
		for b.Loop() {
			next := make(chan string)
			var wg sync.WaitGroup
			for range workers {
				wg.Go(func() {
					for page := range next {
						if _, err := x.Extract(b.Context(), []byte(page), "text/html; charset=utf-8", "http://127.0.0.1/a/1"); err != nil {
							b.Error(err)
						}
					}
				})
			}
			for _, page := range pages {
				next <- page
			}
			close(next)
			wg.Wait()
		}
		b.ReportMetric(float64(b.N*len(pages))/b.Elapsed().Seconds(), "documents/s")
	})
}

func benchCrawl(b *testing.B, parallelism int) {
	const n = 300
	srv, _ := benchSite(b, n)
	var pages, docs, bytes int64
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		bs := openBus(b, b.TempDir())
		opts := Options{NoDelay: true, Parallelism: parallelism, Timeout: 10 * time.Second, Depth: 40, MaxPages: 10 * n, MaxPerPattern: 10 * n}
		c := newCrawler(b, bs, opts, nil)
		b.StartTimer()
		start := time.Now()
		sum, err := c.Once(b.Context(), []string{srv.URL + "/"}, nil)
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if sum.Documents != n {
			b.Fatalf("documents %d, want %d: %s", sum.Documents, n, sum)
		}
		pages += int64(sum.Fetched)
		docs += int64(sum.Documents)
		bytes += sum.Bytes
		c.Close()
		bs.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(pages)/elapsed.Seconds(), "pages/s")
	b.ReportMetric(float64(docs)/elapsed.Seconds(), "documents/s")
	b.ReportMetric(float64(bytes)/elapsed.Seconds()/1e6, "MB/s")
}

// BenchmarkFrontierMemory reports the heap taken by 10,000 queued URLs in
// the in-memory frontier (visited set and per-host queues). The frontier's
// persistent copy lives in the KV bucket, not in memory.
func BenchmarkFrontierMemory(b *testing.B) {
	const n = 10_000
	urls := make([]string, n)
	for i := range urls {
		urls[i] = fmt.Sprintf("https://www.example-news.com.kh/news/2024/%02d/%02d/story-about-a-compound-number-%d", i%12+1, i%28+1, i)
	}
	var perRun float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f := newFrontier()
		for i, u := range urls {
			u = strings.Clone(u) // as if just parsed from a page
			if f.markSeen(u) {
				f.push("www.example-news.com.kh:"+strconv.Itoa(i%4), job{URL: u, Depth: 2, Hint: hintArticle})
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perRun = float64(after.HeapAlloc) - float64(before.HeapAlloc)
		runtime.KeepAlive(&f)
	}
	b.ReportMetric(perRun, "B/10kURLs")
	b.ReportMetric(perRun/n, "B/URL")
}
