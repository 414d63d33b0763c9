// Package timeline builds an editor's timeline from the dated events the
// extractor found: one entry per happening however many outlets reported
// it, with every source, the earliest report first, and the doubts it
// could not settle set apart in a "to check" list rather than hidden.
//
// Merging follows the practice of event databases that deduplicate news
// reports: candidate pairs are blocked by a date window (wider when a date
// is imprecise, relative, or when one report dates the announcement and
// another the happening), must not name different compounds or tycoons,
// and must tell the happening in similar words, measured by MinHash over
// character shingles (package minhash), which also works for Chinese and
// Khmer text without spaces.
package timeline

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/timeline/minhash"
)

// Timeline is the result of Build.
type Timeline struct {
	Title string `json:"title,omitempty"`
	From  string `json:"from,omitempty"` // YYYY-MM-DD, as asked
	To    string `json:"to,omitempty"`
	// Note warns that the timeline is incomplete (too many events).
	Note    string  `json:"note,omitempty"`
	Entries []Entry `json:"entries"`
	// ToCheck holds the events whose date is doubtful, each with its
	// Reason, one entry per source event.
	ToCheck []Entry `json:"to_check"`
}

// Entry is one happening.
type Entry struct {
	// ID is derived from the earliest report's event, so it stays the
	// same as later reports join the entry.
	ID   string `json:"id"`
	Date string `json:"date"` // YYYY, YYYY-MM or YYYY-MM-DD
	// Until is the end of a happening that lasted days or months, at
	// Date's precision: the latest that a source dating it as Date gives
	// ("6–8 May 2024", "August–September 2024"), else "".
	Until     string `json:"until,omitempty"`
	Precision string `json:"precision"`
	Headline  string `json:"headline"`
	Summary   string `json:"summary"`
	// Entities named by any source's event passage, in order of first
	// appearance.
	Entities []Entity          `json:"entities"`
	Figures  []document.Figure `json:"figures"`
	// Sources, earliest publication first.
	Sources []Source `json:"sources"`
	// Flag is set when the sources disagree on the date; DateNote says
	// why Date was chosen among them.
	Flag     string `json:"flag"`
	DateNote string `json:"date_note,omitempty"`
	// Reason is why an item is in ToCheck.
	Reason string `json:"reason,omitempty"`
}

// Entity is an entity of an entry.
type Entity struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
	URL  string `json:"url,omitempty"` // its page, when Options.EntityURL is set
}

// Source is one report of a happening.
type Source struct {
	DocID     string `json:"doc_id"`
	Title     string `json:"title"`
	Outlet    string `json:"outlet"`
	URL       string `json:"url"`
	Published string `json:"published"` // YYYY-MM-DD, or empty when unknown
	// DateText is the date as the source printed it when the extractor
	// kept it (relative, corrected or inferred dates), else the ISO date
	// it read.
	DateText  string `json:"date_text"`
	Date      string `json:"date"`            // the date this source gives
	Until     string `json:"until,omitempty"` // and the end of its range
	Precision string `json:"precision"`
	// CopyOf names the doc id of an earlier source in the entry that this
	// one copies (a near-duplicate or spun version): it is listed but not
	// counted as another report.
	CopyOf string `json:"copy_of,omitempty"`
}

// Independent counts the sources that are not copies of another.
func (e Entry) Independent() int {
	n := 0
	for _, s := range e.Sources {
		if s.CopyOf == "" {
			n++
		}
	}
	return n
}

// Options tune Build.
type Options struct {
	// Entity resolves an entity id to its name and type (the gazetteer).
	// Unresolved ids fall back on the document's labels, then the id.
	Entity func(id string) (name, typ string, ok bool)
	// EntityURL links an entity id to its page; nil leaves URL empty.
	EntityURL func(id string) string
}

// Thresholds, measured on the fixtures in testdata/raid (MinHash of the
// Gist of the event sentences): retellings of one raid by different
// outlets score 0.20-0.39; a different happening at the same compound on
// the same day 0.11-0.12. Whole texts (minhash.OfText of the files): a
// machine-paraphrased copy scores 0.45 against its original (0.50
// exactly), independent reports of the same raid 0.08-0.20 (0.15-0.27).
const (
	simSharedEntity = 0.18 // sentences that share a compound or tycoon
	simSharedPlace  = 0.35 // sentences that share only a province
	simNoEntity     = 0.5  // sentences without a shared entity
	simCopyEvent    = 0.12 // the same event in two copies of one story
	simCopyDoc      = 0.4  // whole texts: one is a copy of the other
	baseWindowDays  = 3    // reports of one day-dated happening
	looseWindowDays = 8    // relative dates, announcements
	farGapDays      = 5 * 366
)

