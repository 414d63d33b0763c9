package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/compoundwatch/compoundwatch/alerts"
	"github.com/compoundwatch/compoundwatch/ingest"
)

func (a *app) ingestCmd() *cobra.Command {
	var workers string
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Run the pipeline on files and folders (.txt, .html, .pdf) and wait until they are searchable",
		Long: `Ingest reads the given files and folders (recursively), publishes each
document onto the bus and exits once every accepted document is searchable.
With the embedded default it runs the extractor and indexer stages itself;
against an external NATS it leaves them to the running stage processes
(--workers=local forces them to run here too).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			ctx := cmd.Context()
			b, err := a.openBus(ctx)
			if err != nil {
				return err
			}
			defer b.Close()
			local := workers == "local" || workers == "auto" && b.Embedded()
			stop := func() error { return nil }
			if local {
				backend, err := a.openBackendBeside(ctx, b)
				if err != nil {
					return err
				}
				sctx, cancel := context.WithCancel(ctx)
				errc := make(chan error, 1)
				go func() { errc <- a.runStages(sctx, b, backend) }()
				stop = func() error {
					cancel()
					err := <-errc
					backend.Close()
					return err
				}
			}
			start := time.Now()
			counts, errs := ingest.Files(ctx, b, paths, a.log, a.progress("reading"))
			for _, err := range errs {
				fmt.Fprintln(a.stderr, "rejected:", err)
			}
			if err := ingest.WaitIndexed(ctx, b, a.log); err != nil {
				stop()
				return err
			}
			if local {
				wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				err := alerts.WaitMatched(wctx, b)
				cancel()
				if err != nil {
					a.log.Warn("alerts stage has not caught up; the next run will match the rest", "err", err)
				}
			}
			if err := stop(); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%d accepted, %d unchanged, %d rejected in %s\n",
				counts.Accepted, counts.Unchanged, counts.Rejected, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().StringVar(&workers, "workers", "auto", "where the extractor and indexer run: auto, local or remote")
	return cmd
}

// progress shows a bar on a terminal and periodic log lines otherwise, so
// long runs are never silent and logs stay readable.
func (a *app) progress(what string) ingest.Progress {
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		return func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(a.stderr),
					progressbar.OptionSetDescription(what), progressbar.OptionShowCount(),
					progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
			}
			bar.Set(done)
		}
	}
	var last time.Time
	return func(done, total int) {
		if time.Since(last) > 2*time.Second || done == total && total > 0 {
			last = time.Now()
			if total > 100 {
				a.log.Info(what, "done", done, "total", total)
			}
		}
	}
}
