package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/internal/natstest"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

func openBus(t testing.TB) *bus.Bus { return openBusB(t, t.TempDir()) }

// openStore is openBus with the alerts store on it.
func openStore(t testing.TB) (*bus.Bus, *Store) {
	t.Helper()
	b := openBus(t)
	st, err := OpenStore(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return b, st
}

func openBusB(t testing.TB, dir string) *bus.Bus {
	t.Helper()
	b, err := bus.Open(context.Background(), bus.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func addSub(t testing.TB, st *Store, s Spec, created time.Time) *Subscription {
	t.Helper()
	v := Validator{Gazetteer: testGazetteer(t), Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, Now: func() time.Time { return created }}
	sub, err := v.New(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Add(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	return sub
}

func kinds(t *testing.T, b *bus.Bus, sub *Subscription) []string {
	t.Helper()
	as, err := Alerts(context.Background(), b, sub.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range as {
		out = append(out, a.Kind+" "+a.Document.ID[:6])
	}
	return out
}

// The "only new" rules, step by step against a real JetStream.
func TestOnlyNew(t *testing.T) {
	ctx := context.Background()
	b := openBus(t)
	st, err := OpenStore(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	sub := addSub(t, st, Spec{Entities: []string{"Huang Le", "Chen Zhi"}, Atom: true}, t0)
	w := &Worker{bus: b, store: st, log: slog.New(slog.DiscardHandler), now: func() time.Time { return t0.Add(time.Hour) },
		subs: &subscriptions{subs: map[string]*Subscription{sub.ID: sub}}, dups: newStoryIndex()}
	x := extractor.New(testGazetteer(t))
	mk := func(path, outlet, text string) *document.Tagged {
		raw := document.Raw{Source: path, Title: path, Outlet: outlet, Text: text}
		raw.Finalize()
		tg := x.Extract(raw)
		return &tg
	}
	story := "Police in Sihanoukville searched the Majestic 2 compound on Monday and found 300 workers from six countries. " +
		"Officials said the building had been raided twice before and that its managers had left the country weeks earlier."
	spun := "On Monday police in Sihanoukville searched the Majestic 2 compound, finding 300 workers from six countries. " +
		"Officials said the building had been raided twice already and its managers had left the country weeks before."
	archive := mk("/docs/old.txt", "", "The Majestic 2 compound was mentioned in a court filing about unpaid wages in the port city.")
	var want []string
	step := func(name string, tg *document.Tagged, at time.Time, add ...string) {
		t.Helper()
		// Each version carries its history, as the extractor stage
		// gives it: what the tagged log held before it.
		hs, err := b.TaggedHistories(ctx, []string{tg.ID})
		if err != nil {
			t.Fatal(err)
		}
		tg.History = hs[tg.ID]
		if err := b.PublishTagged(ctx, deepCopy(t, *tg)); err != nil {
			t.Fatal(err)
		}
		if err := w.Process(ctx, tg, at); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, k := range add {
			want = append(want, k+" "+tg.ID[:6])
		}
		if got := kinds(t, b, sub); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("after %s: alerts %v, want %v", name, got, want)
		}
	}
	step("archive document tagged before the subscription", archive, t0.Add(-time.Hour))
	rex := *archive
	rex.Extractor = "v2"
	step("archive document re-extracted after it", &rex, t0.Add(time.Minute))
	first := mk("/docs/a.txt", "Mekong Wire", story)
	step("new story", first, t0.Add(time.Minute), "new")
	step("the same version again (redelivery, restart)", first, t0.Add(2*time.Minute))
	re := *first
	re.Extractor = "v2"
	step("re-extraction with a new extractor", &re, t0.Add(3*time.Minute))
	edited := mk("/docs/a.txt", "Mekong Wire", story+" A lawyer for the compound's owner declined to comment.")
	step("edit that adds no followed entity", edited, t0.Add(4*time.Minute))
	gained := mk("/docs/a.txt", "Mekong Wire", story+" Prince Group chairman Chen Zhi was named in the filing.")
	step("edit that gains Chen Zhi", gained, t0.Add(5*time.Minute), "new")
	copyDoc := mk("/docs/b.txt", "Delta Daily", spun)
	step("spun copy from another outlet", copyDoc, t0.Add(6*time.Minute), "also_reported")
	step("the spun copy again", copyDoc, t0.Add(7*time.Minute))
	syn := mk("/docs/c.txt", "Gulf Times", "Syndicated: Majestic 2 compound story as the crawler found it elsewhere today.")
	syn.DuplicateOf = first.Source // the crawler's duplicate_of names the first copy's URL
	step("crawler duplicate_of", syn, t0.Add(8*time.Minute), "also_reported")

	// The noisy report's count: every alert once, none for what was
	// matched again.
	if status, err := st.Status(ctx, sub.ID); err != nil || !maps.Equal(status.Daily, map[string]int{"2026-03-01": len(want)}) {
		t.Errorf("daily counts %v (%v), want %d alerts on 2026-03-01", status.Daily, err, len(want))
	}
	as, _ := Alerts(ctx, b, sub.ID, time.Time{})
	if got := as[len(as)-1].AlsoReportedBy; len(got) != 2 || got[1].Outlet != "Gulf Times" {
		t.Errorf("also_reported_by = %+v, want both copies", got)
	}
	if as[1].DeliveryKey == as[0].DeliveryKey {
		t.Error("the gained-mention alert reuses the first delivery key")
	}
}

// An archive larger than a batch, tagged before the subscription and
// re-extracted after it, makes one alert: for the document whose new
// version gains a followed entity. What the stage knows of the earlier
// versions is the history each version carries: it writes no state of
// its own for a document.
func TestStageHistories(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, st := openStore(t)
	t0 := time.Now().UTC()
	sub := addSub(t, st, Spec{Entities: []string{"Huang Le", "Chen Zhi"}, Atom: true}, t0)
	stop := runWorker(t, ctx, newWorker(t, b))
	x := extractor.New(testGazetteer(t))
	const n = 250 // more than a batch
	ids, hashes := make([]string, n), make([]string, n)
	var entities7 []document.EntityRef
	publish := func(i int, text string, at time.Time) {
		t.Helper()
		tg := tagAndPublish(t, b, x, document.Raw{Source: fmt.Sprintf("/archive/%03d.txt", i), Title: "Archive", Text: text}, at)
		ids[i], hashes[i] = tg.ID, tg.ContentHash
		if i == 7 && entities7 == nil {
			for _, e := range tg.Entities {
				entities7 = append(entities7, document.EntityRef{Type: e.Type, ID: e.ID})
			}
		}
	}
	text := func(i int) string {
		return fmt.Sprintf("Report %d: police searched the Majestic 2 compound in Sihanoukville.", i)
	}
	for i := range n {
		publish(i, text(i), t0.Add(-time.Hour))
	}
	waitMatched(ctx, t, b)
	for i := range n {
		publish(i, text(i)+" A lawyer for its owner declined to comment.", t0.Add(time.Minute))
	}
	waitMatched(ctx, t, b)
	seen := entities7
	publish(7, text(7)+" Prince Group chairman Chen Zhi was named in the filing.", t0.Add(2*time.Minute))
	waitMatched(ctx, t, b)
	want := []string{"new " + ids[7][:6]}
	if got := kinds(t, b, sub); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("alerts %v, want %v", got, want)
	}
	hs, err := b.TaggedHistories(ctx, ids[7:8])
	if err != nil {
		t.Fatal(err)
	}
	if h := hs[ids[7]]; h.Hash != hashes[7] || len(h.Seen) <= len(seen) || !slices.Equal(h.Seen[:len(seen)], seen) {
		t.Errorf("history after the version that gained an entity: %+v; want hash %s and %v first, then more", h, hashes[7], seen)
	}
	if keys, err := listKeys(ctx, st.Ledger, "doc.*"); err != nil || len(keys) > 0 {
		t.Errorf("the stage wrote %d document states (%v), want none", len(keys), err)
	}
	stop()
}

// With no subscription the stage has no consumer: it costs the pipeline
// nothing. A subscription added later (here across a restart, as a new
// process finds it) still knows each document's earlier versions from
// the history they carry: an edit of a document that already named a
// followed entity alerts nothing, and one that gains a followed entity
// alerts.
func TestStageIdleWithoutSubscriptions(t *testing.T) {
	ctx := context.Background()
	b, st := openStore(t)
	x := extractor.New(testGazetteer(t))
	t0 := time.Now().UTC()
	publish := func(path, text string, at time.Time) document.Tagged {
		t.Helper()
		return tagAndPublish(t, b, x, document.Raw{Source: path, Title: "Archive", Text: text}, at)
	}
	run := func() (stop func()) { return runWorker(t, ctx, newWorker(t, b)) }
	const (
		huangLe = "Police searched the Majestic 2 compound in Sihanoukville."
		other   = "Police searched a building in Sihanoukville."
		chenZhi = " Prince Group chairman Chen Zhi was named in the filing."
	)
	stop := run()
	publish("/archive/a.txt", huangLe, t0.Add(-time.Hour))
	publish("/archive/c.txt", other, t0.Add(-time.Hour))
	waitMatched(ctx, t, b)
	if consumerExists(t, b) {
		t.Error("no subscription: the stage has a consumer")
	}
	stop()
	sub := addSub(t, st, Spec{Entities: []string{"Huang Le", "Chen Zhi"}, Atom: true}, t0)
	stop = run()
	defer stop()
	publish("/archive/a.txt", huangLe+" A lawyer for its owner declined to comment.", t0.Add(time.Minute))
	gained := publish("/archive/c.txt", other+chenZhi, t0.Add(time.Minute))
	waitMatched(ctx, t, b)
	if got, want := strings.Join(kinds(t, b, sub), ","), "new "+gained.ID[:6]; got != want {
		t.Errorf("alerts %q, want %q", got, want)
	}
}

// consumerExists reports whether the alerts stage's consumer exists.
func consumerExists(t *testing.T, b *bus.Bus) bool {
	t.Helper()
	_, err := b.Pending(context.Background(), bus.StreamTagged, Stage)
	if err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// TestStageConsumerOnlyWhileSubscribed: the stage has a consumer only
// while there is a subscription, one that starts at the subscription's
// creation (less clockSkew), so that what was tagged while there was
// none is neither matched nor kept; the last subscription's removal
// deletes it, and the one after starts anew.
func TestStageConsumerOnlyWhileSubscribed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, st := openStore(t)
	x := extractor.New(testGazetteer(t))
	publish := func(path, text string) document.Tagged {
		t.Helper()
		return tagAndPublish(t, b, x, document.Raw{Source: path, Title: "Story", Text: text}, time.Time{})
	}
	w := newWorker(t, b)
	stop := runWorker(t, ctx, w)
	defer stop()
	seen := func(n int) func() bool {
		return func() bool {
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.subs == nil {
				return false
			}
			subs, _ := w.subs.all()
			return len(subs) == n
		}
	}
	exists := func() bool { return consumerExists(t, b) }
	gone := func() bool { return !consumerExists(t, b) }

	const huangLe = "Police searched the Majestic 2 compound in Sihanoukville."
	waitFor(t, "the stage to start", seen(0))
	first := publish("/a.txt", huangLe)
	waitMatched(ctx, t, b)
	if exists() {
		t.Error("no subscription: the stage has a consumer")
	}

	sub := addSub(t, st, Spec{Query: "raided", Atom: true}, time.Now().UTC())
	waitFor(t, "the consumer", exists)
	cfg := natstest.ConsumerConfig(t, b.URL(), bus.StreamTagged, Stage)
	if cfg.OptStartTime == nil || !cfg.OptStartTime.Equal(sub.Created.Add(-clockSkew)) {
		t.Errorf("the consumer starts at %v, want %v", cfg.OptStartTime, sub.Created.Add(-clockSkew))
	}
	raided := publish("/b.txt", "Officers raided an office tower in Phnom Penh on Tuesday night.")
	publish("/a.txt", huangLe+" Months later a task force raided it and seized servers.") // an edit, matched now
	waitMatched(ctx, t, b)
	if got, want := strings.Join(kinds(t, b, sub), ","), "new "+raided.ID[:6]+",new "+first.ID[:6]; got != want {
		t.Errorf("alerts %q, want %q", got, want)
	}

	if err := st.Remove(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the stage to see the subscription go", seen(0))
	waitFor(t, "the consumer to go", gone)
	publish("/d.txt", huangLe+" A fourth story: the building was raided again.")
	waitMatched(ctx, t, b)

	// Tagged before this subscription: /d.txt is not news to it.
	sub = addSub(t, st, Spec{Query: "raided", Atom: true}, time.Now().UTC())
	waitFor(t, "the consumer again", exists)
	later := publish("/c.txt", "Investigators raided warehouses near Bavet after a tip from workers.")
	waitMatched(ctx, t, b)
	if got, want := strings.Join(kinds(t, b, sub), ","), "new "+later.ID[:6]; got != want {
		t.Errorf("alerts %q, want %q", got, want)
	}
}

// A consumer deleted under a running stage while a subscription remains
// (a replica that saw none a moment before) is made again, from the
// earliest subscription: nothing tagged since is missed, and nothing
// already alerted is alerted twice.
func TestStageConsumerDeletedUnderIt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, st := openStore(t)
	x := extractor.New(testGazetteer(t))
	sub := addSub(t, st, Spec{Query: "raided", Atom: true}, time.Now().UTC())
	stop := runWorker(t, ctx, newWorker(t, b))
	defer stop()
	publish := func(path, text string) document.Tagged {
		t.Helper()
		return tagAndPublish(t, b, x, document.Raw{Source: path, Title: "Story", Text: text}, time.Time{})
	}
	first := publish("/a.txt", "Officers raided an office tower in Phnom Penh on Tuesday night.")
	waitMatched(ctx, t, b)
	if err := b.DeleteConsumer(ctx, bus.Stage{Name: Stage, Stream: bus.StreamTagged}); err != nil {
		t.Fatal(err)
	}
	second := publish("/b.txt", "Investigators raided warehouses near Bavet after a tip from workers.")
	waitFor(t, "the consumer again", func() bool { return consumerExists(t, b) })
	waitMatched(ctx, t, b)
	if got, want := strings.Join(kinds(t, b, sub), ","), "new "+first.ID[:6]+",new "+second.ID[:6]; got != want {
		t.Errorf("alerts %q, want %q", got, want)
	}
}

// A document that many subscriptions match gets each of them its alerts
// once, with the ledger read and written for all of them together: a
// spun copy in the same batch as its story folds into it for every
// subscription, and an edit alerts only the subscriptions that follow
// what it gained.
func TestStageManySubscriptions(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, st := openStore(t)
	t0 := time.Now().UTC().Add(-time.Hour)
	var both, one []*Subscription
	for i := range 40 {
		if i%2 == 0 {
			both = append(both, addSub(t, st, Spec{Entities: []string{"Huang Le", "Chen Zhi"}, Atom: true}, t0))
		} else {
			one = append(one, addSub(t, st, Spec{Entities: []string{"Huang Le"}, Atom: true}, t0))
		}
	}
	x := extractor.New(testGazetteer(t))
	tag := func(path, outlet, text, extractor string) document.Tagged {
		raw := document.Raw{Source: path, Title: path, Outlet: outlet, Text: text}
		raw.Finalize()
		tg := x.Extract(raw)
		tg.Extractor = extractor
		return tg
	}
	publish := func(docs ...document.Tagged) {
		t.Helper()
		for _, tg := range docs {
			if err := b.PublishTagged(ctx, tg); err != nil {
				t.Fatal(err)
			}
		}
	}
	story := "Police in Sihanoukville searched the Majestic 2 compound on Monday and found 300 workers from six countries. " +
		"Officials said the building had been raided twice before and that its managers had left the country weeks earlier."
	spun := "On Monday police in Sihanoukville searched the Majestic 2 compound, finding 300 workers from six countries. " +
		"Officials said the building had been raided twice already and its managers had left the country weeks before."
	first, copied := tag("/many/a.txt", "Mekong Wire", story, "v1"), tag("/many/b.txt", "Delta Daily", spun, "v1")
	publish(first, copied) // before the stage starts, so they come in one batch
	w := newWorker(t, b)
	w.wave = 7 // forty hits a document: six waves
	stop := runWorker(t, ctx, w)
	waitMatched(ctx, t, b)
	edit := story + " Prince Group chairman Chen Zhi was named in the filing."
	publish(tag("/many/a.txt", "Mekong Wire", edit, "v1"))
	waitMatched(ctx, t, b)
	publish(tag("/many/a.txt", "Mekong Wire", edit, "v2")) // re-extracted: nothing new
	waitMatched(ctx, t, b)
	check := func(subs []*Subscription, want ...string) {
		t.Helper()
		for _, sub := range subs {
			got := kinds(t, b, sub)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("subscription %s: alerts %v, want %v", sub.ID, got, want)
			}
			if status, err := st.Status(ctx, sub.ID); err != nil || status.Daily[time.Now().UTC().Format(time.DateOnly)] != len(want) {
				t.Fatalf("subscription %s: daily counts %v (%v), want %d today", sub.ID, status.Daily, err, len(want))
			}
		}
	}
	a, c := first.ID[:6], copied.ID[:6]
	check(both, "new "+a, "also_reported "+c, "new "+a)
	check(one, "new "+a, "also_reported "+c)
	stop()
}

// A message published before histories travelled is read with the
// state the stage kept for its document then; a state that does not
// decode fails its document alone, not the batch it came in.
func TestStageLegacyDocState(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, st := openStore(t)
	sub := addSub(t, st, Spec{Entities: []string{"Huang Le"}, Atom: true}, time.Now().UTC().Add(-time.Hour))
	x := extractor.New(testGazetteer(t))
	var docs []document.Tagged
	for i, text := range []string{
		"Police searched the Majestic 2 compound in Sihanoukville.",
		"Workers who left the Majestic 2 compound described locked gates and confiscated passports.",
		"A court heard that wages at the Majestic 2 compound went unpaid for months.",
		"Satellite images show new dormitories rising beside the Majestic 2 compound this spring.",
	} {
		raw := document.Raw{Source: fmt.Sprintf("/legacy/%d.txt", i), Title: "Legacy", Text: text}
		raw.Finalize()
		tg := x.Extract(raw)
		tg.TaggedAt = time.Now().UTC()
		docs = append(docs, tg)
	}
	// The states of an earlier version: 1 does not decode; 2 had the
	// compound already, so its version is not news; 0 and 3 have none.
	if _, err := st.Ledger.Put(ctx, docKey(docs[1].ID), []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Ledger.Put(ctx, docKey(docs[2].ID), []byte(`{"entities":["huang-le-majestic-two"],"hash":"earlier"}`)); err != nil {
		t.Fatal(err)
	}
	for _, tg := range docs {
		// As the bus published them before: no history.
		if _, err := b.Publish(ctx, bus.TaggedSubject(tg.ID), tg.ID+":"+tg.ContentHash, document.TaggedBusSchema, tg, nil); err != nil {
			t.Fatal(err)
		}
	}
	go newWorker(t, b).Run(ctx)
	want := "new " + docs[0].ID[:6] + ",new " + docs[3].ID[:6]
	waitFor(t, "the alerts of the documents with good states", func() bool {
		as, err := Alerts(ctx, b, sub.ID, time.Time{})
		return err == nil && len(as) >= 2
	})
	if got := strings.Join(kinds(t, b, sub), ","); got != want {
		t.Errorf("alerts %q, want %q", got, want)
	}
}

// tagAndPublish tags raw as the extractor stage does and publishes it,
// tagged at at (when the bus publishes it, if zero), and returns it.
func tagAndPublish(t *testing.T, b *bus.Bus, x *extractor.Extractor, raw document.Raw, at time.Time) document.Tagged {
	t.Helper()
	raw.Finalize()
	tg := x.Extract(raw)
	tg.TaggedAt = at
	if err := b.PublishTagged(t.Context(), tg); err != nil {
		t.Fatal(err)
	}
	return tg
}

// deepCopy is tg through JSON: PublishTagged compacts what it is given,
// and the caller still reads it whole.
func deepCopy(t *testing.T, tg document.Tagged) document.Tagged {
	t.Helper()
	data, err := json.Marshal(tg)
	if err != nil {
		t.Fatal(err)
	}
	var out document.Tagged
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

type receiver struct {
	mu      sync.Mutex
	fail    int // answer 503 this many times first
	status  int // then this (0: 204)
	ids     []string
	bodies  []Alert
	srv     *httptest.Server
	started chan struct{}
}

func newReceiver(t *testing.T, fail, status int) *receiver {
	r := &receiver{fail: fail, status: status}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.ids = append(r.ids, req.Header.Get("webhook-id"))
		if r.fail > 0 {
			r.fail--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var a Alert
		json.Unmarshal(body, &a)
		r.bodies = append(r.bodies, a)
		if r.status != 0 {
			w.WriteHeader(r.status)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ids...)
}

// waitMatched waits until the running stage has matched every tagged
// document published so far.
func waitMatched(ctx context.Context, t *testing.T, b *bus.Bus) {
	t.Helper()
	wctx, stop := context.WithTimeout(ctx, 30*time.Second)
	defer stop()
	if err := WaitMatched(wctx, b); err != nil {
		t.Fatal(err)
	}
}

// newWorker is the matching stage on b, without aliases or logs.
func newWorker(t testing.TB, b *bus.Bus) *Worker {
	t.Helper()
	w, err := NewWorker(b, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// runWorker runs w until the returned stop is called, which fails the
// test if Run ended for any reason but its context.
func runWorker(t *testing.T, ctx context.Context, w *Worker) (stop func()) {
	rctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- w.Run(rctx) }()
	return func() {
		cancel()
		if err := <-errc; err != nil && !errors.Is(err, context.Canceled) {
			t.Error(err)
		}
	}
}

func waitFor(t *testing.T, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestDeliverer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := openBus(t)
	st, _ := OpenStore(ctx, b)
	flaky := newReceiver(t, 5, 0)
	down := newReceiver(t, 1<<30, 0)
	gone := newReceiver(t, 0, http.StatusGone)
	now := time.Now()
	mk := func(r *receiver) *Subscription {
		return addSub(t, st, Spec{Entities: []string{"Huang Le"}, Webhook: r.srv.URL + "/hook", Secret: testSecret}, now)
	}
	sFlaky, sDown, sGone := mk(flaky), mk(down), mk(gone)
	// A name that resolves to a private address: refused before any
	// connection, so the listener behind it never hears of it.
	port := flaky.srv.Listener.Addr().(*net.TCPAddr).Port
	sPrivate := addSub(t, st, Spec{Entities: []string{"Huang Le"}, Webhook: fmt.Sprintf("http://hooks.internal.example:%d/hook", port), Secret: testSecret}, now)
	sched := []time.Duration{20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond,
		20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond}
	res := fakeResolver{"hooks.internal.example": {netip.MustParseAddr("10.20.30.40")}}
	var (
		obsMu    sync.Mutex
		observed = map[string]int{}
	)
	observe := func(result string, latency time.Duration) {
		obsMu.Lock()
		observed[result]++
		obsMu.Unlock()
		if result == "delivered" && latency < 0 {
			t.Errorf("negative delivery latency %v", latency)
		}
	}
	d, err := NewDeliverer(b, DeliverOptions{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, Schedule: sched, Resolver: res, Observe: observe}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	go d.Run(ctx)
	for _, s := range []*Subscription{sFlaky, sDown, sGone, sPrivate} {
		a := Alert{Schema: Schema, DeliveryKey: s.ID + ":doc:1", SubscriptionID: s.ID, Kind: KindNew, Created: now, Matches: []Match{}}
		if err := Publish(ctx, b, a); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the flaky receiver to take the alert", func() bool { return len(flaky.calls()) == 6 })
	for _, id := range flaky.calls() {
		if id != sFlaky.ID+":doc:1" {
			t.Errorf("retry carried webhook-id %q", id)
		}
	}
	waitFor(t, "the dead letter", func() bool {
		s, _ := st.Status(ctx, sDown.ID)
		return len(s.Dead) == 1
	})
	s, _ := st.Status(ctx, sDown.ID)
	if got := len(down.calls()); got != len(sched)+1 {
		t.Errorf("down receiver called %d times, want %d", got, len(sched)+1)
	}
	if !strings.Contains(s.Dead[0].Error, "503") || s.Dead[0].Attempts != len(sched)+1 {
		t.Errorf("dead letter %+v", s.Dead[0])
	}
	waitFor(t, "the 410 to disable the channel", func() bool {
		sub, _ := st.Get(ctx, sGone.ID)
		return sub.Channels.Webhook.Disabled
	})
	// A disabled channel gets nothing more.
	Publish(ctx, b, Alert{Schema: Schema, DeliveryKey: sGone.ID + ":doc:2", SubscriptionID: sGone.ID, Kind: KindNew, Created: now, Matches: []Match{}})
	time.Sleep(300 * time.Millisecond)
	if n := len(gone.calls()); n != 1 {
		t.Errorf("gone receiver called %d times, want 1", n)
	}
	if fs, _ := st.Status(ctx, sFlaky.ID); len(fs.Deliveries) != 1 || fs.Deliveries[0].Attempts != 6 || fs.Failures != 5 {
		t.Errorf("flaky status %+v", fs)
	}
	ps, _ := st.Status(ctx, sPrivate.ID)
	if len(ps.Dead) != 1 || ps.Dead[0].Attempts != 1 || !strings.Contains(ps.Dead[0].Error, "10.20.30.40 is a special-purpose") {
		t.Errorf("private target status %+v", ps)
	}
	if n := len(flaky.calls()); n != 6 {
		t.Errorf("the listener behind the private name was called: %d calls, want the flaky subscription's 6", n)
	}
	// What metrics are told: flaky 5 retries then delivered; down 7
	// retries then dead; 410 and the private target dead at once.
	obsMu.Lock()
	defer obsMu.Unlock()
	if want := map[string]int{"delivered": 1, "retried": 5 + len(sched), "dead": 3}; fmt.Sprint(observed) != fmt.Sprint(want) {
		t.Errorf("observed %v, want %v", observed, want)
	}
}

// A daily digest subscription gets one webhook message for twenty
// alerts of its day, and none of the alerts one by one.
func TestDigestDelivery(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := openBus(t)
	st, _ := OpenStore(ctx, b)
	r := newReceiver(t, 0, 0)
	day := time.Now().UTC().Truncate(24 * time.Hour).Add(-24 * time.Hour)
	sub := addSub(t, st, Spec{Entities: []string{"Huang Le"}, Webhook: r.srv.URL + "/hook", Secret: testSecret, Digest: Daily}, day.Add(-time.Hour))
	for _, a := range sampleAlerts(sub, 20, day.Add(time.Hour)) {
		if err := Publish(ctx, b, a); err != nil {
			t.Fatal(err)
		}
	}
	d, err := NewDeliverer(b, DeliverOptions{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, DigestEvery: 50 * time.Millisecond,
		FeedURL: func(s *Subscription) string { return "http://127.0.0.1:8080/alerts/" + s.ID + "/feed.atom" }}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	go d.Run(ctx)
	waitFor(t, "the digest", func() bool { return len(r.calls()) >= 1 })
	time.Sleep(300 * time.Millisecond) // a second digest, or single alerts, would show now
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.bodies) != 1 {
		t.Fatalf("%d webhook messages, want one digest", len(r.bodies))
	}
	dg := r.bodies[0]
	if dg.Kind != KindDigest || dg.Digest == nil || dg.Digest.Count != 20 || len(dg.Digest.Items) != 20 || dg.Digest.More != 0 ||
		!dg.Digest.Start.Equal(day) || strings.Count(dg.Digest.Markdown, "\n- [") != 20 {
		t.Errorf("digest %+v", dg.Digest)
	}
	if n := strings.Count(dg.Digest.HTML, "<li>"); n != 20 {
		t.Errorf("digest HTML lists %d alerts, want 20", n)
	}
}

// --backfill sends archived stories published since its date, once,
// marked backfill; the live stage then treats them as told.
func TestBackfill(t *testing.T) {
	ctx := context.Background()
	b := openBus(t)
	st, _ := OpenStore(ctx, b)
	t0 := time.Now().UTC()
	x := extractor.New(testGazetteer(t))
	var docs []*document.Tagged
	for i, published := range []string{"2026-11-01", "2025-01-01"} {
		raw := document.Raw{Source: fmt.Sprintf("/archive/%d.txt", i), Title: "Archive " + published, Published: published,
			Text: "Police searched the Majestic 2 compound in Sihanoukville and found 200 workers."}
		raw.Finalize()
		tg := x.Extract(raw)
		tg.TaggedAt = t0.Add(-time.Hour)
		if err := b.PublishTagged(ctx, tg); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, &tg)
	}
	sub := addSub(t, st, Spec{Entities: []string{"Huang Le"}, Atom: true, Backfill: "2026-10-01"}, t0)
	w := &Worker{bus: b, store: st, log: slog.New(slog.DiscardHandler), now: time.Now,
		subs: &subscriptions{subs: map[string]*Subscription{sub.ID: sub}}, dups: newStoryIndex()}
	for range 2 {
		if err := w.Backfill(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	re := *docs[0]
	re.Extractor, re.TaggedAt = "v2", t0.Add(time.Minute)
	if err := w.Process(ctx, &re, re.TaggedAt); err != nil {
		t.Fatal(err)
	}
	want := []string{"backfill " + docs[0].ID[:6]}
	if got := kinds(t, b, sub); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("alerts %v, want %v", got, want)
	}
	day := time.Now().UTC().Format(time.DateOnly)
	if status, err := st.Status(ctx, sub.ID); err != nil || status.Daily[day] != 1 {
		t.Errorf("daily counts %v (%v), want the one backfill alert on %s", status.Daily, err, day)
	}
}

// TestBackfillResumes: a backfill cut short before it was marked done
// runs again, and sends only the stories its ledger does not hold: one
// it holds keeps its entry as it was, and one whose entry is missing is
// sent and recorded again.
func TestBackfillResumes(t *testing.T) {
	ctx := context.Background()
	b, st := openStore(t)
	t0 := time.Now().UTC()
	x := extractor.New(testGazetteer(t))
	var ids []string
	for i := range 3 {
		raw := document.Raw{Source: fmt.Sprintf("/archive/%d.txt", i), Title: "Archive", Published: "2026-11-01",
			Text: fmt.Sprintf("Police searched the Majestic 2 compound in Sihanoukville and found %d workers.", 100+i)}
		raw.Finalize()
		tg := x.Extract(raw)
		tg.TaggedAt = t0.Add(-time.Hour)
		if err := b.PublishTagged(ctx, tg); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tg.ID)
	}
	sub := addSub(t, st, Spec{Entities: []string{"Huang Le"}, Atom: true, Backfill: "2026-10-01"}, t0)
	w := newWorker(t, b)
	if err := w.Backfill(ctx, sub); err != nil {
		t.Fatal(err)
	}
	keys := []string{ledgerKey(sub.ID, ids[0]), ledgerKey(sub.ID, ids[1]), ledgerKey(sub.ID, ids[2])}
	before, err := st.entries(ctx, keys)
	if err != nil || len(before) != 3 {
		t.Fatalf("ledger after the backfill: %d entries (%v), want 3", len(before), err)
	}
	// As if the backfill had stopped after its first story: the second's
	// entry is gone, the third's never written, and it is not done.
	kept := *before[keys[0]]
	kept.Alerted = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	put, err := st.putEntryAsync(sub.ID, &kept)
	if err == nil {
		err = put(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys[1:] {
		if err := st.Ledger.Delete(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.updateStatus(ctx, sub.ID, func(s *Status) { s.BackfillDone = false }); err != nil {
		t.Fatal(err)
	}
	if err := w.Backfill(ctx, sub); err != nil {
		t.Fatal(err)
	}
	after, err := st.entries(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	if e := after[keys[0]]; e == nil || !e.Alerted.Equal(kept.Alerted) {
		t.Errorf("the story the ledger held: entry %+v, want it as it was (alerted %v)", e, kept.Alerted)
	}
	for _, k := range keys[1:] {
		if e := after[k]; e == nil || e.Kind != KindBackfill {
			t.Errorf("%s: entry %+v, want a backfill entry written again", k, e)
		}
	}
	if got := kinds(t, b, sub); len(got) != 3 {
		t.Errorf("alerts %v, want the three stories once each", got)
	}
}

// BenchmarkBackfill measures a new subscription's backfill of an archive
// of 2,000 articles (CW_BENCH_DOCS overrides), all tagged before it and
// published since its backfill date, following a place that most of them
// name: docs/s is the archive read, alerts the stories sent a run.
//
//	go test ./alerts -run '^$' -bench Backfill -benchtime 5x
func BenchmarkBackfill(b *testing.B) {
	ctx := context.Background()
	bs, st := openStore(b)
	x := extractor.New(testGazetteer(b))
	t0 := time.Now().UTC()
	texts := repotest.Articles(b, repotest.BenchDocs(b, 2000))
	for i, text := range texts {
		raw := document.Raw{Source: fmt.Sprintf("/archive/%d.txt", i), Title: "Archive", Published: "2026-11-01", Text: text}
		raw.Finalize()
		tg := x.Extract(raw)
		tg.TaggedAt = t0.Add(-time.Hour)
		if err := bs.PublishTagged(ctx, tg); err != nil {
			b.Fatal(err)
		}
	}
	w := newWorker(b, bs)
	sent := 0
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		sub := addSub(b, st, Spec{Entities: []string{"Sihanoukville"}, Atom: true, Backfill: "2026-10-01"}, t0)
		b.StartTimer()
		if err := w.Backfill(ctx, sub); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		as, err := Alerts(ctx, bs, sub.ID, time.Time{})
		if err != nil || len(as) == 0 {
			b.Fatalf("%d alerts (%v), want some", len(as), err)
		}
		sent += len(as)
		b.StartTimer()
	}
	b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(sent)/float64(b.N), "alerts")
}
