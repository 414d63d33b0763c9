package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/compoundwatch/compoundwatch/archive"
	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/content"
)

// IsArchive reports whether path names a web archive (.warc, .warc.gz),
// which ingest reads record by record rather than as one document.
func IsArchive(path string) bool {
	p := strings.ToLower(path)
	return strings.HasSuffix(p, ".warc") || strings.HasSuffix(p, ".warc.gz")
}

// ArchiveCounts is what happened to an archive's records.
type ArchiveCounts struct {
	Counts        // documents: published, unchanged, rejected by extraction
	archive.Stats // records read, skipped as not documents, corrupt
}

// Archive publishes the HTML and PDF records of a WARC file, streaming: a
// reader goroutine hands records to extraction workers through a short
// queue, and they to a publisher, so memory holds a few batches of
// records whatever the archive's size.
// Records that are not documents are counted and skipped; a corrupt or
// truncated record and a record whose content cannot be extracted each
// give one error naming the file and offset, and the rest goes on.
func Archive(ctx context.Context, b *bus.Bus, path string, log *slog.Logger, progress func(archive.Stats)) (ArchiveCounts, []error) {
	var (
		c      ArchiveCounts
		errsMu sync.Mutex
		errs   []error
	)
	fail := func(err error) {
		errsMu.Lock()
		errs = append(errs, err)
		errsMu.Unlock()
		log.Warn("rejected", "err", err)
	}
	r, err := archive.Open(path, archive.Options{Progress: progress})
	if err != nil {
		return c, []error{err}
	}
	defer r.Close()
	cx := content.New(content.Options{})
	defer cx.Close()
	workers := runtime.GOMAXPROCS(0) * 2
	docs := make(chan archive.Doc, workers)
	pub := startPublisher(ctx, b, &c.Counts, func(err error) {
		atomic.AddInt64(&c.Rejected, 1)
		fail(fmt.Errorf("%s: %w", path, err))
	}, func(int) {})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for d := range docs {
				raw, err := archive.Raw(ctx, cx, d)
				if err != nil {
					if ctx.Err() == nil {
						atomic.AddInt64(&c.Rejected, 1)
						fail(fmt.Errorf("%s: %w", path, err))
					}
					continue
				}
				pub.in <- &raw
			}
		})
	}
	for {
		d, err := r.Next(ctx)
		var bad *archive.RecordError
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.As(err, &bad) {
			fail(bad)
			continue
		}
		if err != nil {
			fail(err)
			break
		}
		docs <- d
	}
	close(docs)
	wg.Wait()
	pub.close()
	c.Stats = r.Stats()
	return c, errs
}
