package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/compoundwatch/compoundwatch/alerts"
	"github.com/compoundwatch/compoundwatch/archive"
	"github.com/compoundwatch/compoundwatch/ingest"
)

func (a *app) ingestCmd() *cobra.Command {
	var workers string
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Run the pipeline on files, folders (.txt, .html, .pdf) and web archives (.warc, .warc.gz) and wait until they are searchable",
		Long: `Ingest reads the given files and folders (recursively), publishes each
document onto the bus and exits once every accepted document is searchable.
A .warc or .warc.gz file is read record by record: its HTML and PDF
records are documents named by their target URI, the rest are counted and
skipped, and a damaged record is reported with its offset.
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
			var files, archives []string
			for _, p := range paths {
				if ingest.IsArchive(p) {
					archives = append(archives, p)
				} else {
					files = append(files, p)
				}
			}
			var counts ingest.Counts
			if len(files) > 0 {
				var errs []error
				counts, errs = ingest.Files(ctx, b, files, a.log, a.progress("reading"))
				for _, err := range errs {
					fmt.Fprintln(a.stderr, "rejected:", err)
				}
			}
			for _, p := range archives {
				ac, errs := ingest.Archive(ctx, b, p, a.log, a.archiveProgress(p))
				for _, err := range errs {
					fmt.Fprintln(a.stderr, "rejected:", err)
				}
				counts.Accepted += ac.Accepted
				counts.Unchanged += ac.Unchanged
				counts.Rejected += ac.Rejected
				fmt.Fprintf(a.stdout, "%s: %d records, %d documents, %d skipped (not documents), %d corrupt; %.0f documents/s\n",
					p, ac.Records, ac.Docs, ac.Skipped, ac.Corrupt, ac.DocsPerSecond())
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

// archiveProgress shows records, documents per second and bytes read of
// the archive on a terminal, and periodic log lines otherwise.
func (a *app) archiveProgress(path string) func(archive.Stats) {
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		return func(s archive.Stats) {
			if bar == nil {
				bar = progressbar.NewOptions64(s.BytesTotal, progressbar.OptionSetWriter(a.stderr),
					progressbar.OptionShowBytes(true), progressbar.OptionClearOnFinish(),
					progressbar.OptionThrottle(100*time.Millisecond))
			}
			bar.Describe(fmt.Sprintf("%s: %d records, %d documents (%.0f/s)", filepath.Base(path), s.Records, s.Docs, s.DocsPerSecond()))
			bar.Set64(s.BytesRead)
		}
	}
	var last time.Time
	return func(s archive.Stats) {
		if time.Since(last) > 2*time.Second || s.BytesRead == s.BytesTotal {
			last = time.Now()
			a.log.Info("reading archive", "file", path, "records", s.Records, "documents", s.Docs,
				"docs_per_s", int(s.DocsPerSecond()), "read", s.BytesRead, "of", s.BytesTotal)
		}
	}
}
