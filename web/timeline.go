package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/compoundwatch/compoundwatch/query"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/timeline"
)

// timelineParams reads the timeline parameters, named as the CLI's
// flags: q, entity, province, outlet (repeatable), from, to, format.
func timelineParams(v url.Values) query.TimelineParams {
	return query.TimelineParams{Text: v.Get("q"), Entities: v["entity"], Provinces: v["province"],
		Outlets: v["outlet"], From: v.Get("from"), To: v.Get("to"), Format: v.Get("format")}
}

// timeline builds the timeline p asks for; on failure it returns the
// status, a message safe to show and the parameter at fault.
func (s *server) timeline(ctx context.Context, p query.TimelineParams) (timeline.Timeline, string, int, *apiError) {
	q, format, err := query.ParseTimeline(s.gaz, p)
	if err != nil {
		var qe *query.Error
		if errors.As(err, &qe) {
			return timeline.Timeline{}, "", http.StatusBadRequest, &apiError{Error: qe.Error(), Param: qe.Param}
		}
		return timeline.Timeline{}, "", http.StatusBadRequest, &apiError{Error: err.Error()}
	}
	es, ok := s.backend.(search.EventStore)
	if !ok {
		return timeline.Timeline{}, "", http.StatusNotImplemented, &apiError{Error: search.ErrNoEvents.Error()}
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	tl, err := timeline.Make(ctx, es, q, s.timelineOptions())
	if err != nil {
		s.log.WarnContext(ctx, "timeline", "err", err)
		status, msg := backendStatus(err)
		return tl, "", status, &apiError{Error: msg}
	}
	return tl, format, http.StatusOK, nil
}

func (s *server) timelineOptions() timeline.Options {
	return timeline.Options{
		Entity: func(id string) (string, string, bool) {
			r, ok := s.record(id)
			return r.Name, r.Type, ok
		},
		EntityURL: func(id string) string {
			if _, ok := s.record(id); ok {
				return "/entity/" + url.PathEscape(id)
			}
			return ""
		},
	}
}

// apiTimeline serves GET /api/timeline in any format (JSON by default);
// the formats other than JSON come as a file to save.
func (s *server) apiTimeline(w http.ResponseWriter, r *http.Request) {
	p := timelineParams(r.URL.Query())
	if p.Format == "" {
		p.Format = timeline.JSON
	}
	tl, format, status, apiErr := s.timeline(r.Context(), p)
	if apiErr != nil {
		writeJSON(w, status, apiErr)
		return
	}
	var b bytes.Buffer
	if err := timeline.Write(&b, format, tl, time.Now()); err != nil {
		s.log.ErrorContext(r.Context(), "write timeline", "format", format, "err", err)
		writeError(w, http.StatusInternalServerError, "could not write the timeline")
		return
	}
	w.Header().Set("Content-Type", timeline.ContentType(format))
	w.Header().Set("Cache-Control", "no-store")
	if format != timeline.JSON {
		w.Header().Set("Content-Disposition", `attachment; filename="timeline.`+timeline.Ext(format)+`"`)
	}
	_, _ = w.Write(b.Bytes())
}

// timelineView is the Timeline page's data.
type timelineView struct {
	Form      query.TimelineParams
	Entity    string // the entity field as typed
	Error     string
	Title     string
	Note      string
	Months    []timelineMonth
	ToCheck   []timelineEntry
	Count     int
	Downloads []timelineDownload
}

type timelineMonth struct {
	Month   string
	Entries []timelineEntry
}

type timelineEntry struct {
	timeline.Entry
	Display   string
	Placement string
	Sources   []timelineSource
}

type timelineSource struct {
	timeline.Source
	Link   string // http(s) only
	CopyOf string // the name of the source this copies (timeline.CopyName)
}

type timelineDownload struct {
	Label, Href, File string
}

func (s *server) timelinePage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	p := timelineParams(v)
	p.Format = ""
	view := timelineView{Form: p, Entity: v.Get("entity")}
	tl, _, status, apiErr := s.timeline(r.Context(), p)
	if apiErr != nil {
		view.Error = apiErr.Error
		s.render(w, r, status, "timeline.html", pageData{Title: "Timeline", Body: view})
		return
	}
	view.Title, view.Note = tl.Title, tl.Note
	view.Count = len(tl.Entries)
	for _, e := range tl.Entries {
		month := timeline.MonthOf(e)
		if n := len(view.Months); n == 0 || view.Months[n-1].Month != month {
			view.Months = append(view.Months, timelineMonth{Month: month})
		}
		m := &view.Months[len(view.Months)-1]
		m.Entries = append(m.Entries, entryView(e))
	}
	for _, e := range tl.ToCheck {
		view.ToCheck = append(view.ToCheck, entryView(e))
	}
	for _, f := range []struct{ format, label string }{
		{timeline.Markdown, "Markdown"}, {timeline.CSV, "CSV"}, {timeline.JSON, "JSON"},
		{timeline.TimelineJS, "TimelineJS"}, {timeline.ICS, "Calendar (.ics)"},
	} {
		q := url.Values{}
		for k, vs := range v {
			if k != "format" {
				q[k] = vs
			}
		}
		q.Set("format", f.format)
		view.Downloads = append(view.Downloads, timelineDownload{Label: f.label, Href: "/api/timeline?" + q.Encode(), File: "timeline." + timeline.Ext(f.format)})
	}
	s.render(w, r, http.StatusOK, "timeline.html", pageData{Title: "Timeline", Body: view})
}

func entryView(e timeline.Entry) timelineEntry {
	v := timelineEntry{Entry: e, Display: timeline.DisplayDate(e.Date, e.Until, e.Precision), Placement: timeline.PlacementNote(e.Precision)}
	originals := timeline.Originals(e.Sources)
	for _, src := range e.Sources {
		v.Sources = append(v.Sources, timelineSource{Source: src, Link: safeURL(src.URL), CopyOf: timeline.CopyName(src, originals)})
	}
	return v
}
