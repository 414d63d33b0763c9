package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/document"
)

// ErrSuperseded reports that a message delivered without its body is no
// longer in its stream: a newer version of the document replaced it (the
// streams keep one message a subject), and it is the one to handle.
var ErrSuperseded = errors.New("superseded by a newer version")

// setHead adds the headers of t's head to hdr.
func setHead(hdr nats.Header, t *document.Tagged) {
	hdr.Set(HeaderTaggedAt, t.TaggedAt.UTC().Format(time.RFC3339Nano))
	var b strings.Builder
	for i, e := range t.Entities {
		if !headToken(e.Type, true) || !headToken(e.ID, false) {
			return
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(e.Type)
		b.WriteByte(':')
		b.WriteString(e.ID)
	}
	hdr[HeaderEntities] = []string{b.String()}
}

// headToken reports whether s can stand in HeaderEntities: not empty, no
// white space or control characters (a header's value ends at a line
// break), and for a type no colon.
func headToken(s string, typ bool) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f || typ && c == ':' {
			return false
		}
	}
	return true
}

// headOf fills h from the headers of a tagged message on subject, and
// reports whether they hold a whole head; a message published before the
// head travelled in headers, or whose headers were tampered with, does
// not, and its body is read instead.
func headOf(subject string, hdr nats.Header, h *document.TaggedHead) bool {
	id, ok := strings.CutPrefix(subject, SubjectTagged+".")
	ents, hasEnts := hdr[HeaderEntities]
	if !ok || id == "" || !hasEnts || len(ents) != 1 {
		return false
	}
	// A time RFC 3339 cannot write in UTC (a year before 1) is not one
	// setHead wrote.
	at, err := time.Parse(time.RFC3339Nano, hdr.Get(HeaderTaggedAt))
	if y := at.UTC().Year(); err != nil || y < 1 || y > 9999 {
		return false
	}
	var refs []document.EntityRef
	if ents[0] != "" {
		pairs := strings.Split(ents[0], " ")
		refs = make([]document.EntityRef, len(pairs))
		for i, p := range pairs {
			typ, eid, ok := strings.Cut(p, ":")
			if !ok || !headToken(typ, true) || !headToken(eid, false) {
				return false
			}
			refs[i] = document.EntityRef{Type: typ, ID: eid}
		}
	}
	*h = document.TaggedHead{Schema: hdr.Get(HeaderSchema), ID: id, ContentHash: hdr.Get(HeaderContentHash),
		TaggedAt: at, Entities: refs}
	return true
}

// bodiless reports whether m was delivered without its body by a
// consumer that sends headers only.
func bodiless(m jetstream.Msg) bool {
	return len(m.Data()) == 0 && m.Headers().Get(nats.MsgSize) != ""
}

// stored fetches m as its stream holds it, body included, by its
// sequence (a direct get). It is ErrSuperseded when the stream no longer
// has it.
func (b *Bus) stored(ctx context.Context, m jetstream.Msg) (*jetstream.RawStreamMsg, error) {
	md, err := m.Metadata()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Subject(), err)
	}
	s, ok := b.streams[md.Stream]
	if !ok {
		return nil, fmt.Errorf("%s: unknown stream %s", m.Subject(), md.Stream)
	}
	sm, err := s.GetMsg(ctx, md.Sequence.Stream)
	if errors.Is(err, jetstream.ErrMsgNotFound) || err == nil && sm.Subject != m.Subject() {
		return nil, fmt.Errorf("%s: message %d: %w", m.Subject(), md.Sequence.Stream, ErrSuperseded)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: fetch message %d: %w", m.Subject(), md.Sequence.Stream, err)
	}
	return sm, nil
}

// decodeMsg is decode for a delivered message. One delivered without its
// body is read from its headers when v is a head they hold whole
// (headOf), and otherwise from its stream.
func (b *Bus) decodeMsg(ctx context.Context, m jetstream.Msg, schema string, v any) error {
	if !bodiless(m) {
		return b.decode(ctx, m.Subject(), m.Headers(), m.Data(), schema, v)
	}
	if h, ok := v.(*document.TaggedHead); ok && headOf(m.Subject(), m.Headers(), h) {
		if schema == "" {
			return nil
		}
		return checkSchema(m.Subject(), schema, h.Schema)
	}
	sm, err := b.stored(ctx, m)
	if err != nil {
		return err
	}
	return b.decode(ctx, sm.Subject, sm.Header, sm.Data, schema, v)
}
