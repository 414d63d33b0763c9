// Package archive reads web archives (WARC 1.0 and 1.1, plain or gzip per
// record) as a stream of documents for the pipeline, so years of archived
// news can be backfilled without crawling them again.
//
// Records are parsed by github.com/nlnwa/gowarc/v3, which buffers a record
// block in memory up to 1 MiB and on disk beyond it: memory stays bounded
// for any archive size and any record size. This package adds what a
// backfill needs around it: the choice of document records (2xx responses
// and resources holding HTML or PDF), HTTP transfer and content decoding,
// and recovery from damage: a truncated or corrupt record is reported with
// its offset and reading resumes at the next record boundary found after
// it, so one bad record costs one record, not the rest of the file.
package archive

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httputil"
	"os"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/compoundwatch/compoundwatch/content"
)

// Doc is one document-bearing record, ready for content extraction.
type Doc struct {
	URI         string    // WARC-Target-URI as recorded
	Date        time.Time // WARC-Date: when the page was captured
	ContentType string    // the HTTP Content-Type of a response, the record's Content-Type of a resource
	Body        []byte    // the payload, transfer and content encodings removed
	Offset      int64     // where the record starts in the file
}

// Stats counts what a Reader has seen so far.
type Stats struct {
	Records int64 // records read whole, documents or not
	Docs    int64 // records returned as documents
	Skipped int64 // records that are not documents
	Corrupt int64 // truncated or corrupt records (and stretches of garbage)
	// SkippedBy breaks Skipped down by reason class ("request",
	// "status 404", "image/png", "too large" …).
	SkippedBy  map[string]int64
	BytesRead  int64 // file offset reached
	BytesTotal int64 // file size
	Elapsed    time.Duration
}

// DocsPerSecond is the document rate over the time read so far.
func (s Stats) DocsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Docs) / s.Elapsed.Seconds()
}

// RecordError is a truncated or corrupt record. The Reader has already
// moved past it: the next call to Next goes on with the rest of the file.
type RecordError struct {
	File   string
	Offset int64
	Err    error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s: record at offset %d: %v", e.File, e.Offset, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// Options configures a Reader.
type Options struct {
	// MaxBodySize bounds a document's decoded payload (default
	// content.DefaultMaxFileSize); larger documents are skipped as "too
	// large" rather than read into memory.
	MaxBodySize int64
	// TempDir receives record blocks over 1 MiB while they are read
	// (default os.TempDir()).
	TempDir string
	// Progress, when set, is called with the counts at most every
	// ProgressEvery (default 200ms) and once at the end of the file.
	Progress      func(Stats)
	ProgressEvery time.Duration
}

// Reader reads documents from one WARC file. It is not safe for
// concurrent use.
type Reader struct {
	name     string
	src      io.ReaderAt
	closer   io.Closer
	opts     Options
	wr       *gowarc.WarcFileReader
	pos      int64 // where reading goes on: just past the last record handled
	st       Stats
	start    time.Time
	lastProg time.Time
	done     bool
	// lastErrAt is the offset of the last damaged record (-1: none), so
	// that its own bytes are not reported a second time as garbage.
	lastErrAt int64
	pending   *Doc // a document read together with the garbage before it
}

// Open opens a .warc or .warc.gz file (the compression is detected per
// record, not from the name).
func Open(path string, opts Options) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if fi.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	r := NewReader(f, fi.Size(), path, opts)
	r.closer = f
	return r, nil
}

// NewReader reads a WARC file of size bytes from src; name is used in
// errors.
func NewReader(src io.ReaderAt, size int64, name string, opts Options) *Reader {
	if opts.MaxBodySize <= 0 {
		opts.MaxBodySize = content.DefaultMaxFileSize
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = 200 * time.Millisecond
	}
	return &Reader{name: name, src: src, opts: opts, start: time.Now(), lastErrAt: -1,
		st: Stats{BytesTotal: size, SkippedBy: map[string]int64{}}}
}

// Close releases the file.
func (r *Reader) Close() error {
	r.dropReader()
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}

// Stats returns the counts so far.
func (r *Reader) Stats() Stats {
	s := r.st
	s.SkippedBy = make(map[string]int64, len(r.st.SkippedBy))
	for k, v := range r.st.SkippedBy {
		s.SkippedBy[k] = v
	}
	s.Elapsed = time.Since(r.start)
	return s
}

