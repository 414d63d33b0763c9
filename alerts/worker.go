package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
)

// Stage is the matching stage's consumer and dead-letter name.
const Stage = bus.ConsumerAlerts

// Worker is the alerts stage: it consumes CW_TAGGED, percolates each
// document through every subscription, and publishes alerts on
// cw.alerts.<subscription-id> (CW_ALERTS), from where the webhook
// deliverer, the Atom feed, digests and NATS consumers read them.
type Worker struct {
	bus     *bus.Bus
	store   *Store
	aliases search.AliasFunc
	log     *slog.Logger
	now     func() time.Time

	subs *subscriptions
	mu   sync.Mutex // guards subs (set by Run), perc and gen
	perc *Percolator
	gen  uint64 // of the subscriptions perc was built from
	dups *storyIndex
	// wave is alertWave unless a test sets a smaller one.
	wave int
}

// NewWorker returns the matching stage.
func NewWorker(b *bus.Bus, aliases search.AliasFunc, log *slog.Logger) (*Worker, error) {
	st, err := OpenStore(context.Background(), b)
	if err != nil {
		return nil, err
	}
	return &Worker{bus: b, store: st, aliases: aliases, log: log, now: time.Now}, nil
}

// OpenStore returns the store on the bus's buckets.
func OpenStore(_ context.Context, b *bus.Bus) (*Store, error) {
	subs, err := b.KeyValue(bus.BucketAlertSubs)
	if err != nil {
		return nil, err
	}
	ledger, err := b.KeyValue(bus.BucketAlertLedger)
	if err != nil {
		return nil, err
	}
	return &Store{Subs: subs, Ledger: ledger, bus: b}, nil
}

// nearDupWindow is how far back a story can be for a copy to fold into it.
const nearDupWindow = 30 * 24 * time.Hour

// Run matches until ctx is done.
//
// With no subscription there is nothing to match, and nothing to keep:
// what the "only new" rules need of a document's earlier versions
// travels with it (document.History). So the stage then has no consumer
// at all, and costs the pipeline nothing; the first subscription creates
// one that starts at the subscription's creation, less clockSkew, and
// the last one's removal deletes it, since its place in the stream meant
// nothing without a subscription.
func (w *Worker) Run(ctx context.Context) error {
	kv, err := w.bus.KeyValue(bus.BucketAlertSubs)
	if err != nil {
		return err
	}
	backfills := make(chan *Subscription, 1000)
	subs, err := watchSubscriptions(ctx, kv, func(sub *Subscription) {
		if !sub.Backfill.IsZero() {
			select {
			case backfills <- sub:
			default: // the queue is full: the next start picks it up
			}
		}
	})
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.subs = subs
	w.mu.Unlock()
	if w.dups, err = w.store.signatures(ctx, w.now().Add(-nearDupWindow)); err != nil {
		return err
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case sub := <-backfills:
				if err := w.Backfill(ctx, sub); err != nil && ctx.Err() == nil {
					w.log.Warn("backfill", "subscription", sub.ID, "err", err)
				}
			}
		}
	}()
	w.log.Info("alerts stage running", "consumer", bus.ConsumerAlerts)
	st := bus.Stage{Name: bus.ConsumerAlerts, Stream: bus.StreamTagged, Schema: document.TaggedBusSchema,
		MaxDeliver: bus.MaxDeliver, Batch: 100}
	for {
		earliest, ok := subs.waitAny(ctx, func() {
			if err := w.bus.DeleteConsumer(ctx, st); err != nil && ctx.Err() == nil {
				w.log.Warn("alerts consumer not deleted", "err", err)
			}
		})
		if !ok {
			return nil
		}
		st.StartTime = earliest.Add(-clockSkew)
		cctx, cancel := context.WithCancel(ctx)
		go func() {
			subs.waitNone(cctx)
			cancel()
		}()
		err := bus.Consume(cctx, w.bus, st, w.handle)
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, bus.ErrConsumerGone):
			// Deleted by a replica that saw no subscription a moment
			// before this one saw one: made again, from the earliest
			// subscription, and the ledger keeps what was alerted.
			w.log.Warn("alerts consumer deleted while subscriptions remain; starting it again", "err", err)
		case err != nil:
			return err
		}
	}
}

