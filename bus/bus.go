package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Options says where the bus is.
type Options struct {
	// URL of an external NATS server. Empty means embedded: reuse the
	// server another compoundwatch process runs on DataDir, or start one.
	URL string
	// DataDir holds the embedded server's file store.
	DataDir string
	// Replicas for streams and buckets on a clustered external NATS
	// (default 1). Existing ones that have more keep them.
	Replicas int
	// Migrate applies the declared stream settings exactly, lowering
	// replicas and limits where they are higher: only for an operator's
	// explicit `compoundwatch migrate`.
	Migrate bool
	// MentionEvents makes PublishTagged also publish one mention event
	// per entity on cw.mentions.<type>.<id>, for programs that read every
	// tag of an entity from the bus. No stage reads them: researchers
	// follow entities through alert subscriptions, which say each new
	// mention once. They are off by default because they are most of the
	// extractor stage's bus traffic (one stored, deduplicated and
	// acknowledged message per entity, 23 a document on news articles):
	// with them the embedded pipeline ingests about a third slower.
	MentionEvents bool
	// Observer, when set, is told of every message a stage consumes and
	// settles and of every publish, for metrics.
	Observer Observer
	Logger   *slog.Logger
	// Name identifies this client in server monitoring.
	Name string
}

// Bus is a JetStream connection with compoundwatch's streams set up.
type Bus struct {
	nc  *nats.Conn
	js  jetstream.JetStream
	obs Observer
	log *slog.Logger
	// mentions is Options.MentionEvents.
	mentions bool
	srv      *server.Server
	lock     *os.File
	addrFn   string
	// closing is set by Close (see asyncError).
	closing atomic.Bool
	bodies  jetstream.ObjectStore
	// streams and kvs hold a handle per stream and bucket, made once at
	// Open, so hot paths skip the info request.
	streams map[string]jetstream.Stream
	kvs     map[string]jetstream.KeyValue
	// bufs holds the buffers messages are encoded into (see message).
	bufs sync.Pool
}

// Open connects to NATS (starting an embedded server when needed) and
// creates or updates the streams.
func Open(ctx context.Context, o Options) (*Bus, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Name == "" {
		o.Name = "compoundwatch"
	}
	if o.Observer == nil {
		o.Observer = nopObserver{}
	}
	b := &Bus{log: o.Logger, obs: o.Observer, mentions: o.MentionEvents}
	url := o.URL
	if url == "" {
		var err error
		url, err = b.embedded(o)
		if err != nil {
			return nil, err
		}
	}
	opts := []nats.Option{nats.Name(o.Name), nats.MaxReconnects(-1),
		nats.ReconnectWait(500 * time.Millisecond), nats.Timeout(5 * time.Second),
		// The only synchronous subscriptions on this connection are the
		// replies to a batched lookup (lastMsgs), at most rawLookupMax and
		// an end-of-batch message a request. nats.go's default queue
		// holds 65,536 and is allocated whole for every lookup: half a
		// megabyte for a request of 64 keys.
		nats.SyncQueueLen(2 * rawLookupMax),
		nats.ErrorHandler(b.asyncError)}
	if b.srv != nil {
		// The server is in this process: talk to it over an in-memory
		// pipe rather than through the kernel's loopback.
		opts = append(opts, nats.InProcessServer(b.srv))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		b.shutdownServer()
		return nil, fmt.Errorf("connect to NATS at %s: %w", url, err)
	}
	b.nc = nc
	if b.js, err = jetstream.New(nc, jetstream.WithPublishAsyncTimeout(ackTimeout)); err != nil {
		b.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	if err := b.setup(ctx, max(o.Replicas, 1), o.Migrate); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Embedded reports whether this process runs the embedded NATS server, and
// so whether it should also run the stages that nobody else will.
func (b *Bus) Embedded() bool { return b.srv != nil }

// embedded returns the URL of the embedded server for o.DataDir: the one a
// sibling process already runs, or a new one owned by this process. An
// exclusive lock on the data dir decides who owns it, since two servers on
// one file store would corrupt it.
func (b *Bus) embedded(o Options) (string, error) {
	dir := o.DataDir
	if dir == "" {
		dir = "data"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("data dir: %w", err)
	}
	b.addrFn = filepath.Join(dir, "nats.url")
	deadline := time.Now().Add(10 * time.Second)
	for {
		lock, err := os.OpenFile(filepath.Join(dir, "nats.lock"), os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return "", fmt.Errorf("data dir lock: %w", err)
		}
		if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
			b.lock = lock
			break
		}
		lock.Close()
		// Someone else owns the server: use it once it has written its address.
		if raw, err := os.ReadFile(b.addrFn); err == nil && len(raw) > 0 {
			return strings.TrimSpace(string(raw)), nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("data dir %s is locked by another process that published no NATS address", dir)
		}
		time.Sleep(50 * time.Millisecond)
	}
	os.Remove(b.addrFn)
	opts := &server.Options{
		ServerName: o.Name + "-embedded",
		JetStream:  true,
		StoreDir:   filepath.Join(dir, "nats"),
		Host:       "127.0.0.1",
		Port:       -1,
		NoSigs:     true,
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return "", fmt.Errorf("embedded NATS: %w", err)
	}
	// Start does not block: it returns once the listener is up, so the
	// first readiness check passes. Started in a goroutine, as
	// nats-server's own tests do, the check would sleep 25 ms first.
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		return "", errors.New("embedded NATS did not start within 30s")
	}
	b.srv = ns
	url := ns.ClientURL()
	if err := os.WriteFile(b.addrFn, []byte(url+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", b.addrFn, err)
	}
	b.log.Info("embedded NATS started", "url", url, "store", opts.StoreDir)
	return url, nil
}

// retry covers requests to a cluster that is forming, restarting or
// failing over: they time out while a leader is elected, and a stream with
// more replicas than the nodes that have joined so far cannot be placed.
// Each attempt has a deadline of its own: a request sent before the
// cluster has a leader gets no answer at all.
func retry(ctx context.Context, f func(ctx context.Context) error) error {
	return retryWhile(ctx, transient, f)
}

// retryWhile is retry for the errors again tells: eight attempts, the
// first at once, the later ones after waits growing by 200 ms.
func retryWhile(ctx context.Context, again func(error) bool, f func(ctx context.Context) error) error {
	var err error
	for i := range 8 {
		actx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = f(actx)
		cancel()
		if err == nil || ctx.Err() != nil || !again(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(i+1) * 200 * time.Millisecond):
		}
	}
	return err
}

