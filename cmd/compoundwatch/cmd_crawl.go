package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/crawler"
)

func (a *app) crawlCmd() *cobra.Command {
	var (
		once     bool
		jsonl    string
		sources  string
		delay    time.Duration
		depth    int
		maxPages int
	)
	cmd := &cobra.Command{
		Use:   "crawl [--once [--jsonl FILE] URL...]",
		Short: "Crawl the configured sources on their schedules, or given URLs once",
		Long: `Without --once, crawl runs the enabled sources of the sources file (the
shipped one, or --sources / the "sources" setting) on their schedules until
interrupted.

With --once and URLs, it crawls from those start URLs (each a site page, an
RSS/Atom feed or a sitemap: detected from the response) within their hosts,
publishes every document it fetches, writes one JSON line per document to
--jsonl FILE ("-" for stdout) when given, prints a summary and exits. With
--once and no URLs, it crawls each enabled source once.

The crawler obeys robots.txt, waits --delay between requests to a host,
sends conditional requests for pages it has seen, and resumes an
interrupted crawl where it stopped (state is kept on the bus).`,
		RunE: func(cmd *cobra.Command, urls []string) error {
			ctx := cmd.Context()
			if !once && (len(urls) > 0 || jsonl != "") {
				return errors.New("URLs and --jsonl need --once")
			}
			var srcs []config.Source
			if !once || len(urls) == 0 {
				var err error
				if sources != "" {
					srcs, err = config.LoadSources(sources)
				} else {
					srcs, err = a.sources()
				}
				if err != nil {
					return err
				}
			}
			var out io.Writer
			if jsonl != "" {
				if jsonl == "-" {
					out = a.stdout
				} else {
					f, err := os.Create(jsonl)
					if err != nil {
						return err
					}
					defer f.Close()
					out = f
				}
			}
			b, err := a.openBus(ctx)
			if err != nil {
				return err
			}
			defer b.Close()
			c, err := crawler.New(b, crawler.Options{Delay: delay, Depth: depth, MaxPages: maxPages, Fetched: a.fetched()}, a.log)
			if err != nil {
				return err
			}
			defer c.Close()
			if !once {
				return c.Run(ctx, srcs)
			}
			report := a.stdout
			if jsonl == "-" {
				report = a.stderr
			}
			if len(urls) > 0 {
				sum, err := c.Once(ctx, urls, out)
				printSummary(report, "", sum)
				return err
			}
			n := 0
			for _, src := range srcs {
				if !src.IsEnabled() {
					continue
				}
				n++
				sum, err := c.CrawlSource(ctx, src)
				printSummary(report, src.Name+": ", sum)
				if err != nil {
					return fmt.Errorf("source %s: %w", src.Name, err)
				}
			}
			if n == 0 {
				return errors.New("no enabled sources to crawl (give URLs, or enable sources in the sources file)")
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&once, "once", false, "crawl once and exit (the given URLs, or each enabled source)")
	f.StringVar(&jsonl, "jsonl", "", "with --once URL...: also write one JSON line per fetched document to FILE (- for stdout)")
	f.StringVar(&sources, "sources", "", "sources file (YAML) replacing the configured or shipped one")
	f.DurationVar(&delay, "delay", 0, "delay between requests to one host (default 2s)")
	f.IntVar(&depth, "depth", 0, "with --once URL...: link depth from the start URLs (default 3)")
	f.IntVar(&maxPages, "max-pages", 0, "with --once URL...: page budget of the crawl (default 1000)")
	return cmd
}

func printSummary(w io.Writer, prefix string, s crawler.Summary) {
	fmt.Fprintf(w, "%sfetched %d, documents %d (published %d, duplicates %d), unchanged %d, skipped by robots %d, skipped %d, failed %d\n",
		prefix, s.Fetched, s.Documents, s.Published, s.Duplicates, s.Unchanged, s.SkippedRobots, s.Skipped, len(s.Failed))
	for _, f := range s.Failed {
		fmt.Fprintf(w, "%sfailed %s: %s\n", prefix, f.URL, f.Reason)
	}
}
