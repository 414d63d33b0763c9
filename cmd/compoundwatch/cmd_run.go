package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/ingest"
	"github.com/compoundwatch/compoundwatch/pipeline"
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
				stages, err := a.stages(b, backend)
				if err != nil {
					ln.Close()
					return err
				}
				stages = append(stages, pipeline.Func(func(ctx context.Context) error { return a.serve(ctx, ln, backend, b) }))
				if !noCrawl {
					stages = append(stages, pipeline.Func(func(ctx context.Context) error { return a.crawlScheduled(ctx, b) }))
				}
				// The start-up job: ingest what was asked for, then say where
				// the page is. It ends; the stages go on.
				stages = append(stages, pipeline.Func(func(ctx context.Context) error {
					if len(ingestPaths) > 0 {
						counts, errs := ingest.Files(ctx, b, ingestPaths, a.log, a.progress("reading"))
						for _, err := range errs {
							fmt.Fprintln(a.stderr, "rejected:", err)
						}
						if err := ingest.WaitIndexed(ctx, b, a.log); err != nil {
							return nil // stopped before the documents were indexed
						}
						fmt.Fprintf(a.stdout, "ingested: %d accepted, %d unchanged, %d rejected\n",
							counts.Accepted, counts.Unchanged, counts.Rejected)
					}
					fmt.Fprintf(a.stdout, "compoundwatch is running: search at %s/ (Ctrl-C to stop)\n", webURL(ln))
					return nil
				}))
				return pipeline.Run(ctx, stages...)
			})
		},
	}
	cmd.Flags().StringArrayVar(&ingestPaths, "ingest", nil, "ingest these files or folders at start (repeatable)")
	cmd.Flags().BoolVar(&noCrawl, "no-crawl", false, "do not crawl the configured sources")
	cmd.Flags().StringVar(&a.cfg.Listen, "listen", a.cfg.Listen, "address of the search page and API; env COMPOUNDWATCH_LISTEN")
	return cmd
}