// clockSkew is how much earlier than its earliest subscription a new
// consumer starts: the stream's times are the server's, a subscription's
// the clock of the process that made it. What it starts with that was
// tagged before the subscription is not news to it (decide).
const clockSkew = time.Minute

// handle matches a batch of tagged documents.
func (w *Worker) handle(ctx context.Context, items []*bus.Item[document.Tagged]) {
	docs := make([]*document.Tagged, len(items))
	for i, it := range items {
		docs[i] = &it.Value
	}
	states, bad, err := w.legacyStates(ctx, docs...)
	if err != nil {
		for _, it := range items {
			it.Err = err
		}
		return
	}
	// In order: a story's first copy must be in the ledger before its
	// second is matched.
	var n counts
	for _, it := range items {
		at := it.Value.TaggedAt
		if at.IsZero() {
			at = w.now()
		}
		if it.Err = bad[it.Value.ID]; it.Err != nil {
			continue
		}
		p, err := w.percolator()
		if err != nil {
			it.Err = err
			continue
		}
		it.Err = w.process(ctx, p, &it.Value, at, &n, states)
	}
	n.save(ctx, w.store, w.log)
}

// percolator returns the percolator for the current subscriptions,
// rebuilding it only when they changed.
func (w *Worker) percolator() (*Percolator, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	subs, gen := w.subs.all()
	if w.perc != nil && gen == w.gen {
		return w.perc, nil
	}
	slices.SortFunc(subs, func(a, b *Subscription) int { return strings.Compare(a.ID, b.ID) })
	p, err := NewPercolator(subs, w.aliases)
	if err != nil {
		return nil, err
	}
	w.perc, w.gen = p, gen
	return p, nil
}

// Process matches one tagged document version, tagged at taggedAt, and
// publishes its alerts. It writes the ledger after publishing and before
// returning, so the caller acks only what the ledger holds; a crash in
// between republishes with the same delivery key, which the stream's
// dedup window and receivers drop.
func (w *Worker) Process(ctx context.Context, t *document.Tagged, taggedAt time.Time) error {
	var n counts
	defer n.save(ctx, w.store, w.log)
	states, bad, err := w.legacyStates(ctx, t)
	if err != nil {
		return err
	}
	if err := bad[t.ID]; err != nil {
		return err
	}
	p, err := w.percolator()
	if err != nil {
		return err
	}
	return w.process(ctx, p, t, taggedAt, &n, states)
}

// legacyStates reads, in one request, the states this stage stored for
// those of docs that carry no history: messages published before
// histories travelled. The others need none (stateOf).
func (w *Worker) legacyStates(ctx context.Context, docs ...*document.Tagged) (states map[string]*DocState, bad map[string]error, err error) {
	var ids []string
	for _, t := range docs {
		if t.History == nil {
			ids = append(ids, t.ID)
		}
	}
	return w.store.docStates(ctx, ids)
}

// process is Process for one document of a batch, matched by p, with the
// states of the batch's documents published before histories travelled;
// it tallies the alerts it makes in n.
func (w *Worker) process(ctx context.Context, p *Percolator, t *document.Tagged, taggedAt time.Time, n *counts, states map[string]*DocState) error {
	hits := p.Match(t)
	if len(hits) == 0 {
		return nil
	}
	return w.alert(ctx, hits, t, stateOf(t, states), taggedAt, n)
}

// stateOf is what t's earlier versions held, from its history (nil for a
// first version), or for a message published before histories travelled
// the state this stage kept for its document then.
func stateOf(t *document.Tagged, legacy map[string]*DocState) *DocState {
	h := t.History
	if h == nil {
		return legacy[t.ID]
	}
	if h.Hash == "" {
		return nil
	}
	ds := &DocState{Hash: h.Hash, Entities: make([]string, len(h.Seen))}
	for i, e := range h.Seen {
		ds.Entities[i] = e.ID
	}
	return ds
}

// alertWave bounds the alerts sent before their acknowledgements are
// awaited: nats.go stalls a sender with 4,000 asynchronous publishes
// unacknowledged.
const alertWave = 1000

