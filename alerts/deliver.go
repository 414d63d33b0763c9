package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/compoundwatch/compoundwatch/bus"
)

// DeliverOptions tune the webhook deliverer; zero values are the defaults.
type DeliverOptions struct {
	Allow    []netip.Prefix  // webhook_allow
	Resolver Resolver        // nil: the system resolver
	Timeout  time.Duration   // per attempt; default 10s
	Schedule []time.Duration // retry delays; default DefaultSchedule
	// DigestEvery is how often digest periods are checked; default 1 min.
	DigestEvery time.Duration
	// FeedURL returns a subscription's feed URL, for a digest's "N more".
	FeedURL func(*Subscription) string
	Now     func() time.Time
	// Observe, when set, is told of every delivery attempt's result,
	// "delivered" (with the time since the alert was created),
	// "retried" or "dead" (metrics).
	Observe func(result string, latency time.Duration)
}

// Deliverer sends alerts to webhooks. It is a durable consumer of
// CW_ALERTS: an alert is acked only once the receiver took it, given up
// on, or not for a webhook; a failed attempt is a nak with the schedule's
// delay, so retries live in the stream and survive restarts, and a worker
// killed mid-delivery leaves the message to be redelivered with the same
// webhook-id.
type Deliverer struct {
	bus    *bus.Bus
	store  *Store
	client *http.Client
	opt    DeliverOptions
	log    *slog.Logger
	subs   *subscriptions
}

