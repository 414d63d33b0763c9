// Package alerts tells researchers about new mentions of what they follow:
// entities (by id, so every alias and script is one subscription) and
// saved searches. It holds the subscription model, the percolator that
// matches every subscription against each newly tagged document, the
// ledger that keeps each story to one alert per subscription, and the
// channels an alert goes out on: Standard Webhooks, Atom, NATS and digests.
package alerts

import "time"

// Schema is the version of the Alert payload, carried in its "schema"
// field and the Cw-Schema header.
const Schema = "compoundwatch.alert/v1"

// Alert kinds.
const (
	KindNew          = "new"           // a story the subscription was not told of
	KindAlsoReported = "also_reported" // another outlet's copy of a story already alerted
	KindBackfill     = "backfill"      // an older story sent once at the subscriber's request
	KindTest         = "test"          // `alerts test`: not about any document
	KindDigest       = "digest"        // one period's alerts of a digest subscription
)

// Alert is the payload every channel carries (JSON on NATS and webhooks,
// one entry in the Atom feed).
type Alert struct {
	Schema string `json:"schema"`
	// DeliveryKey identifies this alert for good: the webhook-id header,
	// the NATS message id and the Atom entry id all derive from it, so a
	// receiver can drop a repeat.
	DeliveryKey    string    `json:"delivery_key"`
	SubscriptionID string    `json:"subscription_id"`
	Note           string    `json:"note,omitempty"`
	Kind           string    `json:"kind"`
	Created        time.Time `json:"created"`
	Document       DocRef    `json:"document"`
	Matches        []Match   `json:"matches"`
	AlsoReportedBy []Source  `json:"also_reported_by,omitempty"`
	// Digest is set on KindDigest only.
	Digest *Digest `json:"digest,omitempty"`
}

// PayloadSchema is the schema the payload says it has.
func (a *Alert) PayloadSchema() string { return a.Schema }

// DocRef names the document an alert is about.
type DocRef struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Outlet    string `json:"outlet,omitempty"`
	URL       string `json:"url"`
	Published string `json:"published,omitempty"`
	Language  string `json:"language,omitempty"`
}

// Match is one reason the document matched: an entity the subscription
// follows, or its saved query.
type Match struct {
	Entity   *EntityRef   `json:"entity,omitempty"`
	Query    string       `json:"query,omitempty"`
	Mentions []MentionRef `json:"mentions"`
	// Figures are the figures stated in the sentences of the mentions.
	Figures []FigureRef `json:"figures,omitempty"`
}

// EntityRef names a followed entity.
type EntityRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// MentionRef is one passage: the text matched, its sentence, and byte
// offsets into the document's text.
type MentionRef struct {
	Text    string `json:"text"`
	Context string `json:"context"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// FigureRef is a figure near a mention.
type FigureRef struct {
	Text  string  `json:"text"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit,omitempty"`
	Start int     `json:"start"`
	End   int     `json:"end"`
}

// Source is another outlet's copy of a story.
type Source struct {
	DocumentID string `json:"document_id"`
	Outlet     string `json:"outlet,omitempty"`
	URL        string `json:"url"`
	Title      string `json:"title,omitempty"`
}

// TestAlert is the clearly marked alert `alerts test` sends.
func TestAlert(sub *Subscription, now time.Time) Alert {
	return Alert{Schema: Schema, DeliveryKey: sub.ID + ":test:" + now.UTC().Format("20060102T150405.000"),
		SubscriptionID: sub.ID, Note: sub.Note, Kind: KindTest, Created: now.UTC(),
		Document: DocRef{Title: "compoundwatch test alert: not about any document"}, Matches: []Match{}}
}
