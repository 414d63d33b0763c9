// Package ingest feeds local files and folders into the pipeline and waits
// until they are searchable.
package ingest

import (
	"context"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/document"
)

// Counts is what happened to each input.
type Counts struct {
	Accepted  int64 // published as new or changed
	Unchanged int64 // same content as the version already in the pipeline
	Rejected  int64 // could not be read or parsed; see the errors
}

// Progress receives counts as files are handled, and the total once known.
type Progress func(done, total int)

// Files publishes every file in paths (folders are walked recursively by
// content.Collect). Each bad input produces one error naming it, and the others
// still go through.
func Files(ctx context.Context, b *bus.Bus, paths []string, log *slog.Logger, progress Progress) (Counts, []error) {
	var (
		c      Counts
		errsMu sync.Mutex
		errs   []error
	)
	fail := func(err error) {
		atomic.AddInt64(&c.Rejected, 1)
		errsMu.Lock()
		errs = append(errs, err)
		errsMu.Unlock()
		log.Warn("rejected", "err", err)
	}
	files := content.Collect(paths, fail)
	if progress != nil {
		progress(0, len(files))
	}
	// One content extractor for the run, so PDFs share one PDF engine.
	cx := content.New(content.Options{})
	defer cx.Close()
	// Files are read on every core and published in batches.
	var (
		work = make(chan string)
		done int
		pmu  sync.Mutex
		wg   sync.WaitGroup
	)
	step := func(n int) {
		pmu.Lock()
		defer pmu.Unlock()
		done += n
		if progress != nil {
			progress(done, len(files))
		}
	}
	pub := startPublisher(ctx, b, &c, fail, step)
	for range runtime.GOMAXPROCS(0) * 2 {
		wg.Go(func() {
			for path := range work {
				raw, err := cx.ReadFile(ctx, path)
				if err != nil {
					fail(err)
					step(1)
					continue
				}
				pub.in <- &raw
			}
		})
	}
	for _, f := range files {
		select {
		case work <- f:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
	pub.close()
	if ctx.Err() != nil {
		errs = append(errs, ctx.Err())
	}
	return c, errs
}

// publisher publishes the documents sent on its channel in batches
// (bus.PublishRaws: one lookup and one wait for a batch rather than one of
// each per document), each batch of what has arrived by then, publishers
// batches at a time, so that one gathers while another waits for the
// server.
type publisher struct {
	in chan *document.Raw
	wg sync.WaitGroup
}

// publishBatch is the most documents published at once, and publishers
// how many batches are published at a time.
const (
	publishBatch = 64
	publishers   = 2
)

// startPublisher counts each document it publishes in c, as accepted or
// unchanged, hands each failure to reject, and reports each batch done to
// step.
func startPublisher(ctx context.Context, b *bus.Bus, c *Counts, reject func(error), step func(n int)) *publisher {
	p := &publisher{in: make(chan *document.Raw, publishBatch)}
	for range publishers {
		p.wg.Go(func() {
			for raw := range p.in {
				batch := []*document.Raw{raw}
			gather:
				for len(batch) < publishBatch {
					select {
					case r, ok := <-p.in:
						if !ok {
							break gather
						}
						batch = append(batch, r)
					default:
						break gather
					}
				}
				published, errs := b.PublishRaws(ctx, batch)
				for i := range batch {
					switch {
					case errs[i] != nil:
						reject(errs[i])
					case published[i]:
						atomic.AddInt64(&c.Accepted, 1)
					default:
						atomic.AddInt64(&c.Unchanged, 1)
					}
				}
				step(len(batch))
			}
		})
	}
	return p
}

// close returns once everything sent has been published.
func (p *publisher) close() {
	close(p.in)
	p.wg.Wait()
}

// WaitIndexed blocks until the extractor and indexer stages have handled
// everything published so far: once both durable consumers have nothing
// pending, every accepted document is searchable or dead-lettered.
func WaitIndexed(ctx context.Context, b *bus.Bus, log *slog.Logger) error {
	return b.WaitCaughtUp(ctx, func(pending []uint64, err error) {
		attrs := []any{"to_extract", pending[0], "to_index", pending[1]}
		if err != nil {
			// A stage that has not created its consumer yet, most often.
			attrs = append(attrs, "err", err)
		}
		log.Info("waiting for the pipeline", attrs...)
	}, bus.Durable{Stream: bus.StreamRaw, Name: bus.ConsumerExtractor}, bus.Durable{Stream: bus.StreamTagged, Name: bus.ConsumerIndexer})
}
