package bus

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestRetry: the first requests to a cluster that is forming are tried
// again while the cluster says it cannot serve them yet (timeouts, no
// peers to place replicas on, no meta leader), and a durable made again
// while its deleted self is being removed; any other error is final at
// once. Seen in CI: every node healthy, but the meta leader had not yet
// heard from one, so a stream with three replicas was refused.
func TestRetry(t *testing.T) {
	noPeers := &jetstream.APIError{Code: 500, ErrorCode: 10005, Description: "no suitable peers for placement, peer offline"}
	noLeader := &jetstream.APIError{Code: 503, ErrorCode: 10008, Description: "JetStream system temporarily unavailable"}
	exists := &jetstream.APIError{Code: 400, ErrorCode: jetstream.JSErrCodeStreamNameInUse, Description: "stream name already in use"}
	storeFailed := &jetstream.APIError{Code: 500, ErrorCode: 10012, Description: "error creating store for consumer"}
	policy := &jetstream.APIError{Code: 500, ErrorCode: 10012, Description: "deliver policy can not be updated"}
	for _, tt := range []struct {
		name  string
		err   error
		calls int // calls before success, or of the failure when final
		final bool
	}{
		{"no peers, wrapped", fmt.Errorf("stream CW_RAW: %w", noPeers), 3, false},
		{"no meta leader", noLeader, 2, false},
		{"timeout", nats.ErrTimeout, 2, false},
		{"deadline", context.DeadlineExceeded, 2, false},
		{"a consumer's store, its old one on its way out", storeFailed, 2, false},
		{"stream name in use", exists, 1, true},
		{"a consumer's config it cannot take", policy, 1, true},
		{"anything else", errors.New("permission denied"), 1, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			err := retry(t.Context(), func(context.Context) error {
				calls++
				if tt.final || calls < tt.calls {
					return tt.err
				}
				return nil
			})
			if calls != tt.calls {
				t.Errorf("%d calls, want %d", calls, tt.calls)
			}
			if tt.final != (err != nil) {
				t.Errorf("err %v, want final %v", err, tt.final)
			}
		})
	}
}
