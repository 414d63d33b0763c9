package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/compoundwatch/compoundwatch/internal/metricstest"
)

// meiliServer is a Meilisearch process this test owns, so it can stop it
// and start it again on the same port and data.
type meiliServer struct {
	bin, addr, key, dir string
	cmd                 *exec.Cmd
}

func (m *meiliServer) start(t *testing.T) {
	t.Helper()
	m.cmd = exec.Command(m.bin, "--http-addr", m.addr, "--no-analytics", "--master-key", m.key,
		"--db-path", filepath.Join(m.dir, "data.ms"), "--dump-dir", filepath.Join(m.dir, "dumps"),
		"--snapshot-dir", filepath.Join(m.dir, "snapshots"), "--log-level", "WARN")
	log, err := os.OpenFile(filepath.Join(m.dir, "meili.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	m.cmd.Stdout, m.cmd.Stderr = log, log
	if err := m.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitHTTP(t, "http://"+m.addr+"/health", 200, time.Minute)
}

func (m *meiliServer) stop() {
	if m.cmd != nil {
		m.cmd.Process.Signal(syscall.SIGTERM)
		m.cmd.Wait()
		m.cmd = nil
	}
}

// TestReadinessAndBackPressure runs an index-worker with --metrics against
// a real Meilisearch, stops Meilisearch, and checks that /readyz turns
// unready and says why, that documents published meanwhile wait in
// CW_TAGGED as visible consumer lag in /metrics (parsed with expfmt), and
// that once Meilisearch returns /readyz is ready again, the backlog
// drains and the indexer's settled counter equals what was sent.
func TestReadinessAndBackPressure(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	bin := os.Getenv("MEILI_BIN")
	if bin == "" {
		t.Skip("MEILI_BIN is not set (source .ci/meili.sh)")
	}
	dir := t.TempDir()
	key := make([]byte, 16)
	rand.Read(key)
	m := &meiliServer{bin: bin, addr: freeAddr(t), key: hex.EncodeToString(key), dir: filepath.Join(dir, "meili")}
	os.MkdirAll(m.dir, 0o755)
	m.start(t)
	defer m.stop()

	data := filepath.Join(dir, "data")
	metricsAddr := freeAddr(t)
	meiliEnv := []string{"MEILI_URL=http://" + m.addr, "MEILI_API_KEY=" + m.key, "COMPOUNDWATCH_INDEX=ready_test"}
	logs, err := os.Create(filepath.Join(dir, "stages.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	stageLogs := func() string { b, _ := os.ReadFile(logs.Name()); return string(b) }
	for _, args := range [][]string{
		{"index-worker", "--data", data, "--metrics", metricsAddr},
		{"extract-worker", "--data", data},
	} {
		cmd := child(t, args...)
		cmd.Env = append(cmd.Env, meiliEnv...)
		cmd.Stdout, cmd.Stderr = logs, logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		waitFile(t, filepath.Join(data, "nats.url"))
	}
	base := "http://" + metricsAddr
	scrape := func() map[string]*dto.MetricFamily {
		t.Helper()
		f, err := metricstest.Scrape(base)
		if err != nil {
			t.Fatalf("%v\nstages:\n%s", err, stageLogs())
		}
		return f
	}
	waitHTTP(t, base+"/readyz", 200, time.Minute)

	m.stop()
	body := waitHTTP(t, base+"/readyz", 503, 30*time.Second)
	if !strings.HasPrefix(body, "meilisearch: ") {
		t.Errorf("/readyz while Meilisearch is down: %q, want the reason named", body)
	}

	const n = 40
	docs := filepath.Join(dir, "docs")
	os.MkdirAll(docs, 0o755)
	writeDocs(t, docs, n)
	ingest := child(t, "ingest", "--data", data, docs)
	ingest.Env = append(ingest.Env, meiliEnv...)
	var ingestOut bytes.Buffer
	ingest.Stdout, ingest.Stderr = &ingestOut, &ingestOut
	if err := ingest.Start(); err != nil {
		t.Fatal(err)
	}
	ingestDone := make(chan error, 1)
	go func() { ingestDone <- ingest.Wait() }()

	// The backlog waits in the stream and shows as the indexer's lag.
	deadline := time.Now().Add(time.Minute)
	for {
		f := scrape()
		lag := gauge(f, "cw_consumer_pending", "CW_TAGGED", "indexer") + gauge(f, "cw_consumer_ack_pending", "CW_TAGGED", "indexer")
		if lag >= n {
			t.Logf("backlog while Meilisearch is down: %v documents", lag)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("indexer lag %v, want %d while Meilisearch is down\n%s", lag, n, stageLogs())
		}
		time.Sleep(100 * time.Millisecond)
	}
	select {
	case err := <-ingestDone:
		t.Fatalf("ingest finished while the search engine was down: %v\n%s", err, ingestOut.String())
	default:
	}

	m.start(t)
	waitHTTP(t, base+"/readyz", 200, time.Minute)
	select {
	case err := <-ingestDone:
		if err != nil {
			t.Fatalf("ingest: %v\n%s", err, ingestOut.String())
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("backlog did not drain after Meilisearch returned\n%s", stageLogs())
	}
	f := scrape()
	if lag := gauge(f, "cw_consumer_pending", "CW_TAGGED", "indexer"); lag != 0 {
		t.Errorf("lag after the drain: %v", lag)
	}
	if ok := counter(f, "cw_stage_settled_total", "outcome", "ok", "stage", "indexer"); ok != n {
		t.Errorf("indexer settled ok %v, want %d", ok, n)
	}
	if dead := counter(f, "cw_stage_settled_total", "outcome", "dead", "stage", "indexer"); dead > 0 {
		t.Errorf("%v dead-lettered while the engine was down", dead)
	}
	if fams := f["cw_search_task_seconds"]; fams == nil {
		t.Error("no search task timed")
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitHTTP polls url until it answers status and returns the body.
func waitHTTP(t *testing.T, url string, status int, d time.Duration) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var last string
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == status {
				return string(body)
			}
			last = fmt.Sprintf("%d %s", resp.StatusCode, body)
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s never answered %d (last: %s)", url, status, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func gauge(f map[string]*dto.MetricFamily, name, stream, consumer string) float64 {
	return counter(f, name, "consumer", consumer, "stream", stream)
}

// counter returns the value of the series with exactly these labels (in
// name order), or 0 when there is none.
func counter(f map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	v, _ := metricstest.Lookup(f, name, labels...)
	return v
}

// TestServeMetrics: the web server with --metrics is ready once its
// embedded index answers, and its /metrics parses.
func TestServeMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	addr := freeAddr(t)
	cmd := child(t, "serve", "--data", filepath.Join(t.TempDir(), "data"), "--listen", "127.0.0.1:0", "--metrics", addr)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if body := waitHTTP(t, "http://"+addr+"/readyz", 200, time.Minute); body != "ok\n" {
		t.Errorf("/readyz: %q", body)
	}
	f, err := metricstest.Scrape("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	if f["process_resident_memory_bytes"] == nil {
		t.Errorf("no process metrics in %d families", len(f))
	}
}
