// Package document defines the documents that flow between compoundwatch's
// stages. Every stage speaks only these types (as versioned JSON on the bus),
// so the shapes here are a public contract: add fields, never rename or
// repurpose them, and bump the schema version when a change is incompatible.
package document

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Schema identifiers carried in every message's "schema" field. A consumer
// rejects (dead-letters) a message whose schema it does not know instead of
// guessing at its meaning.
const (
	RawSchema = "compoundwatch.raw/v1"
	// TaggedSchema is a tagged document whole, as the extractor returns it
	// and `compoundwatch extract` prints it (there with its mentions'
	// contexts, which the extractor leaves to such a reader: see
	// Tagged.CutContexts).
	TaggedSchema = "compoundwatch.tagged/v1"
	// TaggedBusSchema is a tagged document as CW_TAGGED carries it:
	// TaggedSchema without what a reader cuts from Text at the offsets
	// beside it (see Tagged.Compact). v2 left out the mentions' contexts,
	// which were a third of the message and which every stage reading the
	// stream stored, received and decoded without using; v3 also leaves
	// out the mentions', figures' and events' own texts where they are
	// Text at their offsets, about a quarter of what v2 was. A reader of it
	// reads the earlier schemas as they are (see Reads), such as the
	// messages a stream kept from before.
	TaggedBusSchema = "compoundwatch.tagged/v3"
	MentionSchema   = "compoundwatch.mention/v1"

	// taggedBusV2 is TaggedBusSchema before v3: the texts at offsets are
	// all there, so Tagged.Expand has nothing to fill.
	taggedBusV2 = "compoundwatch.tagged/v2"
)

// Reads reports whether a reader of schema want understands a payload of
// schema got: the same schema, or one that differs only in carrying more.
func Reads(want, got string) bool {
	return got == want || want == TaggedBusSchema && (got == TaggedSchema || got == taggedBusV2)
}

// Raw is a fetched or read source document, before extraction.
type Raw struct {
	Schema string `json:"schema"`
	// ID is stable for the document's identity (its canonical URL, or its
	// path for local files) and independent of its content, so a changed
	// document replaces the old one everywhere downstream.
	ID           string `json:"id"`
	Source       string `json:"source"`                  // URL or file path as given
	CanonicalURL string `json:"canonical_url,omitempty"` // after rel=canonical and URL clean-up
	// FileURL is set for a local file, whichever command read it: see
	// FileURL and Identity.
	FileURL string `json:"file_url,omitempty"`
	Title   string `json:"title"`
	Byline  string `json:"byline,omitempty"`
	// Published is the publication date as YYYY-MM-DD, or empty when unknown.
	Published   string            `json:"published,omitempty"`
	Outlet      string            `json:"outlet,omitempty"`
	Country     string            `json:"country,omitempty"`
	Language    string            `json:"language,omitempty"`
	ContentType string            `json:"content_type,omitempty"`
	Text        string            `json:"text"`
	ContentHash string            `json:"content_hash"` // see ContentHash
	FetchedAt   time.Time         `json:"fetched_at"`
	DuplicateOf string            `json:"duplicate_of,omitempty"` // canonical URL of the earlier copy of the same story
	Links       []string          `json:"links,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
}

// Tagged is a Raw document plus what the extractor found in it. It is the
// unit the indexer, alerts and timelines consume, and the output of
// `compoundwatch extract`.
type Tagged struct {
	Raw
	Entities []Entity `json:"entities"`
	Figures  []Figure `json:"figures"`
	Events   []Event  `json:"events"`
	// Extractor identifies the extractor build and gazetteer that produced
	// the tags, so stale tags can be found and re-extracted.
	Extractor string `json:"extractor,omitempty"`
	// TaggedAt is when the extractor stage tagged this version. Alerts
	// use it to tell new documents from the archive.
	TaggedAt time.Time `json:"tagged_at,omitzero"`
	// History is what the tagged log held of the document's earlier
	// versions when this one was tagged; nil outside the bus, and on
	// messages published before it travelled.
	History *History `json:"history,omitempty"`
}

// Entity types.
const (
	Compound = "compound"
	Tycoon   = "tycoon"
	Province = "province"
)

// Entity is one distinct entity found in a document, with every mention.
type Entity struct {
	Type string `json:"type"` // Compound, Tycoon or Province
	ID   string `json:"id"`   // gazetteer id, or "candidate:<slug>" when Known is false
	Name string `json:"name"` // canonical name
	// Kind refines Type: person or company for tycoons; casino, SEZ, hotel…
	// for compounds; province or capital for provinces.
	Kind       string    `json:"kind,omitempty"`
	Known      bool      `json:"known"`
	Confidence float64   `json:"confidence"`
	Uncertain  bool      `json:"uncertain,omitempty"` // the gazetteer marks this record as doubtful
	Mentions   []Mention `json:"mentions"`
	// LinkedBy is set when a known entity was recognised from a spelling
	// variant of one of its names rather than from a name as the gazetteer
	// writes it ("Mok Bay Casino" for Moc Bai Casino): the evidence, so an
	// editor can check the link.
	LinkedBy string `json:"linked_by,omitempty"`
	// Proposals, on an unknown entity, are known entities it is likely the
	// same as, for an editor to confirm (compoundwatch entities link).
	Proposals []Proposal `json:"proposals,omitempty"`
}

// Proposal is a known entity that an unknown one is likely the same as.
type Proposal struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Confidence float64 `json:"confidence"`
	Evidence   string  `json:"evidence"`
}

// Mention is one occurrence of an entity. Start and End are byte offsets
// into the document's UTF-8 Text (Text[Start:End] == the mention text).
type Mention struct {
	// Text is empty on the bus where it is Text[Start:End] (Tagged.Compact).
	Text  string `json:"text,omitempty"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	// Context is the text around the mention for a reader. It is cut from
	// Text and the offsets alone (Context, Tagged.CutContexts) by a reader
	// that shows it; the extractor and the bus leave it out.
	Context string `json:"context,omitempty"`
}

