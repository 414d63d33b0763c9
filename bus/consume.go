package bus

import (
	"context"
	"errors"
	"fmt"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// MaxDeliver bounds redelivery for stages whose failures come from their
// input: a message that fails this many times is dead-lettered instead of
// looping forever. Stages whose failures come from a backing service (the
// indexer when Meilisearch is down) pass Unbounded and keep their backlog
// in the stream until the service is back.
const (
	MaxDeliver = 5
	Unbounded  = -1
)

type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that retrying cannot fix (bad input), so the
// message goes straight to the dead-letter stream.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

type retryAfterError struct {
	err   error
	after time.Duration
}

func (e retryAfterError) Error() string { return e.err.Error() }
func (e retryAfterError) Unwrap() error { return e.err }

// RetryAfter marks err as transient with the delay before the next
// delivery chosen by the stage (a webhook receiver's Retry-After, a
// retry schedule) instead of the default growing one.
func RetryAfter(err error, after time.Duration) error {
	if err == nil {
		return nil
	}
	return retryAfterError{err, after}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// DeadLetter is the payload on cw.dead.<stage>: the original message as
// it was, with why it was rejected.
type DeadLetter struct {
	Schema    string      `json:"schema"` // DeadSchema
	Stage     string      `json:"stage"`
	Reason    string      `json:"reason"`
	Subject   string      `json:"subject"`
	Stream    string      `json:"stream,omitempty"`
	Sequence  uint64      `json:"sequence,omitempty"`
	Delivered uint64      `json:"delivered,omitempty"`
	Header    nats.Header `json:"header,omitempty"`
	Data      []byte      `json:"data,omitempty"`
	At        time.Time   `json:"at"`
}

// PayloadSchema is the schema the payload says it has.
func (d *DeadLetter) PayloadSchema() string { return d.Schema }

// deadLetter copies msg to cw.dead.<stage> with the reason. The caller
// acks msg afterwards, so a poison message never blocks its stream.
func (b *Bus) deadLetter(ctx context.Context, stage string, msg jetstream.Msg, reason error) error {
	dl := DeadLetter{Schema: DeadSchema, Stage: stage, Reason: reason.Error(), Subject: msg.Subject(),
		Header: msg.Headers(), Data: msg.Data(), At: time.Now().UTC()}
	id := stage + ":" + msg.Subject()
	if md, err := msg.Metadata(); err == nil {
		dl.Stream, dl.Sequence, dl.Delivered = md.Stream, md.Sequence.Stream, md.NumDelivered
		id = fmt.Sprintf("%s:%s:%d", stage, md.Stream, md.Sequence.Stream)
	}
	b.log.Warn("dead-lettered", "stage", stage, "subject", dl.Subject, "reason", dl.Reason)
	_, err := b.Publish(ctx, DeadSubject(stage), id, DeadSchema, dl, nats.Header{HeaderReason: {dl.Reason}})
	return err
}

// AckWait is how long a delivered message may stay unacknowledged before
// the server gives it to another worker. It is short so that the work of a
// crashed worker is picked up quickly; Consume keeps live work from
// expiring by signalling progress.
const AckWait = 15 * time.Second

// Stage describes one stage's reading of one stream: replicas of a stage
// share its durable consumer and split the work.
type Stage struct {
	// Name is the durable consumer's name and the dead-letter subject's
	// last token.
	Name   string
	Stream string
	// Schema is the payload schema the stage reads; any other is
	// dead-lettered rather than guessed at.
	Schema string
	// MaxDeliver is MaxDeliver for stages whose failures come from their
	// input, Unbounded for those whose failures come from a service.
	MaxDeliver int
	// Batch bounds how many messages one handler call gets (default 1).
	Batch int
	// InFlight is how many handler calls may run at once (default 1),
	// so that a stage feeding a service keeps it busy: the next batch is
	// fetched and handed over while earlier ones wait for the service.
	// Two batches in flight never share a subject, so the versions of a
	// document are handled in order.
	InFlight int
	// Linger is how long a batch that is not full waits for more
	// messages before it is handed over; while every InFlight slot is
	// taken, it goes on gathering until it is full or a slot frees. A
	// stage whose service works better in bulk (the indexer) trades this
	// much latency for fewer, larger batches. Zero hands over what is
	// waiting at once. A batch on a stream that stages fill (CW_TAGGED,
	// from the extractor) lingers only while they have work in hand:
	// once they have none, nothing more is on its way.
	Linger time.Duration
	// LingerMax lets a batch linger on while messages keep coming, until
	// Linger after the last of them, up to LingerMax from its first
	// message, so that a burst (a folder being ingested) becomes one
	// batch rather than being cut after the first Linger. Zero or less
	// than Linger: one Linger only.
	LingerMax time.Duration
	// HoldPartial keeps a batch that is not full gathering for as long
	// as any call is in flight, not only while every slot is taken; full
	// batches still start in any free slot. It suits a service that
	// queues calls but runs a call that arrives while it is busy
	// separately from the one before (Meilisearch starts an indexing run
	// on what is queued when it is free): a partial batch queued behind
	// a running call becomes a run of its own, while one held back joins
	// the documents that arrive meanwhile.
	HoldPartial bool
	// DecodeOnHandover decodes a lingering batch when it is handed over,
	// where by default each message is decoded as it arrives. Decoding
	// on arrival suits a service that works outside the process
	// (Meilisearch): the next batch is ready the moment the service is
	// free. A service that works on this process's cores (the embedded
	// index) gains nothing from that, and decoding messages one at a
	// time as they trickle in, between the other stages' work, costs
	// more than decoding a batch at once, whose decoder stays in the
	// core's caches from one message to the next.
	DecodeOnHandover bool
	// StartTime is where the consumer begins when this creates it: at
	// the first message stored at or after it (zero: the stream's
	// first). A consumer that exists keeps its place.
	StartTime time.Time
}

// ErrConsumerGone reports that a stage's durable consumer was deleted
// while the stage ran (DeleteConsumer, or an operator): its place in
// the stream went with it, so Consume stops rather than ask it again.
var ErrConsumerGone = errors.New("consumer deleted")

// Item is one message handed to a stage, decoded.
type Item[T any] struct {
	Subject string
	Value   T
	// Err is the handler's verdict: nil acks; an error marked Permanent
	// dead-letters; any other error redelivers later (or dead-letters on
	// the last delivery MaxDeliver allows).
	Err error
	// Await, set by a handler that published without waiting for the
	// server (Bus.PublishTaggedAsync), waits for that acknowledgement.
	// Consume calls it before settling an item whose Err is nil, so a
	// message is acknowledged only once what it caused is stored, and a
	// batch waits for the server once instead of once per message.
	Await func(context.Context) error
	// Delivered counts the deliveries of this message, this one included;
	// a stage with its own retry schedule (webhooks) reads it.
	Delivered int
	msg       jetstream.Msg
}

// Consume runs a stage until ctx is done: it fetches batches from the
// stage's durable consumer, decodes each message into T (object-store
// bodies included) and checks its schema, hands the batch to handle and
// then settles every item by its Err. Undecodable messages and unknown
// schemas are dead-lettered before handle sees them. In a compacted
// stream (one message kept per subject) only the newest message of a
// subject within a batch is handled; the older ones are acked as
// superseded, so versions are never handled out of order.
//
// A panic in handle does not stop the stage: the batch is handled again
// one item at a time, and the item that panics alone is dead-lettered.
//
// The stage's goroutines carry the profiler label stage=<name>, so a CPU
// profile of `run` splits by stage (go tool pprof -tagfocus stage=indexer).
func Consume[T any](ctx context.Context, b *Bus, st Stage, handle func(ctx context.Context, items []*Item[T])) (err error) {
	pprof.Do(ctx, pprof.Labels("stage", st.Name), func(ctx context.Context) {
		err = consume(ctx, b, st, handle)
	})
	return err
}

func consume[T any](ctx context.Context, b *Bus, st Stage, handle func(ctx context.Context, items []*Item[T])) error {
	c, err := b.consumer(ctx, st)
	if err != nil {
		return err
	}
	decode := func(m jetstream.Msg) decoded[T] {
		it := &Item[T]{Subject: m.Subject(), msg: m, Delivered: 1}
		if md, err := m.Metadata(); err == nil {
			it.Delivered = int(md.NumDelivered)
		}
		return decoded[T]{it, b.decode(ctx, m.Subject(), m.Headers(), m.Data(), st.Schema, &it.Value)}
	}
	// A batch that lingers is decoded while it gathers, so that a service
	// the stage feeds (Meilisearch) gets the next batch the moment it is
	// free, not after decoding it; unless the stage asks for it on
	// handover (DecodeOnHandover), when the loop below decodes it.
	var ready sync.Map // jetstream.Msg → decoded[T]
	prepare := func(m jetstream.Msg) { ready.Store(m, decode(m)) }
	if st.DecodeOnHandover {
		prepare = func(jetstream.Msg) {}
	}
	linger := lingers{each: st.Linger, most: max(st.Linger, st.LingerMax), quiet: b.quiet(st.Stream)}
	return batches(ctx, c, max(st.Batch, 1), max(st.InFlight, 1), linger, st.HoldPartial, prepare, func(msgs []jetstream.Msg) {
		b.obs.Consumed(st.Name, len(msgs))
		done := make(map[jetstream.Msg]decoded[T], len(msgs))
		for _, m := range msgs {
			if d, ok := ready.LoadAndDelete(m); ok {
				done[m] = d.(decoded[T])
			}
		}
		if compacted(st.Stream) {
			msgs = b.latestPerSubject(st.Name, msgs)
		}
		items := make([]*Item[T], 0, len(msgs))
		for _, m := range msgs {
			d, ok := done[m]
			if !ok {
				d = decode(m)
			}
			if d.err != nil {
				b.settle(ctx, st, m, d.err)
				continue
			}
			items = append(items, d.item)
		}
		if len(items) == 0 {
			return
		}
		start := time.Now()
		handleIsolated(ctx, items, handle)
		b.obs.Handled(st.Name, len(items), time.Since(start))
		for _, it := range items {
			if it.Err == nil && it.Await != nil {
				it.Err = it.Await(ctx)
			}
			b.settle(ctx, st, it.msg, it.Err)
		}
	})
}

// gone returns ErrConsumerGone, wrapping err, when err says the
// consumer was deleted, and nil otherwise.
func gone(err error) error {
	if errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) {
		return fmt.Errorf("fetch: %w: %w", ErrConsumerGone, err)
	}
	return nil
}

// decoded is a message read into the item a handler gets, or why it
// could not be.
type decoded[T any] struct {
	item *Item[T]
	err  error
}

// handleIsolated calls handle on items; if it panics, it calls it again
// on each item alone, so that one poison document cannot take the good
// ones in its batch down with it. Handlers are idempotent (upserts,
// publishes with message ids), so the repeat is harmless.
func handleIsolated[T any](ctx context.Context, items []*Item[T], handle func(context.Context, []*Item[T])) {
	if r := guard(ctx, items, handle); r == nil {
		return
	} else if len(items) == 1 {
		items[0].Err = Permanent(fmt.Errorf("%s: handler panic: %v", items[0].Subject, r))
		return
	}
	for _, it := range items {
		it.Err, it.Await = nil, nil
		if r := guard(ctx, []*Item[T]{it}, handle); r != nil {
			it.Err = Permanent(fmt.Errorf("%s: handler panic: %v", it.Subject, r))
		}
	}
}

func guard[T any](ctx context.Context, items []*Item[T], handle func(context.Context, []*Item[T])) (recovered any) {
	defer func() { recovered = recover() }()
	handle(ctx, items)
	return nil
}

// ForEach runs f on every item, with its index in items, at most workers
// at a time, and sets each item's Err from it. A panic in f becomes that
// item's permanent error: a document that crashes a stage must not crash
// it (and then every replica, in a redelivery loop).
//
// The workers each take the next item until none is left, rather than
// each item getting a goroutine of its own: a fresh goroutine's stack
// grows (and is copied) as deep as the extractor's calls reach, once
// for every document instead of once for every worker.
func ForEach[T any](ctx context.Context, items []*Item[T], workers int, f func(ctx context.Context, i int, it *Item[T]) error) {
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	for range min(max(workers, 1), len(items)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(items) {
					return
				}
				it := items[i]
				it.Err = func() (err error) {
					defer func() {
						if r := recover(); r != nil {
							err = Permanent(fmt.Errorf("%s: handler panic: %v", it.Subject, r))
						}
					}()
					return f(ctx, i, it)
				}()
			}
		})
	}
	wg.Wait()
}