// JetStream's codes for a cluster that cannot serve a request yet: no
// peers to place the replicas on (a node is not up, or the meta leader
// has not heard from it yet), and JetStream not available (no meta
// leader). nats.go names neither.
const (
	errCodeNoPeers      jetstream.ErrorCode = 10005
	errCodeNotAvailable jetstream.ErrorCode = 10008
)

// transient reports whether err is one of those, a timeout, or no
// responders (a stream between leaders): worth a second try, where any
// other refusal would be refused again.
func transient(err error) bool {
	var api *jetstream.APIError
	if errors.As(err, &api) && (api.ErrorCode == errCodeNoPeers || api.ErrorCode == errCodeNotAvailable) {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) || errors.Is(err, nats.ErrNoResponders)
}

// consumerTransient is transient for the making of a durable: it also
// reports whether err may be the server still removing a deleted one
// of the same name, as when a replica of the alerts stage makes its
// consumer again right after another deleted it. The server answers
// that race in several ways, each a moment before it takes the durable:
// that it does not exist (the old one found closed; Bus.consumer never
// asks to update, which is that code's other meaning), or, as the
// generic code of a consumer it could not create, that the old one's
// files went while it wrote them. The one refusal of that code a retry
// cannot change is of a setting that cannot be updated; nats-server
// words all of those so.
func consumerTransient(err error) bool {
	var api *jetstream.APIError
	if !errors.As(err, &api) {
		return transient(err)
	}
	switch api.ErrorCode {
	case jetstream.JSErrCodeConsumerDoesNotExist:
		return true
	case jetstream.JSErrCodeConsumerCreate:
		return !strings.HasSuffix(api.Description, "can not be updated")
	}
	return transient(err)
}

// consumerOrphaned reports whether err says that a durable's own files
// are gone. nats-server (2.15.2 and 2.15.3) lets a consumer be made
// while a deleted one of its name is still being removed, and that
// removal then takes the new one's directory: it lives on in memory,
// its place on disk already lost, and refuses every later update for
// want of its files. Deleting it loses nothing more, and lets it be
// made whole.
func consumerOrphaned(err error) bool {
	var api *jetstream.APIError
	return errors.As(err, &api) && api.ErrorCode == jetstream.JSErrCodeConsumerCreate &&
		strings.HasSuffix(api.Description, syscall.ENOENT.Error())
}

// Close closes the connection, which sends what it holds first, and then
// stops the embedded server, so every acknowledgement sent reaches it. The
// stages have stopped by then: a drain, which lets subscriptions finish
// the messages they hold, found none to finish and took 30 ms of nats.go's
// polling to say so, a tenth of `ingest` on one file.
func (b *Bus) Close() error {
	b.closing.Store(true)
	if b.nc != nil {
		clients := 0
		if b.srv != nil {
			clients = b.srv.NumClients()
		}
		b.nc.Close()
		// The server sees the connection go on a goroutine of its own,
		// within a millisecond or two; shutdownServer needs to know.
		for deadline := time.Now().Add(100 * time.Millisecond); b.srv != nil && b.srv.NumClients() >= clients && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	b.shutdownServer()
	return nil
}

// asyncError logs an error the server reports outside any call, such as
// a subscription too slow for its messages, which nats.go would write to
// standard error unformatted. While the bus closes, the embedded server
// stops the consumers of watchers still draining, which is expected.
func (b *Bus) asyncError(_ *nats.Conn, sub *nats.Subscription, err error) {
	level := slog.LevelWarn
	if b.closing.Load() {
		level = slog.LevelDebug
	}
	attrs := []any{"err", err}
	if sub != nil {
		attrs = append(attrs, "subject", sub.Subject)
	}
	b.log.Log(context.Background(), level, "NATS reported an error", attrs...)
}

func (b *Bus) shutdownServer() {
	if b.srv != nil {
		// Shutdown first tells the clients waiting on a pull that their
		// requests are void, and sleeps 50 ms for the word to get out
		// whether or not anyone is left to hear it: ours has closed, but
		// a request it left behind counts until it expires. With nobody
		// connected, JetStream is stopped first, the same way, and the
		// server has no one to tell.
		if b.srv.NumClients() == 0 {
			b.srv.ShutdownJetStream()
		}
		b.srv.Shutdown()
		b.srv.WaitForShutdown()
		os.Remove(b.addrFn)
		b.srv = nil
	}
	if b.lock != nil {
		b.lock.Close()
		b.lock = nil
	}
}

// URL is the address of the NATS server this bus is connected to, for
// programs (and tests) that speak NATS directly to the same server.
func (b *Bus) URL() string { return b.nc.ConnectedUrl() }
