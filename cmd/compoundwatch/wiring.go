package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/crawler"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/web"
)

// serve runs the web page and API on ln until ctx is done. While it runs,
// <data>/web.url holds its address, so that `search` can go through the
// API when this process holds the embedded index.
func (a *app) serve(ctx context.Context, ln net.Listener, backend search.Backend, b *bus.Bus) error {
	h, err := a.webHandler(backend, b)
	if err != nil {
		ln.Close()
		return err
	}
	if a.cfg.MeiliURL == "" {
		file := a.webURLFile()
		if err := os.WriteFile(file, []byte(webURL(ln)+"\n"), 0o644); err != nil {
			a.log.WarnContext(ctx, "cannot record the web address; `search` will not find this server", "file", file, "err", err)
		}
		defer os.Remove(file)
	}
	return web.ServeListener(ctx, ln, h, a.log)
}

// listen opens the web listener up front, so the address (with a port the
// system chose for ":0") is known before anything is printed.
func (a *app) listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", a.cfg.Listen, err)
	}
	return ln, nil
}

func webURL(ln net.Listener) string { return "http://" + ln.Addr().String() }

func (a *app) webURLFile() string { return filepath.Join(a.cfg.DataDir, "web.url") }

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
	c, err := crawler.New(b, crawler.Options{Fetched: a.fetched()}, a.log)
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