// latestPerSubject acks the messages superseded by a later one on the
// same subject within the batch and returns the rest.
func (b *Bus) latestPerSubject(stage string, msgs []jetstream.Msg) []jetstream.Msg {
	last := make(map[string]int, len(msgs))
	for i, m := range msgs {
		last[m.Subject()] = i
	}
	out := msgs[:0:0]
	for i, m := range msgs {
		if last[m.Subject()] != i {
			m.Ack()
			b.obs.Settled(stage, OutcomeSuperseded)
			continue
		}
		out = append(out, m)
	}
	return out
}

// maxAckPending is how many messages the server lets a stage's consumer
// have delivered and not yet settled. A process holds up to InFlight
// batches at its service and one gathering; with less room than that the
// next batch cannot fetch until an earlier one is settled, and batches
// meant to overlap run one after the other. There is room for two such
// processes (replicas share the durable), and at least 2,000.
func (st Stage) maxAckPending() int {
	return max(2000, 2*max(st.Batch, 1)*(max(st.InFlight, 1)+1))
}

// consumer creates (or binds to, updating its configuration) the durable
// pull consumer of a stage.
func (b *Bus) consumer(ctx context.Context, st Stage) (jetstream.Consumer, error) {
	var c jetstream.Consumer
	orphan := false
	err := retryWhile(ctx, consumerTransient, func(ctx context.Context) error {
		if orphan {
			if err := b.DeleteConsumer(ctx, st); err != nil {
				return err
			}
		}
		cfg := jetstream.ConsumerConfig{
			Durable:       st.Name,
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       AckWait,
			MaxDeliver:    st.MaxDeliver,
			MaxAckPending: st.maxAckPending(),
			DeliverPolicy: jetstream.DeliverAllPolicy,
		}
		if !st.StartTime.IsZero() {
			start := st.StartTime.UTC()
			cfg.DeliverPolicy, cfg.OptStartTime = jetstream.DeliverByStartTimePolicy, &start
		}
		// Where a consumer starts cannot be updated, and need not be:
		// one that exists keeps its own.
		if have, err := b.js.Consumer(ctx, st.Stream, st.Name); err == nil {
			info := have.CachedInfo()
			cfg.DeliverPolicy, cfg.OptStartSeq, cfg.OptStartTime = info.Config.DeliverPolicy, info.Config.OptStartSeq, info.Config.OptStartTime
		} else if !errors.Is(err, jetstream.ErrConsumerNotFound) {
			return err
		}
		var err error
		c, err = b.js.CreateOrUpdateConsumer(ctx, st.Stream, cfg)
		orphan = consumerOrphaned(err)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("consumer %s on %s: %w", st.Name, st.Stream, err)
	}
	return c, nil
}

// DeleteConsumer deletes a stage's durable consumer and with it the
// stage's place in its stream; a stage running on it stops with
// ErrConsumerGone. One that does not exist is no error.
func (b *Bus) DeleteConsumer(ctx context.Context, st Stage) error {
	err := b.js.DeleteConsumer(ctx, st.Stream, st.Name)
	if err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return fmt.Errorf("delete consumer %s on %s: %w", st.Name, st.Stream, err)
	}
	return nil
}

