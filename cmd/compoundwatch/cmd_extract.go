package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"

	json "github.com/goccy/go-json"
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
			// Building the gazetteer takes a few tens of milliseconds, as
			// long as reading a hundred files: the files are read
			// meanwhile, and each waits for it only to be tagged.
			var (
				x      *extractor.Extractor
				gazErr error
			)
			built := make(chan struct{})
			go func() {
				defer close(built)
				g, err := a.gazetteer()
				if err != nil {
					gazErr = err
					return
				}
				x = extractor.New(g)
			}()
			// One content extractor, so PDFs share one PDF engine.
			cx := content.New(content.Options{})
			defer cx.Close()
			failed := false
			files := content.Collect(paths, func(err error) {
				failed = true
				fmt.Fprintln(a.stderr, "rejected:", err)
			})
			// A batch job with a small live heap: a heap target of three
			// times the live heap rather than two leaves the collector
			// less to do, and a larger one costs more in page faults of
			// fresh memory than it saves (11,000 minor faults at five
			// times against 5,900 at two). 2,000 articles, medians of
			// twelve alternated runs: 0.542, 0.482 and 0.497 s at GOGC
			// 100, 200 and 400. GOGC, when set, still rules.
			if os.Getenv("GOGC") == "" {
				defer debug.SetGCPercent(debug.SetGCPercent(200))
			}
			// goccy/go-json, as the bus uses, rather than encoding/json:
			// the output is four times the size of the text, and the same
			// bytes come out 6% sooner for the whole command (2,000
			// articles, medians of eight alternated runs: 0.47 -> 0.44 s;
			// identical on the examples, the shared corpus, devset2 and
			// the generated articles, both with --json and indented).
			// Buffered: one write per 64 KiB rather than per document.
			out := bufio.NewWriterSize(a.stdout, 64<<10)
			defer out.Flush()
			// A document's JSON goes into a buffer that is used again once
			// it is written: grown afresh for every document, they were a
			// twentieth of the command's CPU.
			bufs := sync.Pool{New: func() any { return new(bytes.Buffer) }}
			encode := func(r extractor.Result) (*bytes.Buffer, error) {
				buf := bufs.Get().(*bytes.Buffer)
				buf.Reset()
				enc := json.NewEncoder(buf)
				enc.SetEscapeHTML(false)
				if !asJSONL {
					enc.SetIndent("", "  ")
				}
				return buf, enc.Encode(r)
			}
			// Files are read, tagged and encoded on every core, and
			// printed in order; two workers a core, so that one waiting
			// on a read leaves its core to another (0.54 -> 0.50 s for
			// 2,000 articles, four runs each by hand).
			err := eachInOrder(cmd.Context(), files, 2*runtime.GOMAXPROCS(0), 64, func(ctx context.Context, path string) (*bytes.Buffer, error) {
				raw, err := cx.ReadFile(ctx, path)
				if err != nil {
					return nil, err
				}
				select {
				case <-built:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
				if x == nil {
					return nil, gazErr // emit returns it
				}
				return encode(extractor.Output(x.Extract(raw)))
			}, func(r *bytes.Buffer, err error) error {
				if <-built; gazErr != nil {
					return gazErr
				}
				if err != nil {
					failed = true
					fmt.Fprintln(a.stderr, "rejected:", err)
					return nil
				}
				_, err = out.Write(r.Bytes())
				bufs.Put(r)
				return err
			})
			if ferr := out.Flush(); err == nil {
				err = ferr
			}
			if <-built; gazErr != nil {
				return gazErr // also with no file to read
			}
			if err != nil {
				return err
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
		Short: "Run the extractor stage alone (raw documents → tagged documents, and mention events with --mention-events)",
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

// eachInOrder runs f on every input with up to workers at once and hands
// the results to emit in input order; it stops at emit's first error. At
// most window results wait for their turn, so one slow input (a large
// PDF) or a slow reader of the output holds back the others instead of
// letting finished results pile up in memory.
func eachInOrder[In, Out any](ctx context.Context, inputs []In, workers, window int, f func(context.Context, In) (Out, error), emit func(Out, error) error) error {
	type result struct {
		out Out
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]chan result, len(inputs))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	work := make(chan int)
	for range max(workers, 1) {
		go func() {
			for i := range work {
				out, err := f(ctx, inputs[i])
				results[i] <- result{out, err}
			}
		}()
	}
	ahead := make(chan struct{}, max(window, workers, 1))
	go func() {
		defer close(work)
		for i := range inputs {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case work <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for i := range inputs {
		var r result
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		// The slot is freed only once the result is written, so that the
		// window bounds the results held in memory, the one being written
		// included.
		if err := emit(r.out, r.err); err != nil {
			return err
		}
		<-ahead
	}
	return nil
}
