package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/query"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/timeline"
)

func (a *app) timelineCmd() *cobra.Command {
	var (
		p   query.TimelineParams
		out string
	)
	cmd := &cobra.Command{
		Use:   "timeline [flags]",
		Short: "Dated events merged across outlets, with sources, as Markdown, CSV, JSON, TimelineJS or iCalendar",
		Long: `Build a timeline from the dated events of the indexed coverage: one entry per
happening however many outlets reported it, with every source (earliest
first), the date the sources agree on or why one was chosen, and a "to
check" section for dates that look wrong (after the source's publication,
far from the document's other dates, or corrected by the extractor).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			g, err := a.gazetteer()
			if err != nil {
				return err
			}
			q, format, err := query.ParseTimeline(g, p)
			if err != nil {
				return cliParamError(err)
			}
			if out == "" {
				return a.writeTimeline(ctx, a.stdout, q, format, p)
			}
			f, err := os.Create(out)
			if err != nil {
				return fmt.Errorf("--out: %w", err)
			}
			if err := a.writeTimeline(ctx, f, q, format, p); err != nil {
				f.Close()
				os.Remove(out)
				return err
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("--out: %w", err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.From, "from", "", "events on or after YYYY-MM-DD")
	f.StringVar(&p.To, "to", "", "events on or before YYYY-MM-DD")
	f.StringArrayVar(&p.Entities, "entity", nil, "only events naming this compound, tycoon or province (name, alias or id; repeatable: any of them)")
	f.StringArrayVar(&p.Provinces, "province", nil, "only events in this province (repeatable)")
	f.StringArrayVar(&p.Outlets, "outlet", nil, "only events reported by this outlet (repeatable)")
	f.StringVar(&p.Text, "query", "", "only events whose sentence has these words")
	f.StringVar(&p.Format, "format", timeline.Markdown, "md, csv, json, timelinejs or ics")
	f.StringVarP(&out, "out", "o", "", "write to FILE instead of standard output")
	return cmd
}

// writeTimeline builds the timeline on the configured backend, or through
// the API of the process that holds the embedded index.
func (a *app) writeTimeline(ctx context.Context, w io.Writer, q search.EventQuery, format string, p query.TimelineParams) error {
	backend, err := a.openBackend(ctx)
	if errors.Is(err, search.ErrLocked) {
		if base, rerr := os.ReadFile(a.webURLFile()); rerr == nil {
			return a.timelineAPI(ctx, w, strings.TrimSpace(string(base)), p, format)
		}
	}
	if err != nil {
		return err
	}
	defer backend.Close()
	es, ok := backend.(search.EventStore)
	if !ok {
		return fmt.Errorf("%T: %w", backend, search.ErrNoEvents)
	}
	g, err := a.gazetteer()
	if err != nil {
		return err
	}
	tl, err := timeline.Make(ctx, es, q, timeline.GazetteerOptions(g, nil))
	if err != nil {
		return err
	}
	return timeline.Write(w, format, tl, time.Now())
}

// timelineAPI asks the web API at base for the timeline.
func (a *app) timelineAPI(ctx context.Context, w io.Writer, base string, p query.TimelineParams, format string) error {
	a.log.DebugContext(ctx, "index in use; asking the running server for the timeline", "url", base)
	v := url.Values{"q": {p.Text}, "entity": p.Entities, "province": p.Provinces, "outlet": p.Outlets,
		"from": {p.From}, "to": {p.To}, "format": {format}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/timeline?"+v.Encode(), nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("the index is in use and its server at %s did not answer: %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&e)
		return fmt.Errorf("%s: %s: %s", base, resp.Status, e.Error)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
