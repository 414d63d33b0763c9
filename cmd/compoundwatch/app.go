package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/internal/hugepage"
	"github.com/compoundwatch/compoundwatch/metrics"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/search/meili"
)

// app is what every command shares: settings, logger and the lazily
// opened bus, search backend and gazetteer.
type app struct {
	cfg        config.Config
	configFile string
	stdout     io.Writer
	stderr     io.Writer
	log        *slog.Logger
	gaz        *gazetteer.Gazetteer

	metricsAddr string           // --metrics: where /healthz, /readyz and /metrics listen
	metrics     *metrics.Metrics // nil without --metrics
	checks      metrics.Checks   // readiness, reported on /readyz
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	a := &app{cfg: config.Default(), stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:           "compoundwatch",
		Short:         "Follow scam-compound coverage: crawl, tag, index, search",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.init(cmd)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	f := root.PersistentFlags()
	f.StringVar(&a.configFile, "config", "", "settings file (YAML); env COMPOUNDWATCH_CONFIG")
	f.StringVar(&a.cfg.DataDir, "data", a.cfg.DataDir, "data directory for the embedded NATS store and index; env COMPOUNDWATCH_DATA")
	f.StringVar(&a.cfg.NATSURL, "nats-url", "", "external NATS server (empty: embedded); env COMPOUNDWATCH_NATS_URL")
	f.StringVar(&a.cfg.MeiliURL, "meili-url", "", "Meilisearch URL (empty: embedded index); env MEILI_URL, key in MEILI_API_KEY")
	f.StringVar(&a.cfg.MeiliIndex, "meili-index", a.cfg.MeiliIndex, "Meilisearch index name; env COMPOUNDWATCH_INDEX")
	f.StringVar(&a.cfg.Gazetteer, "gazetteer", "", "gazetteer YAML replacing the shipped one; env COMPOUNDWATCH_GAZETTEER")
	f.StringVar(&a.cfg.LogLevel, "log-level", a.cfg.LogLevel, "debug, info, warn or error; env COMPOUNDWATCH_LOG_LEVEL")
	f.BoolVar(&a.cfg.MentionEvents, "mention-events", false, "the extractor stage also publishes a mention event per entity on cw.mentions.<type>.<id>; env COMPOUNDWATCH_MENTION_EVENTS")
	f.BoolVar(&a.cfg.HugePages, "huge-pages", a.cfg.HugePages, "commands that read, tag or index in bulk ask Linux for huge pages for their heap, where its THP policy is madvise; env COMPOUNDWATCH_HUGE_PAGES")
	f.StringVar(&a.metricsAddr, "metrics", "", "serve /healthz, /readyz and Prometheus /metrics on this address (host:port)")
	root.AddCommand(
		a.runCmd(), a.ingestCmd(), a.searchCmd(), a.extractCmd(),
		a.extractWorkerCmd(), a.indexWorkerCmd(), a.reindexCmd(),
		a.entitiesCmd(), a.deadCmd(), a.statsCmd(), a.migrateCmd(),
		a.alertsCmd(), a.alertWorkerCmd(), a.timelineCmd(),
	)
	root.AddCommand(a.serveCmd(), a.crawlCmd(), a.probeCmd())
	return root
}

// init layers settings: defaults < config file < environment < flags.
func (a *app) init(cmd *cobra.Command) error {
	flags := a.cfg
	file := a.configFile
	if file == "" {
		file = os.Getenv("COMPOUNDWATCH_CONFIG")
	}
	base := config.Default()
	if file != "" {
		var err error
		if base, err = config.Load(file); err != nil {
			return err
		}
	}
	if err := base.ApplyEnv(os.Getenv); err != nil {
		return err
	}
	// Flags the user set win over everything else.
	set := map[string]string{
		"data": flags.DataDir, "nats-url": flags.NATSURL, "meili-url": flags.MeiliURL,
		"meili-index": flags.MeiliIndex, "gazetteer": flags.Gazetteer, "log-level": flags.LogLevel,
		"listen": flags.Listen, "mention-events": strconv.FormatBool(flags.MentionEvents),
		"huge-pages": strconv.FormatBool(flags.HugePages),
	}
	for name, v := range set {
		if cmd.Flags().Changed(name) {
			if err := base.Set(strings.ReplaceAll(name, "-", "_"), v); err != nil {
				return err
			}
		}
	}
	a.cfg = base
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.cfg.LogLevel)); err != nil {
		return fmt.Errorf("log level %q: %w", a.cfg.LogLevel, err)
	}
	a.log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
	if a.cfg.HugePages && bulkCommand(cmd.Name()) {
		ok, err := hugepage.Advise(hugepage.Heap)
		a.log.Debug("heap advised for huge pages", "advised", ok, "MiB", hugepage.Heap>>20, "err", err)
	}
	return a.startMetrics(cmd.Context(), cmd.Name() == "run" || cmd.Name() == "serve")
}

// bulkCommand reports the commands that allocate hundreds of megabytes
// as they read, tag or index, for which huge pages pay (see
// internal/hugepage); the others finish before the advice's collection
// would pay for itself.
func bulkCommand(command string) bool {
	switch command {
	case "run", "ingest", "extract", "extract-worker", "index-worker", "alert-worker", "reindex", "crawl":
		return true
	}
	return false
}

