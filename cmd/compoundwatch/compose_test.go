package main

import (
	"context"
	"io"
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
	opts, err := cli.NewProjectOptions([]string{filepath.Join("..", "..", "docker-compose.yml")},
		cli.WithWorkingDirectory(filepath.Join("..", "..")),
		cli.WithEnv([]string{"MEILI_MASTER_KEY=test-key"}))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	root := newRoot(io.Discard, io.Discard)
	known := map[string]bool{"COMPOUNDWATCH_CONFIG": true}
	for _, env := range config.EnvNames() {
		known[env] = true
	}
	var stages []string
	for name, svc := range p.Services {
		switch {
		case strings.HasPrefix(svc.Image, "nats:"):
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

func checkPinned(t *testing.T, svc types.ServiceConfig, prefix string) {
	t.Helper()
	if !strings.HasPrefix(svc.Image, prefix) || strings.HasSuffix(svc.Image, ":latest") {
		t.Errorf("%s: image %s is not pinned at %s*", svc.Name, svc.Image, prefix)
	}
}
