package alerts

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// subscriptions mirrors the subscriptions bucket in memory through a KV
// watch: every subscription first, then each change within milliseconds,
// so the hot paths (matching, delivery) read no bucket per document.
type subscriptions struct {
	mu   sync.Mutex
	subs map[string]*Subscription
	gen  uint64        // bumped on every change
	next chan struct{} // closed at the next change
}

// watchSubscriptions starts the mirror and returns once it holds every
// subscription. onPut, when set, sees each stored subscription.
func watchSubscriptions(ctx context.Context, kv jetstream.KeyValue, onPut func(*Subscription)) (*subscriptions, error) {
	watch, err := kv.Watch(ctx, "sub.*")
	if err != nil {
		return nil, fmt.Errorf("watch subscriptions: %w", err)
	}
	s := &subscriptions{subs: map[string]*Subscription{}, next: make(chan struct{})}
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
			close(s.next)
			s.next = make(chan struct{})
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

// waitAny waits until there is a subscription and returns the earliest
// creation time of those there are, or false once ctx is done. If there
// is none when it is called or later, it calls idle once before waiting.
func (s *subscriptions) waitAny(ctx context.Context, idle func()) (earliest time.Time, ok bool) {
	idled := false
	for {
		s.mu.Lock()
		n, next := len(s.subs), s.next
		for _, sub := range s.subs {
			if earliest.IsZero() || sub.Created.Before(earliest) {
				earliest = sub.Created
			}
		}
		s.mu.Unlock()
		if n > 0 {
			return earliest, true
		}
		if !idled {
			idle()
			idled = true
		}
		select {
		case <-ctx.Done():
			return time.Time{}, false
		case <-next:
		}
	}
}

// waitNone waits until there is no subscription, or ctx is done.
func (s *subscriptions) waitNone(ctx context.Context) {
	for {
		s.mu.Lock()
		n, next := len(s.subs), s.next
		s.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-next:
		}
	}
}
