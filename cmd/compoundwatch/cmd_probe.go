package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/metrics"
)

// probeCmd checks another compoundwatch process's /healthz or /readyz. It
// is the container health check: the release image has no shell, curl
// or wget, only this binary.
func (a *app) probeCmd() *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "probe URL",
		Short: "Exit 0 when URL (a stage's /healthz or /readyz) answers 2xx; print why not otherwise",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, args[0], nil)
			if err != nil {
				return fmt.Errorf("probe %s: %w", args[0], err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("probe: %w", err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			if resp.StatusCode/100 != 2 {
				return fmt.Errorf("probe %s: %s: %s", args[0], resp.Status, strings.TrimSpace(string(body)))
			}
			fmt.Fprint(a.stdout, string(body))
			return nil
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", metrics.CheckTimeout+time.Second, "give up after this long")
	return cmd
}

// startMetrics serves /healthz, /readyz and /metrics on --metrics for the
// command's lifetime. Stages add their readiness checks to a.checks as
// they open their connections.
//
// The web server (run, serve) always counts, and serves /metrics and
// /readyz on its own address as well.
func (a *app) startMetrics(ctx context.Context, web bool) error {
	if a.metricsAddr == "" && !web {
		return nil
	}
	a.metrics = metrics.New()
	if a.metricsAddr == "" {
		return nil
	}
	_, err := metrics.Listen(ctx, a.metricsAddr, metrics.Handler(a.metrics, &a.checks), a.log)
	return err
}

// fetched is the crawler's fetch hook: counted with --metrics, else nil.
func (a *app) fetched() func(host string, status int) {
	if a.metrics == nil {
		return nil
	}
	return a.metrics.Fetched
}

// meiliHealth asks Meilisearch's /health, which needs no key.
func meiliHealth(ctx context.Context, base string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+"/health", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}
