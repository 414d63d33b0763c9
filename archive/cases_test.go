package archive_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/archive"
)

func rec(version, typ, uri, ct, block string) string {
	return fmt.Sprintf("WARC/%s\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:6b1d9a34-1f52-4a0e-9a6e-%012d>\r\n"+
		"WARC-Date: 2025-01-02T03:04:05Z\r\nWARC-Target-URI: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
		version, typ, len(block), uri, ct, len(block), block)
}

func gz(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.String()
}

const html = "<html><head><title>A short page</title></head><body><p>A guard at the gate turned the visitors away twice.</p></body></html>"

func resp(status int, ct, extra, body string) string {
	return fmt.Sprintf("HTTP/1.1 %d X\r\nContent-Type: %s\r\n%sContent-Length: %d\r\n\r\n%s", status, ct, extra, len(body), body)
}

func TestCases(t *testing.T) {
	page := rec("1.1", "response", "https://a.example/p", "application/http; msgtype=response", resp(200, "text/html", "", html))
	for _, tc := range []struct {
		name                   string
		data                   string
		docs, skipped, corrupt int64
		uris                   []string
		offsets                []int64 // of the damage reports
	}{
		{name: "empty file"},
		{name: "one page", data: page, docs: 1, uris: []string{"https://a.example/p"}},
		{name: "WARC/1.0 resource with a bracketed URI", docs: 1, uris: []string{"https://b.example/r"},
			data: rec("1.0", "resource", "<https://b.example/r>", "text/html", html)},
		{name: "PDF declared as octet-stream is sniffed", docs: 1, uris: []string{"https://c.example/x"},
			data: rec("1.1", "resource", "https://c.example/x", "application/octet-stream", "%PDF-1.4\n%%EOF\n")},
		{name: "JSON and a redirect are skipped", skipped: 2,
			data: rec("1.1", "response", "https://a.example/j", "application/http; msgtype=response", resp(200, "application/json", "", "{}")) +
				rec("1.1", "response", "https://a.example/r", "application/http; msgtype=response", resp(301, "text/html", "Location: /p\r\n", ""))},
		{name: "revisit is skipped", skipped: 1, data: rec("1.1", "revisit", "https://a.example/p", "application/http; msgtype=response", "")},
		{name: "garbage between records", data: page + "garbage\r\n" + page, docs: 2, corrupt: 1,
			uris: []string{"https://a.example/p", "https://a.example/p"}, offsets: []int64{int64(len(page))}},
		{name: "last record cut short", data: page + page[:len(page)-30], docs: 1, corrupt: 1,
			uris: []string{"https://a.example/p"}, offsets: []int64{int64(len(page))}},
		{name: "gzip member cut short", data: gz(page) + gz(page)[:40] + gz(page), docs: 2, corrupt: 1,
			uris: []string{"https://a.example/p", "https://a.example/p"}, offsets: []int64{int64(len(gz(page)))}},
		{name: "trailing garbage", data: gz(page) + "\x00\x01\x02\x03\x04\x05", docs: 1, corrupt: 1,
			uris: []string{"https://a.example/p"}, offsets: []int64{int64(len(gz(page)))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := archive.NewReader(strings.NewReader(tc.data), int64(len(tc.data)), "case.warc", archive.Options{})
			docs, bad := readAll(t, r)
			st := r.Stats()
			if st.Docs != tc.docs || st.Skipped != tc.skipped || st.Corrupt != tc.corrupt {
				t.Errorf("docs/skipped/corrupt = %d/%d/%d, want %d/%d/%d (%v, damage %v)",
					st.Docs, st.Skipped, st.Corrupt, tc.docs, tc.skipped, tc.corrupt, st.SkippedBy, bad)
			}
			var uris []string
			for _, d := range docs {
				uris = append(uris, d.URI)
			}
			if fmt.Sprint(uris) != fmt.Sprint(tc.uris) {
				t.Errorf("documents %q, want %q", uris, tc.uris)
			}
			var offs []int64
			for _, b := range bad {
				offs = append(offs, b.Offset)
				if !strings.HasPrefix(b.Error(), "case.warc: record at offset ") {
					t.Errorf("damage report %q does not name the file and offset", b)
				}
			}
			if fmt.Sprint(offs) != fmt.Sprint(tc.offsets) {
				t.Errorf("damage at %v, want %v", offs, tc.offsets)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := archive.Open(filepath.Join(dir, "missing.warc"), archive.Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := archive.Open(dir, archive.Options{}); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("directory: %v", err)
	}
}

// TestCancel stops reading when the context ends.
func TestCancel(t *testing.T) {
	data := strings.Repeat(rec("1.1", "resource", "https://a.example/p", "text/html", html), 3)
	r := archive.NewReader(strings.NewReader(data), int64(len(data)), "c.warc", archive.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Next after cancel: %v", err)
	}
}

// FuzzReader feeds hostile bytes to the reader: it must not panic, must
// end, and must account for every byte it moved over.
func FuzzReader(f *testing.F) {
	f.Add([]byte(rec("1.1", "resource", "https://a.example/p", "text/html", html)))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := archive.NewReader(bytes.NewReader(data), int64(len(data)), "fuzz.warc", archive.Options{MaxBodySize: 1 << 16})
		var n int
		for ; ; n++ {
			d, err := r.Next(context.Background())
			if errors.Is(err, io.EOF) {
				break
			}
			var re *archive.RecordError
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("fatal error on in-memory data: %v", err)
			}
			if err == nil && (d.URI == "" || int64(len(d.Body)) > 1<<16) {
				t.Fatalf("document without URI or over the size cap: %q, %d bytes", d.URI, len(d.Body))
			}
			if n > len(data)+1 {
				t.Fatal("reader does not advance")
			}
		}
		st := r.Stats()
		if st.BytesRead != int64(len(data)) || st.Docs+st.Skipped != st.Records {
			t.Fatalf("stats do not add up: %+v", st)
		}
	})
}
