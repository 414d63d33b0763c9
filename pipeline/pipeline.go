// Package pipeline runs the processing stages together in one process,
// for `run`, `ingest` on the embedded default, tests and benchmarks.
package pipeline

import (
	"context"
	"errors"
	"log/slog"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/indexer"
	"github.com/compoundwatch/compoundwatch/search"
)

// Run runs the extractor and indexer stages until ctx is done or one of
// them fails; it stops both and returns the failure, or nil on ctx's end.
func Run(ctx context.Context, b *bus.Bus, x *extractor.Extractor, backend search.Backend, aliases search.AliasFunc, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 2)
	go func() { errc <- extractor.NewWorker(b, x, log).Run(ctx) }()
	go func() { errc <- indexer.New(b, backend, log, aliases).Run(ctx) }()
	var errs []error
	for range 2 {
		if err := <-errc; err != nil && !errors.Is(err, context.Canceled) {
			errs = append(errs, err)
		}
		cancel()
	}
	return errors.Join(errs...)
}