// alert makes the alerts of one document version's hits in three round
// trips however many subscriptions it matched: the ledger entries it
// needs are read in one request, the alerts are sent and awaited
// together, and then their entries are written and awaited together.
// A read, a publish and a write for each subscription in turn, each
// waited for, had held the stage to a tenth of its matching rate.
//
// An entry is written only once its alert is stored, so the caller acks
// only what the ledger holds; a crash in between republishes with the
// same delivery key, which the stream's dedup window and receivers drop.
// The next document waits for these writes, so a story's first copy is
// in the ledger before its second is matched.
func (w *Worker) alert(ctx context.Context, hits []Hit, t *document.Tagged, ds *DocState, taggedAt time.Time, n *counts) error {
	sig := Sign(t.Text)
	story := ""
	if t.DuplicateOf != "" {
		story = document.IDFor(t.DuplicateOf)
	} else if s, ok := w.dups.similar(t.ID, sig); ok {
		story = s
	}
	if story == t.ID {
		story = ""
	}
	keys := make([]string, 0, 2*len(hits))
	for _, h := range hits {
		keys = append(keys, ledgerKey(h.Sub.ID, t.ID))
		if story != "" {
			keys = append(keys, ledgerKey(h.Sub.ID, story))
		}
	}
	ledger, err := w.store.entries(ctx, keys)
	if err != nil {
		return err
	}
	var plans []plan
	for _, h := range hits {
		if p, ok := w.decide(h, t, ds, taggedAt, story, ledger); ok {
			plans = append(plans, p)
		}
	}
	newStory, err := w.send(ctx, plans, n)
	if err != nil {
		return err
	}
	if newStory {
		// Kept for near-duplicate tests of later copies.
		w.dups.add(t.ID, sig)
		return w.store.putSignature(ctx, t.ID, sig, w.now().UTC())
	}
	return nil
}

