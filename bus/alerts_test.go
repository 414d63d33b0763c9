package bus_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/bus"
)

type note struct {
	Schema string `json:"schema"`
	N      int    `json:"n"`
}

// A stage's own delay (bus.RetryAfter) decides when a failed message
// comes back, and Item.Delivered counts the deliveries.
func TestRetryAfter(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	b := open(t, t.TempDir())
	defer b.Close()
	if _, err := b.Publish(ctx, bus.AlertSubject("sub_x"), "k1", "test/v1", note{"test/v1", 1}, nil); err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		times []time.Time
		seen  []int
	)
	done := make(chan struct{})
	go bus.Consume(ctx, b, bus.Stage{Name: "retry-test", Stream: bus.StreamAlerts, Schema: "test/v1", MaxDeliver: bus.Unbounded},
		func(_ context.Context, items []*bus.Item[note]) {
			mu.Lock()
			defer mu.Unlock()
			times = append(times, time.Now())
			seen = append(seen, items[0].Delivered)
			if len(times) < 3 {
				items[0].Err = bus.RetryAfter(errors.New("receiver down"), 300*time.Millisecond)
				return
			}
			close(done)
		})
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("message not redelivered")
	}
	mu.Lock()
	defer mu.Unlock()
	for i := 1; i < len(times); i++ {
		if d := times[i].Sub(times[i-1]); d < 250*time.Millisecond || d > 5*time.Second {
			t.Errorf("redelivery %d after %v, want about 300ms", i, d)
		}
	}
	if len(seen) != 3 || seen[0] != 1 || seen[2] != 3 {
		t.Errorf("Delivered = %v, want 1, 2, 3", seen)
	}
}

// ReadSubject reads one subject of a stream from a time on.
func TestReadSubject(t *testing.T) {
	ctx := t.Context()
	b := open(t, t.TempDir())
	defer b.Close()
	for i, sub := range []string{"a", "b", "a", "a"} {
		if _, err := b.Publish(ctx, bus.AlertSubject(sub), sub+string(rune('0'+i)), "test/v1", note{"test/v1", i}, nil); err != nil {
			t.Fatal(err)
		}
	}
	got, err := bus.ReadSubject[note](ctx, b, bus.StreamAlerts, bus.AlertSubject("a"), "test/v1", time.Time{})
	if err != nil || len(got) != 3 || got[0].N != 0 || got[2].N != 3 {
		t.Fatalf("ReadSubject = %v, %v; want notes 0, 2, 3", got, err)
	}
	if got, _ := bus.ReadSubject[note](ctx, b, bus.StreamAlerts, bus.AlertSubject("a"), "test/v1", time.Now().Add(time.Hour)); len(got) != 0 {
		t.Errorf("from the future: %v", got)
	}
}
