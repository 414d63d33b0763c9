package pipeline_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/compoundwatch/compoundwatch/alerts"
	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/indexer"
	"github.com/compoundwatch/compoundwatch/ingest"
	"github.com/compoundwatch/compoundwatch/pipeline"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
)

// env is an embedded bus, an embedded index and the stages running on
// them, as `compoundwatch run` has them.
type env struct {
	bus     *bus.Bus
	backend search.Backend
	stop    func()
}

func start(ctx context.Context, tb testing.TB, dir string) *env {
	tb.Helper()
	backend, err := embedded.Open(filepath.Join(dir, "index"), embedded.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return startWith(ctx, tb, dir, backend)
}

// startWith runs the stages on an embedded bus in dir and on backend,
// which it closes when stopped. The stages run under ctx's profiler
// labels (see phase): each stage adds its own to them, and a stage's
// goroutines would otherwise carry that one alone.
func startWith(ctx context.Context, tb testing.TB, dir string, backend search.Backend) *env {
	tb.Helper()
	log := slog.New(slog.DiscardHandler)
	b, err := bus.Open(ctx, bus.Options{DataDir: dir})
	if err != nil {
		tb.Fatal(err)
	}
	g, err := gazetteer.Default()
	if err != nil {
		tb.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	// The alerts stages too: `run` and `ingest` run them beside the
	// others, and they take their share of the machine.
	w, err := alerts.NewWorker(b, nil, log)
	if err != nil {
		tb.Fatal(err)
	}
	d, err := alerts.NewDeliverer(b, alerts.DeliverOptions{}, log)
	if err != nil {
		tb.Fatal(err)
	}
	go func() {
		errc <- pipeline.Run(sctx, extractor.NewWorker(b, extractor.New(g), log), indexer.New(b, backend, log, g.AppendAliases), w, d)
	}()
	e := &env{bus: b, backend: backend}
	e.stop = func() {
		cancel()
		if err := <-errc; err != nil {
			tb.Errorf("stages: %v", err)
		}
		backend.Close()
		b.Close()
	}
	return e
}

// aliases is what `ingest` and `run` give the indexer: every spelling
// of an entity, for the documents that name it.
func aliases(tb testing.TB) search.AliasFunc {
	tb.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return g.AppendAliases
}

func (e *env) ingest(tb testing.TB, paths ...string) ingest.Counts {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, errs := ingest.Files(ctx, e.bus, paths, slog.New(slog.DiscardHandler), nil)
	for _, err := range errs {
		tb.Log(err)
	}
	if err := ingest.WaitIndexed(ctx, e.bus, slog.New(slog.DiscardHandler)); err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestLargeDocument sends a document far over the 1 MB message limit
// through the pipeline and finds its last word: nothing is truncated.
func TestLargeDocument(t *testing.T) {
	dir := t.TempDir()
	e := start(context.Background(), t, dir)
	defer e.stop()
	var sb strings.Builder
	sb.WriteString("Title: A very long ledger\nPublished: 2024-02-02\n\n")
	for i := 0; sb.Len() < 3<<20; i++ {
		fmt.Fprintf(&sb, "Entry %d: a transfer was recorded between two shell companies in Phnom Penh.\n", i)
	}
	sb.WriteString("The ledger ends with the word zanzibarine.\n")
	path := filepath.Join(dir, "ledger.txt")
	os.WriteFile(path, []byte(sb.String()), 0o644)
	if c := e.ingest(t, path); c.Accepted != 1 {
		t.Fatalf("counts %+v", c)
	}
	res, err := e.backend.Search(context.Background(), search.Query{Text: "zanzibarine"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 {
		t.Fatalf("last word of a 3 MB document not found: %d hits", res.Total)
	}
	if got := len(res.Hits[0].Doc.Text); got < 3<<20 {
		t.Fatalf("indexed text is %d bytes, want the whole document", got)
	}
}

// TestPoisonMessage publishes garbage on raw subjects: each is
// dead-lettered with a reason, and a good document behind it still flows.
func TestPoisonMessage(t *testing.T) {
	dir := t.TempDir()
	e := start(context.Background(), t, dir)
	defer e.stop()
	ctx := context.Background()
	nc, err := nats.Connect(e.bus.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// Not through bus.Publish, which cannot send what is not JSON.
	if _, err := nc.Request(bus.RawSubject("deadbeef"), []byte("{not json"), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := e.bus.Publish(ctx, bus.RawSubject("cafe"), "cafe:1", document.RawSchema,
		document.Raw{Schema: "compoundwatch.raw/v999", ID: "cafe"}, nil); err != nil {
		t.Fatal(err)
	}
	// An id that is not its subject's, and not a subject token either:
	// rejected alone, without failing its batch's lookup of histories.
	if _, err := e.bus.Publish(ctx, bus.RawSubject("beef"), "beef:1", document.RawSchema,
		document.Raw{Schema: document.RawSchema, ID: "not beef", Text: "Workers left."}, nil); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.txt")
	os.WriteFile(good, []byte("Title: Fine\n\nWorkers left a compound in Poipet.\n"), 0o644)
	if c := e.ingest(t, good); c.Accepted != 1 {
		t.Fatalf("counts %+v", c)
	}
	if n, _ := e.backend.Count(ctx); n != 1 {
		t.Fatalf("index holds %d documents, want 1", n)
	}
	var reasons []string
	err = bus.Replay(ctx, e.bus, bus.StreamDead, bus.DeadSchema, 10, func(dls []bus.DeadLetter, _ int) error {
		for _, dl := range dls {
			if dl.Stage != "extractor" {
				t.Errorf("dead letter from stage %q", dl.Stage)
			}
			reasons = append(reasons, dl.Reason)
		}
		return nil
	}, func(subject string, err error) { t.Errorf("%s: %v", subject, err) })
	if err != nil {
		t.Fatal(err)
	}
	if len(reasons) != 3 {
		t.Fatalf("%d dead letters, want 3", len(reasons))
	}
	all := strings.Join(reasons, "\n")
	if !strings.Contains(all, "v999") || !strings.Contains(all, "decode") || !strings.Contains(all, "does not match its subject") {
		t.Errorf("dead-letter reasons do not say what was wrong:\n%s", all)
	}
}

// TestRestartKeepsPositions stops everything and starts again on the same
// data dir: nothing is reprocessed and nothing is lost.
func TestRestartKeepsPositions(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs")
	os.MkdirAll(docs, 0o755)
	for i := range 20 {
		os.WriteFile(filepath.Join(docs, fmt.Sprintf("%02d.txt", i)),
			[]byte(fmt.Sprintf("Title: Note %d\n\nA note about Bavet number %d.\n", i, i)), 0o644)
	}
	e := start(context.Background(), t, dir)
	if c := e.ingest(t, docs); c.Accepted != 20 {
		t.Fatalf("first run %+v", c)
	}
	e.stop()
	e = start(context.Background(), t, dir)
	defer e.stop()
	if c := e.ingest(t, docs); c.Unchanged != 20 || c.Accepted != 0 {
		t.Fatalf("second run %+v, want all unchanged", c)
	}
	if n, _ := e.backend.Count(context.Background()); n != 20 {
		t.Fatalf("index holds %d, want 20", n)
	}
}

// TestEditsAlertOnlyWhatTheyGain runs a document's versions through the
// stages as `run` has them: the extractor stage gives each version the
// history the log held (what the earlier versions named), and the alerts
// stage, which keeps nothing of its own for a document, reads it. A
// subscription made after the first version hears nothing of an edit
// that adds no entity it follows, and one alert for the edit that gains
// one.
func TestEditsAlertOnlyWhatTheyGain(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e := start(ctx, t, dir)
	defer e.stop()
	file := filepath.Join(dir, "story.txt")
	const story = "Title: Raid\n\nPolice searched the Majestic 2 compound in Sihanoukville on Monday."
	version := func(text string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if c := e.ingest(t, file); c.Accepted != 1 {
			t.Fatalf("ingest %+v, want the version accepted", c)
		}
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := alerts.WaitMatched(wctx, e.bus); err != nil {
			t.Fatal(err)
		}
	}
	version(story)
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	st, err := alerts.OpenStore(ctx, e.bus)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := alerts.Validator{Gazetteer: g}.New(alerts.Spec{Entities: []string{"Huang Le", "Chen Zhi"}, Atom: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Add(ctx, sub); err != nil {
		t.Fatal(err)
	}
	// The stage's consumer, made for the subscription, before the edits.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := e.bus.Pending(ctx, bus.StreamTagged, bus.ConsumerAlerts); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("no alerts consumer after a subscription: %v", err)
		}
	}
	version(story + " A lawyer for its owner declined to comment.")
	version(story + " A lawyer for its owner declined to comment. Prince Group chairman Chen Zhi was named in the filing.")
	as, err := alerts.Alerts(ctx, e.bus, sub.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range as {
		var ids []string
		for _, m := range a.Matches {
			if m.Entity != nil {
				ids = append(ids, m.Entity.ID)
			}
		}
		got = append(got, a.Kind+" "+strings.Join(ids, "+"))
	}
	if want := "new huang-le-majestic-two+chen-zhi"; strings.Join(got, ",") != want {
		t.Errorf("alerts %q, want %q", got, want)
	}
}
