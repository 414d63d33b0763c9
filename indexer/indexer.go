// Package indexer is the stage that keeps a search backend in step with the
// tagged-document log.
package indexer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
)

// Stage is the indexer's consumer and dead-letter name.
const Stage = "indexer"

// BatchSize bounds how many documents go to the backend at once; the
// Meilisearch backend splits further by bytes.
const BatchSize = 500

// Indexer consumes CW_TAGGED and upserts into a backend. It acks a
// message only once the backend has confirmed the document, so a crash at
// any point redelivers rather than loses, and upserts by id make the
// redelivery harmless.
type Indexer struct {
	bus     *bus.Bus
	backend search.Backend
	log     *slog.Logger
	aliases search.AliasFunc
}

// New returns the indexer stage. aliases may be nil.
func New(b *bus.Bus, backend search.Backend, log *slog.Logger, aliases search.AliasFunc) *Indexer {
	return &Indexer{bus: b, backend: backend, log: log, aliases: aliases}
}

// Run indexes until ctx is done. Backend outages are not the documents'
// fault, so they never dead-letter: the backlog waits in JetStream.
func (ix *Indexer) Run(ctx context.Context) error {
	c, err := ix.bus.Consumer(ctx, bus.StreamTagged, bus.ConsumerIndexer, bus.Unbounded)
	if err != nil {
		return err
	}
	ix.log.Info("indexer stage running", "consumer", bus.ConsumerIndexer)
	return bus.Batches(ctx, c, BatchSize, func(msgs []jetstream.Msg) { ix.handle(ctx, msgs) })
}

func (ix *Indexer) handle(ctx context.Context, msgs []jetstream.Msg) {
	settle := func(m jetstream.Msg, err error) {
		if err := ix.bus.Settle(ctx, Stage, m, bus.Unbounded, err); err != nil {
			ix.log.Error("settle", "subject", m.Subject(), "err", err)
		}
	}
	// The newest version of each document wins within the batch.
	byID := map[string]jetstream.Msg{}
	var order []string
	docs := map[string]search.Doc{}
	for _, m := range msgs {
		var t document.Tagged
		err := ix.bus.Decode(ctx, m.Headers(), m.Data(), &t)
		if err == nil && t.Schema != document.TaggedSchema {
			err = bus.Permanent(fmt.Errorf("%s: unknown schema %q", m.Subject(), t.Schema))
		}
		if err != nil {
			settle(m, err)
			continue
		}
		if old, ok := byID[t.ID]; ok {
			old.Ack()
		} else {
			order = append(order, t.ID)
		}
		byID[t.ID] = m
		docs[t.ID] = search.FromTagged(t, ix.aliases)
	}
	if len(order) == 0 {
		return
	}
	batch := make([]search.Doc, 0, len(order))
	for _, id := range order {
		batch = append(batch, docs[id])
	}
	rejected, err := ix.backend.Upsert(ctx, batch)
	if err != nil {
		ix.log.Warn("backend unavailable; batch stays in the stream", "docs", len(batch), "err", err)
		for _, id := range order {
			settle(byID[id], err)
		}
		return
	}
	bad := map[string]string{}
	for _, r := range rejected {
		bad[r.ID] = r.Reason
	}
	for _, id := range order {
		if reason, ok := bad[id]; ok {
			settle(byID[id], bus.Permanent(errors.New("rejected by search backend: "+reason)))
			continue
		}
		settle(byID[id], nil)
	}
	ix.log.Debug("indexed", "docs", len(batch)-len(rejected), "rejected", len(rejected))
}
