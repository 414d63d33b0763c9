package extractor

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
)

// batch is how many raw documents the stage fetches at once. Each batch
// costs a fetch and a wait for the server's acknowledgements of its
// tagged documents (published without waiting, Item.Await): draining a
// backlog of 2,000 articles took 0.74-0.97 s of CPU in batches of 64,
// 0.82-1.01 s in batches of 64 each document waited for in turn, and
// 0.94-1.16 s in batches of 8 so (alternated runs of the extractor stage
// of BenchmarkStages); batches of 128 did no better than 64.
const batch = 64

// stage is the extractor's reading of CW_RAW. A raw document that fails
// MaxDeliver times is a bad input, not an outage, so it is dead-lettered.
func stage() bus.Stage {
	return bus.Stage{
		Name: bus.ConsumerExtractor, Stream: bus.StreamRaw, Schema: document.RawSchema,
		MaxDeliver: bus.MaxDeliver, Batch: batch,
	}
}

// Worker is the extractor stage: it consumes raw documents, tags them and
// publishes the tagged document (and its mention events, when the bus
// was opened with them). Many workers (processes) can share the durable
// consumer.
type Worker struct {
	bus *bus.Bus
	x   *Extractor
	log *slog.Logger
}

// NewWorker returns the extractor stage.
func NewWorker(b *bus.Bus, x *Extractor, log *slog.Logger) *Worker {
	return &Worker{bus: b, x: x, log: log}
}

// Run processes raw documents until ctx is done.
func (w *Worker) Run(ctx context.Context) error {
	w.log.Info("extractor stage running", "extractor", w.x.Version())
	return bus.Consume(ctx, w.bus, stage(), func(ctx context.Context, items []*bus.Item[document.Raw]) {
		// A document whose id is not its subject's is rejected; the
		// others' histories are read in one request, not one each.
		good := make([]*bus.Item[document.Raw], 0, len(items))
		ids := make([]string, 0, len(items))
		for _, it := range items {
			if bus.RawSubject(it.Value.ID) != it.Subject {
				it.Err = bus.Permanent(fmt.Errorf("%s: document id %q does not match its subject", it.Subject, it.Value.ID))
				continue
			}
			good, ids = append(good, it), append(ids, it.Value.ID)
		}
		hs, err := w.bus.TaggedHistories(ctx, ids)
		if err != nil {
			for _, it := range good {
				it.Err = err
			}
			return
		}
		// Every document of the batch is tagged before any is published,
		// so that the extractor's tables stay in the core's caches from
		// one document to the next: publishing each as it was tagged (its
		// JSON, and the client's and the server's work for the message)
		// evicted them, and Extract took a fifth longer a document in the
		// stage than alone (the pipeline's BenchmarkStages).
		workers := runtime.GOMAXPROCS(0)
		tagged := make([]document.Tagged, len(good))
		bus.ForEach(ctx, good, workers, func(_ context.Context, i int, it *bus.Item[document.Raw]) error {
			tagged[i] = w.x.Extract(it.Value)
			tagged[i].History = hs[it.Value.ID]
			return nil
		})
		bus.ForEach(ctx, good, workers, func(ctx context.Context, i int, it *bus.Item[document.Raw]) error {
			if it.Err != nil {
				return it.Err // its Extract panicked
			}
			await, err := w.bus.PublishTaggedAsync(ctx, tagged[i])
			it.Await = await
			return err
		})
	})
}
