package main

import (
	"context"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/crawler"
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

// crawlScheduled runs the enabled configured sources on their schedules;
// with none enabled it idles, so `run` works offline out of the box.
func (a *app) crawlScheduled(ctx context.Context, b *bus.Bus) error {
	sources, err := a.sources()
	if err != nil {
		return err
	}
	enabled := 0
	for _, s := range sources {
		if s.IsEnabled() {
			enabled++
		}
	}
	if enabled == 0 {
		a.log.Info("no crawl sources enabled; crawler idle", "sources", len(sources))
		<-ctx.Done()
		return nil
	}
	c, err := crawler.New(b, crawler.Options{}, a.log)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Run(ctx, sources)
}

// sources loads the configured source list, or the shipped one.
func (a *app) sources() ([]config.Source, error) {
	if a.cfg.Sources != "" {
		return config.LoadSources(a.cfg.Sources)
	}
	return config.DefaultSources()
}