func (a *app) openBus(ctx context.Context) (*bus.Bus, error) {
	o := bus.Options{URL: a.cfg.NATSURL, DataDir: a.cfg.DataDir, Replicas: a.cfg.Replicas,
		MentionEvents: a.cfg.MentionEvents, Logger: a.log}
	if a.metrics == nil {
		return bus.Open(ctx, o)
	}
	o.Observer = a.metrics
	// Unready from the first connection attempt until JetStream answers
	// for every stream; a lost connection, or a cluster without quorum,
	// makes the stage unready again.
	var opened atomic.Pointer[bus.Bus]
	a.checks.Add("nats", func(ctx context.Context) error {
		b := opened.Load()
		if b == nil {
			return errors.New("connecting")
		}
		_, err := b.Stats(ctx)
		return err
	})
	b, err := bus.Open(ctx, o)
	if err != nil {
		return nil, err
	}
	opened.Store(b)
	a.metrics.WatchBus(b.Stats, a.log)
	return b, nil
}

func (a *app) gazetteer() (*gazetteer.Gazetteer, error) {
	if a.gaz != nil {
		return a.gaz, nil
	}
	var g *gazetteer.Gazetteer
	var err error
	if a.cfg.Gazetteer != "" {
		g, err = gazetteer.LoadFile(a.cfg.Gazetteer)
	} else {
		g, err = gazetteer.Default()
	}
	if err != nil {
		return nil, err
	}
	// Editors' links (entities link) apply on top of any gazetteer file.
	path := a.overlayPath()
	links, err := gazetteer.ReadOverlay(path)
	if err != nil {
		return nil, err
	}
	if g, err = g.WithLinks(links); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	a.gaz = g
	return g, nil
}

// overlayPath is the editors' gazetteer overlay in the data directory.
func (a *app) overlayPath() string { return filepath.Join(a.cfg.DataDir, gazetteer.OverlayFile) }

// aliases gives the indexer every spelling of an entity.
func (a *app) aliases() (search.AliasFunc, error) {
	g, err := a.gazetteer()
	if err != nil {
		return nil, err
	}
	return g.AppendAliases, nil
}

// openBackend opens Meilisearch when configured, else the embedded index
// under the data dir.
func (a *app) openBackend(ctx context.Context) (search.Backend, error) {
	if a.cfg.MeiliURL != "" {
		var opened atomic.Bool
		if a.metrics != nil {
			// Unready until the index is set up; then, while Meilisearch
			// is down, the indexer holds the backlog in CW_TAGGED and
			// /readyz says why.
			a.checks.Add("meilisearch", func(ctx context.Context) error {
				if !opened.Load() {
					return errors.New("opening the index")
				}
				return meiliHealth(ctx, a.cfg.MeiliURL)
			})
		}
		backend, err := meili.Open(ctx, a.cfg.MeiliURL, a.cfg.MeiliAPIKey, a.cfg.MeiliIndex, meili.Options{})
		if err != nil {
			return nil, err
		}
		opened.Store(true)
		return a.metrics.Backend(backend), nil
	}
	ix, err := embedded.Open(a.indexDir(), embedded.Options{})
	switch {
	case errors.Is(err, search.ErrLocked):
		return nil, fmt.Errorf("%w (is `compoundwatch run` using %s? search through its web API instead, or stop it)", err, a.cfg.DataDir)
	case errors.Is(err, embedded.ErrFormat):
		return nil, fmt.Errorf("%w (`compoundwatch reindex` rebuilds it from the log)", err)
	case err != nil:
		return nil, err
	}
	if a.metrics != nil {
		a.checks.Add("index", func(ctx context.Context) error {
			_, err := ix.Count(ctx)
			return err
		})
	}
	return a.metrics.Backend(ix), nil
}

func (a *app) indexDir() string { return filepath.Join(a.cfg.DataDir, "index") }

// replaceEmbedded swaps an embedded index of an older format for an empty
// one. The index is derived data and CW_TAGGED is the record, so the
// caller refills it from the log and nothing is lost.
func (a *app) replaceEmbedded(ctx context.Context) (search.Backend, error) {
	dir := a.indexDir()
	a.log.WarnContext(ctx, "the embedded index is in an older format; rebuilding it from the tagged-document log", "dir", dir)
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("remove old index: %w", err)
	}
	return a.openBackend(ctx)
}

// withBus runs f with the bus open, and closes it after, so a command
// cannot leak the embedded server's lock.
func (a *app) withBus(ctx context.Context, f func(*bus.Bus) error) error {
	b, err := a.openBus(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	return f(b)
}

// withBusAndBackend is withBus for the commands that also use the search
// backend.
func (a *app) withBusAndBackend(ctx context.Context, f func(*bus.Bus, search.Backend) error) error {
	return a.withBus(ctx, func(b *bus.Bus) error {
		backend, err := a.openBackendBeside(ctx, b)
		if err != nil {
			return err
		}
		defer backend.Close()
		return f(b, backend)
	})
}

// openBackendBeside is openBackend for a command that has the log at
// hand: rather than fail on an embedded index of an older format, it
// rebuilds the index from CW_TAGGED.
func (a *app) openBackendBeside(ctx context.Context, b *bus.Bus) (search.Backend, error) {
	backend, err := a.openBackend(ctx)
	if !errors.Is(err, embedded.ErrFormat) {
		return backend, err
	}
	if backend, err = a.replaceEmbedded(ctx); err != nil {
		return nil, err
	}
	n, rejected, err := a.reindex(ctx, b, backend)
	if err != nil {
		backend.Close()
		return nil, fmt.Errorf("rebuild %s: %w", a.indexDir(), err)
	}
	a.log.InfoContext(ctx, "embedded index rebuilt", "documents", n-rejected, "rejected", rejected)
	return backend, nil
}