// Figure is a numeric fact stated in the text. Start and End are byte
// offsets into Text, as for mentions.
type Figure struct {
	Value     float64 `json:"value"`
	Unit      string  `json:"unit"`
	Qualifier string  `json:"qualifier"`
	Subject   string  `json:"subject,omitempty"`
	// Text is empty on the bus where it is the document's Text[Start:End]
	// (Tagged.Compact).
	Text  string `json:"text,omitempty"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Date precisions.
const (
	Day   = "day"
	Month = "month"
	Year  = "year"
)

// Event is a dated happening.
type Event struct {
	Date      string `json:"date"` // YYYY, YYYY-MM or YYYY-MM-DD
	Precision string `json:"precision"`
	// Summary is the sentence that reports the event, shortened and its
	// white space folded where need be. It is empty on the bus where it
	// is the document's Text[Start:End] (Tagged.Compact).
	Summary  string   `json:"summary,omitempty"`
	Entities []string `json:"entities,omitempty"`
	// DateText is the date as printed, kept when the ISO date is not a
	// plain transcription of it (relative, corrected or inferred).
	DateText string `json:"date_text,omitempty"`
	// Flag explains a doubt a reader should know of, such as a corrected
	// typo in the year.
	Flag string `json:"flag,omitempty"`
	// Until is the end of a happening printed as a range, which Date
	// dates at its start, at Date's precision: the last day (YYYY-MM-DD)
	// of "12–14 April 2024", the last month (YYYY-MM) of "August–
	// September 2024". A calendar or timeline can then show how long it
	// lasted. Empty for a single date.
	Until string `json:"until,omitempty"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// MentionEvent is published once per entity per document version on
// cw.mentions.<type>.<entity-id> when the deployment asks for them (see
// bus.Options.MentionEvents), for programs that read every tag of an
// entity.
type MentionEvent struct {
	Schema string `json:"schema"`
	// Key names the (document, entity) pair and survives edits of the
	// text; see MentionKey.
	Key        string `json:"key"`
	EntityType string `json:"entity_type"`
	EntityID   string `json:"entity_id"`
	EntityName string `json:"entity_name"`
	DocID      string `json:"doc_id"`
	// ContentHash is the version of the document that was tagged.
	ContentHash string `json:"content_hash"`
	// New says no version of the document tagged before this one named
	// the entity (true for a document's first version).
	New       bool      `json:"new"`
	Source    string    `json:"source"`
	Title     string    `json:"title"`
	Published string    `json:"published,omitempty"`
	Count     int       `json:"count"`
	Context   string    `json:"context,omitempty"`
	TaggedAt  time.Time `json:"tagged_at"`
}

// MentionKey identifies the mentions of one entity in one document,
// whatever the version of its text.
func MentionKey(docID, entityType, entityID string) string {
	return docID + ":" + entityType + ":" + entityID
}

// PayloadSchema is the schema the payload says it has, for readers that
// check it before trusting the rest.
func (r *Raw) PayloadSchema() string { return r.Schema }

// PayloadSchema is the schema the payload says it has.
func (m *MentionEvent) PayloadSchema() string { return m.Schema }

// FileURL is the identity of a local file: "file://" and its absolute,
// cleaned path with forward slashes. Every command that reads files
// (ingest, folder sources, extract) derives a file's document id from it,
// so one file is one document however it was reached.
func FileURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return "file://" + filepath.ToSlash(abs), nil
}

// Identity is what a document's id is derived from: a local file's
// FileURL, else the canonical URL of a web page, else its source as given.
func (r *Raw) Identity() string { return cmp.Or(r.FileURL, r.CanonicalURL, r.Source) }

// URL is the address a reader can follow: the canonical URL, else the
// file:// URL of a local file, else the source as given.
func (r *Raw) URL() string { return cmp.Or(r.CanonicalURL, r.FileURL, r.Source) }

// IDFor derives a document id from its identity (canonical URL or path).
// The id is lower-case hex, so it is valid as a NATS subject token, a
// Meilisearch document id and a file name.
func IDFor(identity string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(identity)))
	return hex.EncodeToString(sum[:16])
}

// ContentHash hashes what extraction depends on, so that re-ingesting an
// unchanged document is recognised and a changed one is not.
//
// The strings go to the hash through a buffer on the stack, a piece at a
// time: converting each to a []byte copied the whole text onto the heap,
// twice a document read (its reader and the bus both finalise it), 9 KB
// of the stages' garbage for each article of the throughput benchmark.
func ContentHash(title, published, text string) string {
	h := sha256.New()
	var buf [512]byte
	for _, s := range [...]string{title, published, text} {
		for len(s) > 0 {
			n := copy(buf[:], s)
			h.Write(buf[:n])
			s = s[n:]
		}
		buf[0] = 0
		h.Write(buf[:1])
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])[:16])
}

// Finalize fills the derived fields (schema, id, content hash).
func (r *Raw) Finalize() {
	r.Schema = RawSchema
	if r.ID == "" {
		r.ID = IDFor(r.Identity())
	}
	r.ContentHash = ContentHash(r.Title, r.Published, r.Text)
}
