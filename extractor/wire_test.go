package extractor

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// TestBusRoundTrip: every document the extractor tags, compacted for the
// bus (document.Tagged.Compact), sent as JSON and expanded by its
// reader, is what the extractor returned without the mentions' contexts:
// nothing the bus leaves out is lost, on the examples, both annotated
// corpora, the generated text and the benchmark's articles. The same
// message read as a document.TaggedHead holds the document's fields of
// that name.
func TestBusRoundTrip(t *testing.T) {
	x := testExtractor(t)
	texts := map[string][]string{"generated": generatedDocs(50), "articles": repotest.Articles(t, 200)}
	for _, c := range []corpus{examplesCorpus(t), sharedCorpus(t), devsetCorpus(t, "devset2", devset2Thresholds), devsetCorpus(t, "devset-zh", devsetZhThresholds), devsetCorpus(t, "heldout-zh", heldoutZhThresholds), devsetCorpus(t, "heldout-zh2", heldoutZh2Thresholds)} {
		for _, base := range c.docNames {
			text, _ := c.read(t, base)
			texts[c.name] = append(texts[c.name], text)
		}
	}
	for name, docs := range texts {
		var before, after int
		for i, text := range docs {
			tagged := x.Extract(document.Raw{Schema: document.RawSchema, ID: "d", Text: text})
			tagged.ContentHash, tagged.TaggedAt = fmt.Sprintf("hash-%d", i), time.Date(2026, 12, 4, 0, 0, i, 0, time.UTC)
			want := clone(t, tagged)
			clearContexts(want)
			before += len(marshal(t, want))
			tagged.Compact()
			wire := marshal(t, tagged)
			after += len(wire)
			var got document.Tagged
			if err := gojson.Unmarshal(wire, &got); err != nil {
				t.Fatal(err)
			}
			got.Expand()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s #%d: round trip differs:\n%+v\nwant:\n%+v", name, i, got, want)
			}
			var head document.TaggedHead
			if err := gojson.Unmarshal(wire, &head); err != nil {
				t.Fatal(err)
			}
			if h := headOf(want); !reflect.DeepEqual(head, h) {
				t.Errorf("%s #%d: head %+v, want %+v", name, i, head, h)
			}
		}
		t.Logf("%s: %d documents, %d bytes a document without contexts, %d compacted", name, len(docs), before/len(docs), after/len(docs))
	}
}

// headOf is what a document.TaggedHead of d should hold.
func headOf(d document.Tagged) document.TaggedHead {
	h := document.TaggedHead{Schema: d.Schema, ID: d.ID, ContentHash: d.ContentHash, TaggedAt: d.TaggedAt}
	if d.Entities != nil {
		h.Entities = []document.EntityRef{}
	}
	for _, e := range d.Entities {
		h.Entities = append(h.Entities, document.EntityRef{Type: e.Type, ID: e.ID})
	}
	return h
}

// marshal encodes v with the bus's codec.
func marshal(tb testing.TB, v any) []byte {
	tb.Helper()
	data, err := gojson.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func clone(t *testing.T, d document.Tagged) document.Tagged {
	t.Helper()
	var c document.Tagged
	if err := gojson.Unmarshal(marshal(t, d), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// clearContexts leaves d's mentions without their contexts, as v2 sent
// them; the entities share their mentions with d's caller.
func clearContexts(d document.Tagged) {
	for _, e := range d.Entities {
		for k := range e.Mentions {
			e.Mentions[k].Context = ""
		}
	}
}

// BenchmarkBusDecode measures what a stage reading CW_TAGGED pays to
// decode a tagged document of the benchmark's articles, with the bus's
// codec: as v2 carried it (without contexts) and as v3 carries it
// (compacted, and expanded after decoding), and of v3 only the head
// (document.TaggedHead).
//
//	go test ./extractor -run '^$' -bench BusDecode -benchmem -cpu 1
func BenchmarkBusDecode(b *testing.B) {
	x := testExtractor(b)
	var v2, v3 [][]byte
	for _, text := range repotest.Articles(b, 200) {
		t := x.Extract(document.Raw{Schema: document.RawSchema, ID: "d", Text: text})
		clearContexts(t)
		v2 = append(v2, marshal(b, t))
		t.Compact()
		v3 = append(v3, marshal(b, t))
	}
	for _, c := range []struct {
		name   string
		msgs   [][]byte
		decode func([]byte) error
	}{
		{"v2", v2, decodeTagged}, {"v3", v3, decodeTagged},
		{"v3-head", v3, func(m []byte) error {
			var h document.TaggedHead
			return gojson.Unmarshal(m, &h)
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for _, m := range c.msgs {
				n += len(m)
			}
			b.ReportAllocs()
			b.ReportMetric(float64(n)/float64(len(c.msgs)), "bytes/msg")
			for i := range b.N {
				if err := c.decode(c.msgs[i%len(c.msgs)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func decodeTagged(m []byte) error {
	var t document.Tagged
	if err := gojson.Unmarshal(m, &t); err != nil {
		return err
	}
	t.Expand()
	return nil
}
