package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/indexer"
	"github.com/compoundwatch/compoundwatch/search"
)

func (a *app) extractCmd() *cobra.Command {
	var asJSONL bool
	cmd := &cobra.Command{
		Use:   "extract [--json] FILE|DIR...",
		Short: "Print the entities, figures and events found in files, without the pipeline",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			g, err := a.gazetteer()
			if err != nil {
				return err
			}
			x := extractor.New(g)
			// One content extractor, so PDFs share one PDF engine.
			cx := content.New(content.Options{})
			defer cx.Close()
			failed := false
			for _, path := range content.Collect(paths, func(err error) {
				failed = true
				fmt.Fprintln(a.stderr, "rejected:", err)
			}) {
				raw, err := cx.ReadFile(cmd.Context(), path)
				if err != nil {
					failed = true
					fmt.Fprintln(a.stderr, "rejected:", err)
					continue
				}
				t := extractor.Output(x.Extract(raw))
				enc := json.NewEncoder(a.stdout)
				enc.SetEscapeHTML(false)
				if !asJSONL {
					enc.SetIndent("", "  ")
				}
				if err := enc.Encode(t); err != nil {
					return err
				}
			}
			if failed {
				return errSilent
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSONL, "json", false, "one JSON object per line (default: indented)")
	return cmd
}

func (a *app) extractWorkerCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "extract-worker",
		Short: "Run the extractor stage alone (raw documents → tagged documents and mentions)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			g, err := a.gazetteer()
			if err != nil {
				return err
			}
			return a.withBus(ctx, func(b *bus.Bus) error {
				return ignoreCanceled(extractor.NewWorker(b, extractor.New(g), a.log).Run(ctx))
			})
		},
	}
}

func (a *app) indexWorkerCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "index-worker",
		Short: "Run the indexer stage alone (tagged documents → search backend)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			aliases, err := a.aliases()
			if err != nil {
				return err
			}
			return a.withBusAndBackend(ctx, func(b *bus.Bus, backend search.Backend) error {
				return ignoreCanceled(indexer.New(b, backend, a.log, aliases).Run(ctx))
			})
		},
	}
}
