// Package query turns user-facing search parameters (entity names or ids,
// outlets, dates, sort order) into a search.Query, so the command line and
// the web API accept the same spellings and report the same errors.
package query

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/search"
)

// Limits on a query.
const (
	// DefaultLimit is the number of hits when none is asked for.
	DefaultLimit = search.DefaultLimit
	// MaxLimit caps the hits returned by one query.
	MaxLimit = 100
	// MaxOffset bounds paging: Meilisearch returns at most 1000 hits of a
	// query by default, so deeper pages would silently be empty.
	MaxOffset = search.MaxHits
	// MaxWords is the number of query words Meilisearch considers; both
	// backends see the same truncated text so they agree.
	MaxWords = 10
	// MaxTextBytes bounds the query text.
	MaxTextBytes = 256
	// maxValueBytes bounds one filter value (Meilisearch caps filter
	// values at 468 bytes).
	maxValueBytes = 200
	// maxValues bounds the values of one filter.
	maxValues = 20
)

// Params are the parameters as a user gives them. Compounds, Tycoons and
// Provinces take gazetteer ids or any known name or alias.
type Params struct {
	Text      string
	Compounds []string
	Tycoons   []string
	Provinces []string
	Outlets   []string
	// From and To are YYYY-MM-DD, inclusive; empty is open.
	From, To string
	// Sort is "" or "relevance", "date" (newest first, also "date:desc")
	// or "date:asc".
	Sort   string
	Limit  int // 0: DefaultLimit; capped at MaxLimit
	Offset int
	// DuplicateOf, a story's canonical URL, keeps only the copies of that
	// story.
	DuplicateOf string
}

// Error is a parameter the user got wrong. Param names it as the API and
// the CLI call it ("province", "from"…).
type Error struct {
	Param  string
	Value  string
	Reason string
}

func (e *Error) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Param, e.Reason)
	}
	return fmt.Sprintf("%s %q: %s", e.Param, e.Value, e.Reason)
}

// Parse checks p and builds the query. Entity values are resolved through
// gaz: an id of the right type is kept, a name or alias becomes its id, and
// anything else is an *Error naming the parameter. A nil gaz takes entity
// values as ids unchecked. Text is cut to MaxWords words (see Text).
// Facets are left for the caller to choose.
func Parse(gaz *gazetteer.Gazetteer, p Params) (search.Query, error) {
	var q search.Query
	q.Text, _ = Text(p.Text)
	var err error
	if q.Compounds, err = entities(gaz, document.Compound, p.Compounds); err != nil {
		return q, err
	}
	if q.Tycoons, err = entities(gaz, document.Tycoon, p.Tycoons); err != nil {
		return q, err
	}
	if q.Provinces, err = entities(gaz, document.Province, p.Provinces); err != nil {
		return q, err
	}
	if q.Outlets, err = values("outlet", p.Outlets); err != nil {
		return q, err
	}
	if q.From, err = date("from", p.From); err != nil {
		return q, err
	}
	if q.To, err = date("to", p.To); err != nil {
		return q, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return q, &Error{Param: "to", Value: p.To, Reason: "is before from " + p.From}
	}
	switch s := strings.ToLower(strings.TrimSpace(p.Sort)); s {
	case "", "relevance":
		q.Sort = search.SortRelevance
	case "date", "date:desc":
		q.Sort = search.SortDateDesc
	case "date:asc":
		q.Sort = search.SortDateAsc
	default:
		return q, &Error{Param: "sort", Value: p.Sort, Reason: `must be "date", "date:asc" or "relevance"`}
	}
	switch {
	case p.Limit < 0:
		return q, &Error{Param: "limit", Value: fmt.Sprint(p.Limit), Reason: "must not be negative"}
	case p.Limit == 0:
		q.Limit = DefaultLimit
	default:
		q.Limit = min(p.Limit, MaxLimit)
	}
	switch {
	case p.Offset < 0:
		return q, &Error{Param: "offset", Value: fmt.Sprint(p.Offset), Reason: "must not be negative"}
	case p.Offset >= MaxOffset:
		return q, &Error{Param: "offset", Value: fmt.Sprint(p.Offset), Reason: fmt.Sprintf("must be below %d; narrow the search instead", MaxOffset)}
	}
	q.Offset = p.Offset
	if u := strings.TrimSpace(p.DuplicateOf); u != "" {
		if len(u) > 2048 || !utf8.ValidString(u) || strings.ContainsAny(u, "\x00\n\r") {
			return q, &Error{Param: "duplicate_of", Value: truncate(u, 40), Reason: "is not a URL"}
		}
		q.Filter = append(q.Filter, "duplicate_of="+u)
	}
	return q, nil
}

// Text cleans query text: control characters become spaces, runs of
// spaces collapse, and the text is cut to MaxWords words and MaxTextBytes
// bytes (on a rune boundary). cut reports whether anything was dropped.
func Text(s string) (clean string, cut bool) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	words := strings.Fields(s)
	if len(words) > MaxWords {
		words, cut = words[:MaxWords], true
	}
	clean = strings.Join(words, " ")
	if len(clean) > MaxTextBytes {
		i := MaxTextBytes
		for i > 0 && !utf8.RuneStart(clean[i]) {
			i--
		}
		clean, cut = strings.TrimSpace(clean[:i]), true
	}
	return clean, cut
}

func entities(gaz *gazetteer.Gazetteer, typ string, in []string) ([]string, error) {
	vs, err := values(typ, in)
	if err != nil || gaz == nil {
		return vs, err
	}
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		id, ok := gaz.Resolve(typ, v) // ids, names and aliases
		if !ok {
			return nil, &Error{Param: typ, Value: v, Reason: fmt.Sprintf("unknown %s (give a gazetteer id or a known name or alias)", typ)}
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

func values(param string, in []string) ([]string, error) {
	var out []string
	for _, v := range in {
		v = strings.Join(strings.Fields(v), " ")
		if v == "" {
			continue
		}
		if len(v) > maxValueBytes || !utf8.ValidString(v) {
			return nil, &Error{Param: param, Value: truncate(v, 40), Reason: fmt.Sprintf("is not valid UTF-8 of at most %d bytes", maxValueBytes)}
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if len(out) > maxValues {
		return nil, &Error{Param: param, Reason: fmt.Sprintf("at most %d values", maxValues)}
	}
	return out, nil
}

func date(param, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, &Error{Param: param, Value: truncate(v, 40), Reason: "must be a date as YYYY-MM-DD"}
	}
	return t, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
