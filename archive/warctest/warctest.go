// Package warctest writes synthetic WARC files with known contents for
// tests and benchmarks: HTML and PDF documents among records that are not
// documents, a truncated record, and a page archived twice. It writes the
// bytes itself rather than through a WARC library, so that a reader under
// test is checked against an independent writer.
package warctest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/compoundwatch/compoundwatch/internal/pdfgen"
)

// Want is what a correct reader finds in a generated file.
type Want struct {
	Records int64 // records read whole (documents or not)
	Docs    int64 // HTML and PDF records returned as documents
	Skipped int64 // records that are not documents
	Corrupt int64 // the truncated record
	// Identities is the number of distinct documents: Docs less the
	// archived-again copies (same page, same or tracking-decorated URI).
	Identities int64
	// TruncatedAt is the file offset of the truncated record.
	TruncatedAt int64
	// SkippedBy counts the skipped records by the reader's reason class.
	SkippedBy map[string]int64
}

// Options shapes a generated file.
type Options struct {
	Records int  // records written, the truncated one included (at least 40)
	Gzip    bool // gzip every record as its own member, as crawlers write .warc.gz
}

// The record mix repeats every ten records.
const cycle = 10

// WriteFile writes a generated WARC file at path.
func WriteFile(path string, o Options) (Want, error) {
	f, err := os.Create(path)
	if err != nil {
		return Want{}, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	want, err := Write(bw, o)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Want{}, fmt.Errorf("write %s: %w", path, err)
	}
	return want, nil
}

// Write writes a generated WARC file to w. Record 0 is a warcinfo; then,
// cycling by index: a request, an image, a 404 page, an HTML resource
// (WARC/1.0), a metadata record, a chunked and gzip-encoded HTML response,
// and plain HTML responses. Record 7 is a PDF resource. The record at a
// third of the file is cut to half its length. At half the file, the page
// of record 6 is archived again under a tracking-decorated URI, and ten
// records later under the very same URI.
func Write(w io.Writer, o Options) (Want, error) {
	if o.Records < 40 {
		return Want{}, fmt.Errorf("warctest: %d records: need at least 40", o.Records)
	}
	want := Want{SkippedBy: map[string]int64{}}
	truncated := o.Records/3/cycle*cycle + 8 // a plain HTML response
	again := map[int]string{
		o.Records/2/cycle*cycle + 8:  pageURI(6) + "?utm_source=feed&utm_medium=rss",
		o.Records/2/cycle*cycle + 18: pageURI(6),
	}
	var (
		off int64
		rec bytes.Buffer
		gz  bytes.Buffer
		zw  = gzip.NewWriter(&gz)
	)
	for i := range o.Records {
		rec.Reset()
		kind := record(&rec, i, again)
		data := rec.Bytes()
		if o.Gzip {
			gz.Reset()
			zw.Reset(&gz)
			if _, err := zw.Write(data); err != nil {
				return Want{}, err
			}
			if err := zw.Close(); err != nil {
				return Want{}, err
			}
			data = gz.Bytes()
		}
		switch {
		case i == truncated:
			data = data[:len(data)/2]
			want.Corrupt++
			want.TruncatedAt = off
		case kind == "":
			want.Records++
			want.Docs++
			if _, ok := again[i]; !ok {
				want.Identities++
			}
		default:
			want.Records++
			want.Skipped++
			want.SkippedBy[kind]++
		}
		n, err := w.Write(data)
		off += int64(n)
		if err != nil {
			return Want{}, err
		}
	}
	return want, nil
}

func pageURI(i int) string {
	return fmt.Sprintf("https://news.example.org/%d/%02d/story-%d.html", 2020+i%5, i%12+1, i)
}

