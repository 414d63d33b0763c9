package bus

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/compoundwatch/compoundwatch/document"
)

// FuzzHeadOf reads hostile headers as a tagged message's head: it never
// panics, and a head it accepts is written back (setHead) to the same
// headers, so reading from headers and from the body cannot disagree
// over what either says.
func FuzzHeadOf(f *testing.F) {
	f.Add("cw.docs.tagged.abc", "compound:huang-le tycoon:candidate:tycoon:ly-yong", "2024-03-23T08:15:30.123456789Z")
	f.Add("cw.docs.tagged.abc", "", "2024-03-23T08:15:30Z")
	f.Add("cw.docs.tagged.", "province:kandal", "2024-03-23T08:15:30Z")
	f.Add("cw.docs.raw.abc", "compound:x", "2024-03-23T08:15:30Z")
	f.Add("cw.docs.tagged.abc", "compound:x  tycoon:y", "2024-03-23T08:15:30Z")
	f.Add("cw.docs.tagged.abc", ":x compound:", "2024-03-23T08:15:30Z")
	f.Add("cw.docs.tagged.abc", "compound:x\r\nCw-Body: evil", "2024-03-23T08:15:30+07:00")
	f.Fuzz(func(t *testing.T, subject, entities, taggedAt string) {
		hdr := nats.Header{HeaderEntities: {entities}, HeaderTaggedAt: {taggedAt}, HeaderSchema: {document.TaggedBusSchema}, HeaderContentHash: {"h"}}
		var h document.TaggedHead
		if !headOf(subject, hdr, &h) {
			return
		}
		if h.ID == "" || h.Schema != document.TaggedBusSchema || h.ContentHash != "h" {
			t.Fatalf("head %+v from %q", h, hdr)
		}
		tg := document.Tagged{TaggedAt: h.TaggedAt}
		for _, e := range h.Entities {
			tg.Entities = append(tg.Entities, document.Entity{Type: e.Type, ID: e.ID})
		}
		back := nats.Header{}
		setHead(back, &tg)
		if got := back[HeaderEntities]; len(got) != 1 || got[0] != entities {
			t.Fatalf("entities %q read as %+v, written back as %q", entities, h.Entities, got)
		}
		if at, err := time.Parse(time.RFC3339Nano, back.Get(HeaderTaggedAt)); err != nil || !at.Equal(h.TaggedAt) {
			t.Fatalf("tagged at %q read as %v, written back as %q", taggedAt, h.TaggedAt, back.Get(HeaderTaggedAt))
		}
	})
}
