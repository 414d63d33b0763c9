// Package indexer is the stage that keeps a search backend in step with the
// tagged-document log, and rebuilds a backend from that log.
package indexer

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
)

// BatchSize bounds how many documents go to the backend at once, unless
// the backend asks otherwise (search.Batcher); the Meilisearch backend
// splits further by bytes.
const BatchSize = 500

// stage is the indexer's reading of CW_TAGGED. Backend outages are not
// the documents' fault, so delivery is unbounded: the backlog waits in
// JetStream until the backend is back.
//
// Several batches are in flight, so the engine always has the next one:
// the embedded index overlaps the single-core part of building one
// batch's segment with the next, and Meilisearch queues full batches
// behind the one it runs (a partial one waits for it instead). Each
// engine says how many, and how large (search.Batching). Each message is
// acked only when its own batch is confirmed.
func stage(backend search.Backend) bus.Stage {
	st := bus.Stage{
		Name: bus.ConsumerIndexer, Stream: bus.StreamTagged, Schema: document.TaggedBusSchema,
		MaxDeliver: bus.Unbounded, Batch: BatchSize, InFlight: InFlight, Linger: Linger,
	}
	if b, ok := backend.(search.Batcher); ok {
		want := b.Batching()
		if want.Docs > 0 {
			st.Batch = want.Docs
		}
		if want.Linger > 0 {
			st.Linger = want.Linger
		}
		st.LingerMax = want.LingerMax
		st.HoldPartial = want.Queued
		st.DecodeOnHandover = want.InProcess
		if want.InFlight > 0 {
			st.InFlight = want.InFlight
		}
	}
	return st
}

// Linger is how long a batch that is not full waits for more documents
// (longer while all InFlight batches are at the engine; see
// bus.Stage.Linger), unless the backend asks otherwise
// (search.Batcher): both engines index fewer, larger batches faster
// (each embedded batch is a segment to merge; each Meilisearch indexing
// run has a fixed cost).
const Linger = 300 * time.Millisecond

// InFlight is how many batches the indexer has at the engine at once.
const InFlight = 3

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

// Run indexes until ctx is done.
func (ix *Indexer) Run(ctx context.Context) error {
	ix.log.Info("indexer stage running", "consumer", bus.ConsumerIndexer)
	return bus.Consume(ctx, ix.bus, stage(ix.backend), ix.handle)
}

func (ix *Indexer) handle(ctx context.Context, items []*bus.Item[document.Tagged]) {
	batch := make([]search.Doc, len(items))
	for i, it := range items {
		batch[i] = search.FromTagged(it.Value, ix.aliases)
	}
	rejected, err := ix.backend.Upsert(ctx, batch)
	if err != nil {
		ix.log.Warn("backend unavailable; batch stays in the stream", "docs", len(batch), "err", err)
		for _, it := range items {
			it.Err = err
		}
		return
	}
	bad := make(map[string]string, len(rejected))
	for _, r := range rejected {
		bad[r.ID] = r.Reason
	}
	for _, it := range items {
		if reason, ok := bad[it.Value.ID]; ok {
			it.Err = bus.Permanent(errors.New("rejected by search backend: " + reason))
		}
	}
	ix.log.Debug("indexed", "docs", len(batch)-len(rejected), "rejected", len(rejected))
}

// Reindex replays CW_TAGGED, which keeps the latest version of every
// tagged document, into backend, without moving the indexer stage's
// consumer. relink, when not nil, rewrites each document before it is
// indexed: the editors' links made since it was tagged (the extractor's
// Relink, which the caller wires in: one stage does not import another).
// It reports every document the backend rejects (and every message that
// does not decode) to reject, and returns how many messages it read and
// how many of them were rejected.
func Reindex(ctx context.Context, b *bus.Bus, backend search.Backend, aliases search.AliasFunc, relink func(*document.Tagged),
	progress func(done, total int), reject func(id, reason string)) (n, rejected int, err error) {
	bad := func(subject string, err error) {
		n++
		rejected++
		if reject != nil {
			reject(subject, err.Error())
		}
	}
	err = bus.Replay(ctx, b, bus.StreamTagged, document.TaggedBusSchema, BatchSize, func(batch []document.Tagged, total int) error {
		n += len(batch)
		if len(batch) > 0 {
			docs := make([]search.Doc, len(batch))
			for i, t := range batch {
				if relink != nil {
					relink(&t)
				}
				docs[i] = search.FromTagged(t, aliases)
			}
			rej, err := backend.Upsert(ctx, docs)
			if err != nil {
				return err
			}
			rejected += len(rej)
			for _, r := range rej {
				if reject != nil {
					reject(r.ID, r.Reason)
				}
			}
		}
		if progress != nil {
			progress(n, total)
		}
		return nil
	}, bad)
	return n, rejected, err
}
