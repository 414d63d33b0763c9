// Package content turns fetched or local documents (HTML, plain text, PDF)
// into clean text plus metadata: title, byline, publication date, canonical
// URL, language and links.
//
// HTML goes through go-trafilatura (boilerplate, navigation, comments and
// ads removed, with its readability/distiller fallback on) after its bytes
// are decoded to UTF-8 with golang.org/x/net/html/charset, so legacy
// encodings (GBK, Big5, windows-125x…) come out right. Dates come from
// go-htmldate, trusting page metadata and JSON-LD first, then <time>
// elements, then the URL, then the text. PDFs go through PDFium compiled to
// WebAssembly (go-pdfium, pure Go), which keeps a table row's cells on one
// line.
package content

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"

	"github.com/compoundwatch/compoundwatch/document"
)

// Normalised content types reported in Extracted.ContentType.
const (
	TypeHTML = "text/html"
	TypeText = "text/plain"
	TypePDF  = "application/pdf"
)

// Errors callers may test for with errors.Is.
var (
	// ErrEmpty: the document has no main text.
	ErrEmpty = errors.New("no text content")
	// ErrBinary: bytes that claim to be text are binary or undecodable.
	ErrBinary = errors.New("binary or undecodable data")
	// ErrUnsupported: a content type or file kind this package cannot read.
	ErrUnsupported = errors.New("unsupported content type")
	// ErrTooLarge: a file over the configured size limit.
	ErrTooLarge = errors.New("file too large")
)

// Extracted is what Extract finds in one document.
type Extracted struct {
	Title  string
	Text   string // main text, paragraphs separated by newlines
	Byline string
	// Published is YYYY-MM-DD, or "" when no date was found.
	Published    string
	CanonicalURL string // absolute rel=canonical / og:url, or ""
	Language     string // ISO 639-1 code, or ""
	Outlet       string // site name, or a text file's "Source:" header
	Links        []string
	ContentType  string // TypeHTML, TypeText or TypePDF
}

// Extract extracts one document. PDFs are handled by a PDFExtractor
// started for this call only (with the default compilation cache); code
// that extracts many documents should hold an Extractor instead.
func Extract(ctx context.Context, body []byte, contentType, sourceURL string) (Extracted, error) {
	e := New(Options{})
	defer e.Close()
	return e.Extract(ctx, body, contentType, sourceURL)
}

// Options configures an Extractor.
type Options struct {
	// MaxFileSize bounds ReadFile (default 50 MB).
	MaxFileSize int64
	// PDF, when set, is used for PDFs and not closed by the Extractor.
	// Otherwise the Extractor starts its own on the first PDF.
	PDF *PDFExtractor
	// PDFOptions configures the PDFExtractor started when PDF is nil.
	PDFOptions PDFOptions
}

// DefaultMaxFileSize is ReadFile's default size limit.
const DefaultMaxFileSize = 50 << 20

// Extractor extracts documents, keeping a PDF engine between calls. It is
// safe for concurrent use.
type Extractor struct {
	opts    Options
	pdf     lazyPDF
	ownsPDF bool
}

// New returns an Extractor. Close it when done.
func New(o Options) *Extractor {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	e := &Extractor{opts: o}
	if o.PDF != nil {
		e.pdf.set(o.PDF)
	} else {
		e.ownsPDF = true
	}
	return e
}

// Close releases the PDF engine if this Extractor started it.
func (e *Extractor) Close() error {
	if e.ownsPDF {
		return e.pdf.close()
	}
	return nil
}

// Kind normalises a Content-Type header (or guesses from the body when it
// is empty or generic) to TypeHTML, TypeText or TypePDF, or "" when the
// content is none of them.
func Kind(body []byte, contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/html", "application/xhtml+xml":
		return TypeHTML
	case "text/plain", "text/markdown":
		if looksHTML(body) {
			return TypeHTML
		}
		return TypeText
	case "application/pdf", "application/x-pdf":
		return TypePDF
	case "", "application/octet-stream", "binary/octet-stream", "application/x-download", "application/force-download":
	default:
		return ""
	}
	if isPDF(body) {
		return TypePDF
	}
	switch sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(body)); sniffed {
	case "text/html":
		return TypeHTML
	case "text/plain":
		return TypeText
	}
	if looksHTML(body) {
		return TypeHTML
	}
	return ""
}

func isPDF(body []byte) bool {
	return bytes.Contains(body[:min(len(body), 1024)], []byte("%PDF-"))
}

func looksHTML(body []byte) bool {
	head := strings.ToLower(string(body[:min(len(body), 512)]))
	head = strings.TrimLeft(head, "\ufeff \t\r\n")
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.Contains(head, "<head") || strings.Contains(head, "<body")
}

// Extract extracts one document of the given content type (a Content-Type
// header value; empty means sniff). sourceURL, when given, resolves
// relative links and helps date extraction.
func (e *Extractor) Extract(ctx context.Context, body []byte, contentType, sourceURL string) (Extracted, error) {
	return e.extract(ctx, body, contentType, sourceURL, false)
}

