package bus_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"reflect"
	"runtime/pprof"
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

// TestPublishRaw is the one publishing rule every entry point uses.
func TestPublishRaw(t *testing.T) {
	ctx := t.Context()
	b := open(t, t.TempDir())
	defer b.Close()
	doc := func(text string) *document.Raw {
		return &document.Raw{Source: "https://news.example.org/a", CanonicalURL: "https://news.example.org/a", Title: "A", Text: text}
	}
	for i, tc := range []struct {
		text string
		want bool
	}{
		{"first version", true},
		{"first version", false}, // unchanged
		{"second version", true},
		{"second version", false},
	} {
		got, err := b.PublishRaw(ctx, doc(tc.text))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("step %d (%q): published = %v, want %v", i, tc.text, got, tc.want)
		}
	}
	raws := replayRaw(t, b)
	if len(raws) != 1 || raws[0].Text != "second version" || raws[0].ID != document.IDFor("https://news.example.org/a") {
		t.Fatalf("stream holds %+v, want the second version under the canonical URL's id", raws)
	}
}

// TestPublishRaws: a batch is decided as PublishRaw decides each of its
// documents. The versions already in the stream were published under
// other message ids, as they would be beyond the dedup window, so only
// the batched lookup of the latest versions can tell them unchanged; 300
// of them take two lookups.
func TestPublishRaws(t *testing.T) {
	ctx := t.Context()
	b := open(t, t.TempDir())
	defer b.Close()
	doc := func(name, text string) *document.Raw {
		u := "https://news.example.org/" + name
		r := &document.Raw{Source: u, CanonicalURL: u, Title: name, Text: text}
		r.Finalize()
		return r
	}
	earlier := func(r *document.Raw) {
		t.Helper()
		if _, err := b.Publish(ctx, bus.RawSubject(r.ID), "earlier:"+r.ID, document.RawSchema, r,
			nats.Header{bus.HeaderContentHash: {r.ContentHash}}); err != nil {
			t.Fatal(err)
		}
	}
	earlier(doc("kept", "the same text"))
	earlier(doc("edited", "the text before"))
	var many []*document.Raw
	for i := range 300 {
		r := doc(fmt.Sprintf("many-%d", i), fmt.Sprintf("text %d", i))
		earlier(r)
		many = append(many, doc(fmt.Sprintf("many-%d", i), fmt.Sprintf("text %d", i)))
	}
	batch := []*document.Raw{
		doc("kept", "the same text"),
		doc("edited", "the text after"),
		doc("fresh", "a new story"),
		doc("fresh", "a new story"), // twice in one batch: published once
	}
	got, errs := b.PublishRaws(ctx, batch)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if want := []bool{false, true, true, false}; !slices.Equal(got, want) {
		t.Errorf("published %v, want %v (kept, edited, fresh, fresh again)", got, want)
	}
	// A lookup that cannot finish publishes nothing and says so, rather
	// than taking the documents it had no answer for as new.
	expired, cancel := context.WithDeadline(ctx, time.Now())
	defer cancel()
	got, errs = b.PublishRaws(expired, many[:3])
	for i, err := range errs {
		if err == nil || got[i] {
			t.Errorf("with an expired context: published %v, error %v", got[i], err)
		}
	}
	raw, err := natstest.JetStream(t, b.URL()).Stream(ctx, bus.StreamRaw)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range many[:3] {
		m, err := raw.GetLastMsgForSubject(ctx, bus.RawSubject(r.ID))
		if err != nil {
			t.Fatal(err)
		}
		if id := m.Header.Get(jetstream.MsgIDHeader); id != "earlier:"+r.ID {
			t.Errorf("%s republished with an expired context (message id %q)", r.Title, id)
		}
	}
	got, errs = b.PublishRaws(ctx, many)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(fmt.Sprint(got), "true"); n != 0 {
		t.Errorf("%d of 300 unchanged documents published again", n)
	}
	texts := map[string]string{}
	for _, r := range replayRaw(t, b) {
		texts[r.Title] = r.Text
	}
	if len(texts) != 303 || texts["kept"] != "the same text" || texts["edited"] != "the text after" || texts["fresh"] != "a new story" {
		t.Errorf("stream holds %d documents; kept %q, edited %q, fresh %q", len(texts), texts["kept"], texts["edited"], texts["fresh"])
	}
}

