package bus_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
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
		dup, err := b.Publish(ctx, subj, tc.msgID, document.RawSchema, document.Raw{Schema: document.RawSchema, ID: "abc", Text: tc.text}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if dup != tc.wantDup {
			t.Errorf("%s: duplicate = %v, want %v", tc.msgID, dup, tc.wantDup)
		}
	}
	raws := replayRaw(t, b)
	if len(raws) != 1 {
		t.Fatalf("stream keeps %d versions of one document, want 1 (the latest)", len(raws))
	}
	if raws[0].Text != "second" {
		t.Errorf("latest version = %q, want second", raws[0].Text)
	}
}

// replayRaw reads every raw document on the bus.
func replayRaw(t *testing.T, b *bus.Bus) []document.Raw {
	t.Helper()
	var out []document.Raw
	err := bus.Replay(t.Context(), b, bus.StreamRaw, document.RawSchema, 100, func(raws []document.Raw, _ int) error {
		out = append(out, raws...)
		return nil
	}, func(subject string, err error) { t.Errorf("%s: %v", subject, err) })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLargePayloadGoesThroughObjectStore(t *testing.T) {
	ctx := context.Background()
	b := open(t, t.TempDir())
	defer b.Close()
	big := strings.Repeat("compound ", 400_000) // 3.6 MB, over the 1 MB message limit
	subj := bus.RawSubject("big")
	if _, err := b.Publish(ctx, subj, "big:1", document.RawSchema, document.Raw{Schema: document.RawSchema, ID: "big", Text: big}, nil); err != nil {
		t.Fatal(err)
	}
	st, err := b.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := st.Stream(bus.StreamRaw).Bytes; n > 1<<20 {
		t.Fatalf("large payload travelled inline: the stream holds %d bytes", n)
	}
	raws := replayRaw(t, b)
	if len(raws) != 1 || raws[0].Text != big {
		t.Fatalf("payload did not come back whole")
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
	if _, err := second.PublishRaw(ctx, &document.Raw{Source: "x", Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if raws := replayRaw(t, first); len(raws) != 1 {
		t.Fatalf("first sees %d messages, want the one the second published", len(raws))
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
		if _, err := b.Publish(ctx, bus.RawSubject(id), id, document.RawSchema, document.Raw{Schema: document.RawSchema, ID: id}, nil); err != nil {
			t.Fatal(err)
		}
	}
	// A message of another schema is reported, not handed over.
	if _, err := b.Publish(ctx, bus.RawSubject("odd"), "odd", "x", document.Raw{Schema: "compoundwatch.raw/v9", ID: "odd"}, nil); err != nil {
		t.Fatal(err)
	}
	// A stage holds one message in flight while Replay reads: its
	// position must not move.
	stageCtx, stop := context.WithCancel(ctx)
	holding, release := make(chan struct{}), make(chan struct{})
	stageDone := make(chan error)
	go func() {
		stageDone <- bus.Consume(stageCtx, b, bus.Stage{Name: bus.ConsumerExtractor, Stream: bus.StreamRaw, MaxDeliver: 5},
			func(_ context.Context, items []*bus.Item[document.Raw]) {
				close(holding)
				<-release
				for _, it := range items {
					it.Err = errors.New("not now")
				}
			})
	}()
	<-holding
	defer func() {
		stop()
		close(release)
		<-stageDone
	}()
	var sizes, ids, bad []string
	err := bus.Replay(ctx, b, bus.StreamRaw, document.RawSchema, 100, func(raws []document.Raw, total int) error {
		if total != n+1 {
			t.Errorf("total %d, want %d", total, n+1)
		}
		sizes = append(sizes, strconv.Itoa(len(raws)))
		for _, r := range raws {
			ids = append(ids, r.ID)
		}
		return nil
	}, func(subject string, err error) { bad = append(bad, subject+": "+err.Error()) })
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sizes, ","); got != "100,100,50" {
		t.Errorf("batches %s, want 100,100,50 (the last one less its unknown schema)", got)
	}
	if len(ids) != n || !slices.IsSorted(ids) || ids[0] != "doc000" {
		t.Errorf("replayed %d ids out of order or incomplete: first %v", len(ids), ids[:min(3, len(ids))])
	}
	if len(bad) != 1 || !strings.Contains(bad[0], "v9") {
		t.Errorf("unknown schema reported as %q", bad)
	}
	if p, err := b.Pending(ctx, bus.StreamRaw, bus.ConsumerExtractor); err != nil || p != n+1 {
		t.Errorf("extractor pending after replay = %d, %v; want %d (untouched)", p, err, n+1)
	}
	stopErr := errors.New("stop")
	calls := 0
	if err := bus.Replay(ctx, b, bus.StreamRaw, document.RawSchema, 100, func([]document.Raw, int) error { calls++; return stopErr }, nil); !errors.Is(err, stopErr) || calls != 1 {
		t.Errorf("a handler error: Replay = %v after %d calls, want it returned after 1", err, calls)
	}
}

// TestCloseKeepsState closes a bus that owns its embedded server, with
// nobody else connected (Close then stops JetStream before the server),
// and reopens it: the stream holds every message and the stage's
// consumer resumes where it acknowledged, neither behind nor ahead.
func TestCloseKeepsState(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	b := open(t, dir)
	publish := func(b *bus.Bus, ids ...string) {
		t.Helper()
		for _, id := range ids {
			if _, err := b.PublishRaw(ctx, &document.Raw{Source: id, Text: "text of " + id}); err != nil {
				t.Fatal(err)
			}
		}
	}
	publish(b, "a", "b")
	stage := bus.Stage{Name: "keeper", Stream: bus.StreamRaw, Schema: document.RawSchema, MaxDeliver: 3}
	var seen tally
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- bus.Consume(sctx, b, stage, func(_ context.Context, items []*bus.Item[document.Raw]) {
			for _, it := range items {
				seen.add(it.Value.Source)
			}
		})
	}()
	if err := b.WaitCaughtUp(ctx, nil, bus.Durable{Stream: bus.StreamRaw, Name: stage.Name}); err != nil {
		t.Fatal(err)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	publish(b, "c", "d", "e")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b = open(t, dir)
	defer b.Close()
	if n, err := b.Pending(ctx, bus.StreamRaw, stage.Name); err != nil || n != 3 {
		t.Fatalf("after reopening, the stage has %d pending (%v), want the 3 published after it caught up", n, err)
	}
	if raws := replayRaw(t, b); len(raws) != 5 {
		t.Fatalf("after reopening, the stream holds %d messages, want 5", len(raws))
	}
	if got := seen.counts(); len(got) != 2 || got["a"] != 1 || got["b"] != 1 {
		t.Fatalf("the stage saw %v, want a and b once each", got)
	}
}

// TestWaitCaughtUp: the wait ends once the stage has acknowledged
// everything published before it, not before, and a consumer that does
// not exist yet counts as behind.
func TestWaitCaughtUp(t *testing.T) {
	ctx := t.Context()
	b := open(t, t.TempDir())
	defer b.Close()
	if _, err := b.PublishRaw(ctx, &document.Raw{Source: "a", Text: "a"}); err != nil {
		t.Fatal(err)
	}
	durable := bus.Durable{Stream: bus.StreamRaw, Name: "waited"}
	early, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	err := b.WaitCaughtUp(early, nil, durable)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("with no consumer, the wait ended with %v, want it to last until the deadline", err)
	}
	release := make(chan struct{})
	var handled atomic.Int32
	sctx, stop := context.WithCancel(ctx)
	consumed := make(chan error, 1)
	defer func() {
		stop()
		if err := <-consumed; err != nil {
			t.Error(err)
		}
	}()
	go func() {
		consumed <- bus.Consume(sctx, b, bus.Stage{Name: durable.Name, Stream: bus.StreamRaw, Schema: document.RawSchema, MaxDeliver: 3},
			func(_ context.Context, items []*bus.Item[document.Raw]) {
				<-release
				handled.Add(int32(len(items)))
			})
	}()
	waited := make(chan error, 1)
	go func() { waited <- b.WaitCaughtUp(ctx, nil, durable) }()
	select {
	case err := <-waited:
		t.Fatalf("the wait ended (%v) while the stage held its message", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	if handled.Load() != 1 {
		t.Fatalf("the wait ended with %d messages handled, want 1", handled.Load())
	}
}
