package crawler

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/ingest"
)

// TestFileIdentityAcrossEntryPoints ingests a folder, then crawls the same
// folder as a folder source named by a relative path: every file is one
// document, whichever way it came in. The saved web page declares a
// canonical URL, which must not give it a second identity.
func TestFileIdentityAcrossEntryPoints(t *testing.T) {
	ctx := t.Context()
	b := openBus(t, t.TempDir())
	defer b.Close()
	root := t.TempDir()
	folder := filepath.Join(root, "reports")
	if err := os.MkdirAll(filepath.Join(folder, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"note.txt":      "Title: Night raid\n\nPolice searched a compound in Bavet on Friday.\n",
		"sub/page.html": `<html><head><title>Saved page</title><link rel="canonical" href="https://news.example.org/saved"></head><body><article><p>Guards left a casino in Poipet after the order.</p><p>Workers were moved to Phnom Penh.</p></article></body></html>`,
		"readme.htm":    "<p>A short note on the Sihanoukville sites and their owners.</p>",
		"skip.json":     `{"not": "a document"}`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(folder, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	counts, errs := ingest.Files(ctx, b, []string{folder}, slog.New(slog.DiscardHandler), nil)
	if len(errs) > 0 || counts.Accepted != 3 {
		t.Fatalf("ingest: %+v %v, want 3 accepted", counts, errs)
	}

	// The folder source names the folder relative to the working directory.
	t.Chdir(root)
	c := newCrawler(t, b, Options{}, nil)
	defer c.Close()
	sum, err := c.CrawlSource(ctx, config.Source{Name: "reports", Kind: config.KindFolder, Path: "reports"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Published != 0 || sum.Unchanged != 3 {
		t.Errorf("folder source after ingest: published %d, unchanged %d; want 0 and 3", sum.Published, sum.Unchanged)
	}

	var raws []document.Raw
	err = bus.Replay(ctx, b, bus.StreamRaw, document.RawSchema, 100, func(rs []document.Raw, _ int) error {
		raws = append(raws, rs...)
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(raws) != 3 {
		t.Fatalf("the bus holds %d documents for 3 files", len(raws))
	}
	want := map[string]bool{}
	for name := range files {
		if filepath.Ext(name) != ".json" {
			want["file://"+filepath.ToSlash(filepath.Join(folder, name))] = true
		}
	}
	for _, r := range raws {
		if !want[r.FileURL] || r.ID != document.IDFor(r.FileURL) {
			t.Errorf("%s: file URL %q, id %s; want one of %v and its id", r.Source, r.FileURL, r.ID, want)
		}
		delete(want, r.FileURL)
	}
}
