package content

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/compoundwatch/compoundwatch/document"
)

// fileTypes maps the file name extensions compoundwatch reads to their
// content type: the one list that ingest, folder sources and extract
// share (through Collect and ReadFile).
func fileTypes() map[string]string {
	return map[string]string{".txt": TypeText, ".html": TypeHTML, ".htm": TypeHTML, ".pdf": TypePDF}
}

// typeOf is the content type a file's extension promises ("" for none).
func typeOf(path string) string { return fileTypes()[strings.ToLower(filepath.Ext(path))] }

// Supported reports whether path has an extension compoundwatch reads.
func Supported(path string) bool {
	return typeOf(path) != ""
}

// Extensions lists the supported extensions, sorted, for help texts.
func Extensions() []string {
	return slices.Sorted(maps.Keys(fileTypes()))
}

// Collect expands folders into the files compoundwatch reads (supported
// extensions, hidden folders skipped), each once and sorted so runs are
// repeatable; a file named directly is taken whatever its extension (its
// type is then sniffed). Paths it cannot read go to fail, naming the path.
func Collect(paths []string, fail func(error)) []string {
	var files []string
	seen := map[string]bool{}
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil && !seen[abs] {
			seen[abs] = true
			files = append(files, p)
		}
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			fail(fmt.Errorf("%s: %w", root, unwrapPathErr(err)))
			continue
		}
		if !info.IsDir() {
			add(root)
			continue
		}
		var found []string
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				fail(fmt.Errorf("%s: %w", p, unwrapPathErr(err)))
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p != root && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				return nil
			}
			if Supported(p) {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			fail(fmt.Errorf("%s: %w", root, err))
		}
		slices.Sort(found)
		for _, p := range found {
			add(p)
		}
	}
	return files
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadFile reads a local .txt, .html/.htm or .pdf file into a finalised
// document.Raw. Source is the path as given; the id comes from the file's
// document.FileURL, whichever command reads it, so a saved web page is
// its own document even when it declares a canonical URL. Errors name the
// file.
func ReadFile(ctx context.Context, path string) (document.Raw, error) {
	e := New(Options{})
	defer e.Close()
	return e.ReadFile(ctx, path)
}

// ReadFile is the package-level ReadFile with this Extractor's limits and
// PDF engine.
func (e *Extractor) ReadFile(ctx context.Context, path string) (document.Raw, error) {
	st, err := os.Stat(path)
	if err != nil {
		return document.Raw{}, err // *PathError names the file
	}
	if st.IsDir() {
		return document.Raw{}, fmt.Errorf("%s: is a directory", path)
	}
	if st.Size() > e.opts.MaxFileSize {
		return document.Raw{}, fmt.Errorf("%s: %w: %d bytes, limit %d", path, ErrTooLarge, st.Size(), e.opts.MaxFileSize)
	}
	// A regular file is opened with O_NONBLOCK, which it ignores: that
	// spares the four fcntl calls with which os.Open makes a descriptor
	// non-blocking for the poller and, once the poller refuses a regular
	// file, blocking again. Anything else is opened as os.Open does, so
	// a named pipe still waits for its writer.
	flag := os.O_RDONLY
	if st.Mode().IsRegular() {
		flag |= syscall.O_NONBLOCK
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return document.Raw{}, err
	}
	defer f.Close()
	// Sized from the stat, so a whole file is one read into one buffer
	// (a file that grew meanwhile still reads to its end).
	buf := bytes.NewBuffer(make([]byte, 0, st.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, e.opts.MaxFileSize+1)); err != nil {
		return document.Raw{}, fmt.Errorf("read %s: %w", path, err)
	}
	body := buf.Bytes()
	if int64(len(body)) > e.opts.MaxFileSize {
		return document.Raw{}, fmt.Errorf("%s: %w: more than %d bytes", path, ErrTooLarge, e.opts.MaxFileSize)
	}
	ct := typeOf(path) // "" sniffs
	if ct == TypeText && isPDF(body) {
		ct = TypePDF
	}
	// body is this call's own: the text is read from it, not a copy
	// of it, which was 5 KB of garbage an article.
	x, err := e.extract(ctx, body, ct, "", true)
	if err != nil {
		return document.Raw{}, fmt.Errorf("%s: %w", path, err)
	}
	fileURL, err := document.FileURL(path)
	if err != nil {
		return document.Raw{}, err
	}
	raw := x.Raw(path, time.Now())
	raw.FileURL = fileURL
	raw.Finalize()
	return raw, nil
}

// Raw is x as the document read from source at the given time, not yet
// finalised: the caller settles its identity (CanonicalURL, FileURL)
// first.
func (x Extracted) Raw(source string, fetched time.Time) document.Raw {
	return document.Raw{
		Source:       source,
		CanonicalURL: x.CanonicalURL,
		Title:        x.Title,
		Byline:       x.Byline,
		Published:    x.Published,
		Outlet:       x.Outlet,
		Language:     x.Language,
		ContentType:  x.ContentType,
		Text:         x.Text,
		FetchedAt:    fetched.UTC(),
		Links:        x.Links,
	}
}
