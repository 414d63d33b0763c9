package alerts

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/nats-io/nats.go/jetstream"
)

// subscriptions mirrors the subscriptions bucket in memory through a KV
// watch: every subscription first, then each change within milliseconds,
// so the hot paths (matching, delivery) read no bucket per document.
type subscriptions struct {
	mu   sync.Mutex
	subs map[string]*Subscription
	gen  uint64 // bumped on every change
}

// watchSubscriptions starts the mirror and returns once it holds every
// subscription. onPut, when set, sees each stored subscription.
func watchSubscriptions(ctx context.Context, kv jetstream.KeyValue, onPut func(*Subscription)) (*subscriptions, error) {
	watch, err := kv.Watch(ctx, "sub.*")
	if err != nil {
		return nil, fmt.Errorf("watch subscriptions: %w", err)
	}
	s := &subscriptions{subs: map[string]*Subscription{}}
	ready := make(chan struct{})
	go func() {
		defer watch.Stop()
		for e := range watch.Updates() {
			if e == nil {
				close(ready)
				continue
			}
			id := strings.TrimPrefix(e.Key(), "sub.")
			var sub Subscription
			put := e.Operation() == jetstream.KeyValuePut && json.Unmarshal(e.Value(), &sub) == nil
			s.mu.Lock()
			if put {
				s.subs[id] = &sub
			} else {
				delete(s.subs, id)
			}
			s.gen++
			s.mu.Unlock()
			if put && onPut != nil {
				onPut(&sub)
			}
		}
	}()
	select {
	case <-ready:
		return s, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *subscriptions) get(id string) (*Subscription, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, ok := s.subs[id]
	return sub, ok
}

// all returns every subscription and the generation they are of.
func (s *subscriptions) all() ([]*Subscription, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Subscription, 0, len(s.subs))
	for _, sub := range s.subs {
		out = append(out, sub)
	}
	return out, s.gen
}
