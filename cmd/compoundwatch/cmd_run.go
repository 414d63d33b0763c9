package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/ingest"
	"github.com/compoundwatch/compoundwatch/search"
)

func (a *app) runCmd() *cobra.Command {
	var (
		ingestPaths []string
		noCrawl     bool
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run every stage in one process (embedded NATS and index unless configured) until stopped",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withBusAndBackend(ctx, func(b *bus.Bus, backend search.Backend) error {
				ln, err := a.listen()
				if err != nil {
					return err
				}
				ctx, cancel := context.WithCancel(ctx)
				defer cancel()
				errc := make(chan error, 3)
				running := 0
				start := func(f func() error) {
					running++
					go func() { errc <- f() }()
				}
				start(func() error { return a.stages(ctx, b, backend) })
				start(func() error { return a.serve(ctx, ln, backend, b) })
				if !noCrawl {
					start(func() error { return a.crawlScheduled(ctx, b) })
				}
				if len(ingestPaths) > 0 {
					counts, errs := ingest.Files(ctx, b, ingestPaths, a.log, a.progress("reading"))
					for _, err := range errs {
						fmt.Fprintln(a.stderr, "rejected:", err)
					}
					if err := ingest.WaitIndexed(ctx, b, a.log); err == nil {
						fmt.Fprintf(a.stdout, "ingested: %d accepted, %d unchanged, %d rejected\n",
							counts.Accepted, counts.Unchanged, counts.Rejected)
					}
				}
				fmt.Fprintf(a.stdout, "compoundwatch is running: search at %s/ (Ctrl-C to stop)\n", webURL(ln))
				var errs []error
				for range running {
					err := <-errc
					if err != nil && !errors.Is(err, context.Canceled) {
						errs = append(errs, err)
					}
					cancel() // one stage down stops the others: a half-running pipeline is worse than none
				}
				return errors.Join(errs...)
			})
		},
	}
	cmd.Flags().StringArrayVar(&ingestPaths, "ingest", nil, "ingest these files or folders at start (repeatable)")
	cmd.Flags().BoolVar(&noCrawl, "no-crawl", false, "do not crawl the configured sources")
	cmd.Flags().StringVar(&a.cfg.Listen, "listen", a.cfg.Listen, "address of the search page and API; env COMPOUNDWATCH_LISTEN")
	return cmd
}
