package extractor

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
)

// Stage is the name the extractor stage uses for its consumer and dead letters.
const Stage = "extractor"

// Worker is the extractor stage: it consumes raw documents, tags them and
// publishes the tagged document and one mention event per entity. Many
// workers (processes) can share the durable consumer.
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
	c, err := w.bus.Consumer(ctx, bus.StreamRaw, bus.ConsumerExtractor, bus.MaxDeliver)
	if err != nil {
		return err
	}
	w.log.Info("extractor stage running", "extractor", w.x.Version())
	return bus.Batches(ctx, c, 4*runtime.GOMAXPROCS(0), func(msgs []jetstream.Msg) {
		msgs = latestPerSubject(msgs)
		sem := make(chan struct{}, runtime.GOMAXPROCS(0))
		var wg sync.WaitGroup
		for _, m := range msgs {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				err := w.handle(ctx, m)
				if err := w.bus.Settle(ctx, Stage, m, bus.MaxDeliver, err); err != nil {
					w.log.Error("settle", "subject", m.Subject(), "err", err)
				}
			})
		}
		wg.Wait()
	})
}

// latestPerSubject acks the messages superseded by a later version of the
// same document within the batch, so versions are never processed out of
// order, and returns the rest.
func latestPerSubject(msgs []jetstream.Msg) []jetstream.Msg {
	last := map[string]int{}
	for i, m := range msgs {
		last[m.Subject()] = i
	}
	out := msgs[:0:0]
	for i, m := range msgs {
		if last[m.Subject()] != i {
			m.Ack()
			continue
		}
		out = append(out, m)
	}
	return out
}

func (w *Worker) handle(ctx context.Context, m jetstream.Msg) (err error) {
	defer func() {
		// A document that crashes the extractor must not crash the stage
		// (and then every replica, in a redelivery loop).
		if r := recover(); r != nil {
			err = bus.Permanent(fmt.Errorf("extractor panic on %s: %v", m.Subject(), r))
		}
	}()
	var raw document.Raw
	if err := w.bus.Decode(ctx, m.Headers(), m.Data(), &raw); err != nil {
		return err
	}
	if raw.Schema != document.RawSchema {
		return bus.Permanent(fmt.Errorf("%s: unknown schema %q", m.Subject(), raw.Schema))
	}
	if bus.RawSubject(raw.ID) != m.Subject() {
		return bus.Permanent(fmt.Errorf("%s: document id %q does not match its subject", m.Subject(), raw.ID))
	}
	t := w.x.Extract(raw)
	return PublishTagged(ctx, w.bus, t)
}

// PublishTagged publishes a tagged document and its mention events. Both
// carry ids derived from the document's content and the extractor
// version, so a redelivered raw document republishes nothing new.
func PublishTagged(ctx context.Context, b *bus.Bus, t document.Tagged) error {
	hdr := nats.Header{bus.HeaderContentHash: {t.ContentHash}}
	base := t.ID + ":" + t.ContentHash + ":" + t.Extractor
	if _, err := b.Publish(ctx, bus.TaggedSubject(t.ID), base, document.TaggedSchema, t, hdr); err != nil {
		return err
	}
	for _, e := range t.Entities {
		ev := document.MentionEvent{
			Schema: document.MentionSchema, EntityType: e.Type, EntityID: e.ID, EntityName: e.Name,
			DocID: t.ID, Source: t.Source, Title: t.Title, Published: t.Published,
			Count: len(e.Mentions), TaggedAt: t.FetchedAt,
		}
		if len(e.Mentions) > 0 {
			ev.Context = e.Mentions[0].Context
		}
		// The mention id leaves out the extractor version: a re-extraction
		// of unchanged text is not a new mention for alerts.
		id := t.ID + ":" + t.ContentHash + ":" + e.Type + ":" + e.ID
		if _, err := b.Publish(ctx, bus.MentionSubject(e.Type, e.ID), id, document.MentionSchema, ev, hdr); err != nil {
			return err
		}
	}
	return nil
}
