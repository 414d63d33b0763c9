package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/compoundwatch/compoundwatch/config"
)

// TestComposeFile keeps docker-compose.yml valid and in step with the
// binary: every stage service runs a real subcommand with real flags, and
// every environment variable it sets is one the binary reads.
func TestComposeFile(t *testing.T) {
	p := loadCompose(t, nil)
	root := newRoot(io.Discard, io.Discard)
	known := map[string]bool{"COMPOUNDWATCH_CONFIG": true}
	for _, env := range config.EnvNames() {
		known[env] = true
	}
	var stages []string
	for name, svc := range p.Services {
		switch {
		case strings.HasPrefix(svc.Image, "nats:"):
			if slices.Contains(svc.Command, "--cluster") {
				t.Errorf("%s: the default profile runs a cluster node: %v", name, svc.Command)
			}
			if !slices.Contains(svc.Command, "--jetstream") {
				t.Errorf("nats service runs without JetStream: %v", svc.Command)
			}
			checkPinned(t, svc, "nats:2.")
			continue
		case strings.HasPrefix(svc.Image, "getmeili/meilisearch:"):
			checkPinned(t, svc, "getmeili/meilisearch:v1.")
			if v := svc.Environment["MEILI_MASTER_KEY"]; v == nil || *v == "" {
				t.Error("meilisearch has no master key from the environment")
			}
			continue
		}
		stages = append(stages, name)
		if svc.Build == nil {
			t.Errorf("%s: stage is not built from the repo's Dockerfile", name)
		}
		cmd, rest, err := root.Find(svc.Command)
		if err != nil || cmd == root {
			t.Errorf("%s: command %v is not a compoundwatch subcommand", name, svc.Command)
			continue
		}
		if err := cmd.ParseFlags(rest); err != nil {
			t.Errorf("%s: command %v: %v", name, svc.Command, err)
		}
		for k := range svc.Environment {
			if !known[k] {
				t.Errorf("%s: environment variable %s is not read by compoundwatch", name, k)
			}
		}
	}
	for _, want := range []string{"crawl", "extract-worker", "index-worker", "alert-worker", "serve"} {
		if !slices.ContainsFunc(stages, func(s string) bool { return s == want }) {
			t.Errorf("no %s service", want)
		}
	}
}

// loadCompose parses docker-compose.yml the way `docker compose` does, with
// the given profiles and environment.
func loadCompose(t *testing.T, profiles []string, env ...string) *types.Project {
	t.Helper()
	opts, err := cli.NewProjectOptions([]string{filepath.Join("..", "..", "docker-compose.yml")},
		cli.WithWorkingDirectory(filepath.Join("..", "..")),
		cli.WithEnv(append([]string{"MEILI_MASTER_KEY=test-key"}, env...)),
		cli.WithProfiles(profiles))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yml (profiles %v): %v", profiles, err)
	}
	return p
}

