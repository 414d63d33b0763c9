package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/alerts"
	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/metrics"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/web"
)

// serveCmd serves the search page, entity pages and JSON API.
func (a *app) serveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the search page, entity pages and JSON API",
		Long: `Serve the journalists' search page (/), entity pages (/entity/<id>) and the
JSON API (/api/search, /api/entity/<id>, /healthz) over the configured search
backend. Searches are proxied: the browser never sees a Meilisearch key.

POST /api/documents (Authorization: Bearer <api_token>) queues a document
into the pipeline; it is disabled unless api_token (env
COMPOUNDWATCH_API_TOKEN) is set.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			backend, err := a.openBackend(ctx)
			if err != nil {
				return err
			}
			defer backend.Close()
			var b *bus.Bus
			if a.cfg.APIToken != "" {
				if b, err = a.openBus(ctx); err != nil {
					return fmt.Errorf("the API token enables POST /api/documents, which needs the bus: %w", err)
				}
				defer b.Close()
			}
			ln, err := a.listen()
			if err != nil {
				return err
			}
			return a.serve(ctx, ln, backend, b)
		},
	}
	cmd.Flags().StringVar(&a.cfg.Listen, "listen", a.cfg.Listen, "address of the search page and API; env COMPOUNDWATCH_LISTEN")
	return cmd
}

// webHandler builds the site over backend. With a bus, submitted documents
// are published into the pipeline (when an API token is configured).
func (a *app) webHandler(backend search.Backend, b *bus.Bus) (http.Handler, error) {
	gaz, err := a.gazetteer()
	if err != nil {
		return nil, err
	}
	opts := web.Options{APIToken: a.cfg.APIToken, Logger: a.log}
	if a.metrics != nil {
		opts.Ops = metrics.Handler(a.metrics, &a.checks)
	}
	opts.Link = func(ctx context.Context, l gazetteer.Link) error {
		_, err := gaz.AddLink(a.overlayPath(), l)
		return err
	}
	if b != nil {
		opts.Publish = func(ctx context.Context, raw document.Raw) error {
			_, err := b.PublishRaw(ctx, &raw)
			return err
		}
		st, err := alerts.OpenStore(context.Background(), b)
		if err != nil {
			return nil, err
		}
		v, err := a.validator()
		if err != nil {
			return nil, err
		}
		opts.Alerts = &alerts.Service{Bus: b, Store: st, Validator: v}
	}
	return web.New(backend, gaz, opts), nil
}
