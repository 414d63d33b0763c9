package alerts

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/query"
)

// Digest periods.
const (
	Hourly = "hourly"
	Daily  = "daily"
	Weekly = "weekly"
)

// Limits on a subscription.
const (
	maxEntities = 50
	maxNote     = 1000
	maxURL      = 2048
)

// Spec is a subscription as a user asks for it (CLI flags, API body).
type Spec struct {
	Entities  []string `json:"entities,omitempty"` // ids, names or aliases of any type
	Query     string   `json:"query,omitempty"`
	Provinces []string `json:"provinces,omitempty"`
	Compounds []string `json:"compounds,omitempty"`
	Tycoons   []string `json:"tycoons,omitempty"`
	Outlets   []string `json:"outlets,omitempty"`
	Webhook   string   `json:"webhook,omitempty"`
	Secret    string   `json:"secret,omitempty"`
	Atom      bool     `json:"atom,omitempty"`
	NATS      bool     `json:"nats,omitempty"`
	Digest    string   `json:"digest,omitempty"`
	Note      string   `json:"note,omitempty"`
	// Backfill (YYYY-MM-DD) sends, once, the stories published since then
	// that are already in the archive.
	Backfill string `json:"backfill,omitempty"`
}

// Subscription is a validated, stored subscription.
type Subscription struct {
	ID       string      `json:"id"`
	Created  time.Time   `json:"created"`
	Entities []EntityRef `json:"entities,omitempty"`
	Query    *SavedQuery `json:"query,omitempty"`
	Note     string      `json:"note,omitempty"`
	Channels Channels    `json:"channels"`
	Digest   string      `json:"digest,omitempty"`
	// FeedToken makes the Atom feed's URL unguessable.
	FeedToken string    `json:"feed_token,omitempty"`
	Backfill  time.Time `json:"backfill,omitzero"`
}

// SavedQuery is a search kept for percolation: the same words and filters
// as `compoundwatch search`, with entity filters resolved to ids.
type SavedQuery struct {
	Text      string   `json:"text,omitempty"`
	Provinces []string `json:"provinces,omitempty"`
	Compounds []string `json:"compounds,omitempty"`
	Tycoons   []string `json:"tycoons,omitempty"`
	Outlets   []string `json:"outlets,omitempty"`
}

// String renders the query as a user would type it, for alerts and lists.
func (q *SavedQuery) String() string {
	parts := []string{}
	if q.Text != "" {
		parts = append(parts, fmt.Sprintf("%q", q.Text))
	}
	for _, f := range []struct {
		name string
		vs   []string
	}{{"province", q.Provinces}, {"compound", q.Compounds}, {"tycoon", q.Tycoons}, {"outlet", q.Outlets}} {
		for _, v := range f.vs {
			parts = append(parts, "--"+f.name+" "+v)
		}
	}
	return strings.Join(parts, " ")
}

// Channels are where a subscription's alerts go.
type Channels struct {
	Webhook *Webhook `json:"webhook,omitempty"`
	Atom    bool     `json:"atom,omitempty"`
	NATS    bool     `json:"nats,omitempty"`
}

// Webhook is a Standard Webhooks endpoint.
type Webhook struct {
	URL    string `json:"url"`
	Secret string `json:"secret"`
	// Disabled is set when the endpoint answered 410 Gone: it asked not
	// to be called again.
	Disabled       bool   `json:"disabled,omitempty"`
	DisabledReason string `json:"disabled_reason,omitempty"`
}

// FieldError is a subscription field the user got wrong. Field is named
// as the API's JSON and the CLI's flags name it.
type FieldError struct {
	Field  string
	Value  string
	Reason string
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Reason)
}

// Validator checks specs. Allow is the webhook_allow setting: addresses
// in it are webhook targets even when special-purpose (loopback, private).
type Validator struct {
	Gazetteer *gazetteer.Gazetteer
	Allow     []netip.Prefix
	Now       func() time.Time
}

// New validates s and builds the subscription, with a new id and feed
// token. Every error is a *FieldError; nothing is stored by New.
func (v Validator) New(s Spec) (*Subscription, error) {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	sub := &Subscription{Created: now().UTC(), Digest: s.Digest}
	var err error
	if sub.Entities, err = v.entities(s.Entities); err != nil {
		return nil, err
	}
	if sub.Query, err = v.query(s); err != nil {
		return nil, err
	}
	if len(sub.Entities) == 0 && sub.Query == nil {
		return nil, &FieldError{Field: "entity", Reason: "follow at least one entity or give a query"}
	}
	switch s.Digest {
	case "", Hourly, Daily, Weekly:
	default:
		return nil, &FieldError{Field: "digest", Value: s.Digest, Reason: "must be hourly, daily or weekly"}
	}
	if len(s.Note) > maxNote || !utf8.ValidString(s.Note) {
		return nil, &FieldError{Field: "note", Reason: fmt.Sprintf("must be UTF-8 text of at most %d bytes", maxNote)}
	}
	sub.Note = strings.TrimSpace(s.Note)
	if s.Webhook != "" || s.Secret != "" {
		if sub.Channels.Webhook, err = v.webhook(s.Webhook, s.Secret); err != nil {
			return nil, err
		}
	}
	sub.Channels.Atom, sub.Channels.NATS = s.Atom, s.NATS
	if sub.Channels.Webhook == nil && !s.Atom && !s.NATS {
		return nil, &FieldError{Field: "channel", Reason: "give at least one of webhook, atom, nats"}
	}
	if s.Backfill != "" {
		t, err := time.Parse(time.DateOnly, s.Backfill)
		if err != nil {
			return nil, &FieldError{Field: "backfill", Value: s.Backfill, Reason: "must be a date as YYYY-MM-DD"}
		}
		sub.Backfill = t
	}
	sub.ID = "sub_" + randomHex(8)
	sub.FeedToken = randomHex(16)
	return sub, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (v Validator) entities(in []string) ([]EntityRef, error) {
	var out []EntityRef
	for _, name := range in {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		var ids []string
		if v.Gazetteer != nil {
			ids = v.Gazetteer.Lookup("", name)
		}
		switch len(ids) {
		case 0:
			return nil, &FieldError{Field: "entity", Value: name, Reason: "unknown entity" + v.suggest(name)}
		case 1:
		default:
			return nil, &FieldError{Field: "entity", Value: name, Reason: "ambiguous; candidates: " + v.describe(ids)}
		}
		r, _ := v.Gazetteer.Entity(ids[0])
		if !slices.ContainsFunc(out, func(e EntityRef) bool { return e.ID == r.ID }) {
			out = append(out, EntityRef{ID: r.ID, Name: r.Name, Type: r.Type})
		}
	}
	if len(out) > maxEntities {
		return nil, &FieldError{Field: "entity", Reason: fmt.Sprintf("at most %d entities", maxEntities)}
	}
	return out, nil
}

func (v Validator) describe(ids []string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		r, _ := v.Gazetteer.Entity(id)
		parts[i] = fmt.Sprintf("%s (%s %s)", id, r.Type, r.Name)
	}
	return strings.Join(parts, ", ")
}

