package pipeline_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/alerts"
	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/indexer"
	"github.com/compoundwatch/compoundwatch/ingest"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
	"github.com/compoundwatch/compoundwatch/pipeline"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
)

// BenchmarkStages runs each stage alone on a backlog of the generated
// corpus (see BenchmarkThroughput) and sets it against the work it cannot
// do without, on the same documents in the same run:
//
//   - ingest (files → CW_RAW) against reading the files, as many at once;
//   - the extractor stage (CW_RAW → CW_TAGGED) against
//     Extractor.Extract over the same raw documents on every core;
//   - the indexer stage (CW_TAGGED → the embedded index) against a bulk
//     load of the same documents already decoded, and against Reindex,
//     which decodes the same log into a fresh index without a consumer;
//   - the alerts stage (CW_TAGGED → CW_ALERTS, with 1,000 subscriptions)
//     against matching the same documents, decoded, in the same order.
//
// The ratios say which stage pays how much for the bus, where
// BenchmarkThroughput only says that the whole pipeline does. Run it with
//
//	go test ./pipeline -run '^$' -bench Stages -benchtime 3x
func BenchmarkStages(b *testing.B) {
	n := repotest.BenchDocs(b, 2000)
	src := b.TempDir()
	generateCorpus(b, src, n)
	var (
		rates = map[string][]float64{}
		order []string
	)
	add := func(name string, v float64) {
		if _, ok := rates[name]; !ok {
			order = append(order, name)
		}
		rates[name] = append(rates[name], v)
	}
	for range b.N {
		s := newStageRun(b, n)
		s.subscribe()
		read, ing := s.ingest(src)
		extract, stage := s.extract()
		bulk, reindex, index := s.index()
		match, alerting := s.alerts()
		s.close()
		b.Logf("ingest %.0f docs/s = %.0f%% of reading; extractor stage %.0f docs/s = %.0f%% of Extract; "+
			"indexer stage %.0f docs/s = %.0f%% of bulk (reindex %.0f%%); alerts stage %.0f docs/s = %.0f%% of matching",
			ing, 100*ing/read, stage, 100*stage/extract, index, 100*index/bulk, 100*reindex/bulk, alerting, 100*alerting/match)
		add("ingest-%-of-read", 100*ing/read)
		add("extractor-%-of-extract", 100*stage/extract)
		add("indexer-%-of-bulk", 100*index/bulk)
		add("reindex-%-of-bulk", 100*reindex/bulk)
		add("extractor-docs/s", stage)
		add("indexer-docs/s", index)
		if len(s.subs) > 0 {
			add("alerts-%-of-match", 100*alerting/match)
			add("alerts-docs/s", alerting)
		}
	}
	for _, name := range order {
		b.ReportMetric(repotest.Median(rates[name]), name)
	}
}

// stageRun is one bus with no stage running, filled one stage at a time.
type stageRun struct {
	b    *testing.B
	n    int
	ctx  context.Context
	bus  *bus.Bus
	g    *gazetteer.Gazetteer
	log  *slog.Logger
	subs []*alerts.Subscription
}