// TestComposeCluster checks the cluster profile's wiring: three JetStream
// nodes in one cluster, each routing to all three and keeping its store
// on its own volume; stages that know every node, create R3 streams, can
// be scaled (no fixed names or host ports) and are health-checked through
// their --metrics listener; and the single-server default left alone.
func TestComposeCluster(t *testing.T) {
	p := loadCompose(t, []string{"cluster"}, "COMPOUNDWATCH_REPLICAS=3")
	type node struct{ name, server, cluster, listen, routes, store string }
	var nodes []node
	flag := func(cmd []string, name string) string {
		if i := slices.Index(cmd, name); i >= 0 && i+1 < len(cmd) {
			return cmd[i+1]
		}
		return ""
	}
	for name, svc := range p.Services {
		if !strings.HasPrefix(svc.Image, "nats:") {
			continue
		}
		n := node{name: name, server: flag(svc.Command, "--server_name"), cluster: flag(svc.Command, "--cluster_name"),
			listen: flag(svc.Command, "--cluster"), routes: flag(svc.Command, "--routes"), store: flag(svc.Command, "--store_dir")}
		nodes = append(nodes, n)
		if !slices.Contains(svc.Command, "--jetstream") {
			t.Errorf("%s: no JetStream: %v", name, svc.Command)
		}
		if n.server != name {
			t.Errorf("%s: server name %q, want the service name (names must be unique and stable)", name, n.server)
		}
		if n.listen != "nats://0.0.0.0:6222" {
			t.Errorf("%s: cluster listener %q", name, n.listen)
		}
		vol := ""
		for _, v := range svc.Volumes {
			if v.Type == types.VolumeTypeVolume && v.Target == n.store {
				vol = v.Source
			}
		}
		if vol == "" || p.Volumes[vol].Name == "" {
			t.Errorf("%s: JetStream store %q is not on a named volume: %+v", name, n.store, svc.Volumes)
		}
		if svc.HealthCheck == nil || !strings.Contains(strings.Join(svc.HealthCheck.Test, " "), ":8222/healthz") {
			t.Errorf("%s: no health check on the monitoring port: %+v", name, svc.HealthCheck)
		}
	}
	if len(nodes) != 3 {
		t.Fatalf("%d NATS nodes in the cluster profile, want 3: %+v", len(nodes), nodes)
	}
	names := map[string]bool{}
	vols := map[string]bool{}
	for _, n := range nodes {
		names[n.name] = true
	}
	for _, n := range nodes {
		if n.cluster != nodes[0].cluster || n.cluster == "" {
			t.Errorf("%s: cluster name %q, others %q", n.name, n.cluster, nodes[0].cluster)
		}
		routed := map[string]bool{}
		for _, r := range strings.Split(n.routes, ",") {
			host, port, _ := strings.Cut(strings.TrimPrefix(r, "nats://"), ":")
			if port != "6222" || !names[host] {
				t.Errorf("%s: route %q is not a node's cluster port", n.name, r)
			}
			routed[host] = true
		}
		for other := range names {
			if other != n.name && !routed[other] {
				t.Errorf("%s: no route to %s", n.name, other)
			}
		}
	}
	for _, svc := range p.Services {
		for _, v := range svc.Volumes {
			if strings.HasPrefix(svc.Image, "nats:") {
				if vols[v.Source] {
					t.Errorf("volume %s is shared by two NATS nodes", v.Source)
				}
				vols[v.Source] = true
			}
		}
	}
	root := newRoot(io.Discard, io.Discard)
	var stages int
	for name, svc := range p.Services {
		if svc.Build == nil {
			continue
		}
		stages++
		if r := svc.Environment["COMPOUNDWATCH_REPLICAS"]; r == nil || *r != "3" {
			t.Errorf("%s: COMPOUNDWATCH_REPLICAS = %v, want 3", name, r)
		}
		url := svc.Environment["COMPOUNDWATCH_NATS_URL"]
		for node := range names {
			if url == nil || !strings.Contains(*url, "nats://"+node+":4222") {
				t.Errorf("%s: NATS URL %v does not list %s", name, url, node)
			}
		}
		for node := range names {
			if _, ok := svc.DependsOn[node]; !ok {
				t.Errorf("%s: does not wait for %s", name, node)
			}
		}
		if svc.ContainerName != "" || (name != "serve" && len(svc.Ports) > 0) {
			t.Errorf("%s: a fixed container name or host port stops --scale", name)
		}
		cmd, rest, err := root.Find(svc.Command)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := cmd.ParseFlags(rest); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		addr, _ := cmd.Flags().GetString("metrics")
		_, port, _ := strings.Cut(addr, ":")
		hc := svc.HealthCheck
		if port == "" || hc == nil || len(hc.Test) < 4 || hc.Test[0] != "CMD" || hc.Test[1] != "/usr/local/bin/compoundwatch" ||
			hc.Test[2] != "probe" || hc.Test[3] != "http://127.0.0.1:"+port+"/healthz" {
			t.Errorf("%s: health check %+v does not probe its --metrics listener %q", name, hc, addr)
		}
	}
	if stages < 4 {
		t.Errorf("%d stage services in the cluster profile, want at least crawl, extract-worker, index-worker and serve", stages)
	}

	// Without the profile and the variable: one server, streams R1, and
	// the cluster nodes not started.
	single := loadCompose(t, nil)
	for _, n := range []string{"nats-2", "nats-3"} {
		if _, ok := single.Services[n]; ok {
			t.Errorf("%s runs without the cluster profile", n)
		}
	}
	ew := single.Services["extract-worker"]
	if u := ew.Environment["COMPOUNDWATCH_NATS_URL"]; u == nil || *u != "nats://nats:4222" {
		t.Errorf("single server: NATS URL %v", u)
	}
	if r := ew.Environment["COMPOUNDWATCH_REPLICAS"]; r == nil || *r != "1" {
		t.Errorf("single server: replicas %v", r)
	}
}

func checkPinned(t *testing.T, svc types.ServiceConfig, prefix string) {
	t.Helper()
	if !strings.HasPrefix(svc.Image, prefix) || strings.HasSuffix(svc.Image, ":latest") {
		t.Errorf("%s: image %s is not pinned at %s*", svc.Name, svc.Image, prefix)
	}
}

// TestDockerfileCopiesReplacements: the image's module layer (COPY then
// `go mod download`) reads every module go.mod replaces with a directory
// of the repo, so each must be copied before the download runs. A
// missing one fails the image build at that step.
func TestDockerfileCopiesReplacements(t *testing.T) {
	out, err := exec.Command("go", "mod", "edit", "-json", filepath.Join("..", "..", "go.mod")).Output()
	if err != nil {
		t.Fatalf("go mod edit -json: %v", err)
	}
	var mod struct {
		Replace []struct{ New struct{ Path string } }
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		t.Fatal(err)
	}
	dockerfile, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var copied []string // sources of the COPY lines before the download
	download := false
	for line := range strings.Lines(string(dockerfile)) {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if strings.EqualFold(f[0], "RUN") && strings.Contains(line, "go mod download") {
			download = true
			break
		}
		if strings.EqualFold(f[0], "COPY") && !strings.HasPrefix(f[1], "--from") {
			for _, src := range f[1 : len(f)-1] {
				copied = append(copied, filepath.Clean(src))
			}
		}
	}
	if !download {
		t.Fatal("Dockerfile: no RUN go mod download")
	}
	replaced := 0
	for _, r := range mod.Replace {
		dir := r.New.Path
		if !strings.HasPrefix(dir, "./") && !strings.HasPrefix(dir, "../") {
			continue // a module version, from the proxy
		}
		replaced++
		dir = filepath.Clean(dir)
		if !slices.ContainsFunc(copied, func(src string) bool {
			return src == "." || dir == src || strings.HasPrefix(dir, src+string(filepath.Separator))
		}) {
			t.Errorf("Dockerfile: go.mod replaces a module with %s, which is not copied before `go mod download` (copied: %v)", r.New.Path, copied)
		}
	}
	if replaced == 0 {
		t.Fatal("go.mod replaces no module with a directory: the test reads it wrong")
	}
}
