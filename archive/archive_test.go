package archive_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"

	"github.com/compoundwatch/compoundwatch/archive"
	"github.com/compoundwatch/compoundwatch/archive/warctest"
	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/document"
)

// readAll reads every document of a file, collecting the damage reports.
func readAll(t testing.TB, r *archive.Reader) ([]archive.Doc, []*archive.RecordError) {
	t.Helper()
	var (
		docs []archive.Doc
		bad  []*archive.RecordError
	)
	for {
		d, err := r.Next(context.Background())
		var re *archive.RecordError
		switch {
		case errors.Is(err, io.EOF):
			return docs, bad
		case errors.As(err, &re):
			bad = append(bad, re)
		case err != nil:
			t.Fatal(err)
		default:
			docs = append(docs, d)
		}
	}
}

func TestGenerated(t *testing.T) {
	for _, tc := range []struct {
		name    string
		records int
		gzip    bool
	}{
		{"gzip per record", 10_000, true},
		{"uncompressed", 10_000, false},
		{"small gzip", 40, true},
		{"small uncompressed", 41, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "gen.warc")
			want, err := warctest.WriteFile(path, warctest.Options{Records: tc.records, Gzip: tc.gzip})
			if err != nil {
				t.Fatal(err)
			}
			var calls int
			var last archive.Stats
			r, err := archive.Open(path, archive.Options{Progress: func(s archive.Stats) { calls++; last = s }})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			docs, bad := readAll(t, r)
			st := r.Stats()
			if st.Records != want.Records || st.Docs != want.Docs || st.Skipped != want.Skipped || st.Corrupt != want.Corrupt {
				t.Errorf("records/docs/skipped/corrupt = %d/%d/%d/%d, want %d/%d/%d/%d",
					st.Records, st.Docs, st.Skipped, st.Corrupt, want.Records, want.Docs, want.Skipped, want.Corrupt)
			}
			if int64(len(docs)) != want.Docs {
				t.Errorf("%d documents returned, want %d", len(docs), want.Docs)
			}
			for k, n := range want.SkippedBy {
				if st.SkippedBy[k] != n {
					t.Errorf("skipped as %q: %d, want %d (all: %v)", k, st.SkippedBy[k], n, st.SkippedBy)
				}
			}
			if len(bad) != 1 || bad[0].Offset != want.TruncatedAt {
				t.Errorf("damage reports %v, want one at offset %d", bad, want.TruncatedAt)
			}
			ids := map[string]bool{}
			for _, d := range docs {
				c, err := content.Canonicalize(d.URI)
				if err != nil {
					t.Fatal(err)
				}
				ids[document.IDFor(c)] = true
				if d.Date.IsZero() || len(d.Body) == 0 {
					t.Fatalf("document at %d: no date or body", d.Offset)
				}
			}
			if int64(len(ids)) != want.Identities {
				t.Errorf("%d identities, want %d", len(ids), want.Identities)
			}
			if calls == 0 || last.BytesRead != last.BytesTotal || last.Docs != want.Docs {
				t.Errorf("progress: %d calls, last %+v", calls, last)
			}
		})
	}
}

// TestRaw checks that an archived page becomes the document its live
// crawl would: same id from the canonical URL, extracted title and text,
// PDF resources included, content encodings removed.
func TestRaw(t *testing.T) {
	var buf bytes.Buffer
	if _, err := warctest.Write(&buf, warctest.Options{Records: 40, Gzip: true}); err != nil {
		t.Fatal(err)
	}
	r := archive.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "mem.warc.gz", archive.Options{})
	docs, _ := readAll(t, r)
	cx := content.New(content.Options{})
	defer cx.Close()
	byID := map[string]document.Raw{}
	var pdfs int
	for _, d := range docs {
		raw, err := archive.Raw(context.Background(), cx, d)
		if err != nil {
			t.Fatalf("%s: %v", d.URI, err)
		}
		want, _ := content.Canonicalize(d.URI)
		if raw.ID != document.IDFor(want) || raw.CanonicalURL != want {
			t.Errorf("%s: id %s canonical %s, want the id of %s", d.URI, raw.ID, raw.CanonicalURL, want)
		}
		if raw.ContentType == content.TypePDF {
			pdfs++
		}
		if raw.Title == "" || raw.Text == "" || !raw.FetchedAt.Equal(d.Date) {
			t.Errorf("%s: title %q, %d bytes of text, fetched %v (captured %v)", d.URI, raw.Title, len(raw.Text), raw.FetchedAt, d.Date)
		}
		if prev, ok := byID[raw.ID]; ok && prev.ContentHash != raw.ContentHash {
			t.Errorf("%s: archived twice with different content hashes", d.URI)
		}
		byID[raw.ID] = raw
	}
	if pdfs != 1 {
		t.Errorf("%d PDFs, want 1", pdfs)
	}
}
