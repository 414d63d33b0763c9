package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/internal/natstest"
)

// TestClusterKill runs the pipeline the way the cluster profile does:
// three nats-server processes in a JetStream cluster, streams R3, two
// replicas of each stage (extractor, indexer, alerts) as separate
// processes and Meilisearch as the engine. Mid-ingest of 2,000 documents it SIGKILLs one NATS node and one
// replica of each stage. Exactly 2,000 documents must end up indexed,
// none dead-lettered, and every stream must still be R3 with all three
// peers once the node is back.
func TestClusterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a cluster")
	}
	if os.Getenv("MEILI_URL") == "" {
		t.Skip("MEILI_URL is not set (source .ci/meili.sh): replicas of the indexer need a shared engine")
	}
	const n = 2000
	rig := newClusterRig(t)
	var extract, index, alert []*exec.Cmd
	for range 2 {
		extract = append(extract, rig.start("extract-worker"))
		index = append(index, rig.start("index-worker"))
		alert = append(alert, rig.start("alert-worker"))
	}
	cl, dir, stageLogs := rig.cl, rig.dir, rig.logs

	docs := filepath.Join(dir, "docs")
	os.MkdirAll(docs, 0o755)
	writeDocs(t, docs, n)
	ingest := rig.command("ingest", "--workers", "remote", docs)
	var ingestOut bytes.Buffer
	ingest.Stdout, ingest.Stderr = &ingestOut, &ingestOut
	began := time.Now()
	if err := ingest.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- ingest.Wait() }()

	// Mid-way: some documents indexed, most not. Counted by what the
	// indexer has acknowledged, not by its ack floor: the replicas ack
	// their batches out of order, and on a busy host Meilisearch may
	// index most of the documents in one run, so the floor can stay
	// below n/5 until moments before the ingest ends. On a host busy
	// with other tests the indexer can lag so far that the ingest would
	// end first: then the kill comes when three fifths are ingested, so
	// that it always hits the ingest.
	nc, err := nats.Connect(cl.URLs(), nats.MaxReconnects(-1))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	for {
		var acked, ingested uint64
		if info := consumerInfo(ctx, js, bus.StreamTagged, bus.ConsumerIndexer); info != nil {
			acked = acknowledged(info)
		}
		if info := streamInfo(ctx, js, bus.StreamRaw); info != nil {
			ingested = info.State.Msgs
		}
		if acked >= n/5 || ingested >= 3*n/5 {
			t.Logf("killing after %d documents ingested and %d indexed, %s in", ingested, acked, time.Since(began).Round(time.Millisecond))
			break
		}
		select {
		case err := <-done:
			t.Fatalf("ingest ended before the kill: %v\n%s\n%s", err, ingestOut.String(), stageLogs())
		case <-ctx.Done():
			t.Fatalf("nothing indexed in time\n%s", stageLogs())
		case <-time.After(20 * time.Millisecond):
		}
	}
	killed := cl.Nodes[1]
	killed.Kill()
	for _, cmd := range []*exec.Cmd{extract[0], index[0], alert[0]} {
		cmd.Process.Signal(syscall.SIGKILL)
	}

	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("ingest: %v\n%s\n%s", err, ingestOut.String(), stageLogs())
		}
	case <-ctx.Done():
		t.Fatalf("ingest did not finish\n%s\n%s", ingestOut.String(), stageLogs())
	}
	summary := lastLine(ingestOut.String())
	t.Logf("ingest of %d documents with a node and a replica of each stage killed: %s in %s", n, summary,
		time.Since(began).Round(time.Millisecond))
	var accepted, unchanged, rejected int
	if _, err := fmt.Sscanf(summary, "%d accepted, %d unchanged, %d rejected", &accepted, &unchanged, &rejected); err != nil {
		t.Fatalf("summary %q: %v", summary, err)
	}
	if accepted+unchanged != n || rejected != 0 {
		t.Errorf("ingest: %s, want all %d accepted; why:\n%s", summary, n, rejections(ingestOut.String(), 5))
	}

	for _, cmd := range []*exec.Cmd{extract[1], index[1], alert[1]} {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}
	out, err := rig.command("stats", "--json").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			out = append(out, ee.Stderr...)
		}
		t.Fatalf("stats: %v\n%s", err, out)
	}
	var st stats
	if err := json.Unmarshal(out, &st); err != nil {
		t.Fatal(err)
	}
	if st.Indexed != n || st.Raw != n || st.Tagged != n || st.Dead != 0 || st.ToExtract != 0 || st.ToIndex != 0 {
		t.Errorf("after the kill: %+v, want %d indexed, none dead, nothing pending", st, n)
	}

	// The killed node comes back and catches up; every stream stays R3.
	if err := killed.Start(); err != nil {
		t.Fatal(err)
	}
	if err := killed.WaitReady(time.Minute); err != nil {
		t.Fatal(err)
	}
	for name := range streamNames(ctx, js) {
		var info *jetstream.StreamInfo
		for try := 0; try < 100; try++ {
			info = streamInfo(ctx, js, name)
			if info != nil && info.Cluster != nil && len(info.Cluster.Replicas) == 2 && allCurrent(info.Cluster.Replicas) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if info == nil || info.Config.Replicas != 3 || info.Cluster == nil || len(info.Cluster.Replicas) != 2 || !allCurrent(info.Cluster.Replicas) {
			t.Errorf("stream %s after the node returned: %+v", name, info)
		}
	}
}

