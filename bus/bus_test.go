package bus_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/nats-io/nats.go/jetstream"
)

func open(t *testing.T, dir string) *bus.Bus {
	t.Helper()
	b, err := bus.Open(context.Background(), bus.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDedupAndVersions(t *testing.T) {
	ctx := context.Background()
	b := open(t, t.TempDir())
	defer b.Close()
	subj := bus.RawSubject("abc")
	for _, tc := range []struct {
		msgID   string
		text    string
		wantDup bool
	}{
		{"abc:1", "first", false},
		{"abc:1", "first", true}, // same content again: dropped by the server
		{"abc:2", "second", false},
	} {
		ack, err := b.Publish(ctx, subj, tc.msgID, document.RawSchema, document.Raw{ID: "abc", Text: tc.text}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ack.Duplicate != tc.wantDup {
			t.Errorf("%s: duplicate = %v, want %v", tc.msgID, ack.Duplicate, tc.wantDup)
		}
	}
	s, _ := b.JS.Stream(ctx, bus.StreamRaw)
	info, _ := s.Info(ctx)
	if info.State.Msgs != 1 {
		t.Errorf("stream keeps %d versions of one document, want 1 (the latest)", info.State.Msgs)
	}
	m, _ := s.GetLastMsgForSubject(ctx, subj)
	var got document.Raw
	if err := b.Decode(ctx, m.Header, m.Data, &got); err != nil || got.Text != "second" {
		t.Errorf("latest version = %q (%v), want second", got.Text, err)
	}
}

func TestLargePayloadGoesThroughObjectStore(t *testing.T) {
	ctx := context.Background()
	b := open(t, t.TempDir())
	defer b.Close()
	big := strings.Repeat("compound ", 400_000) // 3.6 MB, over the 1 MB message limit
	subj := bus.RawSubject("big")
	if _, err := b.Publish(ctx, subj, "big:1", document.RawSchema, document.Raw{ID: "big", Text: big}, nil); err != nil {
		t.Fatal(err)
	}
	s, _ := b.JS.Stream(ctx, bus.StreamRaw)
	m, err := s.GetLastMsgForSubject(ctx, subj)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Get(bus.HeaderBody) == "" || len(m.Data) != 0 {
		t.Fatalf("large payload travelled inline (%d bytes)", len(m.Data))
	}
	var got document.Raw
	if err := b.Decode(ctx, m.Header, m.Data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Text != big {
		t.Fatalf("payload came back as %d bytes, want %d", len(got.Text), len(big))
	}
}

// TestSharedEmbeddedServer opens the bus twice on one data dir, as two
// compoundwatch processes would: the second uses the first one's server.
func TestSharedEmbeddedServer(t *testing.T) {
	dir := t.TempDir()
	first := open(t, dir)
	defer first.Close()
	second := open(t, dir)
	defer second.Close()
	if !first.Embedded() || second.Embedded() {
		t.Fatalf("embedded: first %v, second %v; want only the first to run a server", first.Embedded(), second.Embedded())
	}
	ctx := context.Background()
	if _, err := second.Publish(ctx, bus.RawSubject("x"), "x:1", document.RawSchema, document.Raw{ID: "x"}, nil); err != nil {
		t.Fatal(err)
	}
	s, _ := first.JS.Stream(ctx, bus.StreamRaw)
	if info, _ := s.Info(ctx); info.State.Msgs != 1 {
		t.Fatalf("first sees %d messages, want the one the second published", info.State.Msgs)
	}
}

func TestMentionSubjectTokens(t *testing.T) {
	for in, want := range map[[2]string]string{
		{"compound", "huang-le"}:                     "cw.mentions.compound.huang-le",
		{"compound", "candidate:compound:jin.bei x"}: "cw.mentions.compound.candidate_compound_jin_bei_x",
		{"tycoon", ""}:                               "cw.mentions.tycoon._",
	} {
		if got := bus.MentionSubject(in[0], in[1]); got != want {
			t.Errorf("MentionSubject(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}

// TestReplay reads a stream in batches without moving a stage's consumer.
func TestReplay(t *testing.T) {
	ctx := t.Context()
	b := open(t, t.TempDir())
	defer b.Close()
	const n = 250
	for i := range n {
		id := fmt.Sprintf("doc%03d", i)
		if _, err := b.Publish(ctx, bus.RawSubject(id), id, document.RawSchema, document.Raw{ID: id}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Consumer(ctx, bus.StreamRaw, bus.ConsumerExtractor, 5); err != nil {
		t.Fatal(err)
	}
	var sizes, ids []string
	err := b.Replay(ctx, bus.StreamRaw, 100, func(msgs []jetstream.Msg, total int) error {
		if total != n {
			t.Errorf("total %d, want %d", total, n)
		}
		sizes = append(sizes, strconv.Itoa(len(msgs)))
		for _, m := range msgs {
			var r document.Raw
			if err := b.Decode(ctx, m.Headers(), m.Data(), &r); err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sizes, ","); got != "100,100,50" {
		t.Errorf("batches %s, want 100,100,50", got)
	}
	if len(ids) != n || !slices.IsSorted(ids) || ids[0] != "doc000" {
		t.Errorf("replayed %d ids out of order or incomplete: first %v", len(ids), ids[:min(3, len(ids))])
	}
	if p, err := b.Pending(ctx, bus.StreamRaw, bus.ConsumerExtractor); err != nil || p != n {
		t.Errorf("extractor pending after replay = %d, %v; want %d (untouched)", p, err, n)
	}
	stop := errors.New("stop")
	calls := 0
	if err := b.Replay(ctx, bus.StreamRaw, 100, func([]jetstream.Msg, int) error { calls++; return stop }); !errors.Is(err, stop) || calls != 1 {
		t.Errorf("a handler error: Replay = %v after %d calls, want it returned after 1", err, calls)
	}
}
