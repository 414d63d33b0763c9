package archive

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
)

var (
	gzipMagic = []byte{0x1f, 0x8b, 0x08}
	warcMagic = []byte("WARC/1.")
)

// resync returns the offset of the first record start at or after from,
// or -1 when there is none. A start is a gzip member whose content begins
// with "WARC/", or a "WARC/1.0" or "WARC/1.1" version line (anywhere: after
// a truncated record the next one starts mid-line). gowarc finds record
// starts by their first bytes alone; after a damaged record that is not
// enough, since compressed data is full of accidental gzip magic.
func (r *Reader) resync(from int64) (int64, error) {
	const chunk = 64 << 10
	buf := make([]byte, chunk+len(warcMagic))
	for off := from; off < r.st.BytesTotal; {
		n, err := r.src.ReadAt(buf, off)
		if err != nil && err != io.EOF {
			return 0, &RecordError{File: r.name, Offset: off, Err: err}
		}
		b := buf[:n]
		for i := 0; i < len(b); i++ {
			j := firstMagic(b[i:])
			if j < 0 {
				break
			}
			i += j
			if r.isStart(off+int64(i), b, i) {
				return off + int64(i), nil
			}
		}
		if n < len(buf) {
			break
		}
		off += chunk // the overlap catches a magic split across chunks
	}
	return -1, nil
}

// firstMagic returns the index of the first gzip or WARC magic in b, or -1.
func firstMagic(b []byte) int {
	g, w := bytes.Index(b, gzipMagic), bytes.Index(b, warcMagic)
	switch {
	case g < 0:
		return w
	case w < 0:
		return g
	}
	return min(g, w)
}

func (r *Reader) isStart(at int64, b []byte, i int) bool {
	if bytes.HasPrefix(b[i:], warcMagic) {
		var line [10]byte
		n, _ := r.src.ReadAt(line[:], at)
		return n == len(line) && (string(line[:]) == "WARC/1.0\r\n" || string(line[:]) == "WARC/1.1\r\n")
	}
	zr, err := gzip.NewReader(io.NewSectionReader(r.src, at, r.st.BytesTotal-at))
	if err != nil {
		return false
	}
	head := make([]byte, 5)
	_, err = io.ReadFull(zr, head)
	return err == nil && string(head) == "WARC/"
}

// misframed reports an uncompressed record that does not end with its
// end-of-record marker: its Content-Length ran past its real end (a
// truncated record swallowing the start of the next), which gowarc lets
// through. A gzip member's own framing catches the same damage.
func (r *Reader) misframed(off, end int64) bool {
	var b [4]byte
	if _, err := r.src.ReadAt(b[:2], off); err != nil || bytes.Equal(b[:2], gzipMagic[:2]) {
		return false
	}
	if end-off < 4 {
		return true
	}
	_, err := r.src.ReadAt(b[:], end-4)
	return err != nil || string(b[:]) != "\r\n\r\n"
}

// rawField reads a header field of the record at off from the file
// itself (decompressing a gzip member), for the values gowarc refuses.
func (r *Reader) rawField(off int64, name string) string {
	var src io.Reader = io.NewSectionReader(r.src, off, r.st.BytesTotal-off)
	var magic [2]byte
	if _, err := r.src.ReadAt(magic[:], off); err == nil && bytes.Equal(magic[:], gzipMagic[:2]) {
		zr, err := gzip.NewReader(src)
		if err != nil {
			return ""
		}
		src = zr
	}
	head := make([]byte, 16<<10)
	n, _ := io.ReadFull(src, head)
	head = head[:n]
	if end := bytes.Index(head, []byte("\r\n\r\n")); end >= 0 {
		head = head[:end]
	}
	for line := range bytes.SplitSeq(head, []byte("\n")) {
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && strings.EqualFold(string(bytes.TrimSpace(k)), name) {
			return string(bytes.TrimSpace(v))
		}
	}
	return ""
}
