package bus

import (
	"context"
	"errors"
	"fmt"
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

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// DeadLetter is the payload on cw.dead.<stage>: the original message as
// it was, with why it was rejected.
type DeadLetter struct {
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

// DeadLetter copies msg to cw.dead.<stage> with the reason. The caller
// acks msg afterwards, so a poison message never blocks its stream.
func (b *Bus) DeadLetter(ctx context.Context, stage string, msg jetstream.Msg, reason error) error {
	dl := DeadLetter{Stage: stage, Reason: reason.Error(), Subject: msg.Subject(),
		Header: msg.Headers(), Data: msg.Data(), At: time.Now().UTC()}
	id := stage + ":" + msg.Subject()
	if md, err := msg.Metadata(); err == nil {
		dl.Stream, dl.Sequence, dl.Delivered = md.Stream, md.Sequence.Stream, md.NumDelivered
		id = fmt.Sprintf("%s:%s:%d", stage, md.Stream, md.Sequence.Stream)
	}
	b.log.Warn("dead-lettered", "stage", stage, "subject", dl.Subject, "reason", dl.Reason)
	_, err := b.Publish(ctx, DeadSubject(stage), id, "compoundwatch.dead/v1", dl, nats.Header{HeaderReason: {dl.Reason}})
	return err
}

// AckWait is how long a delivered message may stay unacknowledged before
// the server gives it to another worker. It is short so that the work of a
// crashed worker is picked up quickly; Batches keeps live work from
// expiring by signalling progress.
const AckWait = 15 * time.Second

// Consumer creates (or binds to) the durable pull consumer of a stage.
func (b *Bus) Consumer(ctx context.Context, stream, durable string, maxDeliver int) (jetstream.Consumer, error) {
	var c jetstream.Consumer
	err := retry(ctx, func() error {
		var err error
		c, err = b.JS.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{
			Durable:       durable,
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       AckWait,
			MaxDeliver:    maxDeliver,
			MaxAckPending: 2000,
			DeliverPolicy: jetstream.DeliverAllPolicy,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("consumer %s on %s: %w", durable, stream, err)
	}
	return c, nil
}

// Settle acks, naks or dead-letters msg according to the handler's error:
// nil acks; a permanent error, or a transient one on the last delivery
// maxDeliver allows, dead-letters and then acks; any other error naks
// with a growing delay (capped at 30s) so the message waits in the stream.
func (b *Bus) Settle(ctx context.Context, stage string, msg jetstream.Msg, maxDeliver int, err error) error {
	if err == nil {
		return msg.Ack()
	}
	delivered := uint64(1)
	if md, mdErr := msg.Metadata(); mdErr == nil {
		delivered = md.NumDelivered
	}
	if IsPermanent(err) || maxDeliver > 0 && delivered >= uint64(maxDeliver) {
		if dlErr := b.DeadLetter(ctx, stage, msg, err); dlErr != nil {
			// Leave it unacked: it is redelivered after AckWait and tried again.
			return fmt.Errorf("dead-letter: %w (after %v)", dlErr, err)
		}
		return msg.Ack()
	}
	b.log.Warn("will retry", "stage", stage, "subject", msg.Subject(), "delivery", delivered, "err", err)
	return msg.NakWithDelay(min(time.Duration(delivered*delivered)*time.Second, 30*time.Second))
}

// Batches calls handle with batches of up to max messages until ctx is
// done. It blocks for the first message of a batch and then takes what is
// already waiting, so a trickle is handled at once and a backlog in bulk.
func Batches(ctx context.Context, c jetstream.Consumer, max int, handle func([]jetstream.Msg)) error {
	for ctx.Err() == nil {
		first, err := c.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("fetch: %w", err)
		}
		var batch []jetstream.Msg
		for m := range first.Messages() {
			batch = append(batch, m)
		}
		if first.Error() != nil && !errors.Is(first.Error(), jetstream.ErrNoMessages) && ctx.Err() == nil {
			if errors.Is(first.Error(), nats.ErrConnectionClosed) {
				return first.Error()
			}
			time.Sleep(100 * time.Millisecond)
		}
		if len(batch) == 0 {
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
		handleAlive(batch, handle)
	}
	return nil
}

// handleAlive runs handle while telling the server, every third of
// AckWait, that the batch is still being worked on.
func handleAlive(batch []jetstream.Msg, handle func([]jetstream.Msg)) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				for _, m := range batch {
					m.InProgress() // fails harmlessly for messages already settled
				}
			}
		}
	}()
	handle(batch)
	close(done)
}

// Pending reports how many messages a durable consumer has not yet
// acknowledged (waiting plus in flight). Zero means the stage has caught
// up with everything published before the call.
func (b *Bus) Pending(ctx context.Context, stream, durable string) (uint64, error) {
	c, err := b.JS.Consumer(ctx, stream, durable)
	if err != nil {
		return 0, fmt.Errorf("consumer %s: %w", durable, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("consumer %s info: %w", durable, err)
	}
	return info.NumPending + uint64(info.NumAckPending), nil
}

// Replay hands handle every message that stream holds when Replay starts,
// in order and in batches of at most batch, through an ordered consumer:
// no stage's position moves and nothing is acked, so a reader such as
// `reindex` or `dead` can run beside the live pipeline. total is the
// count at the start, for progress. Replay ends early, without error, if
// the stream shrinks while it reads.
func (b *Bus) Replay(ctx context.Context, stream string, batch int, handle func(msgs []jetstream.Msg, total int) error) error {
	s, err := b.JS.Stream(ctx, stream)
	if err != nil {
		return fmt.Errorf("stream %s: %w", stream, err)
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
	msgs := make([]jetstream.Msg, 0, batch)
	for seen := 0; seen < total; {
		fetched, err := c.Fetch(min(batch, total-seen), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return fmt.Errorf("replay %s: %w", stream, err)
		}
		msgs = msgs[:0]
		for m := range fetched.Messages() {
			msgs = append(msgs, m)
		}
		if len(msgs) == 0 {
			return nil
		}
		seen += len(msgs)
		if err := handle(msgs, total); err != nil {
			return err
		}
	}
	return nil
}