// send publishes the alerts of plans and then writes the ledger entries
// of those the stream stored, all sent before any is waited for, in waves
// of alertWave; it tallies the alerts in n and reports whether a plan made
// a story of its own.
func (w *Worker) send(ctx context.Context, plans []plan, n *counts) (newStory bool, err error) {
	var errs []error
	size := alertWave
	if w.wave > 0 {
		size = w.wave
	}
	for wave := range slices.Chunk(plans, size) {
		acked := make([]func(context.Context) (bool, error), len(wave))
		for i, p := range wave {
			if acked[i], err = publishAlertAsync(ctx, w.bus, p.alert); err != nil {
				errs = append(errs, err)
			}
		}
		var written []func(context.Context) error
		for i, p := range wave {
			if acked[i] == nil {
				continue
			}
			dup, err := acked[i](ctx)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !dup {
				n.add(p.alert.SubscriptionID, p.alert.Created)
			}
			newStory = newStory || p.newStory
			for _, e := range p.entries {
				put, err := w.store.putEntryAsync(p.alert.SubscriptionID, e)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				written = append(written, put)
			}
		}
		for _, put := range written {
			if err := put(ctx); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return newStory, errors.Join(errs...)
}

// plan is what one hit calls for: an alert, and the ledger entries that
// record it once it is out.
type plan struct {
	alert   Alert
	entries []*Entry
	// newStory: the document became a story of its own for the
	// subscription.
	newStory bool
}

func matchedKeys(ms []Match) []string {
	var keys []string
	for _, m := range ms {
		if m.Entity != nil {
			keys = append(keys, m.Entity.ID)
		} else {
			keys = append(keys, "query")
		}
	}
	return keys
}

func docRef(t *document.Tagged) DocRef {
	return DocRef{ID: t.ID, Title: t.Title, Outlet: t.Outlet, URL: t.URL(), Published: t.Published, Language: t.Language}
}

// decide applies the "only new" rules to one hit, given the ledger's
// entries for the document and for the story it is a copy of (if any),
// and reports whether the hit is news.
func (w *Worker) decide(h Hit, t *document.Tagged, ds *DocState, taggedAt time.Time, story string, ledger map[string]*Entry) (plan, bool) {
	sub := h.Sub
	keys := matchedKeys(h.Matches)
	// Told of this document already: only a mention it gained is news.
	if e := ledger[ledgerKey(sub.ID, t.ID)]; e != nil {
		var gained []string
		for _, k := range keys {
			if !slices.Contains(e.Matched, k) {
				gained = append(gained, k)
			}
		}
		if len(gained) == 0 {
			return plan{}, false
		}
		next := *e
		next.Rev++
		next.Matched = append(slices.Clip(e.Matched), gained...)
		next.Key = fmt.Sprintf("%s:%s:%d", sub.ID, t.ID, next.Rev)
		return plan{alert: w.newAlert(sub, KindNew, next.Key, t, h.Matches, nil), entries: []*Entry{&next}}, true
	}
	// A copy of a story already alerted: fold it in. The copy's own entry
	// stops a later version of it from alerting as a story of its own.
	if orig := ledger[ledgerKey(sub.ID, story)]; orig != nil && story != "" {
		key := fmt.Sprintf("%s:%s:also:%s", sub.ID, story, t.ID)
		folded := *orig
		folded.Copies = append(slices.Clip(orig.Copies), Source{DocumentID: t.ID, Outlet: t.Outlet, URL: docRef(t).URL, Title: t.Title})
		return plan{
			alert: w.newAlert(sub, KindAlsoReported, key, t, h.Matches, folded.Copies),
			entries: []*Entry{&folded, {Story: t.ID, Kind: KindAlsoReported, Key: key,
				Alerted: w.now().UTC(), Matched: keys}},
		}, true
	}
	// The archive is not news: only versions tagged after the
	// subscription, and only for what earlier versions did not have.
	if taggedAt.Before(sub.Created) {
		return plan{}, false
	}
	if ds != nil {
		fresh := slices.ContainsFunc(keys, func(k string) bool {
			if k == "query" {
				return ds.Hash != t.ContentHash
			}
			return !slices.Contains(ds.Entities, k)
		})
		if !fresh {
			return plan{}, false
		}
	}
	key := fmt.Sprintf("%s:%s:1", sub.ID, t.ID)
	return plan{
		alert:    w.newAlert(sub, KindNew, key, t, h.Matches, nil),
		entries:  []*Entry{{Story: t.ID, Kind: KindNew, Key: key, Alerted: w.now().UTC(), Matched: keys, Rev: 1}},
		newStory: true,
	}, true
}

// newAlert is the alert of kind for sub about t.
func (w *Worker) newAlert(sub *Subscription, kind, key string, t *document.Tagged, ms []Match, also []Source) Alert {
	return Alert{Schema: Schema, DeliveryKey: key, SubscriptionID: sub.ID, Note: sub.Note, Kind: kind,
		Created: w.now().UTC(), Document: docRef(t), Matches: ms, AlsoReportedBy: also}
}

// Publish puts an alert on its subscription's subject, where the webhook
// deliverer, the Atom feed and NATS consumers read it. Publishing one
// delivery key again is harmless: the stream drops the repeat.
func Publish(ctx context.Context, b *bus.Bus, a Alert) error {
	_, err := publishAlert(ctx, b, a)
	return err
}

// publishAlert is Publish, reporting whether the stream had the alert's
// delivery key already.
func publishAlert(ctx context.Context, b *bus.Bus, a Alert) (duplicate bool, err error) {
	acked, err := publishAlertAsync(ctx, b, a)
	if err != nil {
		return false, err
	}
	return acked(ctx)
}

// publishAlertAsync is publishAlert without the wait for the stream.
func publishAlertAsync(ctx context.Context, b *bus.Bus, a Alert) (acked func(context.Context) (duplicate bool, err error), err error) {
	return b.PublishAsync(ctx, bus.AlertSubject(a.SubscriptionID), a.DeliveryKey, Schema, a, nil)
}

// counts tallies the alerts made per subscription and UTC day for the
// noisy report (Status.Daily), so that a batch of documents updates each
// subscription's status once rather than once an alert: the status is a
// compare-and-set of a key the webhook deliverer writes too, and with
// many matches a document it cost as much as the alert itself.
type counts struct {
	mu sync.Mutex
	n  map[string]map[string]int // subscription → day → alerts
}

func (c *counts) add(sub string, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]map[string]int{}
	}
	if c.n[sub] == nil {
		c.n[sub] = map[string]int{}
	}
	c.n[sub][at.UTC().Format(time.DateOnly)]++
}