// settle acks, naks or dead-letters msg according to the handler's error:
// nil acks; a permanent error, or a transient one on the last delivery
// MaxDeliver allows, dead-letters and then acks; any other error naks
// with a growing delay (capped at 30s) so the message waits in the stream.
func (b *Bus) settle(ctx context.Context, st Stage, msg jetstream.Msg, err error) {
	outcome, serr := b.settleOutcome(ctx, st, msg, err)
	if serr != nil {
		b.log.Error("settle", "stage", st.Name, "subject", msg.Subject(), "err", serr)
		return
	}
	b.obs.Settled(st.Name, outcome)
}

func (b *Bus) settleOutcome(ctx context.Context, st Stage, msg jetstream.Msg, err error) (string, error) {
	if err == nil {
		return OutcomeOK, msg.Ack()
	}
	delivered := uint64(1)
	if md, mdErr := msg.Metadata(); mdErr == nil {
		delivered = md.NumDelivered
	}
	if IsPermanent(err) || st.MaxDeliver > 0 && delivered >= uint64(st.MaxDeliver) {
		if dlErr := b.deadLetter(ctx, st.Name, msg, err); dlErr != nil {
			// Leave it unacked: it is redelivered after AckWait and tried again.
			return "", fmt.Errorf("dead-letter: %w (after %v)", dlErr, err)
		}
		return OutcomeDead, msg.Ack()
	}
	b.log.Warn("will retry", "stage", st.Name, "subject", msg.Subject(), "delivery", delivered, "err", err)
	var ra retryAfterError
	if errors.As(err, &ra) {
		return OutcomeRetry, msg.NakWithDelay(ra.after)
	}
	return OutcomeRetry, msg.NakWithDelay(min(time.Duration(delivered*delivered)*time.Second, 30*time.Second))
}

