package alerts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	json "github.com/goccy/go-json"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/search"
)

// KV is the part of a JetStream key-value bucket the store uses;
// jetstream.KeyValue satisfies it.
type KV interface {
	Get(ctx context.Context, key string) (jetstream.KeyValueEntry, error)
	Put(ctx context.Context, key string, value []byte) (uint64, error)
	Create(ctx context.Context, key string, value []byte, opts ...jetstream.KVCreateOpt) (uint64, error)
	Update(ctx context.Context, key string, value []byte, revision uint64) (uint64, error)
	Delete(ctx context.Context, key string, opts ...jetstream.KVDeleteOpt) error
	ListKeysFiltered(ctx context.Context, filters ...string) (jetstream.KeyLister, error)
}

// Store keeps subscriptions (with their delivery status) in one bucket
// and the ledger in another.
//
// Keys: subs bucket "sub.<id>" → Subscription, "status.<id>" → Status;
// ledger bucket "story.<sub>.<story>" → Entry (what the subscription was
// told of a story), "sig.<story>" → the story's MinHash, and
// "doc.<doc-id>" → DocState, which the stage wrote for every document
// before a document's history travelled with it and reads now only for
// messages published then.
type Store struct {
	Subs, Ledger KV
	// bus reads many keys in one request and writes them without a
	// wait each (Bus.Values, Bus.PutAsync).
	bus *bus.Bus
}

var errNotFound = errors.New("not found")

// ErrNoSubscription is returned for an id no subscription has.
var ErrNoSubscription = errors.New("no such subscription")

func getJSON(ctx context.Context, kv KV, key string, v any) (uint64, error) {
	e, err := kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return 0, errNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", key, err)
	}
	if err := json.Unmarshal(e.Value(), v); err != nil {
		return 0, fmt.Errorf("decode %s: %w", key, err)
	}
	return e.Revision(), nil
}

func putJSON(ctx context.Context, kv KV, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := kv.Put(ctx, key, data); err != nil {
		return fmt.Errorf("write %s: %w", key, err)
	}
	return nil
}

// update applies f to the value at key with compare-and-set, retrying
// when another writer got there first.
func update[T any](ctx context.Context, kv KV, key string, f func(*T) error) error {
	for range 20 {
		var v T
		rev, err := getJSON(ctx, kv, key, &v)
		if err != nil && !errors.Is(err, errNotFound) {
			return err
		}
		if err := f(&v); err != nil {
			return err
		}
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if rev == 0 {
			_, err = kv.Create(ctx, key, data)
		} else {
			_, err = kv.Update(ctx, key, data, rev)
		}
		if err == nil {
			return nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) && !isWrongSequence(err) {
			return fmt.Errorf("write %s: %w", key, err)
		}
	}
	return fmt.Errorf("write %s: too much contention", key)
}

func isWrongSequence(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence
}

// Add stores a new subscription.
func (s *Store) Add(ctx context.Context, sub *Subscription) error {
	data, err := json.Marshal(sub)
	if err != nil {
		return err
	}
	if _, err := s.Subs.Create(ctx, "sub."+sub.ID, data); err != nil {
		return fmt.Errorf("store subscription %s: %w", sub.ID, err)
	}
	return nil
}

// Get returns one subscription.
func (s *Store) Get(ctx context.Context, id string) (*Subscription, error) {
	if !search.ValidID(id) { // ids are one KV key token
		return nil, fmt.Errorf("%w: %q", ErrNoSubscription, id)
	}
	var sub Subscription
	if _, err := getJSON(ctx, s.Subs, "sub."+id, &sub); err != nil {
		if errors.Is(err, errNotFound) {
			return nil, fmt.Errorf("%w: %s", ErrNoSubscription, id)
		}
		return nil, err
	}
	return &sub, nil
}

// Update changes a subscription with compare-and-set.
func (s *Store) Update(ctx context.Context, id string, f func(*Subscription) error) error {
	return update(ctx, s.Subs, "sub."+id, func(sub *Subscription) error {
		if sub.ID == "" {
			return fmt.Errorf("%w: %s", ErrNoSubscription, id)
		}
		return f(sub)
	})
}

// Remove deletes a subscription and its status. Its ledger entries stay:
// they are small and harmless.
func (s *Store) Remove(ctx context.Context, id string) error {
	if _, err := s.Get(ctx, id); err != nil {
		return err
	}
	if err := s.Subs.Delete(ctx, "sub."+id); err != nil {
		return fmt.Errorf("delete subscription %s: %w", id, err)
	}
	s.Subs.Delete(ctx, "status."+id)
	return nil
}

