package web

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
)

// EntityRef names an entity and links to its page when it is known.
type EntityRef struct {
	ID        string `json:"id"`
	Type      string `json:"type,omitempty"`
	Kind      string `json:"kind,omitempty"`
	Name      string `json:"name"`
	Uncertain bool   `json:"uncertain,omitempty"`
	// Label is the caution a reader must see beside the name, the same
	// words on the page, in the API and in the CLI: LabelDiscovered or
	// LabelUnconfirmed.
	Label string `json:"label,omitempty"`
	URL   string `json:"url,omitempty"` // the entity page
}

// The labels of EntityRef.
const (
	// LabelDiscovered marks an entity that discovery found in the text
	// and nobody has reviewed: it is not in the gazetteer.
	LabelDiscovered = "discovered, not yet reviewed"
	// LabelUnconfirmed marks a gazetteer record whose sources could not
	// all be confirmed.
	LabelUnconfirmed = "reported, unconfirmed"
)

// Entity is the body of GET /api/entity/{id} and the data of its page.
type Entity struct {
	EntityRef
	UncertainReason string      `json:"uncertain_reason,omitempty"`
	Aliases         []string    `json:"aliases"`
	Scripts         []Script    `json:"scripts,omitempty"`
	Place           string      `json:"place,omitempty"`  // a compound's town or area
	Places          []string    `json:"places,omitempty"` // a province's towns and districts
	Country         string      `json:"country,omitempty"`
	Province        *EntityRef  `json:"province,omitempty"`
	Linked          []EntityRef `json:"linked"`
	Sanctions       []Sanction  `json:"sanctions"`
	Mentions        Mentions    `json:"mentions"`
	Coverage        []Hit       `json:"coverage"`
	Figures         []Figure    `json:"figures"`
	// Search opens the search page filtered on this entity.
	Search string `json:"search"`
	Chart  chart  `json:"-"`
}

// Script lists an entity's names in one writing system.
type Script struct {
	Script string   `json:"script"` // zh, km
	Label  string   `json:"label"`
	Names  []string `json:"names"`
	// Unverified: no source showed these spellings.
	Unverified bool `json:"unverified,omitempty"`
}

// Sanction is one reported designation.
type Sanction struct {
	Authority string `json:"authority"`
	Date      string `json:"date,omitempty"`
	Program   string `json:"program,omitempty"`
	Target    string `json:"target,omitempty"`
}

// Mentions counts the documents that mention an entity.
type Mentions struct {
	Total  int          `json:"total"`
	Months []MonthCount `json:"months"` // oldest first, every month in the span
}

// MonthCount is the number of documents of one month (YYYY-MM).
type MonthCount struct {
	Month string `json:"month"`
	Count int    `json:"count"`
}

// Figure is a number stated in a document that mentions the entity.
type Figure struct {
	document.Figure
	DocTitle string `json:"doc_title"`
	URL      string `json:"url,omitempty"`
	Date     string `json:"date,omitempty"`
}

const (
	coverageHits  = 10
	figureDocs    = 50
	maxFigures    = 30
	maxChartMonth = 120
)

func (s *server) apiEntity(w http.ResponseWriter, r *http.Request) {
	e, status, msg := s.entity(r.Context(), r.PathValue("id"))
	if status != http.StatusOK {
		writeError(w, status, msg)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *server) entityPage(w http.ResponseWriter, r *http.Request) {
	e, status, msg := s.entity(r.Context(), r.PathValue("id"))
	if status != http.StatusOK {
		s.renderError(w, r, status, msg)
		return
	}
	s.render(w, r, http.StatusOK, "entity.html", pageData{Title: e.Name, Body: e})
}

// entity gathers an entity's record and coverage; on failure it returns
// the status and a message safe to show.
func (s *server) entity(ctx context.Context, id string) (*Entity, int, string) {
	rec, ok := s.record(id)
	if !ok {
		return nil, http.StatusNotFound, fmt.Sprintf("no entity with id %q", clip(id, 80))
	}
	e := &Entity{
		EntityRef: rec.ref(), UncertainReason: rec.UncertainReason,
		Aliases: rec.Aliases, Scripts: rec.Scripts, Sanctions: rec.Sanctions,
		Place: rec.Place, Places: rec.Places, Country: rec.Country,
	}
	if e.Aliases == nil {
		e.Aliases = []string{}
	}
	if e.Sanctions == nil {
		e.Sanctions = []Sanction{}
	}
	if rec.Province != "" {
		p := s.ref(rec.Province, "")
		e.Province = &p
	}
	e.Linked = s.linked(rec)

	q := search.Query{Sort: search.SortDateDesc, Limit: figureDocs, Facets: []string{search.FacetMonth}}
	param := ""
	switch rec.Type {
	case document.Compound:
		q.Compounds, param = []string{id}, "compound"
	case document.Tycoon:
		q.Tycoons, param = []string{id}, "tycoon"
	case document.Province:
		q.Provinces, param = []string{id}, "province"
	default:
		return nil, http.StatusNotFound, fmt.Sprintf("entity %q has no coverage type", clip(id, 80))
	}
	e.Search = "/?" + param + "=" + id
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	res, err := s.backend.Search(ctx, q)
	if err != nil {
		status, msg := backendStatus(err)
		s.log.WarnContext(ctx, "entity coverage", "id", id, "err", err)
		return nil, status, msg
	}
	e.Mentions = Mentions{Total: res.Total, Months: months(res.Facets[search.FacetMonth])}
	e.Chart = newChart(e.Mentions.Months)
	e.Coverage = []Hit{}
	e.Figures = []Figure{}
	for i, h := range res.Hits {
		if i < coverageHits {
			e.Coverage = append(e.Coverage, s.hit(h))
		}
		for _, f := range h.Doc.Figures {
			if len(e.Figures) == maxFigures {
				break
			}
			e.Figures = append(e.Figures, Figure{
				Figure:   f,
				DocTitle: cmp.Or(h.Doc.Title, h.Doc.URL),
				URL:      safeURL(h.Doc.URL),
				Date:     h.Doc.PublishedDate,
			})
		}
	}
	s.countCopies(ctx, e.Coverage)
	return e, http.StatusOK, ""
}

// linked lists the entities a record links to and those linking to it
// (owner ↔ compound), and for a province the compounds located in it.
func (s *server) linked(rec record) []EntityRef {
	seen := map[string]bool{rec.ID: true}
	out := []EntityRef{}
	add := func(id string) {
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, s.ref(id, ""))
	}
	for _, id := range rec.Links {
		add(id)
	}
	if s.gaz != nil {
		for _, other := range s.gaz.Records("") {
			if slices.Contains(other.Links, rec.ID) || (rec.Type == document.Province && other.Province == rec.ID) {
				add(other.ID)
			}
		}
	}
	order := map[string]int{document.Tycoon: 0, document.Compound: 1, document.Province: 2}
	slices.SortStableFunc(out, func(a, b EntityRef) int {
		return cmp.Or(cmp.Compare(order[a.Type], order[b.Type]), cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)))
	})
	return out
}