// batches calls handle with batches of up to max messages until ctx is
// done, with up to inflight calls running at once. It blocks for the
// first message of a batch and then takes what is already waiting (and
// what arrives within linger, or while earlier calls still run), so a
// trickle is handled at once and a backlog in bulk. A batch that shares a
// subject with one in flight waits for it (and with hold, a batch that is
// not full waits for every call in flight; see Stage.HoldPartial). With
// a linger, every message is passed to prepare while its batch gathers.
// batches returns once every call it started has returned.
func batches(ctx context.Context, c jetstream.Consumer, max, inflight int, linger lingers, hold bool, prepare func(jetstream.Msg), handle func([]jetstream.Msg)) error {
	f := newFlight(inflight)
	defer f.wait()
	for ctx.Err() == nil {
		// The wait for a first message also ends with ctx, so that a
		// stopping stage returns at once rather than after its idle
		// fetch: `ingest` stops its stages before it exits.
		fctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		first, err := c.Fetch(1, jetstream.FetchContext(fctx))
		if err != nil {
			cancel()
			if ctx.Err() != nil {
				return nil
			}
			if err := gone(err); err != nil {
				return err
			}
			return fmt.Errorf("fetch: %w", err)
		}
		var batch []jetstream.Msg
		for m := range first.Messages() {
			batch = append(batch, m)
		}
		cancel()
		if err := first.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			if errors.Is(err, nats.ErrConnectionClosed) {
				return err
			}
			if err := gone(err); err != nil {
				return err
			}
			time.Sleep(100 * time.Millisecond)
		}
		if len(batch) == 0 {
			// A pull that reaches a consumer deleted since the last one
			// gets no answer, only the fetch's timeout (the stage then
			// ran on, idle, in one run of CI): ask whether it is there.
			if _, err := c.Info(ctx); err != nil {
				if err := gone(err); err != nil {
					return err
				}
			}
			continue
		}
		if max > 1 {
			more, err := c.FetchNoWait(max - 1)
			if err == nil {
				for m := range more.Messages() {
					batch = append(batch, m)
				}
			}
		}
		// From here until it is settled the batch may wait (for more
		// messages, for a free slot) longer than AckWait: it is kept
		// alive all along, or the server would deliver it again.
		ka := keepAlive(batch)
		if linger.each > 0 {
			batch = f.gather(ctx, c, ka, max, linger, hold, prepare)
		}
		f.run(batch, func(batch []jetstream.Msg) {
			defer ka.stop()
			handle(batch)
		})
	}
	return nil
}