// List returns every subscription, oldest first, read together rather
// than a request each.
func (s *Store) List(ctx context.Context) ([]*Subscription, error) {
	keys, err := listKeys(ctx, s.Subs, "sub.*")
	if err != nil {
		return nil, err
	}
	subs, bad, err := readJSON[Subscription](ctx, s.bus, bus.BucketAlertSubs, keys)
	if err != nil {
		return nil, err
	}
	if err := decodeErrs(keys, bad); err != nil {
		return nil, err
	}
	out := slices.Collect(maps.Values(subs))
	slices.SortFunc(out, func(a, b *Subscription) int {
		return cmp.Or(a.Created.Compare(b.Created), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

func listKeys(ctx context.Context, kv KV, filter string) ([]string, error) {
	l, err := kv.ListKeysFiltered(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", filter, err)
	}
	var keys []string
	for k := range l.Keys() {
		keys = append(keys, k)
	}
	return keys, nil
}

// Status is what `alerts show` reports about deliveries.
type Status struct {
	Deliveries []Delivery     `json:"deliveries,omitempty"` // the last ones, newest first
	Failures   int            `json:"failures"`             // failed attempts, all time
	LastError  string         `json:"last_error,omitempty"`
	LastErrAt  time.Time      `json:"last_error_at,omitzero"`
	Dead       []Delivery     `json:"dead_letters,omitempty"` // given up, newest first
	Daily      map[string]int `json:"daily,omitempty"`        // alerts per UTC day, last 14 days
	DigestSent string         `json:"digest_sent,omitempty"`  // last digest period sent
	// BackfillDone is set once the requested backfill was sent.
	BackfillDone bool `json:"backfill_done,omitempty"`
}

// Delivery is one webhook delivery's outcome.
type Delivery struct {
	Key      string    `json:"delivery_key"`
	Kind     string    `json:"kind"`
	At       time.Time `json:"at"`
	Attempts int       `json:"attempts"`
	Status   int       `json:"status,omitempty"`
	Error    string    `json:"error,omitempty"`
}

const (
	keepDeliveries = 20
	keepDead       = 100
	keepDays       = 14
)

// Status returns a subscription's delivery status.
func (s *Store) Status(ctx context.Context, id string) (Status, error) {
	var st Status
	_, err := getJSON(ctx, s.Subs, "status."+id, &st)
	if errors.Is(err, errNotFound) {
		err = nil
	}
	return st, err
}

func (s *Store) updateStatus(ctx context.Context, id string, f func(*Status)) error {
	return update(ctx, s.Subs, "status."+id, func(st *Status) error { f(st); return nil })
}

func pushFront(list []Delivery, d Delivery, keep int) []Delivery {
	list = append([]Delivery{d}, list...)
	return list[:min(len(list), keep)]
}

// countAlerts adds alerts to the days' counts, for the noisy report, and
// forgets days older than keepDays before the latest.
func (st *Status) countAlerts(days map[string]int) {
	if st.Daily == nil {
		st.Daily = map[string]int{}
	}
	for d, n := range days {
		st.Daily[d] += n
	}
	latest := ""
	for d := range st.Daily {
		latest = max(latest, d)
	}
	t, err := time.Parse(time.DateOnly, latest)
	if err != nil {
		return
	}
	cut := t.AddDate(0, 0, -keepDays).Format(time.DateOnly)
	for d := range st.Daily {
		if d < cut {
			delete(st.Daily, d)
		}
	}
}

// Noisy returns the days on which more than limit alerts were made.
func (st *Status) Noisy(limit int) []string {
	var days []string
	for d, n := range st.Daily {
		if n > limit {
			days = append(days, d)
		}
	}
	slices.Sort(days)
	return days
}

// Entry is the ledger's record of one (subscription, story).
type Entry struct {
	Story   string    `json:"story"`
	Kind    string    `json:"kind"`
	Key     string    `json:"delivery_key"`
	Alerted time.Time `json:"alerted"`
	// Matched holds the entity ids (and "query") alerted so far; a new
	// version alerts again only when it adds one.
	Matched []string `json:"matched"`
	Rev     int      `json:"rev"`
	// Copies are the documents folded into this story as also-reported.
	Copies []Source `json:"copies,omitempty"`
}

func ledgerKey(sub, story string) string { return "story." + sub + "." + story }

func (s *Store) putEntryAsync(sub string, e *Entry) (func(context.Context) error, error) {
	return s.putJSONAsync(ledgerKey(sub, e.Story), e)
}

// DocState is what the stage knows of a document's earlier versions:
// the entities of every one and the content hash of the last, so a
// re-extraction or an edit that adds nothing is silent. It comes from
// the version's history (stateOf), or from the state the stage stored
// for a message published before histories travelled.
type DocState struct {
	Entities []string `json:"entities"`
	Hash     string   `json:"hash"`
}

// docStates reads the states of the documents ids in one request (a
// batch of the stage reads them all at once); a document the stage has
// not seen has none. A state that does not decode is an error of its
// document alone (bad), not of the batch.
func (s *Store) docStates(ctx context.Context, ids []string) (states map[string]*DocState, bad map[string]error, err error) {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = docKey(id)
	}
	byKey, badKey, err := readJSON[DocState](ctx, s.bus, bus.BucketAlertLedger, keys)
	if err != nil {
		return nil, nil, err
	}
	states = make(map[string]*DocState, len(ids))
	for i, id := range ids {
		if d, ok := byKey[keys[i]]; ok {
			states[id] = d
		}
		if err, ok := badKey[keys[i]]; ok {
			if bad == nil {
				bad = map[string]error{}
			}
			bad[id] = err
		}
	}
	return states, bad, nil
}

// entries reads the ledger entries at keys (ledgerKey) in one request; a
// key with no entry is absent from the map.
func (s *Store) entries(ctx context.Context, keys []string) (map[string]*Entry, error) {
	es, bad, err := readJSON[Entry](ctx, s.bus, bus.BucketAlertLedger, keys)
	if err != nil {
		return nil, err
	}
	return es, decodeErrs(keys, bad)
}

// decodeErrs joins readJSON's errors for the values that did not decode
// (bad), in the order of keys, so that a report of several reads the same
// every time.
func decodeErrs(keys []string, bad map[string]error) error {
	var errs []error
	for _, k := range keys {
		if err, ok := bad[k]; ok {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// readJSON reads and decodes the values of keys in bucket together
// (Bus.Values). A value that does not decode is in bad, not in vals.
func readJSON[T any](ctx context.Context, b *bus.Bus, bucket string, keys []string) (vals map[string]*T, bad map[string]error, err error) {
	raw, err := b.Values(ctx, bucket, keys)
	if err != nil {
		return nil, nil, err
	}
	vals = make(map[string]*T, len(raw))
	for k, data := range raw {
		v := new(T)
		if err := json.Unmarshal(data, v); err != nil {
			if bad == nil {
				bad = map[string]error{}
			}
			bad[k] = fmt.Errorf("decode %s: %w", k, err)
			continue
		}
		vals[k] = v
	}
	return vals, bad, nil
}

// putJSONAsync writes v at key in the ledger bucket without waiting; the
// returned function waits until the server has it.
func (s *Store) putJSONAsync(key string, v any) (func(context.Context) error, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", key, err)
	}
	return s.bus.PutAsync(bus.BucketAlertLedger, key, data)
}

func docKey(id string) string { return "doc." + id }

type storedSig struct {
	Sig Signature `json:"sig"`
	At  time.Time `json:"at"`
}

func (s *Store) putSignature(ctx context.Context, story string, sig Signature, at time.Time) error {
	return putJSON(ctx, s.Ledger, "sig."+story, storedSig{sig, at})
}

// signatures loads the signatures of stories alerted since since, read
// together (Bus.Values) rather than a request each, which a stage
// starting beside a long ledger waited on; in the ledger's order, since
// the index breaks a tie for the likeliest original by it. One that does
// not decode is left out.
func (s *Store) signatures(ctx context.Context, since time.Time) (*storyIndex, error) {
	x := newStoryIndex()
	keys, err := listKeys(ctx, s.Ledger, "sig.*")
	if err != nil {
		return nil, err
	}
	sigs, _, err := readJSON[storedSig](ctx, s.bus, bus.BucketAlertLedger, keys)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if ss, ok := sigs[k]; ok && ss.At.After(since) {
			x.add(k[len("sig."):], ss.Sig)
		}
	}
	return x, nil
}
