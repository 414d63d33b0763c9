package bus

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// A key-value bucket is a stream: its keys are the subjects
// "$KV.<bucket>.<key>" of the stream "KV_<bucket>". The two functions
// below read and write it as the stream it is, for a stage that has many
// keys at once: jetstream.KeyValue asks the server once a key and waits
// for each write in turn, each a round trip that parks the caller.

// kvStream and kvSubject name a bucket's stream and a key's subject, as
// the NATS key-value convention has them (no JetStream domain).
func kvStream(bucket string) string       { return "KV_" + bucket }
func kvSubject(bucket, key string) string { return "$KV." + bucket + "." + key }

// Values returns the value of each of keys in bucket that has one (a
// deleted or purged key has none), in one request per rawLookupMax keys.
func (b *Bus) Values(ctx context.Context, bucket string, keys []string) (map[string][]byte, error) {
	if _, err := b.KeyValue(bucket); err != nil {
		return nil, err
	}
	subjects := make([]string, len(keys))
	for i, k := range keys {
		subjects[i] = kvSubject(bucket, k)
	}
	prefix := len(kvSubject(bucket, ""))
	vals := make(map[string][]byte, len(keys))
	err := b.lastMsgs(ctx, kvStream(bucket), subjects, func(m *jetstream.RawStreamMsg) {
		switch m.Header.Get(kvOperation) {
		case "DEL", "PURGE":
			return
		}
		vals[m.Subject[prefix:]] = m.Data
	})
	if err != nil {
		return nil, err
	}
	return vals, nil
}

// kvOperation is the header with which the key-value convention marks a
// deleted or purged key.
const kvOperation = "KV-Operation"

// PutAsync writes value at key in bucket without waiting for the server:
// the returned function waits until it is stored. A stage writing a
// batch's keys sends them all and waits once (see Item.Await).
func (b *Bus) PutAsync(bucket, key string, value []byte) (await func(context.Context) error, err error) {
	if _, err := b.KeyValue(bucket); err != nil {
		return nil, err
	}
	m := nats.NewMsg(kvSubject(bucket, key))
	m.Data = value
	f, err := b.js.PublishMsgAsync(m)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", key, err)
	}
	return func(ctx context.Context) error {
		if _, err := waitAck(ctx, f); err != nil {
			return fmt.Errorf("write %s: %w", key, err)
		}
		return nil
	}, nil
}
