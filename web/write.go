package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
)

// Submission is the body of POST /api/documents.
type Submission struct {
	URL       string `json:"url"`
	Source    string `json:"source"` // instead of url: a name for a document without one
	Title     string `json:"title"`
	Published string `json:"published"` // YYYY-MM-DD
	Text      string `json:"text"`
	Outlet    string `json:"outlet"`
	Language  string `json:"language"`
	Byline    string `json:"byline"`
}

// authorized checks the bearer token in constant time and writes the
// refusal itself: 403 when writes are disabled or the token is wrong, 401
// when there is none.
func (s *server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.APIToken == "" {
		writeError(w, http.StatusForbidden, "write endpoints are disabled: the server has no API token configured")
		return false
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="compoundwatch"`)
		writeError(w, http.StatusUnauthorized, "missing bearer token (Authorization: Bearer <token>)")
		return false
	}
	// Hashing first makes the comparison independent of the lengths.
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	want := sha256.Sum256([]byte(s.opts.APIToken))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		writeError(w, http.StatusForbidden, "wrong API token")
		return false
	}
	return true
}

func (s *server) apiSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	if s.opts.Publish == nil {
		writeError(w, http.StatusServiceUnavailable, "this server does not accept documents (no pipeline connected)")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "send the document as application/json")
			return
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	dec.DisallowUnknownFields()
	var sub Submission
	if err := dec.Decode(&sub); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("document larger than %d bytes", tooBig.Limit))
			return
		}
		writeError(w, http.StatusBadRequest, "invalid JSON document: "+err.Error())
		return
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "invalid JSON document: more than one value")
		return
	}
	if _, err := dec.Token(); err != io.EOF {
		writeError(w, http.StatusBadRequest, "invalid JSON document: trailing data")
		return
	}
	raw, err := sub.raw(time.Now().UTC())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx := r.Context()
	if err := s.opts.Publish(ctx, raw); err != nil {
		s.log.ErrorContext(ctx, "publish submitted document", "id", raw.ID, "source", raw.Source, "err", err)
		writeError(w, http.StatusServiceUnavailable, "could not queue the document; try again later")
		return
	}
	s.log.InfoContext(ctx, "document submitted", "id", raw.ID, "source", raw.Source)
	writeJSON(w, http.StatusAccepted, map[string]string{"id": raw.ID, "source": raw.Source, "status": "queued"})
}

// raw validates a submission and turns it into a pipeline document.
func (sub Submission) raw(now time.Time) (document.Raw, error) {
	src := strings.TrimSpace(sub.URL)
	switch {
	case src != "":
		if safeURL(src) == "" {
			return document.Raw{}, errors.New("url: must be an absolute http or https URL")
		}
		src = safeURL(src)
	case strings.TrimSpace(sub.Source) != "":
		src = strings.TrimSpace(sub.Source)
	default:
		return document.Raw{}, errors.New("url or source is required")
	}
	if strings.TrimSpace(sub.Text) == "" {
		return document.Raw{}, errors.New("text is required")
	}
	if sub.Published != "" {
		if _, err := time.Parse(time.DateOnly, sub.Published); err != nil {
			return document.Raw{}, errors.New("published: must be a date as YYYY-MM-DD")
		}
	}
	for name, v := range map[string]string{"url": src, "title": sub.Title, "text": sub.Text, "outlet": sub.Outlet} {
		if !utf8.ValidString(v) {
			return document.Raw{}, fmt.Errorf("%s: must be valid UTF-8", name)
		}
	}
	if len(src) > 2048 || len(sub.Title) > 1024 || len(sub.Outlet) > 200 || len(sub.Language) > 16 || len(sub.Byline) > 200 {
		return document.Raw{}, errors.New("a field is too long (url ≤ 2048, title ≤ 1024, outlet and byline ≤ 200 bytes)")
	}
	raw := document.Raw{
		Source:    src,
		Title:     strings.TrimSpace(sub.Title),
		Byline:    strings.TrimSpace(sub.Byline),
		Published: sub.Published,
		Outlet:    strings.TrimSpace(sub.Outlet),
		Language:  strings.TrimSpace(sub.Language),
		Text:      sub.Text,
		FetchedAt: now,
		Tags:      map[string]string{"via": "api"},
	}
	raw.Finalize()
	return raw, nil
}

// LinkRequest is the body of POST /api/entity/{id}/links: a name found in
// coverage (a candidate's name as written) that an editor says is the
// entity {id}.
type LinkRequest struct {
	Name string `json:"name"`
}

func (s *server) apiLink(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	if s.opts.Link == nil || s.gaz == nil {
		writeError(w, http.StatusServiceUnavailable, "this server does not record links (no gazetteer overlay connected)")
		return
	}
	id := r.PathValue("id")
	rec, ok := s.gaz.Entity(id)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no entity %q", id))
		return
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	var req LinkRequest
	if err := dec.Decode(&req); err != nil || strings.TrimSpace(req.Name) == "" || !utf8.ValidString(req.Name) || len(req.Name) > 200 {
		writeError(w, http.StatusBadRequest, `send {"name": "<the name as written, up to 200 bytes>"} as JSON`)
		return
	}
	l := gazetteer.Link{Name: req.Name, Type: rec.Type, ID: rec.ID, By: "api"}
	if err := s.opts.Link(r.Context(), l); err != nil {
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{
		"linked": strings.Join(strings.Fields(req.Name), " "), "id": rec.ID, "name": rec.Name,
		"note": "stages started from now on use the link; reindex applies it to documents already indexed",
	})
}