// NewDeliverer returns the webhook deliverer.
func NewDeliverer(b *bus.Bus, opt DeliverOptions, log *slog.Logger) (*Deliverer, error) {
	st, err := OpenStore(context.Background(), b)
	if err != nil {
		return nil, err
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	if opt.Schedule == nil {
		opt.Schedule = DefaultSchedule()
	}
	if opt.DigestEvery <= 0 {
		opt.DigestEvery = time.Minute
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Deliverer{bus: b, store: st, client: NewGuard(opt.Allow).Client(opt.Resolver, opt.Timeout), opt: opt, log: log}, nil
}

// deliverConcurrency bounds the attempts in flight, so one slow receiver
// does not hold up the others for longer than its timeout.
const deliverConcurrency = 16

// deliverBatch is larger than deliverConcurrency, so the alerts of one
// document (often dozens) share a batch and a slot that frees takes the
// next at once, rather than waiting for a whole batch to finish.
const deliverBatch = 128

// Run delivers until ctx is done, and makes the digests as periods end.
func (d *Deliverer) Run(ctx context.Context) error {
	kv, err := d.bus.KeyValue(bus.BucketAlertSubs)
	if err != nil {
		return err
	}
	if d.subs, err = watchSubscriptions(ctx, kv, nil); err != nil {
		return err
	}
	go d.digests(ctx)
	d.log.Info("webhook deliverer running", "consumer", bus.ConsumerWebhooks)
	st := bus.Stage{Name: bus.ConsumerWebhooks, Stream: bus.StreamAlerts, Schema: Schema,
		MaxDeliver: bus.Unbounded, Batch: deliverBatch}
	return bus.Consume(ctx, d.bus, st, func(ctx context.Context, items []*bus.Item[Alert]) {
		bus.ForEach(ctx, items, deliverConcurrency, func(ctx context.Context, _ int, it *bus.Item[Alert]) error {
			return d.deliver(ctx, &it.Value, it.Delivered)
		})
	})
}

// deliver makes one attempt. nil acks (delivered, or nothing to do); a
// bus.RetryAfter error naks with the schedule's delay; a permanent error
// (refused target, schedule exhausted, 410) is recorded as a dead letter
// in the subscription's status and copied to cw.dead.alert-webhooks.
func (d *Deliverer) deliver(ctx context.Context, a *Alert, attempt int) error {
	sub, ok := d.subs.get(a.SubscriptionID)
	var err error
	if !ok {
		// Not mirrored yet (created a moment ago) or removed.
		sub, err = d.store.Get(ctx, a.SubscriptionID)
	}
	if errors.Is(err, ErrNoSubscription) {
		return nil // removed: nothing to deliver to
	}
	if err != nil {
		return bus.RetryAfter(err, 5*time.Second)
	}
	wh := sub.Channels.Webhook
	// Test alerts are sent by `alerts test` itself, so it can say how the
	// receiver answered; digest subscriptions get only their digests.
	skip := a.Kind == KindTest || sub.Digest != "" && a.Kind != KindDigest
	if wh == nil || wh.Disabled || skip {
		return nil
	}
	body, _ := json.Marshal(a)
	now := d.opt.Now()
	o := Send(ctx, d.client, wh, a.DeliveryKey, body, now)
	rec := Delivery{Key: a.DeliveryKey, Kind: a.Kind, At: now.UTC(), Attempts: attempt, Status: o.Status}
	switch {
	case o.Err == nil:
		d.record(ctx, sub.ID, func(st *Status) { st.Deliveries = pushFront(st.Deliveries, rec, keepDeliveries) })
		d.observe("delivered", now.Sub(a.Created))
		return nil
	case o.Gone:
		rec.Error = o.Err.Error()
		d.log.Warn("webhook answered 410 Gone; channel disabled", "subscription", sub.ID, "url", wh.URL)
		err := d.store.Update(ctx, sub.ID, func(s *Subscription) error {
			if s.Channels.Webhook != nil {
				s.Channels.Webhook.Disabled, s.Channels.Webhook.DisabledReason = true, "410 Gone at "+now.UTC().Format(time.RFC3339)
			}
			return nil
		})
		if err != nil {
			d.log.Error("disable webhook channel", "subscription", sub.ID, "err", err)
		}
		d.failed(ctx, sub.ID, rec, true)
		d.observe("dead", 0)
		return bus.Permanent(fmt.Errorf("%s: channel disabled: %w", a.DeliveryKey, o.Err))
	}
	rec.Error = o.Err.Error()
	delay, again := nextDelay(d.opt.Schedule, attempt, o.RetryAfter)
	if o.Refused || !again {
		d.log.Warn("webhook delivery given up", "subscription", sub.ID, "key", a.DeliveryKey, "attempts", attempt, "err", o.Err)
		d.failed(ctx, sub.ID, rec, true)
		d.observe("dead", 0)
		return bus.Permanent(fmt.Errorf("%s: given up after %d attempts: %w", a.DeliveryKey, attempt, o.Err))
	}
	d.log.Info("webhook delivery failed; will retry", "subscription", sub.ID, "key", a.DeliveryKey, "attempt", attempt, "in", delay, "err", o.Err)
	d.failed(ctx, sub.ID, rec, false)
	d.observe("retried", 0)
	return bus.RetryAfter(o.Err, delay)
}

func (d *Deliverer) observe(result string, latency time.Duration) {
	if d.opt.Observe != nil {
		d.opt.Observe(result, latency)
	}
}

// failed records a failed attempt, and with dead the end of the alert's
// delivery.
func (d *Deliverer) failed(ctx context.Context, id string, rec Delivery, dead bool) {
	d.record(ctx, id, func(st *Status) {
		st.Failures++
		st.LastError, st.LastErrAt = rec.Error, rec.At
		if dead {
			st.Dead = pushFront(st.Dead, rec, keepDead)
		}
	})
}

func (d *Deliverer) record(ctx context.Context, id string, f func(*Status)) {
	if err := d.store.updateStatus(ctx, id, f); err != nil {
		d.log.Warn("record delivery status", "subscription", id, "err", err)
	}
}

// digests makes each digest subscription's digest once its period ends.
func (d *Deliverer) digests(ctx context.Context) {
	t := time.NewTicker(d.opt.DigestEvery)
	defer t.Stop()
	for {
		if err := d.makeDigests(ctx); err != nil && ctx.Err() == nil {
			d.log.Warn("digests", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// makeDigests publishes the digest of the last complete period of every
// digest subscription that has not had it.
func (d *Deliverer) makeDigests(ctx context.Context) error {
	subs, _ := d.subs.all()
	now := d.opt.Now()
	for _, sub := range subs {
		if sub.Digest == "" {
			continue
		}
		end := PeriodStart(sub.Digest, now)
		start := PeriodStart(sub.Digest, end.Add(-time.Second))
		if !end.After(sub.Created) {
			continue
		}
		st, err := d.store.Status(ctx, sub.ID)
		if err != nil {
			return err
		}
		period := start.Format(time.RFC3339)
		if st.DigestSent >= period {
			continue
		}
		all, err := Alerts(ctx, d.bus, sub.ID, start)
		if err != nil {
			return err
		}
		var in []Alert
		for _, a := range all {
			if a.Kind != KindDigest && a.Kind != KindTest && !a.Created.Before(start) && a.Created.Before(end) {
				in = append(in, a)
			}
		}
		if len(in) > 0 {
			more := ""
			if d.opt.FeedURL != nil {
				more = d.opt.FeedURL(sub)
			}
			if err := Publish(ctx, d.bus, BuildDigest(sub, start, end, in, 0, more)); err != nil {
				return err
			}
		}
		if err := d.store.updateStatus(ctx, sub.ID, func(s *Status) { s.DigestSent = period }); err != nil {
			return err
		}
	}
	return nil
}

// Alerts reads a subscription's alerts published since since (zero: all
// the stream keeps), oldest first.
func Alerts(ctx context.Context, b *bus.Bus, subID string, since time.Time) ([]Alert, error) {
	return bus.ReadSubject[Alert](ctx, b, bus.StreamAlerts, bus.AlertSubject(subID), Schema, since)
}
