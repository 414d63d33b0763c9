package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/indexer"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
)

func (a *app) reindexCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the tagged-document log",
		Long: `Reindex replays CW_TAGGED, which keeps the latest version of every
tagged document, into the configured search backend: use it to fill a new
Meilisearch, or to rebuild the embedded index after deleting it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			// Not withBusAndBackend: it would refill an index of an older
			// format itself, and this command would replay the log twice.
			return a.withBus(ctx, func(b *bus.Bus) error {
				backend, err := a.openBackend(ctx)
				if errors.Is(err, embedded.ErrFormat) {
					backend, err = a.replaceEmbedded(ctx)
				}
				if err != nil {
					return err
				}
				defer backend.Close()
				n, rejected, err := a.reindex(ctx, b, backend)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "reindexed %d documents (%d rejected)\n", n-rejected, rejected)
				return nil
			})
		},
	}
}

// reindex replays the tagged-document log into backend (see
// indexer.Reindex), with the editors' links applied to documents tagged
// before them (entities link), naming each document the backend rejects.
func (a *app) reindex(ctx context.Context, b *bus.Bus, backend search.Backend) (n, rejected int, err error) {
	aliases, err := a.aliases()
	if err != nil {
		return 0, 0, err
	}
	g, err := a.gazetteer()
	if err != nil {
		return 0, 0, err
	}
	relink := func(t *document.Tagged) { extractor.Relink(t, g) }
	return indexer.Reindex(ctx, b, backend, aliases, relink, a.progress("reindexing"), func(id, reason string) {
		fmt.Fprintf(a.stderr, "rejected: %s: %s\n", id, reason)
	})
}
