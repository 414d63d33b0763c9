package main

import (
	"context"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/pipeline"
	"github.com/compoundwatch/compoundwatch/search"
)

// stages runs the extractor and indexer stages in this process until ctx
// is done.
func (a *app) stages(ctx context.Context, b *bus.Bus, backend search.Backend) error {
	g, err := a.gazetteer()
	if err != nil {
		return err
	}
	aliases, err := a.aliases()
	if err != nil {
		return err
	}
	return pipeline.Run(ctx, b, extractor.New(g), backend, aliases, a.log)
}
