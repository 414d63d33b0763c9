package bus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// streams declares every stream of the contract. Open creates the missing
// ones and reconciles the rest (see reconcileStream); nothing else in
// compoundwatch creates a stream.
func streams() []jetstream.StreamConfig {
	return []jetstream.StreamConfig{
		// AllowDirect lets "latest version of this document" lookups skip
		// the JetStream API queue, which is busy when stages are running.
		{Name: StreamRaw, Subjects: []string{SubjectRaw + ".*"}, MaxMsgsPerSubject: 1, Duplicates: DedupWindow, AllowDirect: true},
		{Name: StreamTagged, Subjects: []string{SubjectTagged + ".*"}, MaxMsgsPerSubject: 1, Duplicates: DedupWindow, AllowDirect: true},
		{Name: StreamMentions, Subjects: []string{SubjectMentions + ".>"}, MaxAge: 365 * 24 * time.Hour, Duplicates: 24 * time.Hour},
		{Name: StreamDead, Subjects: []string{SubjectDead + ".>"}, MaxAge: 90 * 24 * time.Hour},
		{Name: StreamAlerts, Subjects: []string{SubjectAlerts + ".>"}, MaxAge: 90 * 24 * time.Hour, Duplicates: 24 * time.Hour},
	}
}

// keyValues declares every key-value bucket of the contract.
func keyValues() []jetstream.KeyValueConfig {
	return []jetstream.KeyValueConfig{
		{Bucket: BucketCrawl, Description: "compoundwatch crawl state: URL validators, hashes, frontier, runs, fingerprints", History: 1},
		{Bucket: BucketAlertSubs, Description: "compoundwatch alert subscriptions", History: 5},
		{Bucket: BucketAlertLedger, Description: "compoundwatch alert ledger: (subscription, story) pairs already alerted", History: 1},
	}
}

// compacted reports whether a stream keeps one message per subject, so
// that within a batch only the newest message of a subject matters.
func compacted(stream string) bool {
	for _, s := range streams() {
		if s.Name == stream {
			return s.MaxMsgsPerSubject == 1
		}
	}
	return false
}

// feeders names the stages whose handling publishes to stream: the
// extractor's, reading CW_RAW, fills CW_TAGGED.
func feeders(stream string) []Durable {
	if stream == StreamTagged {
		return []Durable{{Stream: StreamRaw, Name: ConsumerExtractor}}
	}
	return nil
}

// setup creates what is missing and reconciles what exists. A cluster
// may have been set up with more replicas or larger limits than this
// process was given (an operator's `stats` run without
// COMPOUNDWATCH_REPLICAS, say): those are kept, since lowering them would
// silently trade away durability or data. Only `migrate` applies the
// declared settings exactly.
func (b *Bus) setup(ctx context.Context, replicas int, migrate bool) error {
	b.streams = map[string]jetstream.Stream{}
	for _, cfg := range streams() {
		cfg.Retention = jetstream.LimitsPolicy
		cfg.Storage = jetstream.FileStorage
		cfg.Replicas = replicas
		if err := retry(ctx, func(ctx context.Context) error {
			s, err := b.reconcileStream(ctx, cfg, migrate)
			b.streams[cfg.Name] = s
			return err
		}); err != nil {
			return fmt.Errorf("stream %s: %w", cfg.Name, err)
		}
	}
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		b.bodies, err = b.objectStore(ctx, jetstream.ObjectStoreConfig{
			Bucket: BucketBodies, Storage: jetstream.FileStorage, Replicas: replicas,
		}, migrate)
		return err
	})
	if err != nil {
		return fmt.Errorf("object store %s: %w", BucketBodies, err)
	}
	b.kvs = map[string]jetstream.KeyValue{}
	for _, cfg := range keyValues() {
		cfg.Storage = jetstream.FileStorage
		cfg.Replicas = replicas
		if err := retry(ctx, func(ctx context.Context) error {
			kv, err := b.keyValue(ctx, cfg, migrate)
			b.kvs[cfg.Bucket] = kv
			return err
		}); err != nil {
			return fmt.Errorf("key-value bucket %s: %w", cfg.Bucket, err)
		}
	}
	return nil
}

// reconcileStream creates want when missing; otherwise it updates the
// stream only where the declaration asks for more than the stream has.
func (b *Bus) reconcileStream(ctx context.Context, want jetstream.StreamConfig, migrate bool) (jetstream.Stream, error) {
	s, err := b.js.Stream(ctx, want.Name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return b.js.CreateStream(ctx, want)
	}
	if err != nil {
		return nil, err
	}
	have := s.CachedInfo().Config
	next := want
	if !migrate {
		var kept []any
		next, kept = keepLarger(have, want)
		if len(kept) > 0 {
			b.log.Info("stream settings kept: the stream has more than this process declares (`compoundwatch migrate` applies the declared ones)",
				append([]any{"stream", want.Name}, kept...)...)
		}
	}
	if sameSettings(have, next) {
		return s, nil
	}
	b.log.Info("updating stream", "stream", want.Name, "replicas", next.Replicas)
	return b.js.UpdateStream(ctx, next)
}