func newStageRun(b *testing.B, n int) *stageRun {
	b.Helper()
	ctx := context.Background()
	bb, err := bus.Open(ctx, bus.Options{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	g, err := gazetteer.Default()
	if err != nil {
		b.Fatal(err)
	}
	return &stageRun{b: b, n: n, ctx: ctx, bus: bb, g: g, log: slog.New(slog.DiscardHandler)}
}

func (s *stageRun) close() { s.bus.Close() }

// rate times f and returns documents per second, logging the CPU it took.
func (s *stageRun) rate(what string, f func()) float64 {
	cpu := startCPU()
	t0 := time.Now()
	f()
	d := time.Since(t0)
	cpu.log(s.b, what)
	return float64(s.n) / d.Seconds()
}

// ingest returns the rates of reading the folder's files and of ingesting
// them. Reading goes first, so both find the files in the page cache.
func (s *stageRun) ingest(src string) (read, ing float64) {
	files := content.Collect([]string{src}, func(err error) { s.b.Fatal(err) })
	read = s.rate("read files", func() {
		cx := content.New(content.Options{})
		defer cx.Close()
		each(len(files), 2*runtime.GOMAXPROCS(0), func(i int) {
			if _, err := cx.ReadFile(s.ctx, files[i]); err != nil {
				s.b.Error(err)
			}
		})
	})
	ing = s.rate("ingest", func() {
		c, errs := ingest.Files(s.ctx, s.bus, []string{src}, s.log, nil)
		if len(errs) > 0 || int(c.Accepted) != s.n {
			s.b.Fatalf("ingest: %+v %v", c, errs)
		}
	})
	return read, ing
}

// extract returns the rates of Extract alone over the raw log and of the
// extractor stage draining it.
func (s *stageRun) extract() (extract, stage float64) {
	raws := replayAll[document.Raw](s.b, s.bus, bus.StreamRaw, document.RawSchema)
	if len(raws) != s.n {
		s.b.Fatalf("replay raw: %d documents, want %d", len(raws), s.n)
	}
	x := extractor.New(s.g)
	extract = s.rate("Extract alone", func() {
		each(len(raws), runtime.GOMAXPROCS(0), func(i int) { x.Extract(raws[i]) })
	})
	var stop func()
	stage = s.rate("extractor stage", func() {
		stop = s.drain(extractor.NewWorker(s.bus, x, s.log), bus.StreamRaw, bus.ConsumerExtractor)
	})
	stop()
	return extract, stage
}

// index returns the rates of a bulk load of the tagged log, already
// decoded, of Reindex from the log, and of the indexer stage draining it,
// each into a fresh embedded index. The stage goes first, as in
// BenchmarkThroughput, so the bulk load is not the one that starts from a
// small heap.
func (s *stageRun) index() (bulk, reindex, stage float64) {
	open := func() search.Backend {
		x, err := embedded.Open(filepath.Join(s.b.TempDir(), "index"), embedded.Options{})
		if err != nil {
			s.b.Fatal(err)
		}
		return x
	}
	x := open()
	var stop func()
	stage = s.rate("indexer stage", func() {
		stop = s.drain(indexer.New(s.bus, x, s.log, s.g.AppendAliases), bus.StreamTagged, bus.ConsumerIndexer)
	})
	stop()
	x.Close()
	x = open()
	reindex = s.rate("reindex", func() {
		if n, rej, err := indexer.Reindex(s.ctx, s.bus, x, s.g.AppendAliases, nil, nil, nil); err != nil || n != s.n || rej > 0 {
			s.b.Fatalf("reindex: %d documents, %d rejected, %v", n, rej, err)
		}
	})
	x.Close()
	docs := taggedDocs(s.b, s.bus)
	x = open()
	bulk = s.rate("embedded bulk", func() { bulkUpsert(s.b, x, docs) })
	x.Close()
	return bulk, reindex, stage
}

// subscribe stores the 1,000 subscriptions of BenchmarkAlertLatency
// (repotest.Watchlist), or as many as CW_BENCH_SUBS says (with 0 the
// alerts stage has no consumer, and nothing to drain), with Atom feeds
// so that no webhook is called.
// The run stores them before anything is tagged, so that to the alerts
// stage every match is news, as for a newsroom that follows its
// subjects before the stories come in.
func (s *stageRun) subscribe() {
	v := alerts.Validator{Gazetteer: s.g}
	var ids []string
	for _, r := range s.g.Records("") {
		ids = append(ids, r.ID)
	}
	st, err := alerts.OpenStore(s.ctx, s.bus)
	if err != nil {
		s.b.Fatal(err)
	}
	for _, w := range repotest.Watchlist(repotest.EnvInt(s.b, "CW_BENCH_SUBS", 1000, 0), ids) {
		spec := alerts.Spec{Atom: true, Query: w.Query}
		if w.Entity != "" {
			spec.Entities = []string{w.Entity}
		}
		sub, err := v.New(spec)
		if err != nil {
			s.b.Fatal(err)
		}
		if err := st.Add(s.ctx, sub); err != nil {
			s.b.Fatal(err)
		}
		s.subs = append(s.subs, sub)
	}
}

// alerts returns the rates of matching the tagged documents against the
// subscriptions, in order on one goroutine as the stage does, and of the
// alerts stage draining the tagged log: matching, the ledger and an
// alert published for every match.
func (s *stageRun) alerts() (match, stage float64) {
	tagged := replayAll[document.Tagged](s.b, s.bus, bus.StreamTagged, document.TaggedBusSchema)
	if len(tagged) != s.n {
		s.b.Fatalf("replay tagged: %d documents, want %d", len(tagged), s.n)
	}
	p, err := alerts.NewPercolator(s.subs, nil)
	if err != nil {
		s.b.Fatal(err)
	}
	hits := 0
	match = s.rate("matching", func() {
		for i := range tagged {
			if h := p.Match(&tagged[i]); len(h) > 0 {
				hits += len(h)
				alerts.Sign(tagged[i].Text)
			}
		}
	})
	s.b.Logf("%d subscriptions matched %.1f times per document", len(s.subs), float64(hits)/float64(s.n))
	if len(s.subs) == 0 {
		s.b.Log("no subscription: the alerts stage has no consumer, and nothing to drain")
		return match, 0
	}
	w, err := alerts.NewWorker(s.bus, nil, s.log)
	if err != nil {
		s.b.Fatal(err)
	}
	var stop func()
	stage = s.rate("alerts stage", func() {
		stop = s.drain(w, bus.StreamTagged, bus.ConsumerAlerts)
	})
	stop()
	return match, stage
}

// drain runs stage until its durable consumer on stream has settled
// everything the stream holds, and returns a function that stops it: a
// stage stops at its next fetch, seconds later, which is not its work.
func (s *stageRun) drain(stage pipeline.Stage, stream, durable string) (stop func()) {
	ctx, cancel := context.WithCancel(s.ctx)
	done := make(chan error, 1)
	go func() { done <- stage.Run(ctx) }()
	stop = func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			s.b.Fatalf("%s: %v", durable, err)
		}
	}
	wctx, wcancel := context.WithTimeout(s.ctx, 5*time.Minute)
	defer wcancel()
	if err := s.bus.WaitCaughtUp(wctx, nil, bus.Durable{Stream: stream, Name: durable}); err != nil {
		stop()
		s.b.Fatalf("%s did not drain %s in 5 minutes: %v", durable, stream, err)
	}
	return stop
}

// each calls f(0) … f(n-1), on at most workers goroutines.
func each(n, workers int, f func(i int)) {
	var (
		wg   sync.WaitGroup
		next = make(chan int)
	)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
