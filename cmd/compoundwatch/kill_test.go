package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// child returns a command that runs this test binary as compoundwatch.
func child(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), childEnv+"=1", "MEILI_URL=", "COMPOUNDWATCH_NATS_URL=", "COMPOUNDWATCH_CONFIG=")
	return cmd
}

// workspace makes a folder of n generated documents and names a data dir
// beside it, not yet created.
func workspace(t *testing.T, n int) (docs, data string) {
	t.Helper()
	tmp := t.TempDir()
	docs, data = filepath.Join(tmp, "docs"), filepath.Join(tmp, "data")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	writeDocs(t, docs, n)
	return docs, data
}

func writeDocs(t testing.TB, dir string, n int) {
	t.Helper()
	places := []string{"Bavet", "Poipet", "Sihanoukville", "Phnom Penh", "Kampot"}
	for i := range n {
		p := places[i%len(places)]
		body := fmt.Sprintf("Title: Report %d from %s\nPublished: 2024-%02d-%02d\n\n"+
			"Report number %d describes a compound in %s where %d workers were held, "+
			"according to a rescue group that spoke to the paper on condition of anonymity.\n",
			i, p, i%12+1, i%28+1, i, p, 100+i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("doc-%04d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKillAndResume kills an ingest of 1,000 documents mid-way with
// SIGKILL, restarts it, and checks that the index ends with exactly one
// document per file.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	const n = 1000
	docs, data := workspace(t, n)

	first := child(t, "ingest", "--data", data, docs)
	var out bytes.Buffer
	first.Stdout, first.Stderr = &out, &out
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- first.Wait() }()

	// Kill once some, but not all, documents are through the extractor.
	tagged := waitTagged(t, data, 50, done)
	first.Process.Signal(syscall.SIGKILL)
	err := <-done
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("first ingest was not killed mid-way (err %v, %d tagged):\n%s", err, tagged, out.String())
	}
	t.Logf("killed after %d tagged documents", tagged)

	second := child(t, "ingest", "--data", data, docs)
	res, err := second.CombinedOutput()
	if err != nil {
		t.Fatalf("second ingest: %v\n%s", err, res)
	}
	var accepted, unchanged, rejected int
	line := lastLine(string(res))
	if _, err := fmt.Sscanf(line, "%d accepted, %d unchanged, %d rejected", &accepted, &unchanged, &rejected); err != nil {
		t.Fatalf("summary %q: %v", line, err)
	}
	if accepted+unchanged != n || rejected != 0 {
		t.Fatalf("second ingest: %s", line)
	}

	st := readStats(t, data)
	if st.Indexed != n || st.Raw != n || st.Tagged != n || st.ToExtract != 0 || st.ToIndex != 0 || st.Dead != 0 {
		t.Fatalf("after restart: %+v, want %d documents everywhere and nothing pending", st, n)
	}
}

// waitTagged watches the embedded server of the child until at least min
// documents are tagged and returns the count.
func waitTagged(t *testing.T, data string, min uint64, done chan error) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var nc *nats.Conn
	for nc == nil {
		select {
		case err := <-done:
			t.Fatalf("child exited before the kill: %v", err)
		case <-ctx.Done():
			t.Fatal("child never started its NATS server")
		case <-time.After(20 * time.Millisecond):
		}
		url, err := os.ReadFile(filepath.Join(data, "nats.url"))
		if err != nil {
			continue
		}
		nc, _ = nats.Connect(strings.TrimSpace(string(url)))
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	for {
		if s, err := js.Stream(ctx, "CW_TAGGED"); err == nil {
			if info, err := s.Info(ctx); err == nil && info.State.Msgs >= min {
				return info.State.Msgs
			}
		}
		select {
		case err := <-done:
			t.Fatalf("child exited before the kill: %v", err)
		case <-ctx.Done():
			t.Fatal("no documents tagged in time")
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func readStats(t *testing.T, data string) stats {
	t.Helper()
	out, err := child(t, "stats", "--json", "--data", data).Output()
	if err != nil {
		t.Fatalf("stats: %v", err)
	}
	var st stats
	if err := json.Unmarshal(out, &st); err != nil {
		t.Fatalf("stats %q: %v", out, err)
	}
	return st
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// rejections returns the first n lines of an ingest's output that
// report a rejected document, and how many there were in all.
func rejections(out string, n int) string {
	var lines []string
	all := 0
	for l := range strings.Lines(out) {
		if strings.Contains(l, "rejected") && strings.Contains(l, "err=") {
			if all++; len(lines) < n {
				lines = append(lines, strings.TrimSpace(l))
			}
		}
	}
	return fmt.Sprintf("%s\n(%d lines in all)", strings.Join(lines, "\n"), all)
}
