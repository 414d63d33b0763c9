package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/metrics"
)

func TestProbe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var checks metrics.Checks
	var searchErr error
	checks.Add("search", func(context.Context) error { return searchErr })
	s, err := metrics.Listen(ctx, "127.0.0.1:0", metrics.Handler(metrics.New(), &checks), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	probe := func(path string) (string, error) {
		var out bytes.Buffer
		root := newRoot(&out, &out)
		root.SetArgs([]string{"probe", "http://" + s.Addr() + path})
		err := root.ExecuteContext(ctx)
		return out.String(), err
	}
	if out, err := probe("/healthz"); err != nil || out != "ok\n" {
		t.Errorf("healthy: %q, %v", out, err)
	}
	searchErr = errors.New("connection refused")
	if _, err := probe("/readyz"); err == nil || !strings.Contains(err.Error(), "503 Service Unavailable: search: connection refused") {
		t.Errorf("unready: %v", err)
	}
	if _, err := probe("/nothing"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing page: %v", err)
	}
}
