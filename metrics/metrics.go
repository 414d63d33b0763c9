// Package metrics gives every compoundwatch process the same operator
// surface: Prometheus metrics on a registry of its own (never the global
// default, so two stages in one process or one test do not collide), and
// the /healthz, /readyz and /metrics endpoints.
//
// The stage counters come from the bus's shared consume/settle path
// through the Observer hook, so no stage counts on its own; consumer lag
// and stream usage are read from the bus at scrape time, so they are
// never stale.
package metrics

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/search"
)

var _ bus.Observer = (*Metrics)(nil)

// Metrics holds one process's registry and instruments. Its methods are
// safe for concurrent use, and a nil *Metrics ignores every call, so code
// can report unconditionally.
type Metrics struct {
	reg *prometheus.Registry

	consumed  *prometheus.CounterVec
	settled   *prometheus.CounterVec
	batch     *prometheus.HistogramVec
	handle    *prometheus.HistogramVec
	published *prometheus.CounterVec

	searchLatency *prometheus.HistogramVec
	searchFailed  *prometheus.CounterVec

	fetches *prometheus.CounterVec

	alerts       *prometheus.CounterVec
	alertLatency prometheus.Histogram
}

// New returns Metrics on a new registry that also carries the Go runtime
// and process collectors (memory, goroutines, CPU, open files).
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		consumed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cw_stage_consumed_total",
			Help: "Messages fetched for a stage (documents in).",
		}, []string{"stage"}),
		settled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cw_stage_settled_total",
			Help: "Messages a stage settled, by outcome: ok (out), retry (failed, redelivered), dead (dead-lettered), superseded.",
		}, []string{"stage", "outcome"}),
		batch: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "cw_stage_batch_size",
			Help:    "Messages per handler call.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
		}, []string{"stage"}),
		handle: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "cw_stage_handle_seconds",
			Help:    "Time one handler call took.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}, []string{"stage"}),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cw_published_total",
			Help: "Publishes by stream and result: ok, or refused (stream limits, no ack).",
		}, []string{"stream", "result"}),
		searchLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "cw_search_task_seconds",
			Help:    "Search-engine task latency (enqueue to done), by operation.",
			Buckets: prometheus.ExponentialBuckets(0.002, 2.5, 12),
		}, []string{"op"}),
		searchFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cw_search_task_failures_total",
			Help: "Search-engine tasks that failed, by operation.",
		}, []string{"op"}),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cw_crawler_fetches_total",
			Help: "Crawler HTTP fetches by host and status (0: no response).",
		}, []string{"host", "status"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cw_alerts_total",
			Help: "Alert delivery attempts by result: delivered, retried, dead (dead-lettered).",
		}, []string{"result"}),
		alertLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "cw_alert_delivery_seconds",
			Help:    "Time from an alert's creation (its document tagged and matched) to its delivery.",
			Buckets: prometheus.ExponentialBuckets(0.05, 3, 10),
		}),
	}
	reg.MustRegister(m.consumed, m.settled, m.batch, m.handle, m.published,
		m.searchLatency, m.searchFailed, m.fetches, m.alerts, m.alertLatency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is where other collectors of this process register.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Consumed implements Observer.
func (m *Metrics) Consumed(stage string, n int) {
	if m != nil {
		m.consumed.WithLabelValues(stage).Add(float64(n))
	}
}

// Settled implements Observer.
func (m *Metrics) Settled(stage, outcome string) {
	if m != nil {
		m.settled.WithLabelValues(stage, outcome).Inc()
	}
}

// Handled implements Observer.
func (m *Metrics) Handled(stage string, batch int, d time.Duration) {
	if m != nil {
		m.batch.WithLabelValues(stage).Observe(float64(batch))
		m.handle.WithLabelValues(stage).Observe(d.Seconds())
	}
}

// Published implements Observer.
func (m *Metrics) Published(stream string, err error) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "refused"
	}
	m.published.WithLabelValues(stream, result).Inc()
}

// SearchTask records one search-engine task (op: "add", "delete",
// "settings"…) and whether it failed.
func (m *Metrics) SearchTask(op string, d time.Duration, err error) {
	if m == nil {
		return
	}
	m.searchLatency.WithLabelValues(op).Observe(d.Seconds())
	if err != nil {
		m.searchFailed.WithLabelValues(op).Inc()
	}
}

// Fetched records one crawler fetch; status 0 is a fetch that got no
// response (timeout, refused connection, robots.txt).
func (m *Metrics) Fetched(host string, status int) {
	if m != nil {
		m.fetches.WithLabelValues(host, strconv.Itoa(status)).Inc()
	}
}

// AlertDelivery records one alert delivery attempt: result "delivered"
// (with latency, the time since the alert was created), "retried" or
// "dead". Its signature is the alerts deliverer's Observe hook.
func (m *Metrics) AlertDelivery(result string, latency time.Duration) {
	if m == nil {
		return
	}
	m.alerts.WithLabelValues(result).Inc()
	if result == "delivered" {
		m.alertLatency.Observe(latency.Seconds())
	}
}

