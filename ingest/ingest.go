// Package ingest feeds local files and folders into the pipeline and waits
// until they are searchable.
package ingest

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/content"
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
	work := make(chan string)
	var (
		done int
		pmu  sync.Mutex
	)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) * 2 {
		wg.Go(func() {
			for path := range work {
				switch unchanged, err := publishFile(ctx, b, cx, path); {
				case err != nil:
					fail(err)
				case unchanged:
					atomic.AddInt64(&c.Unchanged, 1)
				default:
					atomic.AddInt64(&c.Accepted, 1)
				}
				pmu.Lock()
				done++
				if progress != nil {
					progress(done, len(files))
				}
				pmu.Unlock()
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
	if ctx.Err() != nil {
		errs = append(errs, ctx.Err())
	}
	return c, errs
}

// publishFile reads one file and publishes it unless the pipeline already
// has this content for it.
func publishFile(ctx context.Context, b *bus.Bus, cx *content.Extractor, path string) (unchanged bool, err error) {
	raw, err := cx.ReadFile(ctx, path)
	if err != nil {
		return false, err
	}
	published, err := b.PublishRaw(ctx, &raw)
	return !published, err
}

// WaitIndexed blocks until the extractor and indexer stages have handled
// everything published so far: once both durable consumers have nothing
// pending, every accepted document is searchable or dead-lettered.
func WaitIndexed(ctx context.Context, b *bus.Bus, log *slog.Logger) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	last := time.Now()
	for {
		pe, err := b.Pending(ctx, bus.StreamRaw, bus.ConsumerExtractor)
		var pi uint64
		if err == nil {
			pi, err = b.Pending(ctx, bus.StreamTagged, bus.ConsumerIndexer)
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			// The stage may not have created its consumer yet.
			log.Debug("waiting for stages", "err", err)
		}
		if err == nil && pe == 0 && pi == 0 {
			return nil
		}
		if time.Since(last) > 5*time.Second {
			log.Info("waiting for the pipeline", "to_extract", pe, "to_index", pi)
			last = time.Now()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}
