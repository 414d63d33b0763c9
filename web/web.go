// Package web serves compoundwatch's search page, entity pages and JSON API.
//
// The server proxies every search to the backend, so the browser never
// sees a Meilisearch key. Crawled text is hostile: the only HTML taken
// from a document is a search snippet, which is re-escaped here around
// its <mark> tags; everything else reaches the page through html/template
// or textContent. Pages load no inline script and a strict
// Content-Security-Policy forbids any.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/search"
)

//go:embed static templates
var files embed.FS

// Options configure the handler.
type Options struct {
	// Ops, when set, serves GET /metrics and GET /readyz beside the site,
	// so an operator can scrape the web server itself.
	Ops http.Handler
	// APIToken guards the write endpoints (Authorization: Bearer <token>).
	// Empty disables them (403).
	APIToken string
	// Publish sends a submitted document into the pipeline (the raw
	// stream). Nil disables POST /api/documents (503).
	Publish func(ctx context.Context, raw document.Raw) error
	// Alerts serves /api/alerts and the Atom feeds; nil turns them off.
	Alerts Alerts
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Timeout bounds each request's backend calls (default 10s).
	Timeout time.Duration
	// MaxBodyBytes bounds a submitted document (default 2 MiB).
	MaxBodyBytes int64
	// Link records an editor's decision that a discovered name is a known
	// entity (gazetteer.Gazetteer.AddLink on the data directory's
	// overlay). Nil disables POST /api/entity/{id}/links (503).
	Link func(ctx context.Context, l gazetteer.Link) error
}

// Content-Security-Policy of every response: scripts, styles and fetches
// only from this origin, no inline script or style, no framing.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

type server struct {
	backend search.Backend
	gaz     *gazetteer.Gazetteer
	opts    Options
	log     *slog.Logger
	pages   map[string]*template.Template
}

// New returns the handler for the site and its API. gaz may be nil (names
// are then not resolved and entity pages are 404).
func New(backend search.Backend, gaz *gazetteer.Gazetteer, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 2 << 20
	}
	s := &server{backend: backend, gaz: gaz, opts: opts, log: opts.Logger, pages: parsePages()}

	assets := http.FileServerFS(Assets())

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	mux.Handle("GET /static/{file}", http.StripPrefix("/static/", noListing(assets)))
	mux.HandleFunc("GET /api/search", s.apiSearch)
	mux.HandleFunc("GET /entity/{id}", s.entityPage)
	mux.HandleFunc("GET /api/entity/{id}", s.apiEntity)
	mux.HandleFunc("GET /timeline", s.timelinePage)
	mux.HandleFunc("GET /api/timeline", s.apiTimeline)
	mux.HandleFunc("POST /api/documents", s.apiSubmit)
	mux.HandleFunc("POST /api/entity/{id}/links", s.apiLink)
	mux.HandleFunc("GET /healthz", s.healthz)
	if opts.Ops != nil {
		mux.Handle("GET /metrics", opts.Ops)
		mux.Handle("GET /readyz", opts.Ops)
	}
	mux.HandleFunc("POST /api/alerts", s.apiAlertsCreate)
	mux.HandleFunc("GET /api/alerts", s.apiAlertsList)
	mux.HandleFunc("GET /api/alerts/{id}", s.apiAlertsShow)
	mux.HandleFunc("DELETE /api/alerts/{id}", s.apiAlertsDelete)
	mux.HandleFunc("GET /alerts/{id}/feed.atom", s.feed)
	for path, allow := range map[string]string{"/api/search": "GET", "/api/entity/{id}": "GET", "/api/documents": "POST", "/api/timeline": "GET",
		"/api/alerts": "GET, POST", "/api/alerts/{id}": "GET, DELETE"} {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here; use "+allow)
		})
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API endpoint: "+r.URL.Path)
	})
	return secure(mux)
}

// Assets returns the static files served under /static/.
func Assets() fs.FS {
	static, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return static
}

func parsePages() map[string]*template.Template {
	funcs := template.FuncMap{
		"typeLabel": typeLabel,
		"kindLabel": kindLabel,
		"num":       formatNumber,
	}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html"))
	pages := map[string]*template.Template{}
	for _, name := range []string{"index.html", "entity.html", "error.html", "timeline.html"} {
		pages[name] = template.Must(template.Must(base.Clone()).ParseFS(files, "templates/"+name))
	}
	return pages
}

// secure sets the security headers on every response.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func noListing(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

func (s *server) index(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "index.html", pageData{Title: "Search coverage", SearchPage: true})
}

// pageData is what the layout needs; Body is the page's own data.
type pageData struct {
	Title      string
	SearchPage bool // the page has its own search box
	Body       any
}

func (s *server) render(w http.ResponseWriter, r *http.Request, status int, page string, data pageData) {
	var b strings.Builder
	if err := s.pages[page].ExecuteTemplate(&b, "layout.html", data); err != nil {
		s.log.ErrorContext(r.Context(), "render page", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

func (s *server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "error.html", pageData{Title: http.StatusText(status), Body: msg})
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	n, err := s.backend.Count(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "error": "search backend unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "documents": n})
}

// apiError is the body of every JSON error.
type apiError struct {
	Error string `json:"error"`
	Param string `json:"param,omitempty"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// backendStatus maps a backend error to an HTTP status and a message safe
// to show (backend errors may carry internal addresses).
func backendStatus(err error) (int, string) {
	switch {
	case errors.Is(err, search.ErrBadFilter):
		// Keep the reason, not the backend's prefix (paths, addresses).
		msg := err.Error()
		if i := strings.Index(msg, search.ErrBadFilter.Error()); i >= 0 {
			msg = msg[i:]
		}
		return http.StatusBadRequest, msg
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, "search timed out"
	case errors.Is(err, context.Canceled):
		return 499, "request cancelled"
	case errors.Is(err, search.ErrNotFound):
		return http.StatusNotFound, "not found"
	}
	return http.StatusBadGateway, "search backend error"
}
