package alerts

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// Atom (RFC 4287) rendering with encoding/xml: ids are tag: URIs made from
// the subscription and delivery keys, so an entry keeps its id on every
// render and feed readers never show it twice.

const tagPrefix = "tag:compoundwatch.invalid,2026:"

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
}

// Feed renders a subscription's alerts, given newest first, as Atom.
// selfURL is the feed's own URL (rel="self").
func Feed(sub *Subscription, alerts []Alert, selfURL string) ([]byte, error) {
	f := atomFeed{
		ID:     tagPrefix + "subscription:" + sub.ID,
		Title:  "compoundwatch alerts: " + describe(sub),
		Author: atomPerson{Name: "compoundwatch"},
		Links:  []atomLink{{Rel: "self", Href: selfURL, Type: "application/atom+xml"}},
	}
	updated := sub.Created
	for _, a := range alerts {
		if a.Created.After(updated) {
			updated = a.Created
		}
		f.Entries = append(f.Entries, entry(a))
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("atom feed of %s: %w", sub.ID, err)
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

func entry(a Alert) atomEntry {
	e := atomEntry{
		ID:         tagPrefix + "alert:" + a.DeliveryKey,
		Title:      a.Document.Title,
		Updated:    a.Created.UTC().Format(time.RFC3339),
		Categories: []atomCategory{{Term: a.Kind}},
	}
	if e.Title == "" {
		e.Title = "(untitled)"
	}
	switch a.Kind {
	case KindAlsoReported:
		e.Title = "Also reported: " + e.Title
	case KindTest:
		e.Title = "[TEST] " + e.Title
	}
	if a.Document.URL != "" {
		e.Links = append(e.Links, atomLink{Rel: "alternate", Href: a.Document.URL})
	}
	if a.Digest != nil {
		e.Content = &atomText{Type: "html", Body: a.Digest.HTML}
		return e
	}
	var b strings.Builder
	for _, m := range a.Matches {
		label := "query " + m.Query
		if m.Entity != nil {
			label = m.Entity.Name
			e.Categories = append(e.Categories, atomCategory{Term: m.Entity.ID, Label: m.Entity.Name})
		}
		for _, mn := range m.Mentions {
			fmt.Fprintf(&b, "%s: %s\n", label, mn.Context)
		}
	}
	for _, s := range a.AlsoReportedBy {
		fmt.Fprintf(&b, "Also reported by %s: %s\n", s.Outlet, s.URL)
	}
	if a.Document.Outlet != "" {
		fmt.Fprintf(&b, "Source: %s\n", a.Document.Outlet)
	}
	e.Summary = &atomText{Type: "text", Body: strings.TrimSpace(b.String())}
	return e
}

func describe(sub *Subscription) string {
	var parts []string
	for _, e := range sub.Entities {
		parts = append(parts, e.Name)
	}
	if sub.Query != nil {
		parts = append(parts, sub.Query.String())
	}
	return strings.Join(parts, ", ")
}
