package bus_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/bus"
)

// TestForEach: every item is handled once, with its index, and gets its
// own verdict, never more than workers at a time (and one when asked for
// none), and a panic becomes that item's permanent error, naming its
// subject, while the other items are still handled.
func TestForEach(t *testing.T) {
	errOdd := errors.New("odd")
	for _, c := range []struct {
		name           string
		items, workers int
		panicAt        int // -1: none
	}{
		{"none", 0, 2, -1},
		{"fewer items than workers", 3, 8, -1},
		{"two workers", 50, 2, -1},
		{"no workers asked for", 20, 0, -1},
		{"a panic", 30, 3, 7},
	} {
		t.Run(c.name, func(t *testing.T) {
			items := make([]*bus.Item[int], c.items)
			for i := range items {
				items[i] = &bus.Item[int]{Subject: fmt.Sprintf("cw.test.%d", i), Value: i}
			}
			calls := make([]atomic.Int32, c.items)
			var running, most atomic.Int32
			bus.ForEach(context.Background(), items, c.workers, func(_ context.Context, i int, it *bus.Item[int]) error {
				if items[i] != it {
					t.Errorf("item %d handed over with index %d", it.Value, i)
				}
				n := running.Add(1)
				defer running.Add(-1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				calls[it.Value].Add(1)
				time.Sleep(time.Millisecond) // long enough for the workers to overlap
				if it.Value == c.panicAt {
					panic("boom")
				}
				if it.Value%2 == 1 {
					return errOdd
				}
				return nil
			})
			if limit := max(c.workers, 1); int(most.Load()) > limit {
				t.Errorf("%d handlers ran at once, want at most %d", most.Load(), limit)
			}
			if c.items >= 2*max(c.workers, 1) && c.workers > 1 && most.Load() < 2 {
				t.Errorf("handlers never overlapped with %d workers", c.workers)
			}
			for i, it := range items {
				if n := calls[i].Load(); n != 1 {
					t.Errorf("item %d handled %d times", i, n)
				}
				switch {
				case i == c.panicAt:
					if !bus.IsPermanent(it.Err) || !strings.Contains(it.Err.Error(), it.Subject) || !strings.Contains(it.Err.Error(), "boom") {
						t.Errorf("item %d after a panic: %v, want a permanent error naming %s and the panic", i, it.Err, it.Subject)
					}
				case i%2 == 1:
					if !errors.Is(it.Err, errOdd) || bus.IsPermanent(it.Err) {
						t.Errorf("item %d: %v, want %v", i, it.Err, errOdd)
					}
				case it.Err != nil:
					t.Errorf("item %d: %v, want nil", i, it.Err)
				}
			}
		})
	}
}
