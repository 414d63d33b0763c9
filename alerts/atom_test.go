package alerts

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

func sampleAlerts(sub *Subscription, n int, start time.Time) []Alert {
	var out []Alert
	for i := range n {
		out = append(out, Alert{Schema: Schema, DeliveryKey: fmt.Sprintf("%s:doc%02d:1", sub.ID, i), SubscriptionID: sub.ID,
			Kind: KindNew, Created: start.Add(time.Duration(i) * time.Minute),
			Document: DocRef{ID: fmt.Sprintf("doc%02d", i), Title: fmt.Sprintf("Story <%d> & co", i), URL: fmt.Sprintf("https://news.example/%d", i), Outlet: "Mekong Wire"},
			Matches:  []Match{{Entity: &EntityRef{ID: "huang-le-majestic-two", Name: "Huang Le compound", Type: "compound"}, Mentions: []MentionRef{{Text: "Majestic 2", Context: "Police searched Majestic 2.", Start: 16, End: 26}}}}})
	}
	return out
}

func newestFirst(as []Alert) []Alert {
	out := make([]Alert, len(as))
	for i, a := range as {
		out[len(as)-1-i] = a
	}
	return out
}

func TestAtomFeed(t *testing.T) {
	sub := &Subscription{ID: "sub_1", Created: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Entities: []EntityRef{{ID: "huang-le-majestic-two", Name: "Huang Le compound"}}}
	as := newestFirst(sampleAlerts(sub, 3, sub.Created.Add(time.Hour)))
	out, err := Feed(sub, as, "http://127.0.0.1:8080/alerts/sub_1/feed.atom?token=x")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Feed(sub, as, "http://127.0.0.1:8080/alerts/sub_1/feed.atom?token=x")
	if !bytes.Equal(out, again) {
		t.Error("two renders differ")
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, out)
	}
	if f.FeedType != "atom" || len(f.Items) != 3 {
		t.Fatalf("gofeed read %s with %d items", f.FeedType, len(f.Items))
	}
	for i, it := range f.Items {
		if want := as[i].Document.Title; it.Title != want || it.GUID != tagPrefix+"alert:"+as[i].DeliveryKey {
			t.Errorf("item %d: %q %q", i, it.Title, it.GUID)
		}
		if i > 0 && !it.UpdatedParsed.Before(*f.Items[i-1].UpdatedParsed) {
			t.Errorf("item %d is not older than the one before", i)
		}
	}
	if f.FeedLink != "http://127.0.0.1:8080/alerts/sub_1/feed.atom?token=x" {
		t.Errorf("self link %q", f.FeedLink)
	}
	pythonFeedparser(t, out, as)
}

// pythonFeedparser checks the feed with an independent parser: Python's
// feedparser (Debian python3-feedparser, installed by .ci/run).
func pythonFeedparser(t *testing.T, feed []byte, as []Alert) {
	py := repotest.Python(t, "feedparser", "python3-feedparser")
	file := filepath.Join(t.TempDir(), "feed.atom")
	os.WriteFile(file, feed, 0o644)
	script := `import sys, feedparser
d = feedparser.parse(sys.argv[1])
if d.bozo: sys.exit("not well-formed: %s" % d.bozo_exception)
print(d.version)
for e in d.entries: print(e.id + "\t" + e.title + "\t" + e.updated)`
	out, err := exec.Command(py, "-c", script, file).CombinedOutput()
	if err != nil {
		t.Fatalf("feedparser: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if lines[0] != "atom10" || len(lines) != len(as)+1 {
		t.Fatalf("feedparser read:\n%s", out)
	}
	for i, a := range as {
		if !strings.HasPrefix(lines[i+1], tagPrefix+"alert:"+a.DeliveryKey+"\t"+a.Document.Title+"\t") {
			t.Errorf("feedparser entry %d: %q", i, lines[i+1])
		}
	}
}

// Twenty alerts of a period make one digest message, with a cap and a
// count of the rest.
func TestDigestGroups(t *testing.T) {
	sub := &Subscription{ID: "sub_d", Digest: Daily, Note: "watch *this*"}
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	as := sampleAlerts(sub, 20, start.Add(time.Hour))
	d := BuildDigest(sub, start, PeriodEnd(Daily, start), as, 15, "http://x/feed.atom")
	if d.Kind != KindDigest || d.Digest.Count != 20 || len(d.Digest.Items) != 15 || d.Digest.More != 5 {
		t.Fatalf("digest %+v", d.Digest)
	}
	if !strings.Contains(d.Digest.Markdown, "5 more: <http://x/feed.atom>") || !strings.Contains(d.Digest.HTML, ">5 more</a>") {
		t.Errorf("no 'N more' link:\n%s\n%s", d.Digest.Markdown, d.Digest.HTML)
	}
	if strings.Contains(d.Digest.HTML, "<0>") || !strings.Contains(d.Digest.HTML, "Story &lt;0&gt; &amp; co") {
		t.Errorf("titles not escaped in HTML:\n%s", d.Digest.HTML)
	}
	if !strings.Contains(d.Digest.Markdown, `\*this\*`) {
		t.Errorf("note not escaped in Markdown:\n%s", d.Digest.Markdown)
	}
	if got := PeriodStart(Weekly, time.Date(2026, 3, 5, 13, 0, 0, 0, time.UTC)); got.Weekday() != time.Monday || got.Day() != 2 {
		t.Errorf("weekly period starts %v", got)
	}
}