// refs names entity ids, in order.
func (s *server) refs(ids []string) []EntityRef { return s.namedRefs(ids, nil) }

// namedRefs is refs for a document, whose names holds the names as
// written of the entities the gazetteer does not know.
func (s *server) namedRefs(ids []string, names map[string]string) []EntityRef {
	out := make([]EntityRef, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.ref(id, names[id]))
	}
	return out
}

// ref names an entity for display. asWritten, when known, is how a
// document wrote an entity that the gazetteer lacks.
func (s *server) ref(id, asWritten string) EntityRef {
	if r, ok := s.record(id); ok {
		return r.ref()
	}
	// Candidates ("candidate:<type>:<slug>") and ids the gazetteer no
	// longer knows keep a readable name and get no page.
	name := asWritten
	if name == "" {
		name = id[strings.LastIndexByte(id, ':')+1:]
		name = strings.ReplaceAll(name, "-", " ")
	}
	return EntityRef{ID: id, Name: name, Label: LabelDiscovered}
}

func (s *server) entityName(id string) string { return s.ref(id, "").Name }

// months fills the gaps between the first and last month so the chart's
// axis is continuous, keeping the latest maxChartMonth months.
func months(counts map[string]int) []MonthCount {
	var first, last time.Time
	for m := range counts {
		t, err := time.Parse("2006-01", m)
		if err != nil {
			continue
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	out := []MonthCount{}
	if first.IsZero() {
		return out
	}
	if lo := last.AddDate(0, -(maxChartMonth - 1), 0); first.Before(lo) {
		first = lo
	}
	for t := first; !t.After(last); t = t.AddDate(0, 1, 0) {
		m := t.Format("2006-01")
		out = append(out, MonthCount{Month: m, Count: counts[m]})
	}
	return out
}

// chart is an SVG bar chart laid out on the server.
type chart struct {
	Width, Height float64
	Base          float64 // y of the axis
	TickY         float64 // baseline of the year labels
	Max           int
	Bars          []bar
	Ticks         []tick
}

type bar struct {
	X, Y, W, H float64
	Label      string
}

type tick struct {
	X     float64
	Label string
}

func newChart(ms []MonthCount) chart {
	c := chart{Width: 720, Height: 164, Base: 134, TickY: 152}
	if len(ms) == 0 {
		return c
	}
	for _, m := range ms {
		c.Max = max(c.Max, m.Count)
	}
	left, plotW, plotH := 28.0, c.Width-32, c.Base-12
	step := plotW / float64(len(ms))
	gap := min(step*0.2, 3)
	for i, m := range ms {
		x := left + float64(i)*step
		h := 0.0
		if c.Max > 0 {
			h = plotH * float64(m.Count) / float64(c.Max)
		}
		if m.Count > 0 {
			h = max(h, 1.5)
		}
		c.Bars = append(c.Bars, bar{X: x + gap/2, Y: c.Base - h, W: step - gap, H: h, Label: fmt.Sprintf("%s: %d", m.Month, m.Count)})
		if strings.HasSuffix(m.Month, "-01") || i == 0 {
			label := m.Month[:4]
			if i == 0 && !strings.HasSuffix(m.Month, "-01") {
				label = m.Month
			}
			// Skip ticks that would overlap the previous one.
			if n := len(c.Ticks); n == 0 || x-c.Ticks[n-1].X >= 40 {
				c.Ticks = append(c.Ticks, tick{X: x, Label: label})
			}
		}
	}
	return c
}

// SnippetHTML is the hit's snippet for templates (cleaned by cleanSnippet).
func (h Hit) SnippetHTML() template.HTML { return template.HTML(h.Snippet) } //nolint:gosec // cleanSnippet leaves only <mark>

func typeLabel(t string) string {
	switch t {
	case document.Compound:
		return "Compound"
	case document.Tycoon:
		return "Tycoon"
	case document.Province:
		return "Province"
	}
	return t
}

func kindLabel(k string) string {
	k = strings.ToLower(strings.ReplaceAll(k, "_", " "))
	if k == "sez" {
		return "special economic zone"
	}
	return k
}

// formatNumber prints a figure with thousands separators: 12500 → 12,500.
func formatNumber(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}
