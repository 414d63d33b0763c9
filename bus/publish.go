package bus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	json "github.com/goccy/go-json"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/synadia-io/orbit.go/jetstreamext"

	"github.com/compoundwatch/compoundwatch/document"
)

// Publish sends v as JSON on subject with the given message id and
// headers. A payload too large for one message is stored in the object
// store under the subject's name and the message carries a pointer to it,
// so nothing is ever truncated. It reports whether the server dropped the
// message as a repeat of msgID within the dedup window.
func (b *Bus) Publish(ctx context.Context, subject, msgID, schema string, v any, hdr nats.Header) (duplicate bool, err error) {
	defer func() { b.obs.Published(streamOf(subject), err) }()
	m, err := b.message(ctx, subject, schema, v, hdr)
	if err != nil {
		return false, err
	}
	ack, err := b.js.PublishMsg(ctx, m, jetstream.WithMsgID(msgID))
	if err != nil {
		return false, fmt.Errorf("publish %s: %w", subject, err)
	}
	b.release(m)
	return ack.Duplicate, nil
}

// message encodes v as the message Publish sends, into a buffer of the
// bus's pool that release returns once the server has acknowledged the
// message: every document crosses the bus twice (raw, then tagged), and a
// fresh buffer each time was 18 KB of garbage for each article of the
// throughput benchmark. The encoding is json.Marshal's: the encoder only
// adds a newline, which is cut.
func (b *Bus) message(ctx context.Context, subject, schema string, v any, hdr nats.Header) (*nats.Msg, error) {
	buf, _ := b.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		b.bufs.Put(buf)
		return nil, fmt.Errorf("encode %s: %w", subject, err)
	}
	data := bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})
	m := nats.NewMsg(subject)
	for k, vs := range hdr {
		m.Header[k] = vs
	}
	m.Header.Set(HeaderSchema, schema)
	if int64(len(data)) > b.nc.MaxPayload()-64*1024 {
		name := subject
		_, err := b.bodies.Put(ctx, jetstream.ObjectMeta{Name: name}, bytes.NewReader(data))
		b.bufs.Put(buf)
		if err != nil {
			return nil, fmt.Errorf("store large body of %s (%d bytes): %w", subject, len(data), err)
		}
		m.Header.Set(HeaderBody, name)
		data = nil
	}
	m.Data = data
	return m, nil
}

// release returns m's payload to the pool message took it from, once the
// server has acknowledged m: nats.go copies a payload as it sends it, and
// keeps the message only to send it again until it is acknowledged. A
// message whose publish failed is left to the collector, since a resend
// may still read it. m's payload is nil after.
func (b *Bus) release(m *nats.Msg) {
	if cap(m.Data) == 0 {
		return
	}
	b.bufs.Put(bytes.NewBuffer(m.Data[:0]))
	m.Data = nil
}