type item struct {
	ev    search.Event
	sig   minhash.Signature
	doc   minhash.Signature
	from  time.Time // period start and end (exclusive)
	to    time.Time
	loose bool // a relative date or an announcement: the wider window
	// strong: names a compound or tycoon.
	strong bool
	docNo  int // the document's number in Build: a document's events never merge
	// from and to in Unix seconds, for candidates
	start, end int64
	cluster    *cluster
}

// cluster is one entry in the making.
type cluster struct {
	items []*item
	seq   int          // its place in the order clusters were made
	docs  map[int]bool // its items' documents, once it has two
	// The last round of candidates that listed it, and its members that
	// may merge with that round's item.
	round int
	cands []cand
}

// has reports whether one of c's items is of the document doc.
func (c *cluster) has(doc int) bool {
	if c.docs == nil {
		return len(c.items) > 0 && c.items[0].docNo == doc
	}
	return c.docs[doc]
}

func (c *cluster) add(it *item) {
	c.items = append(c.items, it)
	it.cluster = c
	if len(c.items) == 2 {
		c.docs = map[int]bool{c.items[0].docNo: true}
	}
	if c.docs != nil {
		c.docs[it.docNo] = true
	}
}

// Build makes the timeline of evs. Events of one document never merge: a
// document tells distinct happenings apart itself.
func Build(evs []search.Event, opts Options) Timeline {
	tl := Timeline{Entries: []Entry{}, ToCheck: []Entry{}}
	var items []*item
	for _, ev := range evs {
		from, ok := search.PeriodStart(ev.Date)
		if !ok {
			continue
		}
		it := &item{ev: ev, sig: minhash.Of(Gist(ev.Summary)), from: from, to: periodEnd(from, ev.Precision),
			loose: ev.DateText != "" || announced(ev.Summary), strong: len(ev.Compounds)+len(ev.Tycoons) > 0}
		copy(it.doc[:], ev.Sig)
		if reason := doubt(ev); reason != "" {
			e := entryOf([]*item{it}, opts)
			e.Reason = reason
			tl.ToCheck = append(tl.ToCheck, e)
			continue
		}
		items = append(items, it)
	}
	slices.SortStableFunc(items, func(a, b *item) int {
		return cmp.Or(a.from.Compare(b.from), cmp.Compare(a.ev.Published, b.ev.Published), strings.Compare(a.ev.ID, b.ev.ID))
	})
	for _, c := range merge(items, newCandidates(256, 1024)) {
		tl.Entries = append(tl.Entries, entryOf(c.items, opts))
	}
	sortEntries(tl.Entries)
	sortEntries(tl.ToCheck)
	return tl
}

// merge puts the items, sorted by period start, into clusters: each
// joins the cluster it is most like (the first made, on a tie), or
// starts one. cands must be new: it keeps the items merge gave it.
func merge(items []*item, cands *candidates) []*cluster {
	docs := map[string]int{}
	for _, it := range items {
		n, ok := docs[it.ev.DocID]
		if !ok {
			n = len(docs)
			docs[it.ev.DocID] = n
		}
		it.docNo = n
		it.start, it.end = it.from.Unix(), it.to.Unix()
	}
	var clusters []*cluster
	for _, it := range items {
		var best *cluster
		bestScore := 0.0
		for _, c := range cands.clusters(it) {
			if s, ok := joins(it, c); ok && s > bestScore {
				best, bestScore = c, s
			}
		}
		if best == nil {
			best = &cluster{seq: len(clusters)}
			clusters = append(clusters, best)
		}
		best.add(it)
		cands.add(it)
	}
	return clusters
}

// Gist drops from an event sentence what blocking has compared already
// (names, dates and numbers: words that start with a capital letter or
// hold a digit), so that the similarity measures how the happening is
// told. Scripts without capitals keep every word.
func Gist(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(s) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) || strings.ContainsFunc(w, unicode.IsDigit) {
			continue
		}
		b.WriteString(w)
		b.WriteByte(' ')
	}
	return b.String()
}

// doubt returns why ev's date should be checked, or "".
func doubt(ev search.Event) string {
	switch {
	case ev.Flag != "":
		return "corrected or doubted by the extractor: " + ev.Flag
	case ev.Published > 0 && ev.Day > ev.Published:
		return fmt.Sprintf("date %s is after the source's publication date %s", ev.Date, ev.PublishedDate)
	case ev.Gap > farGapDays:
		return fmt.Sprintf("date %s is far outside the document's other dates (%d years from the nearest)", ev.Date, ev.Gap/365)
	}
	return ""
}

func periodEnd(from time.Time, precision string) time.Time {
	switch precision {
	case document.Year:
		return from.AddDate(1, 0, 0)
	case document.Month:
		return from.AddDate(0, 1, 0)
	}
	return from.AddDate(0, 0, 1)
}

