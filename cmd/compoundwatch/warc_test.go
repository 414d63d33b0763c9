package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/archive/warctest"
	"github.com/compoundwatch/compoundwatch/internal/pdfgen"
	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// TestIngestWARC ingests a generated archive of 10,000 records (gzip per
// record, non-document records, a truncated record, a page archived
// twice) and checks every count. The extractor and indexer run as their
// own processes, as on a cluster, so that the ingest process's peak RSS
// (peakRSS) measures what reading an archive costs: it must stay under
// 300 MB, once the PDF reader is compiled (warmPDF). A second run
// publishes nothing.
func TestIngestWARC(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	const maxRSS = 300 << 20
	dir := t.TempDir()
	path := filepath.Join(dir, "backfill.warc.gz")
	want, err := warctest.WriteFile(path, warctest.Options{Records: 10_000, Gzip: true})
	if err != nil {
		t.Fatal(err)
	}
	warmPDF(t, dir)
	data := filepath.Join(dir, "data")
	var stages []*exec.Cmd
	for _, stage := range []string{"extract-worker", "index-worker"} {
		cmd := child(t, stage, "--data", data)
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stages = append(stages, cmd)
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		waitFile(t, filepath.Join(data, "nats.url"))
	}
	run := func(name string) (summary, archiveLine string, rss int64, took time.Duration) {
		t.Helper()
		cmd := child(t, "ingest", "--data", data, path)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		rss, err := peakRSS(cmd)
		took = time.Since(start)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out.Bytes())
		}
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(path) + `: .*$`).FindString(out.String())
		return lastLine(out.String()), m, rss, took
	}

	summary, line, rss, took := run("first ingest")
	wantLine := fmt.Sprintf("%s: %d records, %d documents, %d skipped (not documents), %d corrupt;",
		path, want.Records, want.Docs, want.Skipped, want.Corrupt)
	if len(line) < len(wantLine) || line[:len(wantLine)] != wantLine {
		t.Errorf("archive line\n %q\nwant prefix\n %q", line, wantLine)
	}
	var accepted, unchanged, rejected int64
	if _, err := fmt.Sscanf(summary, "%d accepted, %d unchanged, %d rejected", &accepted, &unchanged, &rejected); err != nil {
		t.Fatalf("summary %q: %v", summary, err)
	}
	// Each page archived twice is one document: its second copy is unchanged.
	if accepted != want.Identities || unchanged != want.Docs-want.Identities || rejected != 0 {
		t.Errorf("first ingest: %s; want %d accepted, %d unchanged, 0 rejected", summary, want.Identities, want.Docs-want.Identities)
	}
	// Stop the stages (the index-worker holds the embedded index) to read
	// the stats.
	for _, cmd := range stages {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}
	st := readStats(t, data)
	if int64(st.Raw) != want.Identities || int64(st.Indexed) != want.Identities || st.Dead != 0 || st.ToIndex != 0 {
		t.Errorf("after ingest: %+v, want %d documents everywhere", st, want.Identities)
	}
	docsPerSec := float64(want.Docs) / took.Seconds()
	t.Logf("first ingest: %d records, %d documents in %s (%.0f documents/s until all indexed), peak RSS %.0f MiB; %s",
		want.Records, want.Docs, took.Round(time.Millisecond), docsPerSec, float64(rss)/(1<<20), line)
	if rss > maxRSS {
		t.Errorf("peak RSS %d MiB, want under %d MiB", rss>>20, maxRSS>>20)
	}

	summary, line, rss, _ = run("second ingest")
	if summary[:len(fmt.Sprintf("0 accepted, %d unchanged, 0 rejected", want.Docs))] != fmt.Sprintf("0 accepted, %d unchanged, 0 rejected", want.Docs) {
		t.Errorf("second ingest: %s; want nothing published", summary)
	}
	if again := readStats(t, data); again.Raw != st.Raw || again.Tagged != st.Tagged || again.Mentions != st.Mentions {
		t.Errorf("second ingest changed the streams: %+v, then %+v", st, again)
	}
	t.Logf("second ingest: peak RSS %.0f MiB; %s", float64(rss)/(1<<20), line)
}

// warmPDF has a child read one PDF before anything is measured. The
// first PDF a machine reads compiles PDFium to native code, once, into
// the user's cache directory (content.PDFOptions.CacheDir): 345-355 MiB
// at its peak in this child, and 520-580 MiB in an ingest that does it on
// top of its own work, where reading the archive takes 110-125 MiB. That
// is not what reading an archive costs, and on a fresh machine whether
// the archive's PDF record or another package's tests compile it first
// is a race, which the measured ingest once lost in CI.
func warmPDF(t *testing.T, dir string) {
	t.Helper()
	path := filepath.Join(dir, "warm.pdf")
	doc := pdfgen.Doc{Title: "Warm-up", Pages: [][]pdfgen.Line{{pdfgen.Text("Police freed 214 workers on Monday.")}}}
	if err := os.WriteFile(path, doc.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := child(t, "extract", path)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	rss, err := peakRSS(cmd)
	if err != nil || !bytes.Contains(out.Bytes(), []byte(`"214 workers"`)) {
		t.Fatalf("extract %s: %v, no figure of the page's text:\n%s", path, err, out.Bytes())
	}
	t.Logf("extract of one PDF before the ingests: peak RSS %.0f MiB (the first on this machine compiles PDFium)", float64(rss)/(1<<20))
}

// peakRSS waits for a started child and returns the high-water mark of
// its own resident set, read while it runs (repotest.PeakRSS; it only
// grows, so the last reading is the peak up to the last 10 ms). The
// rusage the kernel reports at exit is the parent's high-water mark when
// that is higher: a test binary grown by the package's other tests once
// made this ingest read 542 MiB in CI, where it takes 114-124 MiB.
func peakRSS(cmd *exec.Cmd) (int64, error) {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var peak int64
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if rss, ok := repotest.PeakRSS(cmd.Process.Pid); ok {
			peak = max(peak, rss)
		}
		select {
		case err := <-done:
			if peak == 0 && err == nil {
				err = fmt.Errorf("no peak RSS read for process %d", cmd.Process.Pid)
			}
			return peak, err
		case <-tick.C:
		}
	}
}

func waitFile(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("%s never appeared", path)
}