// suggest lists the records whose name or an alias contains name's
// words, so a misspelt or partial name leads somewhere.
func (v Validator) suggest(name string) string {
	if v.Gazetteer == nil {
		return ""
	}
	want := strings.Fields(strings.ToLower(name))
	var ids []string
	for _, r := range v.Gazetteer.Records("") {
		for _, s := range append([]string{r.Name}, r.Aliases...) {
			if containsAll(strings.ToLower(s), want) {
				ids = append(ids, r.ID)
				break
			}
		}
		if len(ids) == 5 {
			break
		}
	}
	if len(ids) == 0 {
		return " (give a gazetteer id or a known name or alias; `compoundwatch search` shows ids)"
	}
	return "; candidates: " + v.describe(ids)
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return len(words) > 0
}

// query checks the saved query with query.Parse, the parser of search,
// so a saved search accepts and rejects exactly what a search does.
func (v Validator) query(s Spec) (*SavedQuery, error) {
	text, _ := query.Text(s.Query)
	if text == "" && len(s.Provinces)+len(s.Compounds)+len(s.Tycoons)+len(s.Outlets) == 0 {
		if strings.TrimSpace(s.Query) != "" {
			return nil, &FieldError{Field: "query", Value: s.Query, Reason: "has no words"}
		}
		return nil, nil
	}
	q, err := query.Parse(v.Gazetteer, query.Params{Text: s.Query, Provinces: s.Provinces,
		Compounds: s.Compounds, Tycoons: s.Tycoons, Outlets: s.Outlets})
	if err != nil {
		if qe, ok := err.(*query.Error); ok {
			return nil, &FieldError{Field: qe.Param, Value: qe.Value, Reason: qe.Reason}
		}
		return nil, &FieldError{Field: "query", Value: s.Query, Reason: err.Error()}
	}
	if strings.ContainsAny(s.Query, "\"()") {
		// Search takes words only: quotes and brackets would read as a
		// syntax the search box does not have.
		return nil, &FieldError{Field: "query", Value: s.Query, Reason: "does not parse: search takes plain words, without quotes or brackets"}
	}
	return &SavedQuery{Text: q.Text, Provinces: q.Provinces, Compounds: q.Compounds, Tycoons: q.Tycoons, Outlets: q.Outlets}, nil
}

const secretPrefix = "whsec_"

func (v Validator) webhook(raw, secret string) (*Webhook, error) {
	if raw == "" {
		return nil, &FieldError{Field: "webhook", Reason: "a secret was given without a webhook URL"}
	}
	u, err := url.Parse(raw)
	if err != nil || len(raw) > maxURL || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, &FieldError{Field: "webhook", Value: raw, Reason: "must be an http or https URL with a host (no user info or fragment)"}
	}
	if host := u.Hostname(); host != "" {
		if ip, err := netip.ParseAddr(host); err == nil {
			if err := NewGuard(v.Allow).CheckAddr(ip); err != nil {
				return nil, &FieldError{Field: "webhook", Value: raw, Reason: err.Error()}
			}
		}
	}
	if err := checkSecret(secret); err != nil {
		return nil, err
	}
	return &Webhook{URL: u.String(), Secret: secret}, nil
}

// checkSecret wants the Standard Webhooks form: whsec_ and the base64 of
// 24 to 64 bytes.
func checkSecret(secret string) error {
	shown := secret
	if len(shown) > 10 {
		shown = shown[:10] + "…" // a secret is not echoed in full
	}
	if !strings.HasPrefix(secret, secretPrefix) {
		return &FieldError{Field: "secret", Value: shown, Reason: "must be whsec_ followed by base64 of 24 to 64 random bytes"}
	}
	key, err := base64.StdEncoding.DecodeString(secret[len(secretPrefix):])
	if err != nil || len(key) < 24 || len(key) > 64 {
		return &FieldError{Field: "secret", Value: shown, Reason: "must be whsec_ followed by base64 of 24 to 64 random bytes"}
	}
	return nil
}
