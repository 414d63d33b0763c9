package main

import (
	"context"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/web"
)

// serve runs the web page and API until ctx is done.
func (a *app) serve(ctx context.Context, backend search.Backend, b *bus.Bus) error {
	h, err := a.webHandler(backend, b)
	if err != nil {
		return err
	}
	return web.Serve(ctx, a.cfg.Listen, h, a.log)
}

// crawlScheduled runs the configured sources on their schedules.
func (a *app) crawlScheduled(ctx context.Context, b *bus.Bus) error {
	<-ctx.Done()
	return nil
}