// lingers are Stage.Linger and Stage.LingerMax, and quiet, when set,
// reports that no message is on its way to the stream: a batch lingers
// for messages to come, and once the stages that fill its stream have
// nothing left to do, none will (see Bus.quiet).
type lingers struct {
	each, most time.Duration
	quiet      func(ctx context.Context, by time.Time) bool
}

// lingerStep bounds each wait for more messages while a batch lingers. A
// fetch returns when it is full or its wait is over, so a batch that
// waited out its linger in one fetch and grew meanwhile would wait a
// whole linger more after its last message.
const lingerStep = 20 * time.Millisecond

// gather adds messages to a batch that is not full: for a linger (until
// a linger after the last message while the batch grows, up to the
// longest), and after that for as long
// as every slot is taken, since the batch could not start anyway, or
// with hold for as long as any call runs. Without hold,
// once a slot is free the batch is handed over even while other calls
// run, so that a service that works on several calls at once (the
// embedded index analyses batches on every core) gets it at once. Each
// message of the batch is passed to prepare once.
func (f *flight) gather(ctx context.Context, c jetstream.Consumer, ka *alive, max int, linger lingers, hold bool, prepare func(jetstream.Msg)) []jetstream.Msg {
	start := time.Now()
	deadline := start.Add(linger.each)
	for _, m := range ka.batch() {
		prepare(m)
	}
	for n := ka.len(); n < max && ctx.Err() == nil; n = ka.len() {
		wait := time.Until(deadline)
		waiting := wait <= 0
		if waiting && !f.waiting(hold) {
			break
		}
		// The batch is not full, so the last fetch took all the stream
		// had: whether more is on its way is the feeders' to say (quiet),
		// before the batch waits for it.
		if !waiting && linger.quiet != nil && linger.quiet(ctx, deadline) {
			// Nothing is on its way: the rest of the linger would be
			// time the batch's documents wait for nothing (the last
			// batch of every ingest waited a step after its last
			// document, a lone document a step after it came). What was
			// stored before the feeders went quiet joins it first.
			if more, err := c.FetchNoWait(max - n); err == nil {
				for m := range more.Messages() {
					ka.add(m)
					prepare(m)
				}
			}
			break
		}
		var more jetstream.MessageBatch
		var err error
		if waiting {
			// Past the linger, the batch waits on the calls in flight:
			// take what has come, and hand it over as soon as one ends.
			more, err = c.FetchNoWait(max - n)
		} else {
			more, err = c.Fetch(max-n, jetstream.FetchMaxWait(min(wait, lingerStep)))
		}
		if err != nil {
			break
		}
		for m := range more.Messages() {
			ka.add(m)
			prepare(m)
		}
		if !waiting && ka.len() > n {
			// It grew while it lingered: more is likely on its way. The
			// new deadline is never before the old one, which was set
			// the same way earlier (or is start plus one Linger).
			deadline = time.Now().Add(linger.each)
			if last := start.Add(linger.most); deadline.After(last) {
				deadline = last
			}
		}
		if waiting && ka.len() < max {
			select {
			case <-f.ended:
			case <-time.After(50 * time.Millisecond):
			case <-ctx.Done():
			}
		}
	}
	return ka.batch()
}

