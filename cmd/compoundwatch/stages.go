package main

import (
	"context"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/indexer"
	"github.com/compoundwatch/compoundwatch/pipeline"
	"github.com/compoundwatch/compoundwatch/search"
)

// stages returns the processing stages that run in this process on the
// embedded default, in `run` and `ingest`.
func (a *app) stages(b *bus.Bus, backend search.Backend) ([]pipeline.Stage, error) {
	g, err := a.gazetteer()
	if err != nil {
		return nil, err
	}
	aliases, err := a.aliases()
	if err != nil {
		return nil, err
	}
	alerting, err := a.alertStages(b)
	if err != nil {
		return nil, err
	}
	return append([]pipeline.Stage{
		extractor.NewWorker(b, extractor.New(g), a.log),
		indexer.New(b, backend, a.log, aliases),
	}, alerting...), nil
}

// runStages runs the processing stages until ctx is done.
func (a *app) runStages(ctx context.Context, b *bus.Bus, backend search.Backend) error {
	stages, err := a.stages(b, backend)
	if err != nil {
		return err
	}
	return pipeline.Run(ctx, stages...)
}