// TestPublishTaggedMentions checks the mention events a deployment that
// asks for them gets: a stable key per (document, entity), the time of
// tagging, and whether the entity is new to the document; and that one
// that does not gets none, while its tagged log is the same.
func TestPublishTaggedMentions(t *testing.T) {
	for _, tt := range []struct {
		name string
		on   bool
		want []string
	}{
		{"off by default", false, nil},
		{"on", true, []string{
			"h1 doc1:compound:huang-le new=yes",
			"h1 doc1:province:svay-rieng new=yes",
			"h2 doc1:compound:huang-le new=no",
			"h2 doc1:tycoon:try-pheap new=yes",
			"h3 doc1:province:svay-rieng new=no",
			"h3 doc1:compound:kk-park new=yes",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := bus.Open(t.Context(), bus.Options{DataDir: t.TempDir(), MentionEvents: tt.on})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			got := publishVersions(t, b)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("mention events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			var tagged []string
			err = bus.Replay(t.Context(), b, bus.StreamTagged, document.TaggedBusSchema, 100, func(ts []document.Tagged, _ int) error {
				for _, tg := range ts {
					tagged = append(tagged, tg.ID+" "+tg.ContentHash)
				}
				return nil
			}, func(s string, err error) { t.Errorf("%s: %v", s, err) })
			if err != nil || strings.Join(tagged, ",") != "doc1 h3" {
				t.Errorf("tagged log = %q, %v; want the last version", tagged, err)
			}
		})
	}
}

// TestTaggedWire checks what CW_TAGGED carries: a tagged document
// without its mentions' contexts and without the texts a reader cuts
// back from its text at their offsets, under the v3 schema, which a
// stage reads, texts restored, beside the v2 and v1 messages (whole) a
// stream kept from before; a reader that wants v1 refuses v3. The
// mention events, made before the document is compacted, cut their
// contexts from its text.
func TestTaggedWire(t *testing.T) {
	ctx := t.Context()
	b, err := bus.Open(ctx, bus.Options{DataDir: t.TempDir(), MentionEvents: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const text = "Police raided the Golden Fortune compound at dawn, freeing 300  workers."
	doc := func(id string) document.Tagged {
		return document.Tagged{
			Raw: document.Raw{ID: id, ContentHash: "h-" + id, Title: id, Text: text},
			Entities: []document.Entity{{Type: document.Compound, ID: "golden-fortune", Name: "Golden Fortune", Known: true,
				Mentions: []document.Mention{{Text: "Golden Fortune", Start: 18, End: 32}}}},
			Figures: []document.Figure{{Value: 300, Unit: "people", Text: "300  workers", Start: 59, End: 71}},
			// The summary folds the double space, so it is not the
			// text at its offsets and travels.
			Events: []document.Event{{Date: "2024", Summary: "Police raided … 300 workers.", Start: 0, End: len(text)}},
		}
	}
	if err := b.PublishTagged(ctx, doc("new")); err != nil {
		t.Fatal(err)
	}
	for _, schema := range []string{document.TaggedSchema, "compoundwatch.tagged/v2"} {
		old := doc(schema)
		old.ID, old.Schema = strings.ReplaceAll(strings.TrimPrefix(schema, "compoundwatch."), "/", "-"), schema
		if schema == document.TaggedSchema {
			old.Entities[0].Mentions[0].Context = text // v1 carried the contexts
		}
		if _, err := b.Publish(ctx, bus.TaggedSubject(old.ID), old.ID, schema, old, nil); err != nil {
			t.Fatal(err)
		}
	}

	raw, err := bus.ReadSubject[json.RawMessage](ctx, b, bus.StreamTagged, bus.TaggedSubject("new"), document.TaggedBusSchema, time.Time{})
	if err != nil || len(raw) != 1 {
		t.Fatalf("read the new document: %d messages, %v", len(raw), err)
	}
	for _, s := range []string{`"context"`, `"text":"Golden Fortune"`, `"text":"300  workers"`} {
		if bytes.Contains(raw[0], []byte(s)) {
			t.Errorf("on the wire, %s: %s", s, raw[0])
		}
	}
	for _, s := range []string{`"schema":"` + document.TaggedBusSchema + `"`, `"summary":"Police raided … 300 workers."`} {
		if !bytes.Contains(raw[0], []byte(s)) {
			t.Errorf("not on the wire, %s: %s", s, raw[0])
		}
	}

	got := map[string]string{}
	err = bus.Replay(ctx, b, bus.StreamTagged, document.TaggedBusSchema, 10, func(ts []document.Tagged, _ int) error {
		for _, tg := range ts {
			m := tg.Entities[0].Mentions[0]
			got[tg.ID] = fmt.Sprintf("%s %q %q %q %q", tg.Schema, m.Text, m.Context, tg.Figures[0].Text, tg.Events[0].Summary)
		}
		return nil
	}, func(s string, err error) { t.Errorf("%s: %v", s, err) })
	const texts = ` "Golden Fortune" %q "300  workers" "Police raided … 300 workers."`
	want := map[string]string{
		"new":       document.TaggedBusSchema + fmt.Sprintf(texts, ""),
		"tagged-v2": "compoundwatch.tagged/v2" + fmt.Sprintf(texts, ""),
		"tagged-v1": document.TaggedSchema + fmt.Sprintf(texts, text),
	}
	if err != nil || !maps.Equal(got, want) {
		t.Errorf("a v3 reader got %q (%v), want %q", got, err, want)
	}

	var refused []string
	err = bus.Replay(ctx, b, bus.StreamTagged, document.TaggedSchema, 10, func(ts []document.Tagged, _ int) error { return nil },
		func(s string, err error) { refused = append(refused, s) })
	if err != nil || !slices.Equal(refused, []string{bus.TaggedSubject("new"), bus.TaggedSubject("tagged-v2")}) {
		t.Errorf("a v1 reader refused %q (%v), want the v3 and v2 messages", refused, err)
	}

	evs, err := bus.ReadSubject[document.MentionEvent](ctx, b, bus.StreamMentions, bus.MentionSubject(document.Compound, "golden-fortune"), document.MentionSchema, time.Time{})
	// The extractor leaves contexts out; the mention event cuts its own.
	const cut = "Police raided the Golden Fortune compound at dawn, freeing 300 workers."
	if err != nil || len(evs) != 1 || evs[0].Context != cut {
		t.Errorf("mention events %+v (%v), want one with the context %q", evs, err, cut)
	}
}

// publishVersions publishes four versions of one tagged document (the
// first, its redelivery, an edit, and an edit that names again what the
// one before dropped) and returns the mention events stream's
// account of them, one line each.
func publishVersions(t *testing.T, b *bus.Bus) []string {
	ctx := t.Context()
	ent := func(typ, id string) document.Entity {
		return document.Entity{Type: typ, ID: id, Name: id, Known: true, Mentions: []document.Mention{{Text: id}}}
	}
	version := func(hash string, ents ...document.Entity) document.Tagged {
		return document.Tagged{Raw: document.Raw{ID: "doc1", ContentHash: hash, Title: "T"}, Entities: ents, Extractor: "x1"}
	}
	before := time.Now()
	steps := []document.Tagged{
		version("h1", ent("compound", "huang-le"), ent("province", "svay-rieng")),
		version("h1", ent("compound", "huang-le"), ent("province", "svay-rieng")), // redelivered: nothing new
		version("h2", ent("compound", "huang-le"), ent("tycoon", "try-pheap")),    // edited: one new entity
		// Named again after an edit that dropped it: not new, as the
		// document had it before.
		version("h3", ent("province", "svay-rieng"), ent("compound", "kk-park")),
	}
	for _, tg := range steps {
		if err := b.PublishTagged(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	var events []document.MentionEvent
	err := bus.Replay(ctx, b, bus.StreamMentions, document.MentionSchema, 100, func(evs []document.MentionEvent, _ int) error {
		events = append(events, evs...)
		return nil
	}, func(s string, err error) { t.Errorf("%s: %v", s, err) })
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range events {
		got = append(got, ev.ContentHash+" "+ev.Key+" new="+map[bool]string{true: "yes", false: "no"}[ev.New])
		if ev.TaggedAt.Before(before) {
			t.Errorf("%s: tagged_at %v is not the time of tagging", ev.Key, ev.TaggedAt)
		}
	}
	return got
}

// TestConsume drives a stage through the shared consume path: schema
// checks, superseded versions, retries, dead letters and a panicking
// document that must not take its batch down. A stage that lingers decodes
// its messages while the batch gathers, or on handover when asked, so
// every way is run.
func TestConsume(t *testing.T) {
	for _, tt := range []struct {
		name  string
		stage bus.Stage
	}{
		{"at once", bus.Stage{Batch: 10}},
		{"lingering", bus.Stage{Batch: 10, InFlight: 2, Linger: 50 * time.Millisecond, HoldPartial: true}},
		{"lingering, decoded on handover", bus.Stage{Batch: 10, InFlight: 2, Linger: 50 * time.Millisecond, DecodeOnHandover: true}},
	} {
		t.Run(tt.name, func(t *testing.T) { testConsume(t, tt.stage) })
	}
}

func testConsume(t *testing.T, st bus.Stage) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	b := open(t, t.TempDir())
	defer b.Close()
	pub := func(id, schema, text string) {
		t.Helper()
		r := document.Raw{Schema: schema, ID: id, Text: text}
		if _, err := b.Publish(ctx, bus.RawSubject(id), id+":"+text, schema, r, nil); err != nil {
			t.Fatal(err)
		}
	}
	pub("good", document.RawSchema, "fine")
	pub("old", document.RawSchema, "v1")
	pub("old", document.RawSchema, "v2") // the stream keeps v2 only
	pub("alien", "compoundwatch.raw/v9", "?")
	pub("boom", document.RawSchema, "panic")
	pub("flaky", document.RawSchema, "fails once")
	pub("bad", document.RawSchema, "permanent")

	var (
		mu       sync.Mutex
		handled  = map[string][]string{}
		attempts tally
	)
	stageCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		st.Name, st.Stream, st.Schema, st.MaxDeliver = "test", bus.StreamRaw, document.RawSchema, 3
		done <- bus.Consume(stageCtx, b, st,
			func(ctx context.Context, items []*bus.Item[document.Raw]) {
				for _, it := range items {
					n := attempts.add(it.Value.ID)
					switch it.Value.Text {
					case "panic":
						panic("poison")
					case "fails once":
						if n == 1 {
							it.Err = errors.New("service busy")
							continue
						}
					case "permanent":
						it.Err = bus.Permanent(errors.New("bad input"))
						continue
					}
					mu.Lock()
					handled[it.Value.ID] = append(handled[it.Value.ID], it.Value.Text)
					mu.Unlock()
				}
			})
	}()
	settled(t, ctx, b, bus.StreamRaw, "test", stop, done)
	mu.Lock()
	defer mu.Unlock()
	// The panic makes the batch run again one item at a time, so an
	// item may be handled twice (handlers are idempotent), but always in
	// its latest version.
	for id, want := range map[string]string{"good": "fine", "old": "v2", "flaky": "fails once"} {
		if got := handled[id]; len(got) == 0 || slices.ContainsFunc(got, func(v string) bool { return v != want }) {
			t.Errorf("%s handled as %q, want %q", id, got, want)
		}
	}
	var reasons []string
	err := bus.Replay(ctx, b, bus.StreamDead, bus.DeadSchema, 10, func(dls []bus.DeadLetter, _ int) error {
		for _, dl := range dls {
			if dl.Stage != "test" {
				t.Errorf("dead letter from %q", dl.Stage)
			}
			reasons = append(reasons, dl.Subject+": "+dl.Reason)
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(reasons, "\n")
	for _, want := range []string{"cw.docs.raw.alien: cw.docs.raw.alien: unknown schema", "cw.docs.raw.boom: cw.docs.raw.boom: handler panic: poison", "cw.docs.raw.bad: bad input"} {
		if !strings.Contains(all, want) {
			t.Errorf("dead letters lack %q:\n%s", want, all)
		}
	}
	if len(reasons) != 3 {
		t.Errorf("%d dead letters, want 3:\n%s", len(reasons), all)
	}
}

// TestSetupKeepsLargerLimits: a stream whose limits an operator raised
// keeps them when a process opens the bus, and only an explicit migration
// applies the declared ones.
func TestSetupKeepsLargerLimits(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	b := open(t, dir)
	js := natstest.JetStream(t, b.URL())
	s, err := js.Stream(ctx, bus.StreamMentions)
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.CachedInfo().Config
	declared := cfg.MaxAge
	cfg.MaxAge = 3 * declared
	cfg.MaxBytes = -1
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	b.Close()

	maxAge := func(o bus.Options) time.Duration {
		t.Helper()
		o.DataDir = dir
		b, err := bus.Open(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		s, err := natstest.JetStream(t, b.URL()).Stream(ctx, bus.StreamMentions)
		if err != nil {
			t.Fatal(err)
		}
		return s.CachedInfo().Config.MaxAge
	}
	if got := maxAge(bus.Options{}); got != 3*declared {
		t.Errorf("after a plain open, max age %v, want the raised %v kept", got, 3*declared)
	}
	if got := maxAge(bus.Options{Migrate: true}); got != declared {
		t.Errorf("after a migration, max age %v, want the declared %v", got, declared)
	}
}

// TestReopenUpdatesNothing: opening the bus on streams it set up before
// sends no update requests (on a cluster each is a round of the meta
// group), the server's -1 for "unlimited" being the declared zero.
func TestReopenUpdatesNothing(t *testing.T) {
	dir := t.TempDir()
	open(t, dir).Close()
	var logs bytes.Buffer
	b, err := bus.Open(t.Context(), bus.Options{DataDir: dir, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if strings.Contains(logs.String(), "updating") {
		t.Errorf("reopening updated what it had set up:\n%s", logs.String())
	}
}

// TestClusterKeepsReplicas runs a real three-node cluster: streams and
// buckets set up with three replicas stay at three when a process that
// was given one replica (an operator's `stats`, say) opens the bus.
func TestClusterKeepsReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a nats-server cluster")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	c := natstest.StartCluster(t, 3)
	for _, replicas := range []int{3, 1, 0} {
		b, err := bus.Open(ctx, bus.Options{URL: c.URLs(), Replicas: replicas})
		if err != nil {
			t.Fatalf("open with replicas %d: %v", replicas, err)
		}
		b.Close()
	}
	js := natstest.JetStream(t, c.URLs())
	names := []string{bus.StreamRaw, bus.StreamTagged, bus.StreamMentions, bus.StreamDead, bus.StreamAlerts,
		"OBJ_" + bus.BucketBodies, "KV_" + bus.BucketCrawl, "KV_" + bus.BucketAlertSubs, "KV_" + bus.BucketAlertLedger}
	for _, name := range names {
		s, err := js.Stream(ctx, name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if r := s.CachedInfo().Config.Replicas; r != 3 {
			t.Errorf("%s has %d replicas after opens with fewer, want 3", name, r)
		}
	}
}

// TestConsumeInFlight runs a stage with several batches in flight: more
// than one handler call runs at once, yet the messages of one subject are
// handled one call at a time and in the order they were published, and
// every call runs under the stage's profiler label.
func TestConsumeInFlight(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	b := open(t, t.TempDir())
	defer b.Close()
	const subjects, per = 40, 6
	for i := range per {
		for s := range subjects {
			id := fmt.Sprintf("c%02d", s)
			ev := document.MentionEvent{Schema: document.MentionSchema, EntityType: "compound", EntityID: id, Count: i}
			if _, err := b.Publish(ctx, bus.MentionSubject("compound", id), id+":"+string(rune('0'+i)), document.MentionSchema, ev, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	var (
		mu               sync.Mutex
		running, maxSeen int
		busy             = map[string]bool{}
		order            = map[string][]int{}
	)
	stageCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- bus.Consume(stageCtx, b, bus.Stage{Name: "inflight", Stream: bus.StreamMentions, Schema: document.MentionSchema,
			MaxDeliver: 3, Batch: 7, InFlight: 3},
			func(ctx context.Context, items []*bus.Item[document.MentionEvent]) {
				// Profiles split by stage: every call runs under its label.
				if v, _ := pprof.Label(ctx, "stage"); v != "inflight" {
					t.Errorf("handler runs with profiler label stage=%q, want inflight", v)
				}
				mu.Lock()
				running++
				maxSeen = max(maxSeen, running)
				for _, it := range items {
					if busy[it.Subject] {
						t.Errorf("%s handled by two calls at once", it.Subject)
					}
					busy[it.Subject] = true
					order[it.Value.EntityID] = append(order[it.Value.EntityID], it.Value.Count)
				}
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
				mu.Lock()
				running--
				for _, it := range items {
					busy[it.Subject] = false
				}
				mu.Unlock()
			})
	}()
	settled(t, ctx, b, bus.StreamMentions, "inflight", stop, done)
	mu.Lock()
	defer mu.Unlock()
	if maxSeen < 2 {
		t.Errorf("at most %d handler call at once, want several", maxSeen)
	}
	for id, seq := range order {
		if len(seq) != per || !slices.IsSorted(seq) {
			t.Errorf("%s handled in order %v, want 0..%d", id, seq, per-1)
		}
	}
}

// settled waits until a stage has settled every message, then stops it
// and checks that it ended cleanly.
func settled(t *testing.T, ctx context.Context, b *bus.Bus, stream, durable string, stop func(), done <-chan error) {
	t.Helper()
	if err := b.WaitCaughtUp(ctx, nil, bus.Durable{Stream: stream, Name: durable}); err != nil {
		p, perr := b.Pending(context.Background(), stream, durable)
		t.Fatalf("%s did not settle everything: %d pending (%v, %v)", durable, p, err, perr)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// gatherStage runs a stage on CW_MENTIONS whose handler reports each
// call's messages (by Count) and returns only when released, so that a
// test decides how long each call is in flight.
type gatherStage struct {
	t       *testing.T
	ctx     context.Context
	b       *bus.Bus
	calls   chan gatherCall
	publish func(n int)
	stop    func()
}

type gatherCall struct {
	counts  []int
	release chan struct{}
}

func startGather(t *testing.T, st bus.Stage) *gatherStage {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	b := open(t, t.TempDir())
	t.Cleanup(func() { b.Close() })
	g := &gatherStage{t: t, ctx: ctx, b: b, calls: make(chan gatherCall)}
	g.publish = func(n int) {
		id := fmt.Sprintf("g%d", n)
		ev := document.MentionEvent{Schema: document.MentionSchema, EntityType: "compound", EntityID: id, Count: n}
		if _, err := b.Publish(ctx, bus.MentionSubject("compound", id), id, document.MentionSchema, ev, nil); err != nil {
			t.Fatal(err)
		}
	}
	st.Name, st.Stream, st.Schema, st.MaxDeliver = "gather", bus.StreamMentions, document.MentionSchema, 3
	stageCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- bus.Consume(stageCtx, b, st, func(ctx context.Context, items []*bus.Item[document.MentionEvent]) {
			c := gatherCall{release: make(chan struct{})}
			for _, it := range items {
				c.counts = append(c.counts, it.Value.Count)
			}
			g.calls <- c
			<-c.release
		})
	}()
	g.stop = func() { settled(t, ctx, b, bus.StreamMentions, "gather", stop, done) }
	return g
}

// next waits for the next handler call.
func (g *gatherStage) next(what string) gatherCall {
	g.t.Helper()
	select {
	case c := <-g.calls:
		return c
	case <-time.After(10 * time.Second):
		g.t.Fatalf("no handler call for %s", what)
		return gatherCall{}
	}
}

// none checks that no handler call starts within d.
func (g *gatherStage) none(d time.Duration, why string) {
	g.t.Helper()
	select {
	case c := <-g.calls:
		g.t.Fatalf("a call with %v started, but %s", c.counts, why)
	case <-time.After(d):
	}
}

// TestConsumeGather: a batch that is not full is handed over after the
// linger when a slot is free, even while another call runs (the embedded
// index works on several batches at once); while every slot is taken it
// goes on gathering, since it could not start anyway.
func TestConsumeGather(t *testing.T) {
	g := startGather(t, bus.Stage{Batch: 100, InFlight: 2, Linger: 100 * time.Millisecond})
	g.publish(0)
	first := g.next("the first message")
	g.publish(1)
	second := g.next("a message while one call runs and a slot is free")
	if !slices.Equal(first.counts, []int{0}) || !slices.Equal(second.counts, []int{1}) {
		t.Fatalf("calls %v, %v; want [0], [1]", first.counts, second.counts)
	}
	// Both slots are taken: what arrives now waits and gathers.
	g.publish(2)
	time.Sleep(300 * time.Millisecond)
	g.publish(3)
	time.Sleep(300 * time.Millisecond)
	close(second.release)
	third := g.next("messages gathered while the slots were taken")
	if !slices.Equal(third.counts, []int{2, 3}) {
		t.Errorf("third call %v, want [2 3] in one batch", third.counts)
	}
	close(first.release)
	close(third.release)
	g.stop()
}

// TestConsumeFullBatchesOverlap: full batches run InFlight at once, each
// full, however large: the server must let the stage hold every batch
// in flight unsettled (MaxAckPending), or the second can only take what
// the first left room for.
func TestConsumeFullBatchesOverlap(t *testing.T) {
	const batch = 1500
	// The linger lets each batch fill while the messages are published.
	g := startGather(t, bus.Stage{Batch: batch, InFlight: 2, Linger: 10 * time.Second})
	for i := range 2 * batch {
		g.publish(i)
	}
	first := g.next("the first full batch")
	second := g.next("the second batch, while the first runs")
	if len(first.counts) != batch || len(second.counts) != batch {
		t.Errorf("two calls at once with %d and %d messages, want %d each", len(first.counts), len(second.counts), batch)
	}
	close(first.release)
	close(second.release)
	g.stop()
}

// TestConsumeLingerMax: with LingerMax, a batch that grows while it
// lingers lingers again, so that a burst longer than Linger is one
// batch, and a stream that does not stop is cut at LingerMax.
func TestConsumeLingerMax(t *testing.T) {
	const linger = 250 * time.Millisecond
	for _, tt := range []struct {
		name      string
		lingerMax time.Duration
		burst     int // messages, 25 ms apart
		whole     bool
	}{
		{"one linger cuts a burst", 0, 16, false},
		{"a burst is one batch", 3 * time.Second, 16, true},
		{"a stream is cut at LingerMax", 500 * time.Millisecond, 48, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := startGather(t, bus.Stage{Batch: 100, Linger: linger, LingerMax: tt.lingerMax})
			// The calls are taken in the background, so that publishing
			// (which fails the test on an error) stays on this goroutine.
			handled := make(chan [][]int, 1)
			go func() {
				var calls [][]int
				for n := 0; n < tt.burst; {
					select {
					case c := <-g.calls:
						calls = append(calls, c.counts)
						n += len(c.counts)
						close(c.release)
					case <-time.After(10 * time.Second):
						n = tt.burst
					}
				}
				handled <- calls
			}()
			for i := range tt.burst {
				g.publish(i)
				time.Sleep(25 * time.Millisecond)
			}
			calls := <-handled
			if n := len(slices.Concat(calls...)); n != tt.burst {
				t.Fatalf("handled %d of %d messages in %v", n, tt.burst, calls)
			}
			if whole := len(calls) == 1; whole != tt.whole {
				t.Errorf("batches %v; want the burst in one: %v", calls, tt.whole)
			}
			g.stop()
		})
	}
}

// TestConsumeLingerAfterLast: with LingerMax, a batch is handed over
// about one Linger after its last message, not a Linger per wait for
// more: messages that came while it lingered once do not make it wait a
// whole Linger again.
func TestConsumeLingerAfterLast(t *testing.T) {
	const linger = 500 * time.Millisecond
	g := startGather(t, bus.Stage{Batch: 100, Linger: linger, LingerMax: 5 * time.Second})
	g.publish(0)
	time.Sleep(50 * time.Millisecond)
	g.publish(1)
	g.publish(2)
	last := time.Now()
	c := g.next("the batch")
	waited := time.Since(last)
	close(c.release)
	if !slices.Equal(c.counts, []int{0, 1, 2}) {
		t.Errorf("batch %v, want [0 1 2]", c.counts)
	}
	// One linger after the last message; a second whole linger would
	// end at 950 ms.
	if waited < linger-100*time.Millisecond || waited > linger+350*time.Millisecond {
		t.Errorf("handed over %v after the last message, want about %v", waited, linger)
	}
	g.stop()
}

// TestConsumeLingerEndsWhenFeedersQuiet: a batch on CW_TAGGED lingers
// while the extractor, which fills that stream, has work in hand, and is
// handed over as soon as the extractor has none, not a Linger later:
// nothing more is on its way. The last batch of an ingest waited out the
// whole Linger for nothing.
func TestConsumeLingerEndsWhenFeedersQuiet(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	b := open(t, t.TempDir())
	defer b.Close()
	run := func(st bus.Stage, handle func(ctx context.Context, items []*bus.Item[json.RawMessage])) (stop func(), done chan error) {
		sctx, stop := context.WithCancel(ctx)
		done = make(chan error, 1)
		go func() { done <- bus.Consume(sctx, b, st, handle) }()
		return stop, done
	}
	// The extractor holds a raw document until released.
	// It never blocks the test's end: a failure stops the stages first.
	taken, release := make(chan struct{}, 1), make(chan struct{})
	stopX, doneX := run(bus.Stage{Name: bus.ConsumerExtractor, Stream: bus.StreamRaw, Schema: document.RawSchema, MaxDeliver: 3},
		func(ctx context.Context, items []*bus.Item[json.RawMessage]) {
			select {
			case taken <- struct{}{}:
			default:
			}
			select {
			case <-release:
			case <-ctx.Done():
			}
		})
	if _, err := b.PublishRaw(ctx, &document.Raw{Source: "a", Text: "a text"}); err != nil {
		t.Fatal(err)
	}
	<-taken
	calls := make(chan []string, 2)
	stopT, doneT := run(bus.Stage{Name: "lingerer", Stream: bus.StreamTagged, Schema: document.TaggedBusSchema, MaxDeliver: 3,
		Batch: 10, Linger: time.Minute},
		func(ctx context.Context, items []*bus.Item[json.RawMessage]) {
			var subjects []string
			for _, it := range items {
				subjects = append(subjects, it.Subject)
			}
			calls <- subjects
		})
	tagged := func(id string) {
		if err := b.PublishTagged(ctx, document.Tagged{Raw: document.Raw{ID: id, ContentHash: "h-" + id, Text: id}}); err != nil {
			t.Fatal(err)
		}
	}
	tagged("d1")
	// Past several of the batch's waits for more (20 ms each): with the
	// extractor busy, each finds more may come.
	time.Sleep(300 * time.Millisecond)
	tagged("d2")
	time.Sleep(100 * time.Millisecond)
	close(release)
	select {
	case got := <-calls:
		if want := []string{bus.TaggedSubject("d1"), bus.TaggedSubject("d2")}; !slices.Equal(got, want) {
			t.Errorf("first batch %v, want %v: it must linger while the extractor works", got, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the batch was not handed over once the extractor was done; its linger is a minute")
	}
	settled(t, ctx, b, bus.StreamTagged, "lingerer", stopT, doneT)
	settled(t, ctx, b, bus.StreamRaw, bus.ConsumerExtractor, stopX, doneX)
}

// stamped is a mention event that notes when it was decoded.
type stamped struct {
	document.MentionEvent
	decodedAt time.Time
}

func (s *stamped) UnmarshalJSON(data []byte) error {
	if err := json.Unmarshal(data, &s.MentionEvent); err != nil {
		return err
	}
	s.decodedAt = time.Now()
	return nil
}

// TestConsumeDecodesWhileGathering: a batch held back while a call runs
// is decoded as it gathers, so that the service it goes to gets it the
// moment the call before it ends, not after its documents are decoded;
// with DecodeOnHandover, only once it is handed over.
func TestConsumeDecodesWhileGathering(t *testing.T) {
	for _, onHandover := range []bool{false, true} {
		t.Run(fmt.Sprintf("DecodeOnHandover=%v", onHandover), func(t *testing.T) { testDecodesWhileGathering(t, onHandover) })
	}
}

func testDecodesWhileGathering(t *testing.T, onHandover bool) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	b := open(t, t.TempDir())
	defer b.Close()
	pub := func(n int) {
		t.Helper()
		id := fmt.Sprintf("d%d", n)
		ev := document.MentionEvent{Schema: document.MentionSchema, EntityType: "compound", EntityID: id, Count: n}
		if _, err := b.Publish(ctx, bus.MentionSubject("compound", id), id, document.MentionSchema, ev, nil); err != nil {
			t.Fatal(err)
		}
	}
	type call struct {
		items   []*bus.Item[stamped]
		release chan struct{}
	}
	calls := make(chan call)
	next := func(what string) call {
		t.Helper()
		select {
		case c := <-calls:
			return c
		case <-time.After(10 * time.Second):
			t.Fatalf("no handler call for %s", what)
			return call{}
		}
	}
	st := bus.Stage{Name: "decode", Stream: bus.StreamMentions, Schema: document.MentionSchema, MaxDeliver: 3,
		Batch: 10, InFlight: 2, Linger: 50 * time.Millisecond, HoldPartial: true, DecodeOnHandover: onHandover}
	stageCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- bus.Consume(stageCtx, b, st, func(ctx context.Context, items []*bus.Item[stamped]) {
			c := call{items, make(chan struct{})}
			calls <- c
			<-c.release
		})
	}()
	pub(0)
	first := next("the first message")
	for n := 1; n <= 3; n++ {
		pub(n)
	}
	// Once the server has handed the three to the held batch, it decodes
	// them as they come; the pause leaves it ample time to.
	cons, err := natstest.JetStream(t, b.URL()).Consumer(ctx, bus.StreamMentions, "decode")
	if err != nil {
		t.Fatal(err)
	}
	for {
		ci, err := cons.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ci.NumAckPending == 4 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	released := time.Now()
	close(first.release)
	second := next("the held batch")
	var counts []int
	for _, it := range second.items {
		counts = append(counts, it.Value.Count)
		switch early := it.Value.decodedAt.Before(released); {
		case !onHandover && !early:
			t.Errorf("%s decoded %v after the call before it ended, not while its batch gathered",
				it.Subject, it.Value.decodedAt.Sub(released))
		case onHandover && early:
			t.Errorf("%s decoded %v before the call before it ended, while its batch gathered, not on handover",
				it.Subject, released.Sub(it.Value.decodedAt))
		}
	}
	if !slices.Equal(counts, []int{1, 2, 3}) {
		t.Errorf("held batch %v, want [1 2 3]", counts)
	}
	close(second.release)
	settled(t, ctx, b, bus.StreamMentions, "decode", stop, done)
}

// TestConsumeHoldPartial: with HoldPartial, a batch that is not full
// gathers while any call runs, though a slot is free, and is handed over
// when none does; a full batch starts in the free slot at once.
func TestConsumeHoldPartial(t *testing.T) {
	g := startGather(t, bus.Stage{Batch: 3, InFlight: 2, Linger: 100 * time.Millisecond, HoldPartial: true})
	g.publish(0)
	first := g.next("the first message")
	g.publish(1)
	g.none(400*time.Millisecond, "a partial batch should wait while a call runs")
	g.publish(2)
	g.publish(3)
	full := g.next("a full batch while a call runs")
	if !slices.Equal(full.counts, []int{1, 2, 3}) {
		t.Fatalf("full batch %v, want [1 2 3]", full.counts)
	}
	g.publish(4)
	time.Sleep(200 * time.Millisecond)
	close(full.release)
	g.none(300*time.Millisecond, "the first call still runs")
	g.publish(5)
	time.Sleep(100 * time.Millisecond)
	close(first.release)
	last := g.next("the partial batch once no call runs")
	if !slices.Equal(last.counts, []int{4, 5}) {
		t.Errorf("last call %v, want [4 5] in one batch", last.counts)
	}
	close(last.release)
	g.stop()
}

// TestConsumeStops: an idle stage, waiting for its next message, returns
// as soon as its context ends rather than when its wait would have (2 s),
// which every `compoundwatch ingest` sat out on its way out.
func TestConsumeStops(t *testing.T) {
	b := open(t, t.TempDir())
	defer b.Close()
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- bus.Consume(ctx, b, bus.Stage{Name: "idle", Stream: bus.StreamRaw, Schema: document.RawSchema, MaxDeliver: 3},
			func(context.Context, []*bus.Item[document.Raw]) { t.Error("a call with no message published") })
	}()
	// The stage is waiting once its consumer exists and a moment passed.
	for _, err := b.Pending(ctx, bus.StreamRaw, "idle"); err != nil; _, err = b.Pending(ctx, bus.StreamRaw, "idle") {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Second):
		t.Fatal("the stage still runs a second after its context ended")
	}
}

// TestConsumeAwaits: an item whose handler published without waiting
// for the server (Item.Await) is settled only once Await returns, and
// redelivered when it fails, as when the handler itself fails.
func TestConsumeAwaits(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	b := open(t, t.TempDir())
	defer b.Close()
	for _, id := range []string{"a", "b", "c"} {
		r := document.Raw{Schema: document.RawSchema, ID: id, Text: id}
		if _, err := b.Publish(ctx, bus.RawSubject(id), id, document.RawSchema, r, nil); err != nil {
			t.Fatal(err)
		}
	}
	var (
		attempts tally
		release  = make(chan struct{})
	)
	stageCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	// Room for three batches at once: should the three messages come in
	// more than one, the first's wait must not keep the others away.
	go func() {
		done <- bus.Consume(stageCtx, b, bus.Stage{Name: "await", Stream: bus.StreamRaw, Schema: document.RawSchema, MaxDeliver: 3, Batch: 10, InFlight: 3},
			func(ctx context.Context, items []*bus.Item[document.Raw]) {
				for _, it := range items {
					n := attempts.add(it.Value.ID)
					it.Await = func(ctx context.Context) error {
						<-release
						if it.Value.ID == "b" && n == 1 {
							return errors.New("not stored")
						}
						return nil
					}
				}
			})
	}()
	for len(attempts.counts()) < 3 {
		time.Sleep(10 * time.Millisecond)
	}
	// Long enough for a Consume that did not wait to have settled them.
	time.Sleep(300 * time.Millisecond)
	st, err := b.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := st.Stream(bus.StreamRaw).Consumer("await"); c.AckPending != 3 {
		t.Errorf("while the acknowledgements are awaited: %d messages unsettled, want 3", c.AckPending)
	}
	close(release)
	settled(t, ctx, b, bus.StreamRaw, "await", stop, done)
	if got, want := attempts.counts(), map[string]int{"a": 1, "b": 2, "c": 1}; !maps.Equal(got, want) {
		t.Errorf("handled %v times, want %v (b again after its Await failed)", got, want)
	}
}

// tally counts a handler's attempts at each document, from any of a
// stage's goroutines.
type tally struct {
	mu sync.Mutex
	n  map[string]int
}

// add counts one more attempt at id and returns how many there were.
func (c *tally) add(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[id]++
	return c.n[id]
}

func (c *tally) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.n)
}

// TestTaggedHistories: each tagged version carries what the log held of
// the versions before it, read when it is published, or for a batch at
// once (TaggedHistories): the hash of the version before and every
// entity of the earlier versions, each once in the order it first
// appeared; a first version's history is empty, and a version the log
// holds that does not decode counts as none.
func TestTaggedHistories(t *testing.T) {
	ctx := t.Context()
	b := open(t, t.TempDir())
	defer b.Close()
	ent := func(typ, id string) document.Entity { return document.Entity{Type: typ, ID: id, Name: id} }
	ref := func(typ, id string) document.EntityRef { return document.EntityRef{Type: typ, ID: id} }
	versions := []document.Tagged{
		{Raw: document.Raw{ID: "doc", ContentHash: "h1", Text: "one"},
			Entities: []document.Entity{ent(document.Compound, "huang-le"), ent(document.Province, "svay-rieng")}},
		{Raw: document.Raw{ID: "doc", ContentHash: "h2", Text: "two"},
			Entities: []document.Entity{ent(document.Tycoon, "try-pheap"), ent(document.Compound, "huang-le")}},
		{Raw: document.Raw{ID: "doc", ContentHash: "h3", Text: "three"}},
	}
	want := []*document.History{
		{},
		{Hash: "h1", Seen: []document.EntityRef{ref(document.Compound, "huang-le"), ref(document.Province, "svay-rieng")}},
		{Hash: "h2", Seen: []document.EntityRef{ref(document.Compound, "huang-le"), ref(document.Province, "svay-rieng"), ref(document.Tycoon, "try-pheap")}},
		{Hash: "h3", Seen: []document.EntityRef{ref(document.Compound, "huang-le"), ref(document.Province, "svay-rieng"), ref(document.Tycoon, "try-pheap")}},
	}
	last := func() *document.History {
		t.Helper()
		var h *document.History
		err := bus.Replay(ctx, b, bus.StreamTagged, document.TaggedBusSchema, 10, func(ts []document.Tagged, _ int) error {
			for _, tg := range ts {
				if tg.ID == "doc" {
					h = tg.History
				}
			}
			return nil
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	for i, v := range versions {
		if err := b.PublishTagged(ctx, v); err != nil {
			t.Fatal(err)
		}
		if got := last(); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("version %d carries %+v, want %+v", i+1, got, want[i])
		}
	}
	// A batch's at once, a document the log does not hold among them.
	hs, err := b.TaggedHistories(ctx, []string{"doc", "new"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(hs, map[string]*document.History{"doc": want[3], "new": {}}) {
		t.Errorf("histories %+v, want %+v and an empty one", hs, want[3])
	}
	// A history given by the caller is the one published.
	given := &document.History{Hash: "elsewhere", Seen: []document.EntityRef{ref(document.Compound, "kk-park")}}
	if err := b.PublishTagged(ctx, document.Tagged{Raw: document.Raw{ID: "doc", ContentHash: "h4", Text: "four"}, History: given}); err != nil {
		t.Fatal(err)
	}
	if got := last(); !reflect.DeepEqual(got, given) {
		t.Errorf("published %+v, want the caller's %+v", got, given)
	}
	// Not a tagged document: no history, and tagging goes on.
	if _, err := b.Publish(ctx, bus.TaggedSubject("junk"), "junk", document.TaggedBusSchema, "not an object", nil); err != nil {
		t.Fatal(err)
	}
	if hs, err := b.TaggedHistories(ctx, []string{"junk"}); err != nil || !reflect.DeepEqual(hs["junk"], &document.History{}) {
		t.Errorf("history after an undecodable version: %+v, %v; want an empty one", hs["junk"], err)
	}
}

// TestConsumerStartAndDelete: a stage's consumer made with a StartTime
// delivers what was stored from then on; one that exists keeps its place
// whatever StartTime a later start gives; deleting it stops a stage
// running on it with ErrConsumerGone, and deleting one that does not
// exist is no error.
func TestConsumerStartAndDelete(t *testing.T) {
	ctx := t.Context()
	b := open(t, t.TempDir())
	defer b.Close()
	publish := func(id string) {
		t.Helper()
		raw := &document.Raw{Source: id, Text: id}
		if _, err := b.PublishRaw(ctx, raw); err != nil {
			t.Fatal(err)
		}
	}
	publish("before")
	time.Sleep(20 * time.Millisecond)
	start := time.Now()
	publish("after")
	st := bus.Stage{Name: "late", Stream: bus.StreamRaw, Schema: document.RawSchema, MaxDeliver: 3, StartTime: start}
	run := func(st bus.Stage) (got chan string, done chan error, stop func()) {
		got, done = make(chan string, 10), make(chan error, 1)
		cctx, stop := context.WithCancel(ctx)
		go func() {
			done <- bus.Consume(cctx, b, st, func(_ context.Context, items []*bus.Item[document.Raw]) {
				for _, it := range items {
					got <- it.Value.Source
				}
			})
		}()
		return got, done, stop
	}
	next := func(got chan string) string {
		t.Helper()
		select {
		case s := <-got:
			return s
		case <-time.After(10 * time.Second):
			t.Fatal("nothing delivered")
			return ""
		}
	}
	got, done, stop := run(st)
	if s := next(got); s != "after" {
		t.Errorf("first delivery %q, want the message stored after the start", s)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st.StartTime = time.Time{} // the stream's first, were it made now
	publish("later")
	got, done, stop = run(st)
	defer stop()
	if s := next(got); s != "later" {
		t.Errorf("after a restart: %q, want the consumer to go on from its place", s)
	}
	if err := b.DeleteConsumer(ctx, st); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, bus.ErrConsumerGone) {
			t.Errorf("the stage stopped with %v, want ErrConsumerGone", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the stage runs on a deleted consumer")
	}
	if err := b.DeleteConsumer(ctx, st); err != nil {
		t.Errorf("deleting it again: %v", err)
	}
}