// quiet returns, for a stream that stages fill as they handle another
// (see feeders), a report that each of them has handled everything it
// was given, so that nothing more is on its way; nil for a stream only
// publishers fill, whose next message nobody can foresee. The question
// goes through the JetStream API, whose queue is long when the stages
// are busy, so it gives up at by, the linger's deadline: a later answer
// is worth nothing, and no answer reads as not quiet.
func (b *Bus) quiet(stream string) func(ctx context.Context, by time.Time) bool {
	fs := feeders(stream)
	if len(fs) == 0 {
		return nil
	}
	return func(ctx context.Context, by time.Time) bool {
		ctx, cancel := context.WithDeadline(ctx, by)
		defer cancel()
		caughtUp, _ := b.caughtUp(ctx, fs, make([]uint64, len(fs)))
		return caughtUp
	}
}

// waiting reports whether a batch that is not full goes on gathering:
// while every slot is taken, or with hold while any is.
func (f *flight) waiting(hold bool) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.running >= f.max || hold && f.running > 0
}

// flight bounds the handler calls running at once and keeps two calls
// from working on one subject at the same time.
type flight struct {
	mu       sync.Mutex
	cond     *sync.Cond
	running  int
	max      int
	subjects map[string]int
	// ended wakes a batch that waits on the calls in flight when one
	// ends; it holds one wake-up at most.
	ended chan struct{}
}

func newFlight(max int) *flight {
	f := &flight{max: max, subjects: map[string]int{}, ended: make(chan struct{}, 1)}
	f.cond = sync.NewCond(&f.mu)
	return f
}

