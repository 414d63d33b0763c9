package timeline

import (
	"context"
	"fmt"

	"github.com/compoundwatch/compoundwatch/gazetteer"
	"github.com/compoundwatch/compoundwatch/search"
)

// GazetteerOptions names entities from g; entityURL (optional) links an
// id to its page.
func GazetteerOptions(g *gazetteer.Gazetteer, entityURL func(id string) string) Options {
	o := Options{EntityURL: entityURL}
	if g != nil {
		o.Entity = func(id string) (string, string, bool) {
			r, ok := g.Entity(id)
			return r.Name, r.Type, ok
		}
	}
	return o
}

// Make runs q on the event store and builds its timeline, titled after
// the entities and dates asked for.
func Make(ctx context.Context, es search.EventStore, q search.EventQuery, opts Options) (Timeline, error) {
	evs, err := es.Events(ctx, q)
	if err != nil {
		return Timeline{}, fmt.Errorf("timeline: %w", err)
	}
	tl := Build(evs, opts)
	if limit := q.Limit; len(evs) >= search.MaxEvents || (limit > 0 && len(evs) >= limit) {
		tl.Note = fmt.Sprintf("only the first %d events by date were merged: narrow the dates or filters for the rest", len(evs))
	}
	var names []string
	for _, id := range q.Entities {
		name := id
		if opts.Entity != nil {
			if n, _, ok := opts.Entity(id); ok {
				name = n
			}
		}
		names = append(names, name)
	}
	tl.Title = Title(names, q.From, q.To)
	if !q.From.IsZero() {
		tl.From = q.From.Format("2006-01-02")
	}
	if !q.To.IsZero() {
		tl.To = q.To.Format("2006-01-02")
	}
	return tl, nil
}