// Next returns the next document. At the end of the file it returns
// io.EOF; for a truncated or corrupt record it returns a *RecordError and
// the next call goes on after it. Any other error is fatal.
func (r *Reader) Next(ctx context.Context) (Doc, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Doc{}, err
		}
		if r.pending != nil {
			d := *r.pending
			r.pending = nil
			return d, nil
		}
		if r.done {
			return Doc{}, io.EOF
		}
		if r.wr == nil {
			off, err := r.resync(r.pos)
			if err != nil {
				return Doc{}, err
			}
			if off < 0 {
				off = r.st.BytesTotal
			}
			if off > r.pos {
				// Bytes that are no record at all, after a damaged one
				// (reported already) or between records.
				gap := r.pos
				r.pos = off
				if !r.afterError(gap) {
					r.st.Corrupt++
					return Doc{}, &RecordError{File: r.name, Offset: gap, Err: fmt.Errorf("%d bytes that are not a WARC record", off-gap)}
				}
			}
			if off >= r.st.BytesTotal {
				return Doc{}, r.finish(r.st.BytesTotal)
			}
			sr := io.NewSectionReader(r.src, 0, r.st.BytesTotal)
			var opts []gowarc.WarcRecordOption
			if r.opts.TempDir != "" {
				opts = append(opts, gowarc.WithBufferTmpDir(r.opts.TempDir))
			}
			wr, err := gowarc.NewWarcFileReaderFromStream(sr, off, opts...)
			if err != nil {
				return Doc{}, fmt.Errorf("%s: %w", r.name, err)
			}
			r.wr = wr
		}
		rec, err := r.wr.Next()
		if rec.WarcRecord == nil && (errors.Is(err, io.EOF) && rec.Offset >= r.st.BytesTotal || err == nil) {
			return Doc{}, r.finish(r.st.BytesTotal)
		}
		bad := damage(rec, err)
		if bad == nil && r.misframed(rec.Offset, rec.Offset+rec.Size) {
			bad = errors.New("no end-of-record marker after the block: truncated, or a wrong Content-Length")
		}
		if bad != nil {
			at := rec.Offset
			if at > r.pos && !r.afterError(r.pos) {
				at = r.pos // the damage starts with the bytes gowarc skipped
			}
			rec.Close()
			r.dropReader()
			r.st.Corrupt++
			r.lastErrAt = rec.Offset
			r.pos = rec.Offset + 1
			r.progress()
			return Doc{}, &RecordError{File: r.name, Offset: at, Err: bad}
		}
		var gapErr error
		if rec.Offset > r.pos && !r.afterError(r.pos) {
			r.st.Corrupt++
			gapErr = &RecordError{File: r.name, Offset: r.pos, Err: fmt.Errorf("%d bytes that are not a WARC record", rec.Offset-r.pos)}
		}
		r.pos = rec.Offset + rec.Size
		r.st.Records++
		r.st.BytesRead = r.pos
		doc, skip := r.document(rec)
		rec.Close()
		r.progress()
		if skip != "" {
			r.st.Skipped++
			r.st.SkippedBy[skip]++
			if gapErr != nil {
				return Doc{}, gapErr
			}
			continue
		}
		r.st.Docs++
		if gapErr != nil {
			r.pending = &doc
			return Doc{}, gapErr
		}
		return doc, nil
	}
}

// afterError reports whether the gap starting at off follows a record
// already reported as damaged (the damaged record's own bytes).
func (r *Reader) afterError(off int64) bool { return r.lastErrAt >= 0 && off == r.lastErrAt+1 }

func (r *Reader) finish(end int64) error {
	r.dropReader()
	r.done = true
	r.st.BytesRead = end
	if r.opts.Progress != nil {
		r.opts.Progress(r.Stats())
	}
	return io.EOF
}

func (r *Reader) progress() {
	if r.opts.Progress != nil && time.Since(r.lastProg) >= r.opts.ProgressEvery {
		r.lastProg = time.Now()
		r.opts.Progress(r.Stats())
	}
}

func (r *Reader) dropReader() {
	if r.wr != nil {
		r.wr.Close()
		r.wr = nil
	}
}

// damage returns why a record cannot be trusted: a read error, or a
// block whose length or end marker does not match its header (the record
// was cut short, so the bytes after it belong to the next one). Softer
// findings (missing optional fields, odd syntax) do not make a record
// unusable and are ignored, as every archive tool does.
func damage(rec gowarc.Record, err error) error {
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	for _, v := range rec.Validation {
		var cl *gowarc.ContentLengthError
		var de *gowarc.DigestError
		switch {
		case errors.As(v, &cl), errors.As(v, &de):
			return v
		case strings.Contains(v.Error(), "end of record"):
			return v
		}
	}
	return nil
}