// run starts handle on batch once a slot is free and no call in flight
// holds one of its subjects; with one slot it runs handle in place.
func (f *flight) run(batch []jetstream.Msg, handle func([]jetstream.Msg)) {
	if f.max == 1 {
		handle(batch)
		return
	}
	f.mu.Lock()
	for f.running >= f.max || f.holds(batch) {
		f.cond.Wait()
	}
	f.running++
	for _, m := range batch {
		f.subjects[m.Subject()]++
	}
	f.mu.Unlock()
	go func() {
		handle(batch)
		f.mu.Lock()
		f.running--
		for _, m := range batch {
			if f.subjects[m.Subject()]--; f.subjects[m.Subject()] == 0 {
				delete(f.subjects, m.Subject())
			}
		}
		f.cond.Broadcast()
		select {
		case f.ended <- struct{}{}:
		default:
		}
		f.mu.Unlock()
	}()
}

func (f *flight) holds(batch []jetstream.Msg) bool {
	for _, m := range batch {
		if f.subjects[m.Subject()] > 0 {
			return true
		}
	}
	return false
}

// wait blocks until every call started has returned.
func (f *flight) wait() {
	f.mu.Lock()
	for f.running > 0 {
		f.cond.Wait()
	}
	f.mu.Unlock()
}

// alive tells the server, every third of AckWait, that the messages of
// a batch are still being worked on, from when they are fetched until
// stop, so that a slow call (or a wait for one) does not get them
// delivered again.
type alive struct {
	mu   sync.Mutex
	msgs []jetstream.Msg
	done chan struct{}
}

func keepAlive(batch []jetstream.Msg) *alive {
	a := &alive{msgs: batch, done: make(chan struct{})}
	go func() {
		t := time.NewTicker(AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-a.done:
				return
			case <-t.C:
				for _, m := range a.batch() {
					m.InProgress() // fails harmlessly for messages already settled
				}
			}
		}
	}()
	return a
}

func (a *alive) add(m jetstream.Msg) {
	a.mu.Lock()
	a.msgs = append(a.msgs, m)
	a.mu.Unlock()
}

func (a *alive) len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.msgs)
}

// batch returns the messages so far; the slice is not appended to again
// by anyone holding it.
func (a *alive) batch() []jetstream.Msg {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.msgs[:len(a.msgs):len(a.msgs)]
}

func (a *alive) stop() { close(a.done) }

// Pending reports how many messages a durable consumer has not yet
// acknowledged (waiting plus in flight). Zero means the stage has caught
// up with everything published before the call.
//
// The consumer's own pending count is not enough for that: the server
// updates it asynchronously after a publish, so just after a message is
// stored it can still read zero. The stream's last sequence is updated
// before the publish is acknowledged, so when the count reads zero a
// consumer whose ack floor has not reached it is reported as at least
// one behind. A count above zero needs no second request.
func (b *Bus) Pending(ctx context.Context, stream, durable string) (uint64, error) {
	s, ok := b.streams[stream]
	if !ok {
		return 0, fmt.Errorf("unknown stream %s", stream)
	}
	// The lookup fetches the consumer's info: asking again would cost a
	// request and say nothing newer.
	c, err := b.js.Consumer(ctx, stream, durable)
	if err != nil {
		return 0, fmt.Errorf("consumer %s: %w", durable, err)
	}
	info := c.CachedInfo()
	if n := info.NumPending + uint64(info.NumAckPending); n > 0 {
		return n, nil
	}
	sinfo, err := s.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("stream %s info: %w", stream, err)
	}
	if info.AckFloor.Stream < sinfo.State.LastSeq {
		return 1, nil
	}
	return 0, nil
}

// Durable names a stage's durable consumer and the stream it reads.
type Durable struct{ Stream, Name string }

// caughtUpPoll is how often WaitCaughtUp asks, once it has waited a
// while; it starts at a millisecond and doubles up to it, so that a
// short wait (an ingest of one file: the stages' work is a few
// milliseconds) is not rounded up to a whole interval. Each ask is a
// request a consumer (two once it reads zero), answered in well under a
// millisecond, so it can be often: whatever the wait adds past the
// moment the stages catch up is time a user waits for nothing (half the
// interval on average).
const caughtUpPoll = 20 * time.Millisecond

