package bus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
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
	// Replicas for streams on a clustered external NATS (default 1).
	Replicas int
	Logger   *slog.Logger
	// Name identifies this client in server monitoring.
	Name string
}

// Bus is a JetStream connection with compoundwatch's streams set up.
type Bus struct {
	NC     *nats.Conn
	JS     jetstream.JetStream
	log    *slog.Logger
	srv    *server.Server
	lock   *os.File
	addrFn string
	bodies jetstream.ObjectStore
	// streams holds a handle per stream, made once at Open, so hot paths
	// skip the stream-info request.
	streams map[string]jetstream.Stream
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
	b := &Bus{log: o.Logger}
	url := o.URL
	if url == "" {
		var err error
		url, err = b.embedded(o)
		if err != nil {
			return nil, err
		}
	}
	nc, err := nats.Connect(url, nats.Name(o.Name), nats.MaxReconnects(-1),
		nats.ReconnectWait(500*time.Millisecond), nats.Timeout(5*time.Second))
	if err != nil {
		b.shutdownServer()
		return nil, fmt.Errorf("connect to NATS at %s: %w", url, err)
	}
	b.NC = nc
	if b.JS, err = jetstream.New(nc); err != nil {
		b.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	if err := b.setup(ctx, max(o.Replicas, 1)); err != nil {
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
	go ns.Start()
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

func (b *Bus) setup(ctx context.Context, replicas int) error {
	streams := []jetstream.StreamConfig{
		// AllowDirect lets "latest version of this document" lookups skip
		// the JetStream API queue, which is busy when stages are running.
		{Name: StreamRaw, Subjects: []string{SubjectRaw + ".*"}, MaxMsgsPerSubject: 1, Duplicates: DedupWindow, AllowDirect: true},
		{Name: StreamTagged, Subjects: []string{SubjectTagged + ".*"}, MaxMsgsPerSubject: 1, Duplicates: DedupWindow, AllowDirect: true},
		{Name: StreamMentions, Subjects: []string{SubjectMentions + ".>"}, MaxAge: 365 * 24 * time.Hour, Duplicates: 24 * time.Hour},
		{Name: StreamDead, Subjects: []string{SubjectDead + ".>"}, MaxAge: 90 * 24 * time.Hour},
	}
	b.streams = make(map[string]jetstream.Stream, len(streams))
	for _, cfg := range streams {
		cfg.Retention = jetstream.LimitsPolicy
		cfg.Storage = jetstream.FileStorage
		cfg.Replicas = replicas
		if err := retry(ctx, func() error {
			s, err := b.JS.CreateOrUpdateStream(ctx, cfg)
			b.streams[cfg.Name] = s
			return err
		}); err != nil {
			return fmt.Errorf("stream %s: %w", cfg.Name, err)
		}
	}
	err := retry(ctx, func() error {
		var err error
		b.bodies, err = b.JS.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
			Bucket: BucketBodies, Storage: jetstream.FileStorage, Replicas: replicas,
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("object store %s: %w", BucketBodies, err)
	}
	return nil
}

// retry covers the first requests to a fresh cluster, which time out while
// a stream leader is elected.
func retry(ctx context.Context, f func() error) error {
	var err error
	for i := range 5 {
		if err = f(); err == nil || !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, nats.ErrTimeout) {
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

// Close drains the connection and stops the embedded server, in that
// order, so nothing acknowledged is lost.
func (b *Bus) Close() error {
	var err error
	if b.NC != nil {
		err = b.NC.Drain()
		for b.NC.IsDraining() {
			time.Sleep(10 * time.Millisecond)
		}
	}
	b.shutdownServer()
	return err
}

func (b *Bus) shutdownServer() {
	if b.srv != nil {
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

// Publish sends v as JSON on subject with the given message id and
// headers. A payload too large for one message is stored in the object
// store under the subject's name and the message carries a pointer to it,
// so nothing is ever truncated.
func (b *Bus) Publish(ctx context.Context, subject, msgID, schema string, v any, hdr nats.Header) (*jetstream.PubAck, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", subject, err)
	}
	m := nats.NewMsg(subject)
	for k, vs := range hdr {
		m.Header[k] = vs
	}
	m.Header.Set(HeaderSchema, schema)
	if int64(len(data)) > b.NC.MaxPayload()-64*1024 {
		name := subject
		if _, err := b.bodies.Put(ctx, jetstream.ObjectMeta{Name: name}, bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("store large body of %s (%d bytes): %w", subject, len(data), err)
		}
		m.Header.Set(HeaderBody, name)
		data = nil
	}
	m.Data = data
	ack, err := b.JS.PublishMsg(ctx, m, jetstream.WithMsgID(msgID))
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", subject, err)
	}
	return ack, nil
}

// Decode unmarshals a message published by Publish into v, fetching the
// body from the object store when it was too large to travel inline.
func (b *Bus) Decode(ctx context.Context, hdr nats.Header, data []byte, v any) error {
	if name := hdr.Get(HeaderBody); name != "" {
		var err error
		if data, err = b.bodies.GetBytes(ctx, name); err != nil {
			return fmt.Errorf("fetch body %s: %w", name, err)
		}
	}
	if err := json.Unmarshal(data, v); err != nil {
		return Permanent(fmt.Errorf("decode %s message: %w", hdr.Get(HeaderSchema), err))
	}
	return nil
}

// LastContentHash returns the content hash of the latest message on
// subject in stream, or "" when there is none.
func (b *Bus) LastContentHash(ctx context.Context, stream, subject string) (string, error) {
	s, ok := b.streams[stream]
	if !ok {
		return "", fmt.Errorf("unknown stream %s", stream)
	}
	m, err := s.GetLastMsgForSubject(ctx, subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("last message on %s: %w", subject, err)
	}
	return m.Header.Get(HeaderContentHash), nil
}
