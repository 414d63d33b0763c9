package document

import "testing"

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
