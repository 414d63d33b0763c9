package document

import "time"

// Compact leaves out of t what a reader of TaggedBusSchema cuts back from
// t.Text at the offsets beside it: the mentions' contexts, and the
// mentions', figures' and events' own texts where they are Text at their
// offsets (an event's summary differs where the extractor shortened or
// folded its sentence, and is kept). On the benchmark's articles a tagged
// document is 23 KB with its contexts, 16 KB without (v2) and 12.5 KB
// compacted (v3), and each stage reading CW_TAGGED decodes it a sixth
// sooner than v2 (the extractor's BenchmarkBusDecode). It changes t's
// entities, figures and events in place, so the caller must not need
// those texts after.
func (t *Tagged) Compact() {
	for _, e := range t.Entities {
		for i := range e.Mentions {
			m := &e.Mentions[i]
			m.Context = ""
			if t.at(m.Start, m.End) == m.Text {
				m.Text = ""
			}
		}
	}
	for i := range t.Figures {
		if f := &t.Figures[i]; t.at(f.Start, f.End) == f.Text {
			f.Text = ""
		}
	}
	for i := range t.Events {
		if e := &t.Events[i]; t.at(e.Start, e.End) == e.Summary {
			e.Summary = ""
		}
	}
}

// Expand restores the texts Compact left out: each empty text of a
// mention, figure or event is Text at its offsets. The texts share
// Text's memory rather than each being allocated, as decoding them
// would. A message of an earlier schema has them all, and is left as is.
// Contexts are not restored: a reader that shows them cuts them
// (CutContexts).
func (t *Tagged) Expand() {
	for _, e := range t.Entities {
		for i := range e.Mentions {
			if m := &e.Mentions[i]; m.Text == "" {
				m.Text = t.at(m.Start, m.End)
			}
		}
	}
	for i := range t.Figures {
		if f := &t.Figures[i]; f.Text == "" {
			f.Text = t.at(f.Start, f.End)
		}
	}
	for i := range t.Events {
		if e := &t.Events[i]; e.Summary == "" {
			e.Summary = t.at(e.Start, e.End)
		}
	}
}

// at is Text[start:end], or "" where the offsets do not fit the text (a
// hostile or damaged message must not panic a reader).
func (t *Tagged) at(start, end int) string {
	if start < 0 || end < start || end > len(t.Text) {
		return ""
	}
	return t.Text[start:end]
}

// TaggedHead is the part of a tagged document that a reader of CW_TAGGED
// needing neither its text nor its mentions, figures and events decodes:
// the extractor stage reads the version before for the next one's
// history (document.History). The decoder skips the rest of the message
// without building it: on the benchmark's articles 9 µs and 2.7 KB a
// document, against 25 µs and 30 KB for the whole (the extractor's
// BenchmarkBusDecode).
type TaggedHead struct {
	Schema      string      `json:"schema"`
	ID          string      `json:"id"`
	ContentHash string      `json:"content_hash"`
	TaggedAt    time.Time   `json:"tagged_at"`
	Entities    []EntityRef `json:"entities"`
	History     *History    `json:"history,omitempty"`
}

// History is what a document's earlier versions held, carried by each
// tagged version: the alerts stage's "only new" rules need it, and the
// tagged log keeps one version a document, so the version before is read
// when the next is tagged and its history carried on. Before it
// travelled, the alerts stage wrote a state of its own for every document
// it saw, a stored message a document even with no subscription to serve.
type History struct {
	// Hash is the content hash of the version before; empty for a
	// document's first version.
	Hash string `json:"hash,omitempty"`
	// Seen lists the entities of every earlier version, each once, in the
	// order they first appeared.
	Seen []EntityRef `json:"seen,omitempty"`
}

// Next is the history of the version after one whose head is h: h's own
// hash, and h's entities added to what h's history had seen. A head
// without a history (published before it travelled) counts as its
// document's first version.
func (h *TaggedHead) Next() *History {
	next := &History{Hash: h.ContentHash}
	var before []EntityRef
	if h.History != nil {
		before = h.History.Seen
	}
	// A set, not a search of the list: a hostile page can name
	// thousands of candidates, and a page that changes every crawl
	// carries them all on.
	if n := len(before) + len(h.Entities); n > 0 {
		next.Seen = make([]EntityRef, 0, n)
		in := make(map[EntityRef]bool, n)
		for _, list := range [][]EntityRef{before, h.Entities} {
			for _, e := range list {
				if !in[e] {
					in[e] = true
					next.Seen = append(next.Seen, e)
				}
			}
		}
	}
	return next
}

// EntityRef names an entity of a TaggedHead.
type EntityRef struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// PayloadSchema is the schema the payload says it has.
func (h *TaggedHead) PayloadSchema() string { return h.Schema }
