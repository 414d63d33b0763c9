package bus

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/compoundwatch/compoundwatch/document"
)

// TestMessageEncodesAsMarshal holds message's pooled encoding to
// json.Marshal's bytes, also for a value encoded into a buffer a longer
// one was released from.
func TestMessageEncodesAsMarshal(t *testing.T) {
	b, err := Open(context.Background(), Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	long := &document.Raw{ID: "a", Title: "<b>Huang Le & Co</b>", Text: strings.Repeat("黄乐 compound, \"Sihanoukville\"\n", 400),
		FetchedAt: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	short := document.Tagged{Raw: document.Raw{ID: "b", Text: "one line"}, Entities: []document.Entity{{Type: document.Compound, ID: "c1", Name: "Huang Le"}}}
	for i, v := range []any{long, short, long, map[string]string{"k": "\u2028"}} {
		m, err := b.message(context.Background(), "cw.raw.x", document.RawSchema, v, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(v)
		if !bytes.Equal(m.Data, want) {
			t.Fatalf("value %d: message encodes\n%s\nwant\n%s", i, m.Data, want)
		}
		b.release(m)
		if m.Data != nil {
			t.Fatalf("value %d: payload kept after release", i)
		}
	}
}
