package main

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/indexer"
	"github.com/compoundwatch/compoundwatch/search"
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
			return a.withBusAndBackend(ctx, func(b *bus.Bus, backend search.Backend) error {
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

// replayTagged reads every message in CW_TAGGED once, in batches, with an
// ordered (ephemeral) consumer so it disturbs no stage's position.
func replayTagged(ctx context.Context, b *bus.Bus, progress func(done, total int), handle func([]document.Tagged) (int, error)) (n, rejected int, err error) {
	s, err := b.JS.Stream(ctx, bus.StreamTagged)
	if err != nil {
		return 0, 0, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, 0, err
	}
	total := int(info.State.Msgs)
	if total == 0 {
		return 0, 0, nil
	}
	c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return 0, 0, err
	}
	var batch []document.Tagged
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		r, err := handle(batch)
		rejected += r
		batch = batch[:0]
		return err
	}
	for n < total {
		msgs, err := c.Fetch(min(indexer.BatchSize, total-n), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return n, rejected, err
		}
		got := 0
		for m := range msgs.Messages() {
			got++
			n++
			var t document.Tagged
			if err := b.Decode(ctx, m.Headers(), m.Data(), &t); err != nil {
				rejected++
				continue
			}
			batch = append(batch, t)
		}
		if err := flush(); err != nil {
			return n, rejected, err
		}
		if progress != nil {
			progress(n, total)
		}
		if got == 0 {
			break // the stream shrank while we read it
		}
	}
	return n, rejected, nil
}