// consumerInfo is a durable consumer's state, or nil while the stage has
// not created it (or the cluster does not answer). Each request has a
// deadline of its own: one lost while the cluster elects its leaders
// gets no answer at all, and waited out the test's whole context.
func consumerInfo(ctx context.Context, js jetstream.JetStream, stream, durable string) *jetstream.ConsumerInfo {
	return briefly(ctx, func(ctx context.Context) (*jetstream.ConsumerInfo, error) {
		c, err := js.Consumer(ctx, stream, durable)
		if err != nil {
			return nil, err
		}
		return c.Info(ctx)
	})
}

// streamInfo is the stream's info, or nil while the cluster cannot
// answer.
func streamInfo(ctx context.Context, js jetstream.JetStream, stream string) *jetstream.StreamInfo {
	return briefly(ctx, func(ctx context.Context) (*jetstream.StreamInfo, error) {
		st, err := js.Stream(ctx, stream)
		if err != nil {
			return nil, err
		}
		return st.Info(ctx)
	})
}

// briefly asks f with a deadline of 2 s: nil, not an error, when the
// cluster does not answer in time.
func briefly[T any](ctx context.Context, f func(context.Context) (*T, error)) *T {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	v, err := f(ctx)
	if err != nil {
		return nil
	}
	return v
}

// acknowledged is how many of the messages a consumer has been given
// it has acknowledged, whatever their order.
func acknowledged(info *jetstream.ConsumerInfo) uint64 {
	return info.Delivered.Stream - min(info.Delivered.Stream, uint64(info.NumAckPending))
}

func streamNames(ctx context.Context, js jetstream.JetStream) map[string]bool {
	names := map[string]bool{}
	l := js.StreamNames(ctx)
	for name := range l.Name() {
		names[name] = true
	}
	return names
}

func allCurrent(peers []*jetstream.PeerInfo) bool {
	for _, p := range peers {
		if !p.Current || p.Offline {
			return false
		}
	}
	return true
}

// clusterRig is a loopback three-node JetStream cluster with Meilisearch,
// on which tests and benchmarks start compoundwatch stage processes the
// way the compose cluster profile runs them.
type clusterRig struct {
	tb  testing.TB
	cl  *natstest.Cluster
	dir string
	env []string
	log *os.File
}

func newClusterRig(tb testing.TB) *clusterRig {
	tb.Helper()
	r := &clusterRig{tb: tb, cl: natstest.StartCluster(tb, 3), dir: tb.TempDir()}
	r.env = []string{"COMPOUNDWATCH_NATS_URL=" + r.cl.URLs(), "COMPOUNDWATCH_REPLICAS=3",
		"MEILI_URL=" + os.Getenv("MEILI_URL"), "MEILI_API_KEY=" + os.Getenv("MEILI_API_KEY"),
		"COMPOUNDWATCH_INDEX=" + fmt.Sprintf("cluster_%d", time.Now().UnixNano())}
	var err error
	if r.log, err = os.Create(filepath.Join(r.dir, "stages.log")); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.log.Close() })
	return r
}

// start runs a compoundwatch process on the cluster, killed when the test
// ends.
func (r *clusterRig) start(args ...string) *exec.Cmd {
	cmd := r.command(args...)
	cmd.Stdout, cmd.Stderr = r.log, r.log
	if err := cmd.Start(); err != nil {
		r.tb.Fatal(err)
	}
	r.tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// command is a compoundwatch command on the cluster, with a data dir of
// its own (nothing shared but NATS and Meilisearch).
func (r *clusterRig) command(args ...string) *exec.Cmd {
	cmd := child(r.tb, append(args, "--data", filepath.Join(r.dir, fmt.Sprintf("data-%d", time.Now().UnixNano())))...)
	cmd.Env = append(cmd.Env, r.env...)
	return cmd
}

func (r *clusterRig) logs() string { b, _ := os.ReadFile(r.log.Name()); return string(b) }