// extract is Extract. With owned, the caller hands body over: it never
// reads or writes it again, so a text file's text may be body itself
// rather than a copy (ReadFile).
func (e *Extractor) extract(ctx context.Context, body []byte, contentType, sourceURL string, owned bool) (Extracted, error) {
	if err := ctx.Err(); err != nil {
		return Extracted{}, err
	}
	var (
		x   Extracted
		err error
	)
	switch kind := Kind(body, contentType); kind {
	case TypeHTML:
		x, err = extractHTML(body, contentType, sourceURL)
	case TypeText:
		x, err = extractText(body, contentType, owned)
	case TypePDF:
		var p *PDFExtractor
		if !isPDF(body) {
			err = fmt.Errorf("%w: not a PDF (no %%PDF- header)", ErrBinary)
		} else if p, err = e.pdf.get(ctx, e.opts.PDFOptions); err == nil {
			x, err = p.Extract(ctx, body)
		}
	default:
		mt := contentType
		if mt == "" {
			mt = http.DetectContentType(body)
		}
		err = fmt.Errorf("%w: %s", ErrUnsupported, mt)
	}
	if err != nil {
		return Extracted{}, err
	}
	x.Text = strings.TrimSpace(x.Text)
	if x.Text == "" {
		return Extracted{}, ErrEmpty
	}
	if !utf8.ValidString(x.Text) || strings.ContainsRune(x.Text, 0) {
		return Extracted{}, fmt.Errorf("%w: extracted text is not clean UTF-8", ErrBinary)
	}
	x.Title = document.CollapseSpace(x.Title)
	if x.Title == "" {
		x.Title = firstLine(x.Text)
	}
	if x.Language == "" {
		x.Language = detectLanguage(x.Text)
	}
	return x, nil
}

// detectLanguage names the language of text (ISO 639-1), or "" when it
// cannot tell. whatlanggo costs about 2 ms a call whatever the length,
// most of it counting and sorting trigrams, which made it the most
// expensive step of reading a document. So it reads a bounded sample,
// and the commonest case, English prose, is recognised first by its
// function words, which no other language written in Latin script uses
// at that rate. TestLanguageSample holds the result equal to whatlanggo
// on the whole text.
func detectLanguage(text string) string {
	sample := languageSample(text)
	if isEnglish(sample) {
		return "en"
	}
	info := whatlanggo.Detect(sample)
	if info.Confidence < 0.2 {
		return ""
	}
	return info.Lang.Iso6391()
}

// languageSampleSize bounds what language detection reads: enough words
// for a confident answer on any of the test texts.
const languageSampleSize = 2000

// languageSample is the start of text, cut at a word boundary, at most
// languageSampleSize bytes.
func languageSample(text string) string {
	if len(text) <= languageSampleSize {
		return text
	}
	cut := languageSampleSize
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	if sp := strings.LastIndexAny(text[:cut], " \n"); sp > languageSampleSize/2 {
		cut = sp
	}
	return text[:cut]
}

// isEnglish reports whether at least an eighth of the words of sample (of
// thirty or more) are English function words. Words shared with other
// languages ("a", "in", "die", "on" in French…) are left out of the list.
func isEnglish(sample string) bool {
	words, function := 0, 0
	var low [maxFunctionWord]byte
	// A word is a run of letters and apostrophes. The loop reads ASCII a
	// byte at a time and decodes only other runes: a split with a
	// function per rune (strings.FieldsFunc) cost five times as much.
	word, n, ascii := false, 0, true // in a word; its length in bytes; all ASCII
	end := func() {
		words++
		if ascii && n <= maxFunctionWord {
			if _, ok := englishFunctionWords[string(low[:n])]; ok {
				function++
			}
		}
		word = false
	}
	for i := 0; i < len(sample); {
		c, size := sample[i], 1
		letter := false
		if c < utf8.RuneSelf {
			letter = 'a' <= c|('a'-'A') && c|('a'-'A') <= 'z' || c == '\''
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(sample[i:])
			letter = unicode.IsLetter(r)
		}
		switch {
		case !letter:
			if word {
				end()
				// The rest of the sample holds at most one word in two
				// bytes: once even that many words, none of them a
				// function word, could not take the share below an
				// eighth, the answer is known. An English text knows it
				// about halfway.
				if words >= 30 && function*8 >= words+(len(sample)-i+1)/2 {
					return true
				}
			}
		case !word:
			word, n, ascii = true, 0, true
			fallthrough
		default:
			if c >= utf8.RuneSelf {
				ascii = false
			} else if n < maxFunctionWord {
				low[n] = c | ('a' - 'A')
			}
			n += size
		}
		i += size
	}
	if word {
		end()
	}
	return words >= 30 && function*8 >= words
}

// englishFunctionWords is the list isEnglish counts; never written.
var englishFunctionWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`the of and to is was that for with by from
		it were are has have had been which its their
		they this said he she his her not but who at
		on be will would after into also over or than
		there about these those what when where could them`) {
		m[w] = struct{}{}
	}
	return m
}()

// maxFunctionWord is the length of the longest of englishFunctionWords.
const maxFunctionWord = 5

func firstLine(text string) string {
	for line := range strings.SplitSeq(text, "\n") {
		if line = document.CollapseSpace(line); line != "" {
			if r := []rune(line); len(r) > 200 {
				line = string(r[:200])
			}
			return line
		}
	}
	return ""
}

// sameWords reports whether document.CollapseSpace gives the same for a
// and b without building either: a page's whole text is compared with its
// title, and the first word that differs ends the comparison.
func sameWords(a, b string) bool {
	for {
		a, b = strings.TrimLeftFunc(a, unicode.IsSpace), strings.TrimLeftFunc(b, unicode.IsSpace)
		if a == "" || b == "" {
			return a == b
		}
		i, j := strings.IndexFunc(a, unicode.IsSpace), strings.IndexFunc(b, unicode.IsSpace)
		if i < 0 {
			i = len(a)
		}
		if j < 0 {
			j = len(b)
		}
		if a[:i] != b[:j] {
			return false
		}
		a, b = a[i:], b[j:]
	}
}