// keepLarger returns want with each capacity setting raised to what the
// stream already has, and the settings it raised, as log attributes.
// Zero or a negative value means unlimited, the largest of all.
func keepLarger(have, want jetstream.StreamConfig) (jetstream.StreamConfig, []any) {
	var kept []any
	if have.Replicas > want.Replicas {
		kept = append(kept, "replicas", have.Replicas)
		want.Replicas = have.Replicas
	}
	for _, f := range []struct {
		name       string
		have, want *int64
	}{
		{"max_msgs", &have.MaxMsgs, &want.MaxMsgs},
		{"max_bytes", &have.MaxBytes, &want.MaxBytes},
		{"max_msgs_per_subject", &have.MaxMsgsPerSubject, &want.MaxMsgsPerSubject},
		{"max_age", (*int64)(&have.MaxAge), (*int64)(&want.MaxAge)},
		{"duplicate_window", (*int64)(&have.Duplicates), (*int64)(&want.Duplicates)},
	} {
		if larger(*f.have, *f.want) {
			kept = append(kept, f.name, *f.have)
			*f.want = *f.have
		}
	}
	if larger(int64(have.MaxMsgSize), int64(want.MaxMsgSize)) {
		kept = append(kept, "max_msg_size", have.MaxMsgSize)
		want.MaxMsgSize = have.MaxMsgSize
	}
	// The storage type of a stream cannot change.
	want.Storage = have.Storage
	return want, kept
}

// larger reports whether limit a allows more than b, where zero or less
// is unlimited. The duplicate window, where zero is the server's default
// of two minutes, is never declared as zero, so the rule holds for it too.
func larger(a, b int64) bool {
	switch {
	case b <= 0:
		return false
	case a <= 0:
		return true
	}
	return a > b
}

// sameSettings compares the settings that setup declares, so an
// unchanged stream costs no update request.
func sameSettings(have, want jetstream.StreamConfig) bool {
	// The server reports an unlimited limit as -1 however it was given.
	norm := func(v int64) int64 {
		if v <= 0 {
			return -1
		}
		return v
	}
	return slices.Equal(have.Subjects, want.Subjects) &&
		have.Replicas == want.Replicas &&
		norm(have.MaxMsgs) == norm(want.MaxMsgs) &&
		norm(have.MaxBytes) == norm(want.MaxBytes) &&
		norm(have.MaxMsgsPerSubject) == norm(want.MaxMsgsPerSubject) &&
		have.MaxAge == want.MaxAge &&
		(want.Duplicates == 0 || have.Duplicates == want.Duplicates) &&
		(want.MaxMsgSize == 0 || have.MaxMsgSize == want.MaxMsgSize) &&
		have.AllowDirect == want.AllowDirect &&
		have.Retention == want.Retention &&
		have.Discard == want.Discard
}

// objectStore opens or creates an object store; an existing one only ever
// gains replicas.
func (b *Bus) objectStore(ctx context.Context, cfg jetstream.ObjectStoreConfig, migrate bool) (jetstream.ObjectStore, error) {
	return bucket(ctx, b, "OBJ_"+cfg.Bucket, cfg.Replicas, migrate,
		func() (jetstream.ObjectStore, error) { return b.js.ObjectStore(ctx, cfg.Bucket) },
		func() (jetstream.ObjectStore, error) { return b.js.CreateObjectStore(ctx, cfg) })
}

// keyValue is objectStore for key-value buckets.
func (b *Bus) keyValue(ctx context.Context, cfg jetstream.KeyValueConfig, migrate bool) (jetstream.KeyValue, error) {
	return bucket(ctx, b, "KV_"+cfg.Bucket, cfg.Replicas, migrate,
		func() (jetstream.KeyValue, error) { return b.js.KeyValue(ctx, cfg.Bucket) },
		func() (jetstream.KeyValue, error) { return b.js.CreateKeyValue(ctx, cfg) })
}

// bucket opens a bucket, creating it when missing, and raises the
// replicas of its backing stream when it has it fewer.
func bucket[H any](ctx context.Context, b *Bus, stream string, replicas int, migrate bool, open, create func() (H, error)) (H, error) {
	h, err := open()
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		return create()
	}
	if err != nil {
		return h, err
	}
	return h, b.raiseReplicas(ctx, stream, replicas, migrate)
}

// raiseReplicas sets the replicas of a bucket's backing stream to want
// when it has fewer (or, under migrate, any other number).
func (b *Bus) raiseReplicas(ctx context.Context, stream string, want int, migrate bool) error {
	s, err := b.js.Stream(ctx, stream)
	if err != nil {
		return err
	}
	cfg := s.CachedInfo().Config
	switch {
	case cfg.Replicas == want:
		return nil
	case cfg.Replicas > want && !migrate:
		b.log.Info("bucket replicas kept: the bucket has more than this process declares", "stream", stream, "replicas", cfg.Replicas)
		return nil
	}
	b.log.Info("updating bucket replicas", "stream", stream, "from", cfg.Replicas, "to", want)
	cfg.Replicas = want
	_, err = b.js.UpdateStream(ctx, cfg)
	return err
}

// KeyValue returns a bucket declared in this package (BucketCrawl,
// BucketAlertSubs, …). Buckets are declared here, beside the streams, so
// that their replicas follow the same rules.
func (b *Bus) KeyValue(bucket string) (jetstream.KeyValue, error) {
	kv, ok := b.kvs[bucket]
	if !ok {
		return nil, fmt.Errorf("key-value bucket %q is not declared in package bus", bucket)
	}
	return kv, nil
}