// save adds the tallies to the subscriptions' status. A count that cannot
// be saved is logged, not retried: the alerts it counts are out, and the
// report it feeds is advisory.
func (c *counts) save(ctx context.Context, st *Store, log *slog.Logger) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for sub, days := range c.n {
		err := st.updateStatus(ctx, sub, func(s *Status) { s.countAlerts(days) })
		if err != nil && !errors.Is(err, ErrNoSubscription) {
			log.Warn("alert counts not saved", "subscription", sub, "err", err)
		}
	}
	c.n = nil
}

// WaitMatched waits until the alerts stage has matched every tagged
// document published so far, so `ingest` can exit knowing its alerts are
// made (their delivery goes on in the stage processes).
// With no subscription the stage has no consumer, and nothing to match.
func WaitMatched(ctx context.Context, b *bus.Bus) error {
	st, err := OpenStore(ctx, b)
	if err != nil {
		return err
	}
	if keys, err := listKeys(ctx, st.Subs, "sub.*"); err != nil || len(keys) == 0 {
		return err
	}
	return b.WaitCaughtUp(ctx, nil, bus.Durable{Stream: bus.StreamTagged, Name: bus.ConsumerAlerts})
}

// Backfill sends sub, once, the archived stories published since its
// Backfill date: those tagged before it was created, which the live
// stage leaves alone, so the two never alert the same story.
func (w *Worker) Backfill(ctx context.Context, sub *Subscription) error {
	st, err := w.store.Status(ctx, sub.ID)
	if err != nil || st.BackfillDone {
		return err
	}
	p, err := NewPercolator([]*Subscription{sub}, w.aliases)
	if err != nil {
		return err
	}
	since := sub.Backfill.Format(time.DateOnly)
	sent := 0
	var n counts
	defer n.save(ctx, w.store, w.log)
	// A batch's matches cost three round trips together, as the live
	// stage's do (send): a read of their ledger entries, their alerts,
	// and then their entries.
	err = bus.Replay(ctx, w.bus, bus.StreamTagged, document.TaggedBusSchema, 200, func(docs []document.Tagged, _ int) error {
		var (
			plans []plan
			keys  []string
		)
		for i := range docs {
			t := &docs[i]
			if !t.TaggedAt.IsZero() && !t.TaggedAt.Before(sub.Created) || t.Published != "" && t.Published < since {
				continue
			}
			if t.Published == "" && !t.TaggedAt.IsZero() && t.TaggedAt.Before(sub.Backfill) {
				continue
			}
			hits := p.Match(t)
			if len(hits) == 0 {
				continue
			}
			key := fmt.Sprintf("%s:%s:backfill", sub.ID, t.ID)
			plans = append(plans, plan{alert: w.newAlert(sub, KindBackfill, key, t, hits[0].Matches, nil),
				entries: []*Entry{{Story: t.ID, Kind: KindBackfill, Key: key, Alerted: w.now().UTC(), Matched: matchedKeys(hits[0].Matches), Rev: 1}}})
			keys = append(keys, ledgerKey(sub.ID, t.ID))
		}
		if len(plans) == 0 {
			return nil
		}
		// A story already in the ledger (alerted live, or by a backfill
		// cut short) is left alone.
		ledger, err := w.store.entries(ctx, keys)
		if err != nil {
			return err
		}
		plans = slices.DeleteFunc(plans, func(p plan) bool { return ledger[ledgerKey(sub.ID, p.entries[0].Story)] != nil })
		sent += len(plans)
		_, err = w.send(ctx, plans, &n)
		return err
	}, nil)
	if err != nil {
		return err
	}
	w.log.Info("backfill sent", "subscription", sub.ID, "since", since, "alerts", sent)
	return w.store.updateStatus(ctx, sub.ID, func(s *Status) { s.BackfillDone = true })
}
