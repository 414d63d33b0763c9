// Package bus owns compoundwatch's NATS JetStream wiring: the streams and
// subjects the stages talk over, the embedded server used when no external
// NATS is configured, and the publish/consume helpers that give every stage
// the same delivery guarantees.
//
// # Subjects and streams
//
//	stream       subject                        payload                     retention
//	CW_RAW       cw.docs.raw.<doc-id>           document.Raw    (raw/v1)    limits, last message per subject
//	CW_TAGGED    cw.docs.tagged.<doc-id>        document.Tagged (tagged/v3) limits, last message per subject (without what is cut from its text: Tagged.Compact; v1, v2 read too)
//	CW_MENTIONS  cw.mentions.<type>.<entity-id> document.MentionEvent       limits, 365 days (only with Options.MentionEvents)
//	CW_DEAD      cw.dead.<stage>                DeadLetter      (dead/v1)   limits, 90 days
//	CW_ALERTS    cw.alerts.<subscription-id>    alerts' deliveries          limits, 90 days
//
// Buckets, declared beside the streams (see declared in setup.go):
//
//	cw-bodies        object store   payloads over the server's max message size
//	cw-crawl         key-value      crawl state: validators, hashes, frontier, fingerprints
//	cw-alert-subs    key-value      alert subscriptions
//	cw-alert-ledger  key-value      which (subscription, story) pairs were alerted
//
// One subject per document with one message kept per subject makes the raw
// and tagged streams compacted logs: a changed document replaces the old
// version, and replaying CW_TAGGED from the start (reindex) yields exactly
// the current version of every document. Every message carries a
// Nats-Msg-Id made of the document id and its content hash, so re-publishing
// an unchanged document within the dedup window is dropped by the server;
// beyond the window, publishers compare the content hash header with the
// last message on the document's subject.
//
// A tagged message carries its document's history (document.History):
// what the log held of its earlier versions, read by the extractor stage
// before it publishes the next (TaggedHistories), so that the alerts
// stage needs no state of its own for each document.
//
// Payloads larger than the server's max payload go to the object store
// bucket cw-bodies; the message then carries only the header Cw-Body with
// the object's name.
package bus

import "time"

// Stream names.
const (
	StreamRaw      = "CW_RAW"
	StreamTagged   = "CW_TAGGED"
	StreamMentions = "CW_MENTIONS"
	StreamDead     = "CW_DEAD"
	StreamAlerts   = "CW_ALERTS"
)

// Subject prefixes; a full subject adds one or two tokens (see package doc).
const (
	SubjectRaw      = "cw.docs.raw"
	SubjectTagged   = "cw.docs.tagged"
	SubjectMentions = "cw.mentions"
	SubjectDead     = "cw.dead"
	SubjectAlerts   = "cw.alerts"
)

// Buckets.
const (
	BucketBodies      = "cw-bodies"       // object store for oversized payloads
	BucketCrawl       = "cw-crawl"        // key-value crawl state (URL → validators, hash, last seen)
	BucketAlertSubs   = "cw-alert-subs"   // key-value alert subscriptions
	BucketAlertLedger = "cw-alert-ledger" // key-value (subscription, story) → first alert
)

// DeadSchema identifies a DeadLetter payload.
const DeadSchema = "compoundwatch.dead/v1"

// Headers set on every message.
const (
	HeaderSchema      = "Cw-Schema"
	HeaderContentHash = "Cw-Content-Hash"
	HeaderBody        = "Cw-Body"
	HeaderReason      = "Cw-Reason"
)

// Durable consumer names, one per stage: replicas of a stage share its
// durable and split the work.
const (
	ConsumerExtractor = "extractor"
	ConsumerIndexer   = "indexer"
	ConsumerAlerts    = "alerts"
	// ConsumerWebhooks delivers CW_ALERTS to webhooks; its naks carry the
	// retry schedule, so retries survive restarts.
	ConsumerWebhooks = "alert-webhooks"
)

// RawSubject is the subject of a raw document.
func RawSubject(docID string) string { return SubjectRaw + "." + docID }

// TaggedSubject is the subject of a tagged document.
func TaggedSubject(docID string) string { return SubjectTagged + "." + docID }

// MentionSubject is the subject of mention events for one entity.
// Entity ids are slugs ([a-z0-9-]), so they are valid subject tokens;
// candidate ids ("candidate:compound:x") have their colons replaced.
func MentionSubject(entityType, entityID string) string {
	return SubjectMentions + "." + token(entityType) + "." + token(entityID)
}

// AlertSubject is where the alerts of one subscription are published for
// programs that consume them durably.
func AlertSubject(subscriptionID string) string { return SubjectAlerts + "." + token(subscriptionID) }

// DeadSubject is where a stage's rejected messages go.
func DeadSubject(stage string) string { return SubjectDead + "." + token(stage) }

func token(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}

// DedupWindow is how long the server remembers message ids. Long enough to
// cover a stage restart after a crash; identity beyond that is kept by
// subject (see package doc).
const DedupWindow = time.Hour
