package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
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

// reindex replays CW_TAGGED into backend, reporting each document the
// backend rejects.
func (a *app) reindex(ctx context.Context, b *bus.Bus, backend search.Backend) (n, rejected int, err error) {
	aliases, err := a.aliases()
	if err != nil {
		return 0, 0, err
	}
	return replayTagged(ctx, b, a.progress("reindexing"), func(batch []document.Tagged) (int, error) {
		docs := make([]search.Doc, len(batch))
		for i, t := range batch {
			docs[i] = search.FromTagged(t, aliases)
		}
		rej, err := backend.Upsert(ctx, docs)
		for _, r := range rej {
			fmt.Fprintf(a.stderr, "rejected: %s: %s\n", r.ID, r.Reason)
		}
		return len(rej), err
	})
}

// replayTagged reads every message in CW_TAGGED once, in batches, without
// disturbing any stage (see bus.Replay). Undecodable messages count as
// rejected.
func replayTagged(ctx context.Context, b *bus.Bus, progress func(done, total int), handle func([]document.Tagged) (int, error)) (n, rejected int, err error) {
	err = b.Replay(ctx, bus.StreamTagged, indexer.BatchSize, func(msgs []jetstream.Msg, total int) error {
		batch := make([]document.Tagged, 0, len(msgs))
		for _, m := range msgs {
			n++
			var t document.Tagged
			if err := b.Decode(ctx, m.Headers(), m.Data(), &t); err != nil {
				rejected++
				continue
			}
			batch = append(batch, t)
		}
		if len(batch) > 0 {
			r, err := handle(batch)
			rejected += r
			if err != nil {
				return err
			}
		}
		if progress != nil {
			progress(n, total)
		}
		return nil
	})
	return n, rejected, err
}
