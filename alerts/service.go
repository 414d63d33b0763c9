package alerts

import (
	"context"
	"slices"

	"github.com/compoundwatch/compoundwatch/bus"
)

// Service is what the web API needs of alerts: validated creation, the
// store, and the alerts a feed shows.
type Service struct {
	Bus       *bus.Bus
	Store     *Store
	Validator Validator
}

// Create validates s and stores the subscription; nothing is stored when
// s is invalid (the error is a *FieldError).
func (s *Service) Create(ctx context.Context, spec Spec) (*Subscription, error) {
	sub, err := s.Validator.New(spec)
	if err != nil {
		return nil, err
	}
	if err := s.Store.Add(ctx, sub); err != nil {
		return nil, err
	}
	return sub, nil
}

// List returns every subscription.
func (s *Service) List(ctx context.Context) ([]*Subscription, error) { return s.Store.List(ctx) }

// Get returns one subscription.
func (s *Service) Get(ctx context.Context, id string) (*Subscription, error) {
	return s.Store.Get(ctx, id)
}

// Status returns a subscription's delivery status.
func (s *Service) Status(ctx context.Context, id string) (Status, error) {
	return s.Store.Status(ctx, id)
}

// Remove deletes a subscription.
func (s *Service) Remove(ctx context.Context, id string) error { return s.Store.Remove(ctx, id) }

// FeedSize is how many alerts a feed lists.
const FeedSize = 50

// Recent returns a subscription's newest alerts, newest first. A digest
// subscription's feed lists its digests only.
func (s *Service) Recent(ctx context.Context, sub *Subscription) ([]Alert, error) {
	as, err := Alerts(ctx, s.Bus, sub.ID, sub.Created)
	if err != nil {
		return nil, err
	}
	if sub.Digest != "" {
		as = slices.DeleteFunc(as, func(a Alert) bool { return a.Kind != KindDigest && a.Kind != KindTest })
	}
	if len(as) > FeedSize {
		as = as[len(as)-FeedSize:]
	}
	slices.Reverse(as)
	return as, nil
}
