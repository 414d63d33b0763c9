package web

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/compoundwatch/compoundwatch/alerts"
)

// Alerts is the alert subscriptions service (alerts.Service); nil turns
// the alert endpoints off.
type Alerts interface {
	Create(ctx context.Context, spec alerts.Spec) (*alerts.Subscription, error)
	List(ctx context.Context) ([]*alerts.Subscription, error)
	Get(ctx context.Context, id string) (*alerts.Subscription, error)
	Status(ctx context.Context, id string) (alerts.Status, error)
	Remove(ctx context.Context, id string) error
	Recent(ctx context.Context, sub *alerts.Subscription) ([]alerts.Alert, error)
}

// subscriptionJSON is a subscription as the API shows it: the webhook
// secret hidden, the feed's path added.
type subscriptionJSON struct {
	*alerts.Subscription
	Feed   string         `json:"feed,omitempty"`
	Status *alerts.Status `json:"status,omitempty"`
}

func feedPath(sub *alerts.Subscription) string {
	return "/alerts/" + sub.ID + "/feed.atom?token=" + sub.FeedToken
}

func shown(sub *alerts.Subscription) subscriptionJSON {
	c := *sub
	if wh := c.Channels.Webhook; wh != nil {
		w := *wh
		w.Secret = "whsec_…"
		c.Channels.Webhook = &w
	}
	out := subscriptionJSON{Subscription: &c}
	if c.Channels.Atom {
		out.Feed = feedPath(sub)
	}
	return out
}

func (s *server) alertsOn(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.Alerts == nil {
		writeError(w, http.StatusServiceUnavailable, "alerts are not available on this server (no pipeline connected)")
		return false
	}
	return true
}

// Subscriptions carry webhook URLs and feed tokens, so reading them needs
// the API token as writing does.
func (s *server) apiAlertsCreate(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) || !s.alertsOn(w, r) {
		return
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	var spec alerts.Spec
	if err := dec.Decode(&spec); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON subscription: "+err.Error())
		return
	}
	sub, err := s.opts.Alerts.Create(r.Context(), spec)
	var fe *alerts.FieldError
	switch {
	case errors.As(err, &fe):
		writeJSON(w, http.StatusBadRequest, apiError{Error: fe.Error(), Param: fe.Field})
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "create subscription", "err", err)
		writeError(w, http.StatusServiceUnavailable, "could not store the subscription; try again later")
		return
	}
	s.log.InfoContext(r.Context(), "alert subscription created", "id", sub.ID)
	writeJSON(w, http.StatusCreated, shown(sub))
}

func (s *server) apiAlertsList(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) || !s.alertsOn(w, r) {
		return
	}
	subs, err := s.opts.Alerts.List(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "list subscriptions", "err", err)
		writeError(w, http.StatusServiceUnavailable, "could not read the subscriptions")
		return
	}
	out := make([]subscriptionJSON, 0, len(subs))
	for _, sub := range subs {
		out = append(out, shown(sub))
	}
	writeJSON(w, http.StatusOK, map[string]any{"subscriptions": out})
}

func (s *server) subscription(w http.ResponseWriter, r *http.Request) *alerts.Subscription {
	sub, err := s.opts.Alerts.Get(r.Context(), r.PathValue("id"))
	switch {
	case errors.Is(err, alerts.ErrNoSubscription):
		writeError(w, http.StatusNotFound, "no such subscription")
		return nil
	case err != nil:
		s.log.ErrorContext(r.Context(), "read subscription", "err", err)
		writeError(w, http.StatusServiceUnavailable, "could not read the subscription")
		return nil
	}
	return sub
}

func (s *server) apiAlertsShow(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) || !s.alertsOn(w, r) {
		return
	}
	sub := s.subscription(w, r)
	if sub == nil {
		return
	}
	out := shown(sub)
	if st, err := s.opts.Alerts.Status(r.Context(), sub.ID); err == nil {
		out.Status = &st
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) apiAlertsDelete(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) || !s.alertsOn(w, r) {
		return
	}
	if sub := s.subscription(w, r); sub != nil {
		if err := s.opts.Alerts.Remove(r.Context(), sub.ID); err != nil {
			writeError(w, http.StatusServiceUnavailable, "could not remove the subscription")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// feed serves a subscription's Atom feed to whoever has its feed token
// (feed readers cannot send headers) or the API token.
func (s *server) feed(w http.ResponseWriter, r *http.Request) {
	if s.opts.Alerts == nil {
		http.NotFound(w, r)
		return
	}
	sub, err := s.opts.Alerts.Get(r.Context(), r.PathValue("id"))
	if err != nil || !sub.Channels.Atom && sub.Digest == "" {
		http.NotFound(w, r)
		return
	}
	token := r.URL.Query().Get("token")
	if subtle.ConstantTimeCompare([]byte(token), []byte(sub.FeedToken)) != 1 {
		if _, bearer, _ := strings.Cut(r.Header.Get("Authorization"), " "); s.opts.APIToken == "" ||
			subtle.ConstantTimeCompare([]byte(strings.TrimSpace(bearer)), []byte(s.opts.APIToken)) != 1 {
			http.NotFound(w, r) // no hint that the subscription exists
			return
		}
	}
	as, err := s.opts.Alerts.Recent(r.Context(), sub)
	if err != nil {
		s.log.ErrorContext(r.Context(), "feed", "id", sub.ID, "err", err)
		http.Error(w, "feed unavailable", http.StatusServiceUnavailable)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	body, err := alerts.Feed(sub, as, scheme+"://"+r.Host+feedPath(sub))
	if err != nil {
		http.Error(w, "feed unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(body)
}
