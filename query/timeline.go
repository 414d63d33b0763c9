package query

import (
	"fmt"
	"strings"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/timeline"
)

// TimelineParams are the parameters of a timeline as a user gives them,
// named as the CLI flags and the API parameters are.
type TimelineParams struct {
	Text string
	// Entities take an id, name or alias of a compound, tycoon or
	// province; several match any of them.
	Entities  []string
	Provinces []string
	Outlets   []string
	From, To  string // YYYY-MM-DD, inclusive
	Format    string // md (default), csv, json, timelinejs or ics
}

// ParseTimeline checks p as Parse checks search parameters, with the
// same spellings and errors, and returns the events query and the
// format. An entity is resolved as a compound, then a tycoon, then a
// province.
func ParseTimeline(gaz *gazetteer.Gazetteer, p TimelineParams) (search.EventQuery, string, error) {
	var q search.EventQuery
	q.Text, _ = Text(p.Text)
	ents, err := values("entity", p.Entities)
	if err != nil {
		return q, "", err
	}
	for _, v := range ents {
		id, ok := v, gaz == nil
		for _, typ := range []string{document.Compound, document.Tycoon, document.Province} {
			if ok {
				break
			}
			id, ok = gaz.Resolve(typ, v)
		}
		if !ok {
			return q, "", &Error{Param: "entity", Value: v, Reason: "unknown entity (give a gazetteer id or a known name or alias of a compound, tycoon or province)"}
		}
		q.Entities = append(q.Entities, id)
	}
	if q.Provinces, err = entities(gaz, document.Province, p.Provinces); err != nil {
		return q, "", err
	}
	if q.Outlets, err = values("outlet", p.Outlets); err != nil {
		return q, "", err
	}
	if q.From, err = date("from", p.From); err != nil {
		return q, "", err
	}
	if q.To, err = date("to", p.To); err != nil {
		return q, "", err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return q, "", &Error{Param: "from", Value: p.From, Reason: "is after to " + p.To}
	}
	format, err := timeline.ParseFormat(p.Format)
	if err != nil {
		return q, "", &Error{Param: "format", Value: truncate(p.Format, 40), Reason: fmt.Sprintf("unknown format (want %s)", strings.Join(timeline.Formats, ", "))}
	}
	return q, format, nil
}
