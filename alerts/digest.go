package alerts

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// Digest groups a period's alerts of one subscription into one message.
type Digest struct {
	Period string    `json:"period"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Count  int       `json:"count"` // alerts in the period
	// Items are the first DigestCap alerts, oldest first; More counts the
	// rest, which MoreURL (the Atom feed) lists.
	Items    []DigestItem `json:"items"`
	More     int          `json:"more"`
	MoreURL  string       `json:"more_url,omitempty"`
	Markdown string       `json:"markdown"`
	HTML     string       `json:"html"`
}

// DigestItem is one alert in a digest.
type DigestItem struct {
	DeliveryKey string `json:"delivery_key"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	URL         string `json:"url"`
	Outlet      string `json:"outlet,omitempty"`
	Published   string `json:"published,omitempty"`
	Matched     string `json:"matched"`
}

// DigestCap is how many alerts a digest lists before "N more".
const DigestCap = 25

// PeriodStart is the start of the digest period holding t (UTC; weeks
// start on Monday).
func PeriodStart(period string, t time.Time) time.Time {
	t = t.UTC()
	switch period {
	case Hourly:
		return t.Truncate(time.Hour)
	case Weekly:
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// PeriodEnd is the end of the period starting at start.
func PeriodEnd(period string, start time.Time) time.Time {
	switch period {
	case Hourly:
		return start.Add(time.Hour)
	case Weekly:
		return start.AddDate(0, 0, 7)
	}
	return start.AddDate(0, 0, 1)
}

// BuildDigest makes the digest alert of sub for [start, end) from the
// alerts of the period, listing at most limit (DigestCap when 0).
func BuildDigest(sub *Subscription, start, end time.Time, alerts []Alert, limit int, moreURL string) Alert {
	if limit <= 0 {
		limit = DigestCap
	}
	d := &Digest{Period: sub.Digest, Start: start.UTC(), End: end.UTC(), Count: len(alerts), MoreURL: moreURL}
	for i, a := range alerts {
		if i == limit {
			d.More = len(alerts) - limit
			break
		}
		d.Items = append(d.Items, DigestItem{DeliveryKey: a.DeliveryKey, Kind: a.Kind, Title: a.Document.Title,
			URL: a.Document.URL, Outlet: a.Document.Outlet, Published: a.Document.Published, Matched: matchedLabel(a.Matches)})
	}
	d.Markdown, d.HTML = d.render(sub)
	return Alert{Schema: Schema, DeliveryKey: fmt.Sprintf("%s:digest:%s", sub.ID, d.Start.Format("20060102T15")),
		SubscriptionID: sub.ID, Note: sub.Note, Kind: KindDigest, Created: end.UTC(),
		Document: DocRef{Title: fmt.Sprintf("%s digest: %d alerts, %s", sub.Digest, d.Count, d.Start.Format("2006-01-02 15:04 UTC"))},
		Matches:  []Match{}, Digest: d}
}

func matchedLabel(ms []Match) string {
	var parts []string
	for _, m := range ms {
		if m.Entity != nil {
			parts = append(parts, m.Entity.Name)
		} else if m.Query != "" {
			parts = append(parts, "query "+m.Query)
		}
	}
	return strings.Join(parts, ", ")
}

// mdEscape escapes what Markdown would read as markup in crawled titles.
var mdEscape = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `*`, `\*`, `_`, `\_`, "`", "\\`", `<`, `&lt;`, `>`, `&gt;`)

func (d *Digest) render(sub *Subscription) (md, htm string) {
	var m, h strings.Builder
	head := fmt.Sprintf("%d new mentions, %s to %s", d.Count, d.Start.Format("2006-01-02 15:04"), d.End.Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&m, "## %s\n\n", head)
	fmt.Fprintf(&h, "<h2>%s</h2>\n", html.EscapeString(head))
	if sub.Note != "" {
		fmt.Fprintf(&m, "_%s_\n\n", mdEscape.Replace(sub.Note))
		fmt.Fprintf(&h, "<p><em>%s</em></p>\n", html.EscapeString(sub.Note))
	}
	h.WriteString("<ul>\n")
	for _, it := range d.Items {
		extra := it.Outlet
		if it.Published != "" {
			extra = strings.TrimSpace(extra + " " + it.Published)
		}
		fmt.Fprintf(&m, "- [%s](<%s>) (%s): %s\n", mdEscape.Replace(it.Title), strings.ReplaceAll(it.URL, ">", "%3E"),
			mdEscape.Replace(extra), mdEscape.Replace(it.Matched))
		fmt.Fprintf(&h, "<li><a href=\"%s\">%s</a> (%s): %s</li>\n", html.EscapeString(it.URL), html.EscapeString(it.Title),
			html.EscapeString(extra), html.EscapeString(it.Matched))
	}
	h.WriteString("</ul>\n")
	if d.More > 0 {
		fmt.Fprintf(&m, "\n%d more: <%s>\n", d.More, d.MoreURL)
		fmt.Fprintf(&h, "<p><a href=\"%s\">%d more</a></p>\n", html.EscapeString(d.MoreURL), d.More)
	}
	return m.String(), h.String()
}
