package content

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
)

// ReadFile reads a local .txt, .html/.htm or .pdf file into a finalised
// document.Raw (Source is the path; ID comes from the canonical URL a
// saved web page declares, or else from the path). Errors name the file.
func ReadFile(ctx context.Context, path string) (document.Raw, error) {
	e := New(Options{})
	defer e.Close()
	return e.ReadFile(ctx, path)
}

// ReadFile is the package-level ReadFile with this Extractor's limits and
// PDF engine.
func (e *Extractor) ReadFile(ctx context.Context, path string) (document.Raw, error) {
	f, err := os.Open(path)
	if err != nil {
		return document.Raw{}, err // *PathError names the file
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return document.Raw{}, err
	}
	if st.IsDir() {
		return document.Raw{}, fmt.Errorf("%s: is a directory", path)
	}
	if st.Size() > e.opts.MaxFileSize {
		return document.Raw{}, fmt.Errorf("%s: %w: %d bytes, limit %d", path, ErrTooLarge, st.Size(), e.opts.MaxFileSize)
	}
	body, err := io.ReadAll(io.LimitReader(f, e.opts.MaxFileSize+1))
	if err != nil {
		return document.Raw{}, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(body)) > e.opts.MaxFileSize {
		return document.Raw{}, fmt.Errorf("%s: %w: more than %d bytes", path, ErrTooLarge, e.opts.MaxFileSize)
	}
	var ct string
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".text", ".md":
		ct = TypeText
	case ".html", ".htm", ".xhtml":
		ct = TypeHTML
	case ".pdf":
		ct = TypePDF
	default:
		ct = "" // sniff
	}
	if ct == TypeText && isPDF(body) {
		ct = TypePDF
	}
	x, err := e.Extract(ctx, body, ct, "")
	if err != nil {
		return document.Raw{}, fmt.Errorf("%s: %w", path, err)
	}
	raw := document.Raw{
		Source:       path,
		CanonicalURL: x.CanonicalURL,
		Title:        x.Title,
		Byline:       x.Byline,
		Published:    x.Published,
		Outlet:       x.Outlet,
		Language:     x.Language,
		ContentType:  x.ContentType,
		Text:         x.Text,
		FetchedAt:    time.Now().UTC(),
		Links:        x.Links,
	}
	raw.Finalize()
	return raw, nil
}
