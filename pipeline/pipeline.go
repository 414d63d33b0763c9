// Package pipeline runs a set of stages together in one process, for
// `run`, `ingest` on the embedded default, tests and benchmarks.
package pipeline

import (
	"context"
	"errors"
)

// Stage is anything that runs until its context ends: the extractor,
// indexer and alerts stages, the crawler, the web server.
type Stage interface {
	Run(ctx context.Context) error
}

// Func adapts a function to Stage.
type Func func(ctx context.Context) error

// Run calls f.
func (f Func) Run(ctx context.Context) error { return f(ctx) }

// Run runs every stage until ctx is done or one of them fails. A failure
// stops the others, since a half-running pipeline is worse than none, and
// is returned once all have stopped. A stage that ends without error
// (a one-off job) leaves the others running. Run returns nil when ctx
// ends.
func Run(ctx context.Context, stages ...Stage) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(stages))
	for _, s := range stages {
		go func() { errc <- s.Run(ctx) }()
	}
	var errs []error
	for range stages {
		if err := <-errc; err != nil && !errors.Is(err, context.Canceled) {
			errs = append(errs, err)
			cancel()
		}
	}
	return errors.Join(errs...)
}