// record writes record i and returns the reason class a reader skips it
// for, or "" for a document.
func record(b *bytes.Buffer, i int, again map[int]string) string {
	if i == 0 {
		writeRecord(b, "1.1", "warcinfo", i, "", "application/warc-fields",
			[]byte("software: compoundwatch warctest\r\nformat: WARC File Format 1.1\r\n"))
		return "warcinfo"
	}
	if uri, ok := again[i]; ok {
		writeRecord(b, "1.1", "response", i, uri, "application/http; msgtype=response", httpResponse(200, "text/html; charset=utf-8", "", page(6)))
		return ""
	}
	if i == 7 {
		pdf := pdfgen.Doc{Title: "Annual report 7", Pages: [][]pdfgen.Line{{
			pdfgen.Text("Annual report on labour trafficking cases, number 7."),
			pdfgen.Text("The unit recorded 412 referrals from border crossings during the year."),
		}}}.Bytes()
		writeRecord(b, "1.1", "resource", i, "https://ngo.example.net/reports/annual-7.pdf", "application/pdf", pdf)
		return ""
	}
	switch i % cycle {
	case 1:
		writeRecord(b, "1.1", "request", i, pageURI(i+1), "application/http; msgtype=request",
			[]byte("GET /story HTTP/1.1\r\nHost: news.example.org\r\nUser-Agent: warctest\r\n\r\n"))
		return "request"
	case 2:
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 3}, 64)...)
		writeRecord(b, "1.1", "response", i, fmt.Sprintf("https://news.example.org/img/%d.png", i),
			"application/http; msgtype=response", httpResponse(200, "image/png", "", png))
		return "image/png"
	case 3:
		writeRecord(b, "1.1", "response", i, pageURI(i), "application/http; msgtype=response",
			httpResponse(404, "text/html", "", []byte("<html><body><p>Not found.</p></body></html>")))
		return "status 404"
	case 4:
		writeRecord(b, "1.0", "resource", i, pageURI(i), "text/html", page(i))
		return ""
	case 5:
		writeRecord(b, "1.1", "metadata", i, pageURI(i), "application/warc-fields",
			[]byte(fmt.Sprintf("via: %s\r\nfetchTimeMs: %d\r\n", pageURI(i-1), 100+i)))
		return "metadata"
	case 6:
		writeRecord(b, "1.1", "response", i, pageURI(i), "application/http; msgtype=response",
			httpResponse(200, "text/html; charset=utf-8", "gzip", page(i)))
		return ""
	}
	version := "1.1"
	if i%2 == 1 {
		version = "1.0"
	}
	writeRecord(b, version, "response", i, pageURI(i), "application/http; msgtype=response",
		httpResponse(200, "text/html; charset=utf-8", "", page(i)))
	return ""
}

func writeRecord(b *bytes.Buffer, version, typ string, i int, uri, ct string, block []byte) {
	fmt.Fprintf(b, "WARC/%s\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08x-0000-4000-8000-%012x>\r\n", version, typ, i, i)
	fmt.Fprintf(b, "WARC-Date: 2024-%02d-%02dT%02d:%02d:00Z\r\n", i%12+1, i%28+1, i%24, i%60)
	if uri != "" {
		fmt.Fprintf(b, "WARC-Target-URI: %s\r\n", uri)
	}
	fmt.Fprintf(b, "Content-Type: %s\r\nContent-Length: %d\r\n\r\n", ct, len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
}

// httpResponse renders an archived HTTP response; with encoding "gzip" the
// body is gzip-encoded and sent chunked, as servers often do.
func httpResponse(status int, ct, encoding string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n", status, httpStatusText(status), ct)
	if encoding == "gzip" {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(body)
		zw.Close()
		b.WriteString("Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n")
		data := z.Bytes()
		for len(data) > 0 {
			n := min(len(data), 512)
			fmt.Fprintf(&b, "%x\r\n", n)
			b.Write(data[:n])
			b.WriteString("\r\n")
			data = data[n:]
		}
		b.WriteString("0\r\n\r\n")
		return b.Bytes()
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
	b.Write(body)
	return b.Bytes()
}

func httpStatusText(code int) string {
	if code == 404 {
		return "Not Found"
	}
	return "OK"
}

var (
	places  = []string{"Bavet", "Poipet", "Sihanoukville", "Kampot", "Koh Kong", "Pursat"}
	actions = []string{"raided a guarded block", "freed workers from", "opened an inquiry into", "inspected", "closed"}
)

// page returns a news page whose title and text are unique to i.
func page(i int) []byte {
	p, a := places[i%len(places)], actions[i%len(actions)]
	title := fmt.Sprintf("Police %s a compound in %s, case %d", a, p, i)
	var text strings.Builder
	for k := range 4 {
		fmt.Fprintf(&text, "<p>Officers in %s said on day %d of the operation that case %d involved %d people "+
			"recruited with promises of office work; paragraph %d of the account lists what they found.</p>\n",
			p, k+1, i, 20+i%300, k+1)
	}
	return []byte(fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title>
<meta property="article:published_time" content="2024-%02d-%02d"></head>
<body><nav><a href="/">Home</a></nav><article><h1>%s</h1>
%s</article><footer>Example News</footer></body></html>`, title, i%12+1, i%28+1, title, text.String()))
}