// document returns the record as a document, or the reason class it is
// not one.
func (r *Reader) document(rec gowarc.Record) (Doc, string) {
	wr := rec.WarcRecord
	var (
		ct      string
		payload io.Reader
		hdr     = http.Header{}
	)
	switch wr.Type() {
	case gowarc.Response:
		hb, ok := wr.Block().(gowarc.HttpResponseBlock)
		if !ok {
			return Doc{}, "response without HTTP"
		}
		code := hb.HttpStatusCode()
		if code < 200 || code > 299 || code == http.StatusNoContent || code == http.StatusPartialContent {
			return Doc{}, fmt.Sprintf("status %d", code)
		}
		if h := hb.HttpHeader(); h != nil {
			hdr = h.Clone()
		}
		// net/http moves Transfer-Encoding out of the header map: take it
		// from the archived header bytes.
		if chunkedHeader(hb.ProtocolHeaderBytes()) {
			hdr.Set("Transfer-Encoding", "chunked")
		}
		ct = hdr.Get("Content-Type")
		p, err := hb.PayloadBytes()
		if err != nil {
			return Doc{}, "unreadable payload"
		}
		payload = p
	case gowarc.Resource:
		ct = wr.WarcHeader().Get(gowarc.ContentType)
		p, err := wr.Block().RawBytes()
		if err != nil {
			return Doc{}, "unreadable payload"
		}
		payload = p
	default:
		return Doc{}, wr.Type().String()
	}
	uri := wr.WarcHeader().Get(gowarc.WarcTargetURI)
	if uri == "" && wr.WarcHeader().Has(gowarc.WarcTargetURI) {
		// gowarc blanks a URI its parser refuses, such as the bracketed
		// <http://…> some WARC/1.0 writers used: read it from the file.
		uri = r.rawField(rec.Offset, gowarc.WarcTargetURI)
	}
	if uri = strings.Trim(strings.TrimSpace(uri), "<>"); uri == "" {
		return Doc{}, "no target URI"
	}
	if mt, _, _ := mime.ParseMediaType(ct); mt != "" && !documentType(mt) {
		return Doc{}, mt
	}
	body, why := decode(payload, hdr, r.opts.MaxBodySize)
	if why != "" {
		return Doc{}, why
	}
	switch content.Kind(body, ct) {
	case content.TypeHTML, content.TypePDF:
	default:
		mt, _, _ := mime.ParseMediaType(ct)
		if mt == "" {
			mt = "unknown type"
		}
		return Doc{}, mt
	}
	date, _ := wr.Date()
	return Doc{URI: uri, Date: date, ContentType: ct, Body: body, Offset: rec.Offset}, ""
}

// documentType reports the declared media types that may hold an HTML or
// PDF document (generic and text types are sniffed).
func documentType(mt string) bool {
	switch mt {
	case "text/html", "application/xhtml+xml", "application/pdf", "application/x-pdf", "text/plain",
		"application/octet-stream", "binary/octet-stream", "application/x-download", "application/force-download":
		return true
	}
	return false
}

// decode removes the transfer and content encodings an archived HTTP
// payload may still carry, reading at most limit bytes.
func decode(payload io.Reader, hdr http.Header, limit int64) ([]byte, string) {
	if te := strings.ToLower(hdr.Get("Transfer-Encoding")); strings.Contains(te, "chunked") {
		br := bufio.NewReader(payload)
		// Archivers disagree on whether to keep the chunk framing: decode
		// only when the payload really starts with a chunk size line.
		if head, _ := br.Peek(18); looksChunked(head) {
			payload = httputil.NewChunkedReader(br)
		} else {
			payload = br
		}
	}
	switch enc := strings.ToLower(strings.TrimSpace(hdr.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(payload)
		if err != nil {
			return nil, "bad gzip Content-Encoding"
		}
		defer zr.Close()
		payload = zr
	case "deflate":
		payload = flate.NewReader(payload)
	default:
		return nil, "Content-Encoding " + enc
	}
	body, err := io.ReadAll(io.LimitReader(payload, limit+1))
	if err != nil && len(body) == 0 {
		return nil, "undecodable payload"
	}
	if int64(len(body)) > limit {
		return nil, "too large"
	}
	return body, ""
}

func chunkedHeader(h []byte) bool {
	for line := range bytes.SplitSeq(h, []byte("\n")) {
		name, value, ok := bytes.Cut(line, []byte(":"))
		if ok && strings.EqualFold(string(bytes.TrimSpace(name)), "Transfer-Encoding") &&
			bytes.Contains(bytes.ToLower(value), []byte("chunked")) {
			return true
		}
	}
	return false
}

func looksChunked(head []byte) bool {
	i := bytes.IndexByte(head, '\r')
	if i <= 0 {
		return false
	}
	for _, c := range head[:i] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ';') {
			return false
		}
	}
	return true
}
