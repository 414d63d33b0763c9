package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check is one readiness condition: Func returns nil when ready, or an
// error saying why not ("not connected", "connection refused" …).
type Check struct {
	Name string
	Func func(ctx context.Context) error
}

// Checks is the set of readiness checks of a process. It grows while the
// process starts (a stage adds its search-engine check once it has opened
// the engine), so it is shared by pointer; the zero value is empty.
type Checks struct {
	mu   sync.Mutex
	list []Check
}

// Add adds a check.
func (c *Checks) Add(name string, f func(ctx context.Context) error) {
	c.mu.Lock()
	c.list = append(c.list, Check{Name: name, Func: f})
	c.mu.Unlock()
}

func (c *Checks) snapshot() []Check {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Check(nil), c.list...)
}

// CheckTimeout bounds one readiness check, so a hung dependency makes
// /readyz answer "not ready" rather than hang the orchestrator's probe.
const CheckTimeout = 3 * time.Second

// Handler serves /healthz (the process answers), /readyz (every check
// passes; otherwise 503 with one "name: reason" line per failing check)
// and /metrics (m's registry, in the Prometheus text or protobuf format
// the scraper asks for).
func Handler(m *Metrics, checks *Checks) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		failed := checks.Run(r.Context())
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if len(failed) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			for _, err := range failed {
				fmt.Fprintln(w, err)
			}
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
	return mux
}

// Run runs the checks concurrently and returns one error per failing
// check, named and in the order they were added. With no checks yet it
// reports the process as starting.
func (c *Checks) Run(ctx context.Context) []error {
	checks := c.snapshot()
	if len(checks) == 0 {
		// Nothing connected yet: a process is ready once it has said
		// what it depends on.
		return []error{errors.New("starting: no connection opened yet")}
	}
	errs := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, CheckTimeout)
			defer cancel()
			if err := c.Func(cctx); err != nil {
				errs[i] = fmt.Errorf("%s: %s", c.Name, strings.TrimSpace(err.Error()))
			}
		})
	}
	wg.Wait()
	var failed []error
	for _, err := range errs {
		if err != nil {
			failed = append(failed, err)
		}
	}
	return failed
}

// Server is a running metrics listener.
type Server struct {
	ln   net.Listener
	done chan error
}

// Listen opens addr (the --metrics flag's value) and serves h on it until
// ctx ends. Opening happens before Listen returns, so a bad or busy
// address fails the process at start, naming the flag.
func Listen(ctx context.Context, addr string, h http.Handler, log *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics %s: %w", addr, err)
	}
	s := &Server{ln: ln, done: make(chan error, 1)}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	go func() {
		err := srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	log.Info("metrics listening", "addr", ln.Addr().String())
	return s, nil
}

// Addr is the address listened on (with the port chosen for ":0").
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Wait returns once the server has stopped.
func (s *Server) Wait() error { return <-s.done }
