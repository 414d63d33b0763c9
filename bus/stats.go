package bus

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// Stats is the state of the contract's streams at one moment: what
// `stats`, health checks and metrics report.
type Stats struct {
	Streams []StreamStats `json:"streams"`
}

// StreamStats is one stream and the durable consumers (stages) on it.
type StreamStats struct {
	Name      string          `json:"name"`
	Messages  uint64          `json:"messages"`
	Bytes     uint64          `json:"bytes"`
	Replicas  int             `json:"replicas"`
	MaxBytes  int64           `json:"max_bytes"` // -1: unlimited
	Consumers []ConsumerStats `json:"consumers,omitempty"`
}

// ConsumerStats is one stage's lag on a stream.
type ConsumerStats struct {
	Name        string `json:"name"`
	Pending     uint64 `json:"pending"`     // not yet delivered
	AckPending  int    `json:"ack_pending"` // delivered, not yet acknowledged
	Redelivered int    `json:"redelivered"`
}

// Backlog is what a stage has still to do: pending plus in flight.
func (c ConsumerStats) Backlog() uint64 { return c.Pending + uint64(c.AckPending) }

// Stream returns the stats of the named stream (zero when unknown).
func (s Stats) Stream(name string) StreamStats {
	for _, st := range s.Streams {
		if st.Name == name {
			return st
		}
	}
	return StreamStats{Name: name}
}

// Consumer returns the stats of a stage's consumer and whether it exists
// (a stage that never ran has none yet).
func (s StreamStats) Consumer(name string) (ConsumerStats, bool) {
	for _, c := range s.Consumers {
		if c.Name == name {
			return c, true
		}
	}
	return ConsumerStats{Name: name}, false
}

// Stats reads every stream of the contract and its consumers. A stream
// whose leader a cluster is electing (a node was lost) is asked again,
// as set-up does (retry), rather than failing the whole report.
func (b *Bus) Stats(ctx context.Context) (Stats, error) {
	var out Stats
	for _, cfg := range streams() {
		s, ok := b.streams[cfg.Name]
		if !ok {
			return Stats{}, fmt.Errorf("unknown stream %s", cfg.Name)
		}
		var st StreamStats
		if err := retry(ctx, func(ctx context.Context) (err error) {
			st, err = streamStats(ctx, s)
			return err
		}); err != nil {
			return Stats{}, fmt.Errorf("stream %s: %w", cfg.Name, err)
		}
		out.Streams = append(out.Streams, st)
	}
	return out, nil
}

// streamStats reads one stream and its durable consumers.
func streamStats(ctx context.Context, s jetstream.Stream) (StreamStats, error) {
	info, err := s.Info(ctx)
	if err != nil {
		return StreamStats{}, fmt.Errorf("info: %w", err)
	}
	st := StreamStats{Name: info.Config.Name, Messages: info.State.Msgs, Bytes: info.State.Bytes,
		Replicas: info.Config.Replicas, MaxBytes: info.Config.MaxBytes}
	consumers := s.ListConsumers(ctx)
	for ci := range consumers.Info() {
		if ci.Config.Durable == "" {
			continue // ordered consumers of readers such as reindex
		}
		st.Consumers = append(st.Consumers, ConsumerStats{Name: ci.Name, Pending: ci.NumPending,
			AckPending: ci.NumAckPending, Redelivered: ci.NumRedelivered})
	}
	if err := consumers.Err(); err != nil && !errors.Is(err, jetstream.ErrEndOfData) {
		return StreamStats{}, fmt.Errorf("consumers: %w", err)
	}
	return st, nil
}
