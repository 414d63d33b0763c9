package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// TestSearchWhileRunning checks that `search` answers through the running
// server's API while `run` holds the embedded index, and that `run` removes
// its address file when it stops.
func TestSearchWhileRunning(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	docs, data := workspace(t, 0)
	for name, body := range map[string]string{
		"raid.txt":   "Title: Bavet raid\nPublished: 2023-09-14\n\nPolice searched the Huang Le compound in Bavet and found 310 workers.\n",
		"pepper.txt": "Title: Pepper prices\nPublished: 2023-10-01\n\nKampot pepper farmers sold their crop early this year.\n",
	} {
		if err := os.WriteFile(filepath.Join(docs, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := child(t, "run", "--data", data, "--no-crawl", "--listen", "127.0.0.1:0", "--ingest", docs)
	stdout, err := run.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	defer func() {
		run.Process.Signal(syscall.SIGKILL)
		<-done
	}()
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "compoundwatch is running") {
				ready <- line
			}
		}
		done <- run.Wait()
	}()
	select {
	case line := <-ready:
		t.Log(line)
	case err := <-done:
		done <- err
		t.Fatalf("run exited early: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("run never became ready")
	}

	out, err := child(t, "search", "--data", data, "huang lee").CombinedOutput()
	if err != nil {
		t.Fatalf("search while run holds the index: %v\n%s", err, out)
	}
	for _, want := range []string{"1 hits", "1. Bavet raid", "entities: ", "Huang Le compound", "[Huang"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("search output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "Pepper") {
		t.Errorf("search output has the unrelated document:\n%s", out)
	}
	out, err = child(t, "search", "--data", data, "--from", "2023-13-01", "x").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "from") {
		t.Errorf("a bad date through the API: err %v, output %s; want an error naming from", err, out)
	}

	run.Process.Signal(syscall.SIGINT)
	select {
	case err := <-done:
		done <- err
		if err != nil {
			t.Fatalf("run after SIGINT: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("run did not stop on SIGINT")
	}
	if _, err := os.Stat(filepath.Join(data, "web.url")); !os.IsNotExist(err) {
		t.Errorf("web.url left behind after run stopped (stat: %v)", err)
	}
}

// TestOldIndexRebuilt replaces the embedded index with one in another
// format: search explains how to fix it, and the next command that has
// the log at hand rebuilds it with every document.
func TestOldIndexRebuilt(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	docs, data := workspace(t, 20)
	if out, err := child(t, "ingest", "--data", data, docs).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	index := filepath.Join(data, "index")
	oldIndex(t, index)

	out, err := child(t, "search", "--data", data, "Poipet").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "reindex") {
		t.Fatalf("search on an old index: err %v\n%s\nwant an error pointing to reindex", err, out)
	}
	out, err = child(t, "reindex", "--data", data).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "older format") || !strings.Contains(string(out), "reindexed 20 documents (0 rejected)") {
		t.Fatalf("reindex on an old index: err %v\n%s", err, out)
	}
	if strings.Contains(string(out), "embedded index rebuilt") {
		t.Errorf("reindex replayed the log twice (a rebuild, then its own pass):\n%s", out)
	}
	if st := readStats(t, data); st.Indexed != 20 {
		t.Fatalf("after the rebuild the index holds %d documents, want 20", st.Indexed)
	}
	out, err = child(t, "search", "--data", data, "Poipet").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "4 hits") {
		t.Fatalf("search after the rebuild: err %v\n%s\nwant 4 hits", err, out)
	}

	// A command that runs the stages (ingest, run, index-worker) rebuilds
	// the index by itself before it starts.
	oldIndex(t, index)
	out, err = child(t, "ingest", "--data", data, docs).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "embedded index rebuilt") || !strings.Contains(string(out), "0 accepted, 20 unchanged, 0 rejected") {
		t.Fatalf("ingest on an old index: err %v\n%s", err, out)
	}
	if st := readStats(t, data); st.Indexed != 20 {
		t.Fatalf("after ingest rebuilt it the index holds %d documents, want 20", st.Indexed)
	}
}

// oldIndex replaces the index in dir with an empty one in bleve's default
// format, as an older compoundwatch would have left.
func oldIndex(t *testing.T, dir string) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	old, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
}
