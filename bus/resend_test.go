package bus

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/document"
)

// TestResendAcrossRestart: messages published while the server is away,
// whose acknowledgements nats.go fails as it reconnects, are sent again
// and stored once each; every publish reports success and no repeat.
// Without resend, each publish here failed with "nats: server is
// disconnected", as `ingest` rejected documents when a cluster node it
// published through was killed.
func TestResendAcrossRestart(t *testing.T) {
	store := filepath.Join(t.TempDir(), "nats")
	start := func(port int) *server.Server {
		ns, err := server.NewServer(&server.Options{JetStream: true, StoreDir: store, Host: "127.0.0.1", Port: port, NoSigs: true})
		if err != nil {
			t.Fatal(err)
		}
		ns.Start()
		if !ns.ReadyForConnections(30 * time.Second) {
			t.Fatal("nats-server did not start")
		}
		return ns
	}
	ns := start(-1)
	port := ns.Addr().(*net.TCPAddr).Port
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	b, err := Open(ctx, Options{URL: ns.ClientURL()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	// The server stops with some of the messages sent and not yet
	// acknowledged, some stored and some not, and others sent while it
	// is away.
	const n = 2000
	awaits := make([]func(context.Context) (bool, error), n)
	for i := range awaits {
		if i == n/2 {
			ns.Shutdown()
		}
		raw := document.Raw{Source: fmt.Sprintf("test://resend/%d", i), Title: "Resent", Text: fmt.Sprintf("Document %d, published while the server went away.", i)}
		raw.Finalize()
		if awaits[i], err = b.PublishAsync(ctx, RawSubject(raw.ID), raw.ID+":"+raw.ContentHash, document.RawSchema, raw, nil); err != nil {
			t.Fatal(err)
		}
	}
	ns.WaitForShutdown()
	ns = start(port)
	defer ns.Shutdown()
	for i, await := range awaits {
		dup, err := await(ctx)
		if err != nil || dup {
			t.Errorf("publish %d: repeat %v, %v", i, dup, err)
		}
	}
	info, err := b.js.Stream(ctx, StreamRaw)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.CachedInfo().State.Msgs; got != n {
		t.Errorf("stream %s holds %d messages, want %d", StreamRaw, got, n)
	}
}

// TestResendable: what a server going away or a cluster failing over
// answers a publish is sent again; a refusal that a resend would meet
// again is final.
func TestResendable(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"disconnected", fmt.Errorf("publish cw.docs.raw.x: %w", nats.ErrDisconnected), true},
		{"no stream response", jetstream.ErrNoStreamResponse, true},
		{"no answer in time", jetstream.ErrAsyncPublishTimeout, true},
		{"its id in a message not yet stored", fmt.Errorf("publish cw.docs.raw.x: %w",
			&jetstream.APIError{Code: 409, ErrorCode: 10158, Description: "duplicate message id is in process"}), true},
		{"connection closed", nats.ErrConnectionClosed, false},
		{"stream full", &jetstream.APIError{Code: 503, ErrorCode: 10077, Description: "maximum messages exceeded"}, false},
		{"a wrong expected sequence", &jetstream.APIError{Code: 400, ErrorCode: jetstream.JSErrCodeStreamWrongLastSequence, Description: "wrong last sequence: 4"}, false},
	} {
		if got := resendable(tt.err); got != tt.want {
			t.Errorf("%s: resendable %v, want %v", tt.name, got, tt.want)
		}
	}
}