// caughtUp asks Pending of every durable, puts the counts in pending (in
// the order of durables, zero where unknown) and reports whether all are
// zero. An error, the last, counts as behind: a consumer not created yet
// may be a stage starting.
func (b *Bus) caughtUp(ctx context.Context, durables []Durable, pending []uint64) (bool, error) {
	var err error
	behind := false
	for i, d := range durables {
		n, perr := b.Pending(ctx, d.Stream, d.Name)
		if perr != nil {
			err = perr
		}
		pending[i] = n
		behind = behind || perr != nil || n > 0
	}
	return !behind, err
}

// WaitCaughtUp blocks until every durable has nothing pending (see
// Pending): each stage has handled everything published before the call.
// A consumer not created yet counts as behind, since its stage may be
// starting. Every five seconds report, when set, is given the counts
// still pending, in the order of durables (zero where unknown), and the
// last error.
func (b *Bus) WaitCaughtUp(ctx context.Context, report func(pending []uint64, err error), durables ...Durable) error {
	poll := time.Millisecond
	tick := time.NewTimer(poll)
	defer tick.Stop()
	last := time.Now()
	pending := make([]uint64, len(durables))
	for {
		caughtUp, err := b.caughtUp(ctx, durables, pending)
		if caughtUp {
			return nil
		}
		if report != nil && time.Since(last) > 5*time.Second {
			report(slices.Clone(pending), err)
			last = time.Now()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		poll = min(2*poll, caughtUpPoll)
		tick.Reset(poll)
	}
}

// Replay hands handle every message that stream holds when Replay starts,
// decoded into T and checked against schema, in order and in batches of
// at most batch, through an ordered consumer: no stage's position moves
// and nothing is acked, so a reader such as `reindex` or `dead` can run
// beside the live pipeline. total is the count at the start, for
// progress. Messages that do not decode are passed to bad (when set) and
// skipped. Replay ends early, without error, if the stream shrinks while
// it reads.
func Replay[T any](ctx context.Context, b *Bus, stream, schema string, batch int, handle func(values []T, total int) error, bad func(subject string, err error)) error {
	s, ok := b.streams[stream]
	if !ok {
		return fmt.Errorf("unknown stream %s", stream)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return fmt.Errorf("stream %s info: %w", stream, err)
	}
	total := int(info.State.Msgs)
	if total == 0 {
		return nil
	}
	c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return fmt.Errorf("replay %s: %w", stream, err)
	}
	values := make([]T, 0, batch)
	for seen := 0; seen < total; {
		fetched, err := c.Fetch(min(batch, total-seen), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return fmt.Errorf("replay %s: %w", stream, err)
		}
		values = values[:0]
		n := 0
		for m := range fetched.Messages() {
			n++
			var v T
			if err := b.decode(ctx, m.Subject(), m.Headers(), m.Data(), schema, &v); err != nil {
				if bad != nil {
					bad(m.Subject(), err)
				}
				continue
			}
			values = append(values, v)
		}
		if n == 0 {
			return nil
		}
		seen += n
		if err := handle(values, total); err != nil {
			return err
		}
	}
	return nil
}

// ReadSubject returns the messages stream holds on subject, published at
// or after since (zero: all), oldest first, decoded into T and checked
// against schema; messages that do not decode are skipped. It reads
// through an ordered consumer, so no stage's position moves: for a feed
// of one subscription's alerts, or a digest of a period.
func ReadSubject[T any](ctx context.Context, b *Bus, stream, subject, schema string, since time.Time) ([]T, error) {
	s, ok := b.streams[stream]
	if !ok {
		return nil, fmt.Errorf("unknown stream %s", stream)
	}
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}}
	if !since.IsZero() {
		cfg.DeliverPolicy = jetstream.DeliverByStartTimePolicy
		cfg.OptStartTime = &since
	}
	c, err := s.OrderedConsumer(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", subject, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", subject, err)
	}
	var out []T
	for pending := int(info.NumPending); pending > 0; {
		fetched, err := c.Fetch(min(pending, 500), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", subject, err)
		}
		n := 0
		for m := range fetched.Messages() {
			n++
			var v T
			if err := b.decode(ctx, m.Subject(), m.Headers(), m.Data(), schema, &v); err == nil {
				out = append(out, v)
			}
		}
		if n == 0 {
			break
		}
		pending -= n
	}
	return out, nil
}