// publishAll sends msgs (with their message ids) without waiting for each
// acknowledgement in turn, then waits for all of them: one round trip for
// a document's mention events instead of one each. The server keeps the
// order in which one connection published.
func (b *Bus) publishAll(ctx context.Context, msgs []*nats.Msg, ids []string) error {
	acks := make([]jetstream.PubAckFuture, 0, len(msgs))
	var errs []error
	for i, m := range msgs {
		f, err := b.sendAsync(m, ids[i])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		acks = append(acks, f)
	}
	for _, f := range acks {
		if _, err := b.awaitAck(ctx, f); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// PublishAsync is Publish without the wait: the returned function waits
// for the server's acknowledgement and reports whether the server dropped
// the message as a repeat. A stage with many messages for one input sends
// them all and then waits once, rather than one round trip each.
func (b *Bus) PublishAsync(ctx context.Context, subject, msgID, schema string, v any, hdr nats.Header) (await func(context.Context) (duplicate bool, err error), err error) {
	f, err := b.startPublish(ctx, subject, msgID, schema, v, hdr)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (bool, error) {
		ack, err := b.awaitAck(ctx, f)
		if err != nil {
			return false, err
		}
		return ack.Duplicate, nil
	}, nil
}

// startPublish is Publish without the wait: it encodes v and sends it,
// and awaitAck waits for the server's acknowledgement. A message that
// could not be encoded or sent is counted here.
func (b *Bus) startPublish(ctx context.Context, subject, msgID, schema string, v any, hdr nats.Header) (jetstream.PubAckFuture, error) {
	m, err := b.message(ctx, subject, schema, v, hdr)
	if err != nil {
		b.obs.Published(streamOf(subject), err)
		return nil, err
	}
	return b.sendAsync(m, msgID)
}

// sendAsync sends m without waiting for the server's acknowledgement; a
// message that could not be sent is counted here. One that could not be
// sent for the connection's sake is no error yet: its future fails, and
// awaitAck sends it again.
func (b *Bus) sendAsync(m *nats.Msg, msgID string) (jetstream.PubAckFuture, error) {
	f, err := b.js.PublishMsgAsync(m, jetstream.WithMsgID(msgID))
	if resendable(err) {
		return unsent(m, err), nil
	}
	if err != nil {
		err = fmt.Errorf("publish %s: %w", m.Subject, err)
		b.obs.Published(streamOf(m.Subject), err)
		return nil, err
	}
	return f, nil
}

// unsentFuture is the future of a message whose send failed: its error is
// waiting.
type unsentFuture struct {
	m   *nats.Msg
	err chan error
}

func unsent(m *nats.Msg, err error) unsentFuture {
	f := unsentFuture{m, make(chan error, 1)}
	f.err <- err
	return f
}

func (f unsentFuture) Ok() <-chan *jetstream.PubAck { return nil }
func (f unsentFuture) Err() <-chan error            { return f.err }
func (f unsentFuture) Msg() *nats.Msg               { return f.m }

// awaitAck waits for the server's acknowledgement of an asynchronous
// publish and counts it. A publish that a server going away left without
// an answer is sent again (resend).
func (b *Bus) awaitAck(ctx context.Context, f jetstream.PubAckFuture) (*jetstream.PubAck, error) {
	ack, err := waitAck(ctx, f)
	if resendable(err) && ctx.Err() == nil {
		ack, err = b.resend(ctx, f.Msg(), err)
	}
	b.obs.Published(streamOf(f.Msg().Subject), err)
	if err == nil {
		b.release(f.Msg())
	}
	return ack, err
}

// ackTimeout is how long an asynchronous publish waits for its
// acknowledgement. A message sent to a stream whose leader has just died
// can get no answer at all, and nats.go waits for ever by default: an
// `ingest` hung in TestClusterKill with one such publish. The error it
// gets instead (jetstream.ErrAsyncPublishTimeout) is resent.
const ackTimeout = 5 * time.Second

// resend sends m again, with its message id, as retryWhile retries a
// request, until the server acknowledges it. When the server a client
// publishes through dies, nats.go fails every acknowledgement still
// pending (nats.ErrDisconnected) as it starts to reconnect, whether or
// not the stream stored the message, and a send can fail on the broken
// connection before the client notices; while a stream has no leader, a
// publish finds no responders (jetstream.ErrNoStreamResponse, once
// nats.go's own two retries are spent) or no answer at all (ackTimeout).
// The stream's deduplication stores m once however often it arrives, so
// resending loses nothing and repeats nothing, and `ingest` of a folder
// rejects no document for a node that was killed mid-way
// (TestResendAcrossRestart, TestClusterKill). A repeat reported after a
// lost answer is taken for m's own first send, stored before the answer
// was lost: it is reported as no repeat.
//
// The first resend goes at once: while the client reconnects it holds
// what is sent and flushes it to the next server.
func (b *Bus) resend(ctx context.Context, m *nats.Msg, err error) (*jetstream.PubAck, error) {
	lost := false
	var ack *jetstream.PubAck
	err = retryWhile(ctx, resendable, func(ctx context.Context) error {
		lost = lost || !errors.Is(err, nats.ErrNoResponders) && !errors.Is(err, jetstream.ErrNoStreamResponse) && !inProcess(err)
		b.log.Debug("publishing again", "subject", m.Subject, "err", err)
		f, perr := b.js.PublishMsgAsync(m)
		if perr != nil {
			err = fmt.Errorf("publish %s: %w", m.Subject, perr)
			return err
		}
		ack, err = waitAck(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	ack.Duplicate = ack.Duplicate && !lost
	return ack, nil
}

// resendable tells the errors of a publish that a server going away or a
// cluster failing over gives, which resend waits out: not a closed
// connection (the bus is closing), a bad subject or a full stream. An
// attempt's own deadline is one too; retryWhile stops at the caller's.
func resendable(err error) bool {
	var op *net.OpError
	return errors.Is(err, nats.ErrDisconnected) || errors.Is(err, nats.ErrNoResponders) ||
		errors.Is(err, jetstream.ErrNoStreamResponse) || errors.Is(err, jetstream.ErrAsyncPublishTimeout) ||
		errors.Is(err, nats.ErrReconnectBufExceeded) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &op) ||
		inProcess(err)
}

// errCodeMsgIDInProcess is a clustered stream's refusal of a message
// whose id it has seen in a message not yet stored: the stream's leader
// is still replicating the first, and cannot yet say whether this one
// repeats it. nats.go does not name it.
const errCodeMsgIDInProcess jetstream.ErrorCode = 10158

// inProcess reports whether err is that refusal. Asked again once the
// first is stored, the stream answers that the message is a repeat.
// TestClusterKill met it: a resend, after a node was killed, found its
// own first send still in process.
func inProcess(err error) bool {
	var api *jetstream.APIError
	return errors.As(err, &api) && api.ErrorCode == errCodeMsgIDInProcess
}

func waitAck(ctx context.Context, f jetstream.PubAckFuture) (*jetstream.PubAck, error) {
	select {
	case ack := <-f.Ok():
		return ack, nil
	case err := <-f.Err():
		return nil, fmt.Errorf("publish %s: %w", f.Msg().Subject, err)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// streamOf names the stream a subject of the contract belongs to, for
// metrics.
func streamOf(subject string) string {
	for _, s := range streams() {
		for _, f := range s.Subjects {
			if subjectMatches(f, subject) {
				return s.Name
			}
		}
	}
	return ""
}

// subjectMatches handles the two filter shapes the contract uses:
// "prefix.*" (one more token) and "prefix.>" (one or more).
func subjectMatches(filter, subject string) bool {
	prefix, last := filter[:len(filter)-1], filter[len(filter)-1]
	if len(subject) <= len(prefix) || subject[:len(prefix)] != prefix {
		return false
	}
	return last == '>' || !bytes.ContainsRune([]byte(subject[len(prefix):]), '.')
}

// decode unmarshals a message published by Publish into v, fetching the
// body from the object store when it was too large to travel inline and
// restoring what the publisher left out (document.Tagged.Expand), and
// checks that it carries the schema the reader expects (when schema is
// set): a reader must not guess at a payload it does not know.
func (b *Bus) decode(ctx context.Context, subject string, hdr nats.Header, data []byte, schema string, v any) error {
	if name := hdr.Get(HeaderBody); name != "" {
		var err error
		if data, err = b.bodies.GetBytes(ctx, name); err != nil {
			return fmt.Errorf("%s: fetch body %s: %w", subject, name, err)
		}
	}
	if err := json.Unmarshal(data, v); err != nil {
		return Permanent(fmt.Errorf("%s: decode %s message: %w", subject, hdr.Get(HeaderSchema), err))
	}
	if x, ok := v.(interface{ Expand() }); ok {
		x.Expand()
	}
	if schema == "" {
		return nil
	}
	var got struct {
		Schema string `json:"schema"`
	}
	if p, ok := v.(interface{ PayloadSchema() string }); ok {
		got.Schema = p.PayloadSchema()
	} else if err := json.Unmarshal(data, &got); err != nil {
		return Permanent(fmt.Errorf("%s: %w", subject, err))
	}
	return checkSchema(subject, schema, got.Schema)
}

// checkSchema refuses, for good, a payload of a schema a reader of schema
// does not read: it must not guess at it.
func checkSchema(subject, schema, got string) error {
	if !document.Reads(schema, got) {
		return Permanent(fmt.Errorf("%s: unknown schema %q (want %s)", subject, got, schema))
	}
	return nil
}

// last returns the latest message on subject in stream, or nil when there
// is none. It is a direct get, which skips the JetStream API queue.
func (b *Bus) last(ctx context.Context, stream, subject string) (*jetstream.RawStreamMsg, error) {
	s, ok := b.streams[stream]
	if !ok {
		return nil, fmt.Errorf("unknown stream %s", stream)
	}
	m, err := s.GetLastMsgForSubject(ctx, subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("last message on %s: %w", subject, err)
	}
	return m, nil
}

// PublishRaw sends a document into the pipeline unless the pipeline
// already has this version of it, and reports whether it published. It
// is the one rule for every entry point (crawler, ingest, the web write
// API): the message id (document id + content hash) makes concurrent or
// repeated publishers within the dedup window one; beyond the window the
// content hash of the latest message on the document's subject decides.
func (b *Bus) PublishRaw(ctx context.Context, raw *document.Raw) (published bool, err error) {
	p, errs := b.PublishRaws(ctx, []*document.Raw{raw})
	return p[0], errs[0]
}

// rawLookupMax is how many subjects one batched lookup asks for; the
// server answers at most 1,024 messages a request.
const rawLookupMax = 256

// PublishRaws is PublishRaw for many documents at once, as `ingest` has
// them: the latest versions of all of them are looked up in one request
// (a batch direct get), and they are published without waiting for each
// acknowledgement in turn. published[i] and errs[i] are PublishRaw's
// answers for raws[i]. `ingest` of 2,000 articles, in batches of 64,
// took 0.32-0.45 s of CPU and 0.17-0.24 s against 0.42-0.52 s and
// 0.26-0.32 s with a lookup and a wait per document (the ingest step of
// BenchmarkStages, alternated runs).
func (b *Bus) PublishRaws(ctx context.Context, raws []*document.Raw) (published []bool, errs []error) {
	published, errs = make([]bool, len(raws)), make([]error, len(raws))
	subjects := make([]string, len(raws))
	for i, raw := range raws {
		raw.Finalize()
		subjects[i] = RawSubject(raw.ID)
	}
	have, err := b.lastHashes(ctx, StreamRaw, subjects)
	if err != nil {
		for i, raw := range raws {
			errs[i] = fmt.Errorf("%s: %w", raw.Source, err)
		}
		return published, errs
	}
	acks := make([]jetstream.PubAckFuture, len(raws))
	for i, raw := range raws {
		if h, ok := have[subjects[i]]; ok && h == raw.ContentHash {
			continue
		}
		f, err := b.startPublish(ctx, subjects[i], raw.ID+":"+raw.ContentHash, document.RawSchema, raw,
			nats.Header{HeaderContentHash: {raw.ContentHash}})
		if err != nil {
			errs[i] = fmt.Errorf("%s: %w", raw.Source, err)
			continue
		}
		acks[i] = f
	}
	for i, f := range acks {
		if f == nil {
			continue
		}
		ack, err := b.awaitAck(ctx, f)
		if err != nil {
			errs[i] = fmt.Errorf("%s: %w", raws[i].Source, err)
			continue
		}
		published[i] = !ack.Duplicate
	}
	return published, errs
}

// lastHashes returns the content hash of the latest message on each of
// subjects in stream that has one.
func (b *Bus) lastHashes(ctx context.Context, stream string, subjects []string) (map[string]string, error) {
	have := make(map[string]string, len(subjects))
	err := b.lastMsgs(ctx, stream, subjects, func(m *jetstream.RawStreamMsg) {
		have[m.Subject] = m.Header.Get(HeaderContentHash)
	})
	return have, err
}

// lastMsgs calls each with the latest message on each of subjects in
// stream that has one, asking for up to rawLookupMax subjects a request
// (a batch direct get) rather than a request a subject. A lookup that
// times out is asked again (retry): while a cluster fails over, the
// stream's servers do not answer for seconds, and `ingest` would reject
// the batch.
func (b *Bus) lastMsgs(ctx context.Context, stream string, subjects []string, each func(*jetstream.RawStreamMsg)) error {
	for chunk := range slices.Chunk(subjects, rawLookupMax) {
		if err := retry(ctx, func(ctx context.Context) error { return b.lastMsgsOf(ctx, stream, chunk, each) }); err != nil {
			return fmt.Errorf("looking up %d subjects in %s: %w", len(chunk), stream, err)
		}
	}
	return nil
}

// lastMsgsOf is one lookup of lastMsgs, under retry's deadline. The
// answers end with an end-of-batch message; a lookup that times out ends
// the iteration just as quietly, which would make every subject not yet
// answered look empty. The deadline tells the two apart.
func (b *Bus) lastMsgsOf(ctx context.Context, stream string, subjects []string, each func(*jetstream.RawStreamMsg)) error {
	msgs, err := jetstreamext.GetLastMsgsFor(ctx, b.js, stream, subjects, jetstreamext.GetLastMsgsBatchSize(len(subjects)))
	if err != nil {
		return err
	}
	for m, err := range msgs {
		if errors.Is(err, jetstreamext.ErrNoMessages) {
			break
		}
		if err != nil {
			return err
		}
		each(m)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("no complete answer: %w", err)
	}
	return nil
}

// PublishTagged publishes a tagged document and, with
// Options.MentionEvents, first one mention event per entity in it. It
// returns once the server has stored it.
func (b *Bus) PublishTagged(ctx context.Context, t document.Tagged) error {
	await, err := b.PublishTaggedAsync(ctx, t)
	if err != nil {
		return err
	}
	return await(ctx)
}

// PublishTaggedAsync is PublishTagged without waiting for the server to
// store the tagged document: the returned function waits for that. A
// stage publishing a batch sends every document and then waits once
// (Item.Await), rather than blocking a worker per document on a round
// trip through the server: with it the extractor stage drained a backlog
// with about a tenth less CPU (see the extractor's batch).
//
// What a reader cuts back from the text stays off the wire
// (document.TaggedBusSchema): t is compacted in place (Tagged.Compact),
// so the caller must not need its mentions', figures' and events' texts
// after.
//
// t carries its history (document.History): the caller's, as a stage
// publishing a batch looks them up at once (TaggedHistories), or else
// looked up here.
func (b *Bus) PublishTaggedAsync(ctx context.Context, t document.Tagged) (await func(context.Context) error, err error) {
	if t.TaggedAt.IsZero() {
		t.TaggedAt = time.Now().UTC()
	}
	if t.History == nil {
		hs, err := b.TaggedHistories(ctx, []string{t.ID})
		if err != nil {
			return nil, err
		}
		t.History = hs[t.ID]
	}
	t.Schema = document.TaggedBusSchema
	hdr := nats.Header{HeaderContentHash: {t.ContentHash}}
	if b.mentions {
		if err := b.publishMentions(ctx, t, hdr); err != nil {
			return nil, err
		}
	}
	t.Compact()
	acked, err := b.PublishAsync(ctx, TaggedSubject(t.ID), t.ID+":"+t.ContentHash+":"+t.Extractor, document.TaggedBusSchema, t, hdr)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		_, err := acked(ctx)
		return err
	}, nil
}

// TaggedHistories returns the history the next tagged version of each
// document of ids carries (document.TaggedHead.Next of the version the
// log holds, or an empty history where it holds none), looked up in one
// request (a batch direct get). A version the log holds that does not
// decode is logged and read as none: it is no reason to stop tagging.
//
// A version tagged while the one before it is still on its way to the
// log (two replicas of the extractor given the two versions at once)
// does not see it; the alerts stage's ledger still keeps every alert
// made once.
func (b *Bus) TaggedHistories(ctx context.Context, ids []string) (map[string]*document.History, error) {
	subjects := make([]string, len(ids))
	for i, id := range ids {
		subjects[i] = TaggedSubject(id)
	}
	hs := make(map[string]*document.History, len(ids))
	err := b.lastMsgs(ctx, StreamTagged, subjects, func(m *jetstream.RawStreamMsg) {
		var h document.TaggedHead
		if err := b.decode(ctx, m.Subject, m.Header, m.Data, "", &h); err != nil {
			b.log.Warn("previous tagged version unreadable", "subject", m.Subject, "err", err)
			return
		}
		hs[strings.TrimPrefix(m.Subject, SubjectTagged+".")] = h.Next()
	})
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if hs[id] == nil {
			hs[id] = &document.History{}
		}
	}
	return hs, nil
}

// publishMentions publishes one mention event per entity of t. Each says
// whether its entity is new to the document, named by none of the
// versions before it (t.History, as the alerts stage reads it), and
// carries a key of (document, entity) that an edit of the text does not
// change, so that a reader can tell a new mention from a re-announced
// one.
//
// The mention events go out before the tagged document: if the process
// dies between the two, the redelivered raw document gets the same
// history again, and the message ids (which include the content hash)
// make the repeats harmless.
func (b *Bus) publishMentions(ctx context.Context, t document.Tagged, hdr nats.Header) error {
	before := make(map[document.EntityRef]bool, len(t.History.Seen))
	for _, e := range t.History.Seen {
		before[e] = true
	}
	msgs := make([]*nats.Msg, 0, len(t.Entities))
	ids := make([]string, 0, len(t.Entities))
	for _, e := range t.Entities {
		ev := document.MentionEvent{
			Schema: document.MentionSchema, Key: document.MentionKey(t.ID, e.Type, e.ID),
			EntityType: e.Type, EntityID: e.ID, EntityName: e.Name,
			DocID: t.ID, ContentHash: t.ContentHash, New: !before[document.EntityRef{Type: e.Type, ID: e.ID}],
			Source: t.Source, Title: t.Title, Published: t.Published,
			Count: len(e.Mentions), TaggedAt: t.TaggedAt,
		}
		if len(e.Mentions) > 0 {
			if m := e.Mentions[0]; m.Context != "" {
				ev.Context = m.Context
			} else {
				ev.Context = document.Context(t.Text, m.Start, m.End)
			}
		}
		m, err := b.message(ctx, MentionSubject(e.Type, e.ID), document.MentionSchema, ev, hdr)
		if err != nil {
			return err
		}
		msgs = append(msgs, m)
		// The id leaves out the extractor version: a re-extraction of
		// unchanged text is not a new mention.
		ids = append(ids, ev.Key+":"+t.ContentHash)
	}
	return b.publishAll(ctx, msgs, ids)
}
