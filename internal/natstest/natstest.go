// Package natstest runs real nats-server processes for tests: a cluster on
// loopback whose nodes can be killed and restarted, as in production.
// The server is built from the nats-server module the project already
// depends on, so the tests need nothing installed. A test's own client
// (JetStream, ConsumerConfig) looks at any server from outside.
package natstest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

// Binary builds nats-server once per test binary into a cache folder and
// returns its path. The go build cache makes later builds cheap.
//
// Test binaries of several packages run at once and share the path, so
// each builds beside it and renames its build over it: a rename replaces
// the file whole, where `go build -o` onto the path would remove and
// rewrite it while another test binary may be starting a server from it.
func Binary(tb testing.TB) string {
	tb.Helper()
	build.Do(func() {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		dir = filepath.Join(dir, "compoundwatch-test")
		if err = os.MkdirAll(dir, 0o755); err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(dir, "nats-server")
		tmp := fmt.Sprintf("%s.%d", build.path, os.Getpid())
		cmd := exec.Command("go", "build", "-o", tmp, "github.com/nats-io/nats-server/v2")
		cmd.Dir = repotest.Root(tb)
		if out, err := cmd.CombinedOutput(); err != nil {
			os.Remove(tmp)
			build.err = fmt.Errorf("go build nats-server: %v\n%s", err, out)
			return
		}
		build.err = os.Rename(tmp, build.path)
	})
	if build.err != nil {
		tb.Fatal(build.err)
	}
	return build.path
}

// build is per test binary, not state of the package's users: a test
// binary is one process, and building the server twice would only waste
// a minute.
var build struct {
	sync.Once
	path string
	err  error
}

// Node is one nats-server process of a cluster.
type Node struct {
	Name      string
	ClientURL string
	monitor   string
	args      []string
	bin       string
	log       *os.File
	cmd       *exec.Cmd
}

// Cluster is a JetStream cluster of nats-server processes on loopback.
type Cluster struct {
	Nodes []*Node
}

// StartCluster starts n nodes with JetStream and routes to each other,
// waits until JetStream is ready on all of them, and stops them when the
// test ends. Ports are found free and then handed to the servers, so
// another process can take one in between: a cluster that does not come
// up is started again on new ports, up to three times.
func StartCluster(tb testing.TB, n int) *Cluster {
	tb.Helper()
	bin := Binary(tb)
	var err error
	for attempt := range 3 {
		var c *Cluster
		c, err = startCluster(tb, bin, filepath.Join(tb.TempDir(), fmt.Sprint(attempt)), n)
		if err == nil {
			tb.Cleanup(c.stop)
			return c
		}
		tb.Logf("cluster attempt %d: %v", attempt+1, err)
	}
	tb.Fatal(err)
	return nil
}

func startCluster(tb testing.TB, bin, dir string, n int) (*Cluster, error) {
	ports := make([][3]int, n) // client, cluster, monitor
	for i := range ports {
		for j := range 3 {
			ports[i][j] = freePort(tb)
		}
	}
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p[1]))
	}
	c := &Cluster{}
	for i, p := range ports {
		name := fmt.Sprintf("n%d", i+1)
		nd := &Node{
			Name:      name,
			ClientURL: fmt.Sprintf("nats://127.0.0.1:%d", p[0]),
			monitor:   fmt.Sprintf("http://127.0.0.1:%d", p[2]),
			bin:       bin,
			args: []string{"-a", "127.0.0.1", "-p", fmt.Sprint(p[0]), "-m", fmt.Sprint(p[2]),
				"-js", "-sd", filepath.Join(dir, name), "-n", name,
				"--cluster_name", "cw-test", "--cluster", routes[i], "--routes", strings.Join(routes, ",")},
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		log, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			c.stop()
			return nil, err
		}
		nd.log = log
		c.Nodes = append(c.Nodes, nd)
		if err := nd.Start(); err != nil {
			c.stop()
			return nil, err
		}
	}
	for _, nd := range c.Nodes {
		if err := nd.WaitReady(30 * time.Second); err != nil {
			logs, _ := os.ReadFile(nd.log.Name())
			c.stop()
			return nil, fmt.Errorf("%v\n%s", err, logs)
		}
	}
	if err := c.waitPlacement(n, 30*time.Second); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

// waitPlacement waits until the cluster can place a stream on all n
// nodes. Every node can report itself healthy, with a meta leader, before
// the leader has heard from every peer: a stream with n replicas created
// then fails with "no suitable peers for placement, peer offline" (seen in
// CI). A stream is created, in memory, until that works, and deleted.
func (c *Cluster) waitPlacement(n int, d time.Duration) error {
	nc, err := nats.Connect(c.URLs())
	if err != nil {
		return fmt.Errorf("connect to the cluster: %w", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	cfg := jetstream.StreamConfig{Name: "NATSTEST_READY", Subjects: []string{"natstest.ready"},
		Replicas: n, Storage: jetstream.MemoryStorage}
	err = retry(d, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if _, err := js.CreateStream(ctx, cfg); err != nil {
			return err
		}
		return js.DeleteStream(ctx, cfg.Name)
	})
	if err != nil {
		return fmt.Errorf("no stream with %d replicas could be placed after %s: %w", n, d, err)
	}
	return nil
}

func (c *Cluster) stop() {
	for _, nd := range c.Nodes {
		nd.Kill()
		nd.log.Close()
	}
}

// URLs is the comma-separated client URL list a NATS client takes.
func (c *Cluster) URLs() string {
	var urls []string
	for _, nd := range c.Nodes {
		urls = append(urls, nd.ClientURL)
	}
	return strings.Join(urls, ",")
}

// Start starts the node's process (again, after Kill, on the same store).
func (nd *Node) Start() error {
	nd.cmd = exec.Command(nd.bin, nd.args...)
	nd.cmd.Stdout, nd.cmd.Stderr = nd.log, nd.log
	if err := nd.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", nd.Name, err)
	}
	return nil
}

// Kill stops the node with SIGKILL, as a crash would.
func (nd *Node) Kill() {
	if nd.cmd != nil && nd.cmd.Process != nil {
		nd.cmd.Process.Kill()
		nd.cmd.Wait()
		nd.cmd = nil
	}
}

// WaitReady waits until the node reports itself healthy, which for a
// JetStream cluster includes having a meta leader.
func (nd *Node) WaitReady(d time.Duration) error {
	err := retry(d, func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, nd.monitor+"/healthz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("healthz: %s", resp.Status)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s not ready after %s: %w", nd.Name, d, err)
	}
	return nil
}

// retry calls try every 100 ms until it succeeds or d has passed, and then
// returns try's last error.
func retry(d time.Duration, try func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	for {
		err := try(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// JetStream is a client connection of the test's own to the server at
// url, closed when the test ends: to look at what the bus set up from
// outside, as an operator's tools would.
func JetStream(tb testing.TB, url string) jetstream.JetStream {
	tb.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		tb.Fatal(err)
	}
	return js
}

// ConsumerConfig is the configuration the server at url holds for the
// durable consumer on stream.
func ConsumerConfig(tb testing.TB, url, stream, durable string) jetstream.ConsumerConfig {
	tb.Helper()
	c, err := JetStream(tb, url).Consumer(tb.Context(), stream, durable)
	if err != nil {
		tb.Fatal(err)
	}
	info, err := c.Info(tb.Context())
	if err != nil {
		tb.Fatal(err)
	}
	return info.Config
}