// WatchBus exports consumer lag and stream usage, read by stats at each
// scrape (bounded by a 5-second timeout; a failed read is logged and
// reported as cw_bus_stats_up 0, so a dashboard tells "no lag" from "no
// data").
func (m *Metrics) WatchBus(stats func(context.Context) (bus.Stats, error), log *slog.Logger) {
	m.reg.MustRegister(&busCollector{stats: stats, log: log})
}

var (
	descUp         = prometheus.NewDesc("cw_bus_stats_up", "1 when the last read of the bus's stats succeeded.", nil, nil)
	descPending    = prometheus.NewDesc("cw_consumer_pending", "Messages not yet delivered to a durable consumer (lag).", []string{"stream", "consumer"}, nil)
	descAckPending = prometheus.NewDesc("cw_consumer_ack_pending", "Messages delivered to a durable consumer and not yet acked.", []string{"stream", "consumer"}, nil)
	descMessages   = prometheus.NewDesc("cw_stream_messages", "Messages a stream holds.", []string{"stream"}, nil)
	descBytes      = prometheus.NewDesc("cw_stream_bytes", "Bytes a stream holds.", []string{"stream"}, nil)
	descReplicas   = prometheus.NewDesc("cw_stream_replicas", "A stream's replicas (R3 on a three-node cluster).", []string{"stream"}, nil)
	descMaxBytes   = prometheus.NewDesc("cw_stream_max_bytes", "A stream's byte limit (absent: none).", []string{"stream"}, nil)
)

type busCollector struct {
	stats func(context.Context) (bus.Stats, error)
	log   *slog.Logger
}

func (c *busCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUp, descPending, descAckPending, descMessages, descBytes, descReplicas, descMaxBytes} {
		ch <- d
	}
}

func (c *busCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := c.stats(ctx)
	if err != nil {
		if c.log != nil {
			c.log.Warn("metrics: bus stats", "err", err)
		}
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
	for _, ss := range s.Streams {
		for _, cs := range ss.Consumers {
			ch <- prometheus.MustNewConstMetric(descPending, prometheus.GaugeValue, float64(cs.Pending), ss.Name, cs.Name)
			ch <- prometheus.MustNewConstMetric(descAckPending, prometheus.GaugeValue, float64(cs.AckPending), ss.Name, cs.Name)
		}
		ch <- prometheus.MustNewConstMetric(descMessages, prometheus.GaugeValue, float64(ss.Messages), ss.Name)
		ch <- prometheus.MustNewConstMetric(descBytes, prometheus.GaugeValue, float64(ss.Bytes), ss.Name)
		ch <- prometheus.MustNewConstMetric(descReplicas, prometheus.GaugeValue, float64(ss.Replicas), ss.Name)
		if ss.MaxBytes > 0 {
			ch <- prometheus.MustNewConstMetric(descMaxBytes, prometheus.GaugeValue, float64(ss.MaxBytes), ss.Name)
		}
	}
}

// Backend wraps a search backend so that its writes are timed and their
// failures counted (cw_search_task_seconds, cw_search_task_failures_total);
// with a nil *Metrics it returns b unchanged. A write with rejected
// documents counts as failed: the engine refused part of the task.
func (m *Metrics) Backend(b search.Backend) search.Backend {
	if m == nil {
		return b
	}
	return timedBackend{Backend: b, m: m}
}

type timedBackend struct {
	search.Backend
	m *Metrics
}

func (t timedBackend) Upsert(ctx context.Context, docs []search.Doc) ([]search.Rejection, error) {
	start := time.Now()
	rej, err := t.Backend.Upsert(ctx, docs)
	if err == nil && len(rej) > 0 {
		t.m.SearchTask("upsert", time.Since(start), fmt.Errorf("%d documents rejected", len(rej)))
	} else {
		t.m.SearchTask("upsert", time.Since(start), err)
	}
	return rej, err
}

// Events passes on the wrapped backend's search.EventStore, which the
// wrapper would otherwise hide: `run` and `serve` wrap their backend, and
// their timeline page and API answered that it kept no events.
func (t timedBackend) Events(ctx context.Context, q search.EventQuery) ([]search.Event, error) {
	es, ok := t.Backend.(search.EventStore)
	if !ok {
		return nil, search.ErrNoEvents
	}
	return es.Events(ctx, q)
}

// Batching passes on the wrapped backend's search.Batcher, which the
// wrapper would otherwise hide from the indexer.
func (t timedBackend) Batching() search.Batching {
	if b, ok := t.Backend.(search.Batcher); ok {
		return b.Batching()
	}
	return search.Batching{}
}

func (t timedBackend) Delete(ctx context.Context, ids ...string) error {
	start := time.Now()
	err := t.Backend.Delete(ctx, ids...)
	t.m.SearchTask("delete", time.Since(start), err)
	return err
}
