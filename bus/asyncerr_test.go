package bus

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// TestAsyncErrorLogged: an error the server reports outside any call (a
// subscription too slow for its messages) goes to the bus's logger as a
// warning, naming the subject, not raw to standard error.
func TestAsyncErrorLogged(t *testing.T) {
	var logs repotest.SyncBuffer
	b, err := Open(t.Context(), Options{DataDir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	release := make(chan struct{})
	sub, err := b.nc.Subscribe("test.slow", func(*nats.Msg) { <-release })
	if err != nil {
		t.Fatal(err)
	}
	defer close(release)
	if err := sub.SetPendingLimits(1, -1); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		b.nc.Publish("test.slow", []byte("x"))
	}
	b.nc.Flush()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := logs.String()
		if strings.Contains(got, "level=WARN") && strings.Contains(got, "slow consumer") && strings.Contains(got, "subject=test.slow") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no warning of the slow subscription in the log:\n%s", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