// joins scores it against the cluster c: the best sentence similarity to
// a member it may merge with, and whether it may join at all. Only the
// members candidates listed in c.cands can pass pair.
func joins(it *item, c *cluster) (float64, bool) {
	if c.has(it.docNo) {
		return 0, false
	}
	best, ok := 0.0, false
	for _, m := range c.cands {
		if ok && m.sim <= best {
			continue // pair scores a match by the similarity: no higher
		}
		if s, match := pair(it, m.m, m.sim); match && s >= best {
			best, ok = s, true
		}
	}
	return best, ok
}

// pair decides whether a and b report one happening, given the
// similarity of their sentences.
func pair(a, b *item, sim float64) (float64, bool) {
	window := baseWindowDays
	if a.loose || b.loose {
		window = looseWindowDays
	}
	// Distance between the two periods, zero when they overlap: a month
	// or a year reaches every day in it.
	gap := max(a.from.Sub(b.to), b.from.Sub(a.to), 0)
	if gap >= time.Duration(window)*24*time.Hour {
		return 0, false
	}
	if isCopy(a, b) {
		return sim, sim >= simCopyEvent
	}
	sharedStrong := shares(a.ev.Compounds, b.ev.Compounds) || shares(a.ev.Tycoons, b.ev.Tycoons)
	switch {
	case sharedStrong:
		return sim, sim >= simSharedEntity
	case a.strong && b.strong:
		return 0, false // different compounds or tycoons: different happenings
	case shares(a.ev.Entities, b.ev.Entities):
		return sim, sim >= simSharedPlace
	}
	return sim, sim >= simNoEntity
}

// isCopy reports two documents that are one story: marked so by the
// crawler, or texts too alike to be independent reports.
func isCopy(a, b *item) bool {
	if a.ev.DuplicateOf != "" && (a.ev.DuplicateOf == b.ev.URL || a.ev.DuplicateOf == b.ev.DuplicateOf) || b.ev.DuplicateOf != "" && b.ev.DuplicateOf == a.ev.URL {
		return true
	}
	return minhash.Similarity(a.doc, b.doc) >= simCopyDoc
}

