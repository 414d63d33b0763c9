package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/natstest"
)

// TestTaggedHeads reads the same tagged messages through a consumer that
// delivers headers only and through one that delivers whole messages:
// the heads are the same, whether the headers hold them (the extractor's
// messages) or the body has to be fetched (an entity id the header cannot
// carry, a message of an earlier schema); the whole document fetched for
// an item delivered without its body is the one published; a version
// replaced in the stream meanwhile is ErrSuperseded; and a message dead-
// lettered from such a consumer keeps its body.
func TestTaggedHeads(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	b := open(t, t.TempDir())
	defer b.Close()
	at := time.Date(2024, 3, 23, 8, 15, 30, 123456789, time.UTC)
	ent := func(typ, id string) document.Entity {
		return document.Entity{Type: typ, ID: id, Name: id, Known: true, Mentions: []document.Mention{{Start: 0, End: 4}}}
	}
	docs := []document.Tagged{
		{Raw: document.Raw{ID: "two", ContentHash: "h2", Title: "Two", Text: "Huang Le in Svay Rieng"}, TaggedAt: at,
			Entities: []document.Entity{ent(document.Compound, "huang-le"), ent(document.Tycoon, "candidate:tycoon:ly-yong")}},
		{Raw: document.Raw{ID: "none", ContentHash: "h0", Title: "None", Text: "Nothing named."}, TaggedAt: at.Add(time.Second)},
		{Raw: document.Raw{ID: "spaced", ContentHash: "hs", Title: "Spaced", Text: "Odd id"}, TaggedAt: at,
			Entities: []document.Entity{ent(document.Compound, "odd id")}},
		{Raw: document.Raw{ID: "sup", ContentHash: "v1", Title: "Sup", Text: "First version"}, TaggedAt: at,
			Entities: []document.Entity{ent(document.Province, "kandal")}},
	}
	for _, d := range docs {
		if err := b.PublishTagged(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	v2 := document.Tagged{Raw: document.Raw{Schema: "compoundwatch.tagged/v2", ID: "old", ContentHash: "ho", Title: "Old", Text: "Chen Zhi"},
		TaggedAt: at, Entities: []document.Entity{ent(document.Tycoon, "chen-zhi")}}
	if _, err := b.Publish(ctx, bus.TaggedSubject(v2.ID), "old", v2.Schema, v2, nil); err != nil {
		t.Fatal(err)
	}
	alien := document.Tagged{Raw: document.Raw{Schema: "compoundwatch.tagged/v9", ID: "alien", Text: "?"}}
	if _, err := b.Publish(ctx, bus.TaggedSubject(alien.ID), "alien", alien.Schema, alien, nil); err != nil {
		t.Fatal(err)
	}

	type read struct {
		head document.TaggedHead
		doc  *document.Tagged
		err  error
	}
	consume := func(name string, headersOnly bool) map[string]read {
		var mu sync.Mutex
		got := map[string]read{}
		sctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		st := bus.Stage{Name: name, Stream: bus.StreamTagged, Schema: document.TaggedBusSchema, MaxDeliver: 3, Batch: 10, HeadersOnly: headersOnly}
		go func() {
			done <- bus.Consume(sctx, b, st, func(ctx context.Context, items []*bus.Item[document.TaggedHead]) {
				for _, it := range items {
					if it.Value.ID == "sup" && it.Value.ContentHash == "v1" {
						// A newer version replaces this one in the stream
						// before its body is asked for.
						v2 := docs[3]
						v2.ContentHash, v2.Text = "v2", "Second version"
						if err := b.PublishTagged(ctx, v2); err != nil {
							t.Error(err)
						}
					}
					r := read{head: it.Value, doc: new(document.Tagged)}
					r.err = it.DecodeAll(ctx, b, document.TaggedBusSchema, r.doc)
					mu.Lock()
					got[it.Value.ID+" "+it.Value.ContentHash] = r
					mu.Unlock()
				}
			})
		}()
		settled(t, ctx, b, bus.StreamTagged, name, stop, done)
		return got
	}
	heads := consume("heads", true)
	if cfg := natstest.ConsumerConfig(t, b.URL(), bus.StreamTagged, "heads"); !cfg.HeadersOnly {
		t.Fatal("the stage's consumer does not deliver headers only")
	}
	whole := consume("whole", false)

	if len(heads) != 6 {
		t.Errorf("headers only: read %d messages, want 6: %v", len(heads), slices.Sorted(maps.Keys(heads)))
	}
	for k, h := range heads {
		switch {
		case k == "sup v1":
			if !errors.Is(h.err, bus.ErrSuperseded) {
				t.Errorf("%s: the whole document of a replaced version: %v, want ErrSuperseded", k, h.err)
			}
			continue
		case h.err != nil:
			t.Errorf("%s: the whole document: %v", k, h.err)
			continue
		}
		w, ok := whole[k]
		if !ok {
			t.Errorf("%s: read with headers only, not whole", k)
			continue
		}
		if !sameHead(h.head, w.head) {
			t.Errorf("%s: head from headers\n%+v\nwant, from the body,\n%+v", k, h.head, w.head)
		}
		if !reflect.DeepEqual(h.doc, w.doc) {
			t.Errorf("%s: whole document fetched\n%+v\nwant, as delivered,\n%+v", k, h.doc, w.doc)
		}
	}
	if h := heads["two h2"].head; len(h.Entities) != 2 || h.Entities[1].ID != "candidate:tycoon:ly-yong" || !h.TaggedAt.Equal(at) {
		t.Errorf("head of two: %+v", h)
	}
	if h := heads["none h0"].head; h.ID != "none" || len(h.Entities) != 0 {
		t.Errorf("head of none: %+v", h)
	}
	// On the wire: the heads the headers can carry are there.
	s, err := natstest.JetStream(t, b.URL()).Stream(ctx, bus.StreamTagged)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string][]string{
		"two":    {"compound:huang-le tycoon:candidate:tycoon:ly-yong"},
		"none":   {""},
		"spaced": nil,
		"old":    nil,
	} {
		m, err := s.GetLastMsgForSubject(ctx, bus.TaggedSubject(id))
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Header[bus.HeaderEntities]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %s %q, want %q", id, bus.HeaderEntities, got, want)
		}
		if got, want := m.Header.Get(bus.HeaderTaggedAt), at.Format(time.RFC3339Nano); id == "two" && got != want {
			t.Errorf("%s: %s %q, want %q", id, bus.HeaderTaggedAt, got, want)
		}
	}

	// The alien message is dead-lettered by both consumers, whole.
	var letters []bus.DeadLetter
	if err := bus.Replay(ctx, b, bus.StreamDead, bus.DeadSchema, 10, func(dls []bus.DeadLetter, _ int) error {
		letters = append(letters, dls...)
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(alien)
	for _, dl := range letters {
		if dl.Subject != bus.TaggedSubject("alien") || string(dl.Data) != string(want) {
			t.Errorf("dead letter from %s of %s: %q, want the message whole: %q", dl.Stage, dl.Subject, dl.Data, want)
		}
	}
	if len(letters) != 2 {
		t.Errorf("%d dead letters, want 2 (the alien message, from each consumer)", len(letters))
	}
}

// TestSetHeadersOnly switches a stage's consumer back and forth and reads
// what the server then delivers from it: a message's size in a header
// and no body, then the body again.
func TestSetHeadersOnly(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	b := open(t, t.TempDir())
	defer b.Close()
	st := bus.Stage{Name: "switch", Stream: bus.StreamTagged, Schema: document.TaggedBusSchema, MaxDeliver: 3}
	js := natstest.JetStream(t, b.URL())
	for i, on := range []bool{true, false, true} {
		if err := b.SetHeadersOnly(ctx, st, on); err != nil {
			t.Fatal(err)
		}
		text := fmt.Sprintf("text %d", i)
		if err := b.PublishTagged(ctx, document.Tagged{Raw: document.Raw{ID: fmt.Sprintf("d%d", i), ContentHash: text, Text: text}}); err != nil {
			t.Fatal(err)
		}
		c, err := js.Consumer(ctx, bus.StreamTagged, st.Name)
		if err != nil {
			t.Fatal(err)
		}
		if info, err := c.Info(ctx); err != nil || info.Config.HeadersOnly != on {
			t.Fatalf("step %d: consumer %+v (%v), want headers only %v", i, info, err, on)
		}
		batch, err := c.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for m := range batch.Messages() {
			n++
			size := m.Headers().Get(nats.MsgSize)
			if on && (len(m.Data()) != 0 || size == "") || !on && !strings.Contains(string(m.Data()), text) {
				t.Errorf("step %d: delivered %d bytes (%s: %q), headers only %v", i, len(m.Data()), nats.MsgSize, size, on)
			}
			if m.Headers().Get(bus.HeaderEntities) != "" || m.Headers()[bus.HeaderEntities] == nil {
				t.Errorf("step %d: %s %q, want present and empty", i, bus.HeaderEntities, m.Headers()[bus.HeaderEntities])
			}
			m.Ack()
		}
		if n != 1 {
			t.Fatalf("step %d: %d messages delivered, want 1", i, n)
		}
	}
}

// sameHead compares heads, their times as instants.
func sameHead(a, b document.TaggedHead) bool {
	if !a.TaggedAt.Equal(b.TaggedAt) {
		return false
	}
	a.TaggedAt, b.TaggedAt = time.Time{}, time.Time{}
	if len(a.Entities) == 0 && len(b.Entities) == 0 {
		a.Entities, b.Entities = nil, nil
	}
	return reflect.DeepEqual(a, b)
}
