package content

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
)

// PDFOptions configures a PDFExtractor.
type PDFOptions struct {
	// CacheDir holds wazero's compilation cache, which turns the ~2 s
	// first compilation of the PDFium module into tens of milliseconds on
	// later starts. Empty means <user cache dir>/compoundwatch/pdfium;
	// "-" disables the cache.
	CacheDir string
	// Workers bounds concurrent PDF extractions (default 2).
	Workers int
	// MaxPages bounds the pages read from one PDF (default 500).
	MaxPages int
	// Timeout bounds one document's extraction (default 60 s).
	Timeout time.Duration
}

// PDFExtractor extracts text from PDFs with PDFium compiled to
// WebAssembly. It owns a pool of wasm instances: create one, share it, and
// Close it at the end. It is safe for concurrent use.
type PDFExtractor struct {
	pool  pdfium.Pool
	cache wazero.CompilationCache
	opts  PDFOptions
}

// NewPDFExtractor compiles (or loads from the cache) the PDFium module and
// starts its instance pool.
func NewPDFExtractor(ctx context.Context, o PDFOptions) (*PDFExtractor, error) {
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.MaxPages <= 0 {
		o.MaxPages = 500
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	rc := wazero.NewRuntimeConfig().WithCloseOnContextDone(true)
	p := &PDFExtractor{opts: o}
	dir := o.CacheDir
	if dir == "" {
		if ucd, err := os.UserCacheDir(); err == nil {
			dir = filepath.Join(ucd, "compoundwatch", "pdfium")
		}
	}
	if dir != "" && dir != "-" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("pdfium compilation cache %s: %w", dir, err)
		}
		cache, err := wazero.NewCompilationCacheWithDir(dir)
		if err != nil {
			return nil, fmt.Errorf("pdfium compilation cache %s: %w", dir, err)
		}
		p.cache = cache
		rc = rc.WithCompilationCache(cache)
	}
	pool, err := webassembly.Init(webassembly.Config{
		Context:       context.WithoutCancel(ctx),
		MinIdle:       0,
		MaxIdle:       o.Workers,
		MaxTotal:      o.Workers,
		RuntimeConfig: rc,
		// No file system: documents are passed as bytes.
		FSConfig: wazero.NewFSConfig(),
		Stdout:   io.Discard,
		Stderr:   io.Discard,
	})
	if err != nil {
		if p.cache != nil {
			p.cache.Close(ctx)
		}
		return nil, fmt.Errorf("start pdfium: %w", err)
	}
	p.pool = pool
	return p, nil
}

// Close stops the instance pool.
func (p *PDFExtractor) Close() error {
	err := p.pool.Close()
	if p.cache != nil {
		err = errors.Join(err, p.cache.Close(context.Background()))
	}
	return err
}

// Extract returns a PDF's text, page after page, with each visual line
// (a table row's cells included) on one line. Title and Published come
// from the document information dictionary when set.
func (p *PDFExtractor) Extract(ctx context.Context, body []byte) (Extracted, error) {
	if !isPDF(body) {
		return Extracted{}, fmt.Errorf("%w: not a PDF (no %%PDF- header)", ErrBinary)
	}
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	inst, err := p.pool.GetInstanceWithContext(ctx)
	if err != nil {
		return Extracted{}, fmt.Errorf("pdfium instance: %w", err)
	}
	type result struct {
		x   Extracted
		err error
	}
	done := make(chan result, 1)
	go func() {
		x, err := p.extract(ctx, inst, body)
		done <- result{x, err}
	}()
	select {
	case r := <-done:
		inst.Close()
		return r.x, r.err
	case <-ctx.Done():
		inst.Kill() // stops the wasm module mid-call; the goroutine then returns
		<-done
		return Extracted{}, fmt.Errorf("extract PDF: %w", ctx.Err())
	}
}

func (p *PDFExtractor) extract(ctx context.Context, inst pdfium.Pdfium, body []byte) (Extracted, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &body})
	if err != nil {
		return Extracted{}, fmt.Errorf("%w: open PDF: %v", ErrBinary, err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return Extracted{}, fmt.Errorf("PDF page count: %w", err)
	}
	x := Extracted{ContentType: TypePDF}
	if m, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc.Document, Tag: "Title"}); err == nil {
		x.Title = strings.TrimSpace(m.Value)
	}
	if m, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc.Document, Tag: "Author"}); err == nil {
		x.Byline = strings.TrimSpace(m.Value)
	}
	if m, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc.Document, Tag: "CreationDate"}); err == nil {
		x.Published = pdfDate(m.Value)
	}
	var b strings.Builder
	for i := range min(count.PageCount, p.opts.MaxPages) {
		if err := ctx.Err(); err != nil {
			return Extracted{}, err
		}
		t, err := inst.GetPageText(&requests.GetPageText{Page: requests.Page{
			ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
		if err != nil {
			return Extracted{}, fmt.Errorf("PDF page %d text: %w", i+1, err)
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(t.Text)
	}
	x.Text = unwrap(cleanText(b.String()))
	return x, nil
}

// pdfDate turns a PDF date ("D:20240305120000+07'00'") into YYYY-MM-DD.
func pdfDate(v string) string {
	v = strings.TrimPrefix(strings.TrimSpace(v), "D:")
	if len(v) < 8 {
		return ""
	}
	t, err := time.Parse("20060102", v[:8])
	if err != nil || t.Year() < 1990 {
		return ""
	}
	return t.Format(time.DateOnly)
}

// lazyPDF starts a PDFExtractor on first use.
type lazyPDF struct {
	mu  sync.Mutex
	p   *PDFExtractor
	err error
}

func (l *lazyPDF) set(p *PDFExtractor) { l.p = p }

func (l *lazyPDF) get(ctx context.Context, o PDFOptions) (*PDFExtractor, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.p == nil && l.err == nil {
		l.p, l.err = NewPDFExtractor(ctx, o)
	}
	return l.p, l.err
}

func (l *lazyPDF) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.p == nil {
		return nil
	}
	err := l.p.Close()
	l.p = nil
	return err
}