func shares(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// announced reports a sentence that dates an announcement or report of a
// happening, which other outlets may date by the happening itself.
func announced(s string) bool {
	s = strings.ToLower(s)
	for _, w := range []string{"announc", " said", " says", "reported", " reports", "confirmed", "statement", "told "} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

var precisionRank = map[string]int{document.Year: 0, document.Month: 1, document.Day: 2}

func sortEntries(es []Entry) {
	slices.SortStableFunc(es, func(a, b Entry) int {
		ta, _ := search.PeriodStart(a.Date)
		tb, _ := search.PeriodStart(b.Date)
		return cmp.Or(ta.Compare(tb), cmp.Compare(precisionRank[a.Precision], precisionRank[b.Precision]),
			strings.Compare(a.Headline, b.Headline), strings.Compare(a.ID, b.ID))
	})
}

// entryOf makes the entry of one cluster.
func entryOf(c []*item, opts Options) Entry {
	byReport := slices.Clone(c)
	slices.SortStableFunc(byReport, func(a, b *item) int {
		pa, pb := a.ev.Published, b.ev.Published
		if pa == 0 {
			pa = 1 << 62 // unknown publication last
		}
		if pb == 0 {
			pb = 1 << 62
		}
		return cmp.Or(cmp.Compare(pa, pb), strings.Compare(a.ev.ID, b.ev.ID))
	})
	first := byReport[0].ev
	sum := sha256.Sum256([]byte(first.ID))
	e := Entry{
		ID: "tl-" + hex.EncodeToString(sum[:8]), Summary: first.Summary, Headline: Headline(first.Summary),
		Entities: []Entity{}, Figures: []document.Figure{}, Sources: []Source{},
	}
	seenEnt := map[string]bool{}
	seenFig := map[string]bool{}
	for k, it := range byReport {
		ev := it.ev
		src := Source{DocID: ev.DocID, Title: ev.Title, Outlet: ev.Outlet, URL: ev.URL, Published: ev.PublishedDate,
			DateText: cmp.Or(ev.DateText, ev.Date), Date: ev.Date, Until: ev.Until, Precision: ev.Precision}
		for _, prev := range byReport[:k] {
			if prev.ev.DocID != ev.DocID && isCopy(it, prev) {
				src.CopyOf = prev.ev.DocID
				break
			}
		}
		e.Sources = append(e.Sources, src)
		for _, id := range ev.Entities {
			if seenEnt[id] {
				continue
			}
			seenEnt[id] = true
			e.Entities = append(e.Entities, entity(id, ev, opts))
		}
		for _, f := range ev.Figures {
			key := fmt.Sprint(f.Value, f.Unit)
			if !seenFig[key] {
				seenFig[key] = true
				e.Figures = append(e.Figures, f)
			}
		}
	}
	e.Date, e.Precision, e.Flag, e.DateNote = chooseDate(e.Sources)
	for _, s := range e.Sources {
		if s.Date == e.Date && s.Until > e.Until {
			e.Until = s.Until // "6 May" and "6–8 May": it lasted until the 8th
		}
	}
	return e
}

func entity(id string, ev search.Event, opts Options) Entity {
	en := Entity{ID: id, Name: id}
	switch {
	case slices.Contains(ev.Compounds, id):
		en.Type = document.Compound
	case slices.Contains(ev.Tycoons, id):
		en.Type = document.Tycoon
	case slices.Contains(ev.Provinces, id):
		en.Type = document.Province
	}
	if opts.Entity != nil {
		if name, typ, ok := opts.Entity(id); ok {
			en.Name, en.Type = name, typ
		}
	}
	if en.Name == id {
		if l, ok := ev.Labels[id]; ok {
			en.Name = l
		}
	}
	if opts.EntityURL != nil {
		en.URL = opts.EntityURL(id)
	}
	return en
}

// chooseDate picks the entry's date among its sources': the most precise
// date wins; among equally precise ones, the date printed as a date beats
// one resolved from a relative phrase ("on Tuesday") or corrected; then
// the date most independent sources give; then the earliest report's.
// Dates that differ only in precision ("March 2025" and "4 March 2025")
// agree.
func chooseDate(srcs []Source) (date, precision, flag, note string) {
	type cand struct {
		date, precision      string
		explicit, votes, pos int
		who                  []string
	}
	var cands []*cand
	for i, s := range srcs {
		var c *cand
		for _, x := range cands {
			if x.date == s.Date {
				c = x
			}
		}
		if c == nil {
			c = &cand{date: s.Date, precision: s.Precision, pos: i}
			cands = append(cands, c)
		}
		who := cmp.Or(s.Outlet, s.Title, s.DocID)
		if s.DateText != s.Date {
			who += fmt.Sprintf(" (%q)", s.DateText)
		}
		if s.CopyOf != "" {
			who += " (a copy)"
		}
		c.who = append(c.who, who)
		if s.CopyOf == "" {
			c.votes++
			if s.DateText == s.Date {
				c.explicit++
			}
		}
	}
	best := slices.MaxFunc(cands, func(a, b *cand) int {
		return cmp.Or(cmp.Compare(precisionRank[a.precision], precisionRank[b.precision]),
			cmp.Compare(a.explicit, b.explicit), cmp.Compare(a.votes, b.votes), cmp.Compare(b.pos, a.pos))
	})
	var conflicts []*cand
	for _, c := range cands {
		if c != best && !strings.HasPrefix(best.date, c.date) {
			conflicts = append(conflicts, c)
		}
	}
	if len(conflicts) == 0 {
		if len(cands) > 1 {
			note = fmt.Sprintf("%s is the most precise of the sources' dates, which agree", best.date)
		}
		return best.date, best.precision, "", note
	}
	var parts []string
	for _, c := range cands {
		parts = append(parts, fmt.Sprintf("%s by %s", c.date, strings.Join(c.who, ", ")))
	}
	flag = "sources disagree on the date: " + strings.Join(parts, "; ")
	var why []string
	switch second := conflicts[0]; {
	case precisionRank[best.precision] > precisionRank[second.precision]:
		why = append(why, "it is the most precise")
	case best.explicit > second.explicit:
		why = append(why, fmt.Sprintf("%d independent source(s) print it as a date, while the others' dates are resolved from relative or corrected phrases", best.explicit))
	case best.votes > second.votes:
		why = append(why, fmt.Sprintf("%d independent source(s) give it, against %d", best.votes, second.votes))
	default:
		why = append(why, "the earliest report gives it")
	}
	note = fmt.Sprintf("%s chosen: %s", best.date, strings.Join(why, "; "))
	return best.date, best.precision, flag, note
}

// Headline shortens an event sentence to one line of at most 100
// characters, cut at a word (or before a Chinese clause mark).
func Headline(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const max = 100
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	out := string([]rune(s)[:max])
	if b := document.LastBreak(out); b >= 0 && utf8.RuneCountInString(out[:b]) > max/2 {
		out = out[:b]
	} else {
		_, w := utf8.DecodeLastRuneInString(out)
		out = out[:len(out)-w]
	}
	return strings.TrimRight(out, " ,;:") + "…"
}
