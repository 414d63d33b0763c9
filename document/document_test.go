package document

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

func TestReads(t *testing.T) {
	for _, tt := range []struct {
		want, got string
		ok        bool
	}{
		{RawSchema, RawSchema, true},
		{TaggedSchema, TaggedSchema, true},
		{TaggedBusSchema, TaggedBusSchema, true},
		{TaggedBusSchema, TaggedSchema, true},  // v1 carries more: a v3 reader reads it
		{TaggedBusSchema, taggedBusV2, true},   // so does v2
		{TaggedSchema, TaggedBusSchema, false}, // v3 lacks the contexts a v1 reader expects
		{taggedBusV2, TaggedBusSchema, false},  // and the texts a v2 reader expects
		{TaggedBusSchema, RawSchema, false},
		{RawSchema, TaggedSchema, false},
		{TaggedBusSchema, "", false},
		{MentionSchema, "compoundwatch.mention/v2", false},
	} {
		if got := Reads(tt.want, tt.got); got != tt.ok {
			t.Errorf("Reads(%q, %q) = %v, want %v", tt.want, tt.got, got, tt.ok)
		}
	}
}

// TestContentHash holds ContentHash to its definition, the first half of
// the SHA-256 of the three strings each followed by a zero byte, in hex:
// the hashes already stored in the streams and in message ids must not
// change. The texts cross the 512-byte pieces ContentHash copies in.
func TestContentHash(t *testing.T) {
	def := func(title, published, text string) string {
		sum := sha256.Sum256([]byte(title + "\x00" + published + "\x00" + text + "\x00"))
		return hex.EncodeToString(sum[:16])
	}
	long := strings.Repeat("Kokang 高科 ", 300)
	for _, tt := range []struct{ title, published, text string }{
		{"", "", ""},
		{"Raid", "2024-06-01", "One sentence."},
		{"a\x00b", "", "\x00"},
		{"Title", "", strings.Repeat("x", 511)},
		{"Title", "", strings.Repeat("x", 512)},
		{"Title", "", strings.Repeat("x", 513)},
		{long, long[:700], long},
	} {
		if got, want := ContentHash(tt.title, tt.published, tt.text), def(tt.title, tt.published, tt.text); got != want {
			t.Errorf("ContentHash(%.20q, %.20q, %.20q) = %s, want %s", tt.title, tt.published, tt.text, got, want)
		}
	}
	// The text is not copied: the hex string is the one allocation.
	if n := testing.AllocsPerRun(20, func() { ContentHash("Title", "2024-06-01", long) }); n > 1 {
		t.Errorf("ContentHash allocates %v times, want 1", n)
	}
}
