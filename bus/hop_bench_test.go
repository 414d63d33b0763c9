package bus

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// BenchmarkHop sets one hop of a document through the bus against
// JetStream doing the same with the same messages, side by side in each
// iteration, each on a fresh embedded server:
//
//   - bus: PublishRaws in batches of 100 (the last-version lookup that
//     skips unchanged documents, the JSON, the asynchronous publish and
//     its wait), then a stage consuming CW_RAW in batches of 64 that
//     decodes each document and settles it;
//   - jetstream: the same encoded messages, with the same message ids
//     and headers, published asynchronously to the same stream and
//     awaited, then fetched 64 at a time from a durable pull consumer and
//     acknowledged one by one.
//
// It reports the process's CPU a document for each side and their ratio,
// and logs what preparing the messages as the bus does took (each
// document's content hash and its JSON), which JetStream's side is handed
// ready-made. JetStream's side is the floor
// under every figure of the pipeline's benchmarks: a document makes two
// such hops and is delivered three times (CW_RAW to the extractor,
// CW_TAGGED to the indexer and the alerts stage), whatever the stages
// do. Run it with
//
//	go test ./bus -run '^$' -bench Hop -benchtime 3x
func BenchmarkHop(b *testing.B) {
	n := repotest.BenchDocs(b, 2000)
	texts := repotest.Articles(b, n)
	var busPub, busCon, jsPub, jsCon, ratio []float64
	for i := range b.N {
		bp, bc := hopBus(b, hopDocs(texts, i))
		prep, jp, jc := hopJetStream(b, hopDocs(texts, i))
		b.Logf("CPU a document: bus publish %.1f µs, consume %.1f µs; JetStream publish %.1f µs (after preparing, %.1f µs), consume %.1f µs; bus / JetStream = %.2f",
			bp, bc, jp, prep, jc, (bp+bc)/(jp+jc))
		busPub, busCon, jsPub, jsCon = append(busPub, bp), append(busCon, bc), append(jsPub, jp), append(jsCon, jc)
		ratio = append(ratio, (bp+bc)/(jp+jc))
	}
	b.ReportMetric(repotest.Median(busPub), "bus-publish-µs/doc")
	b.ReportMetric(repotest.Median(busCon), "bus-consume-µs/doc")
	b.ReportMetric(repotest.Median(jsPub), "js-publish-µs/doc")
	b.ReportMetric(repotest.Median(jsCon), "js-consume-µs/doc")
	b.ReportMetric(repotest.Median(ratio), "bus/js")
}

// hopDocs makes one raw document of each text, with ids of their own in
// iteration i.
func hopDocs(texts []string, i int) []*document.Raw {
	raws := make([]*document.Raw, len(texts))
	for j, text := range texts {
		raws[j] = &document.Raw{ID: fmt.Sprintf("hop-%d-%05d", i, j), Source: fmt.Sprintf("articles/%05d.txt", j),
			Title: fmt.Sprintf("Article %d", j), Text: text, Language: "en", ContentType: "text/plain",
			FetchedAt: time.Now().UTC()}
	}
	return raws
}

func openHop(b *testing.B) *Bus {
	b.Helper()
	bs, err := Open(context.Background(), Options{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	return bs
}

// perDoc is the CPU since t0, in microseconds a document.
func perDoc(t0 time.Duration, n int) float64 {
	return float64(repotest.CPUTime()-t0) / float64(n) / 1e3
}

func hopBus(b *testing.B, raws []*document.Raw) (publish, consume float64) {
	b.Helper()
	ctx := context.Background()
	bs := openHop(b)
	defer bs.Close()
	t0 := repotest.CPUTime()
	for i := 0; i < len(raws); i += 100 {
		published, errs := bs.PublishRaws(ctx, raws[i:min(i+100, len(raws))])
		for j, err := range errs {
			if err != nil || !published[j] {
				b.Fatalf("publish %s: %v (published %v)", raws[i+j].ID, err, published[j])
			}
		}
	}
	publish = perDoc(t0, len(raws))

	t0 = repotest.CPUTime()
	var got atomic.Int64
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	st := Stage{Name: "hop", Stream: StreamRaw, Schema: document.RawSchema, MaxDeliver: MaxDeliver, Batch: 64}
	go func() {
		done <- Consume(cctx, bs, st, func(_ context.Context, items []*Item[document.Raw]) {
			for _, it := range items {
				if it.Value.Text == "" {
					b.Errorf("%s decoded without its text", it.Value.ID)
				}
			}
			if got.Add(int64(len(items))) == int64(len(raws)) {
				cancel()
			}
		})
	}()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	if err := bs.nc.Flush(); err != nil { // the last batch's acknowledgements
		b.Fatal(err)
	}
	return publish, perDoc(t0, len(raws))
}

// hopJetStream returns the CPU a document of preparing the messages as
// the bus does (the content hash and the JSON), which it leaves out of
// publishing them, and of the hop.
func hopJetStream(b *testing.B, raws []*document.Raw) (prepare, publish, consume float64) {
	b.Helper()
	ctx := context.Background()
	bs := openHop(b)
	defer bs.Close()
	t0 := repotest.CPUTime()
	msgs := make([]*nats.Msg, len(raws))
	for i, raw := range raws {
		raw.Finalize()
		m, err := bs.message(ctx, RawSubject(raw.ID), document.RawSchema, raw, nats.Header{HeaderContentHash: {raw.ContentHash}})
		if err != nil {
			b.Fatal(err)
		}
		m.Header.Set(jetstream.MsgIDHeader, raw.ID+":"+raw.ContentHash)
		msgs[i] = m
	}
	prepare = perDoc(t0, len(raws))
	t0 = repotest.CPUTime()
	acks := make([]jetstream.PubAckFuture, len(msgs))
	for i, m := range msgs {
		f, err := bs.js.PublishMsgAsync(m)
		if err != nil {
			b.Fatal(err)
		}
		acks[i] = f
	}
	for _, f := range acks {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			b.Fatal(err)
		}
	}
	publish = perDoc(t0, len(raws))

	s, err := bs.js.Stream(ctx, StreamRaw)
	if err != nil {
		b.Fatal(err)
	}
	c, err := s.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{Durable: "hop", AckPolicy: jetstream.AckExplicitPolicy})
	if err != nil {
		b.Fatal(err)
	}
	t0 = repotest.CPUTime()
	for got := 0; got < len(raws); {
		batch, err := c.Fetch(64, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			b.Fatal(err)
		}
		for m := range batch.Messages() {
			if err := m.Ack(); err != nil {
				b.Fatal(err)
			}
			got++
		}
		if err := batch.Error(); err != nil {
			b.Fatal(err)
		}
	}
	if err := bs.nc.Flush(); err != nil {
		b.Fatal(err)
	}
	return prepare, publish, perDoc(t0, len(raws))
}
