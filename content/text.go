package content

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/html/charset"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"

	"github.com/compoundwatch/compoundwatch/internal/ascii"
)

// headerLine matches one line of the project's plain-text header block:
//
//	Title: …
//	Published: YYYY-MM-DD
//	Source: outlet
var headerLine = regexp.MustCompile(`^(?i)(title|published|date|source|outlet|url|byline|author|language):[ \t]*(.*)$`)

// extractText reads a plain-text document. A leading block of "Key: value"
// header lines (Title, Published, Source, URL, Byline, Language) is
// parsed and removed; otherwise the title is the first non-empty line.
func extractText(body []byte, contentType string, owned bool) (Extracted, error) {
	s, err := decodeText(body, contentType, owned)
	if err != nil {
		return Extracted{}, err
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	x := Extracted{ContentType: TypeText}

	// Only the first lines can be headers, so lines are cut one at a time
	// rather than the whole text split. line returns the line that starts
	// at off and where the next starts: past len(s) after the last, which
	// has no line break.
	line := func(off int) (string, int) {
		if i := strings.IndexByte(s[off:], '\n'); i >= 0 {
			return s[off : off+i], off + i + 1
		}
		return s[off:], len(s) + 1
	}
	off := 0
	for off <= len(s) {
		l, next := line(off)
		if strings.TrimSpace(l) != "" {
			break
		}
		off = next
	}
	start, headers := off, 0
	after := "" // the line after the headers; none past the last
	for off <= len(s) {
		l, next := line(off)
		m := headerLine.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			after = l
			break
		}
		headers++
		v := strings.TrimSpace(m[2])
		switch strings.ToLower(m[1]) {
		case "title":
			x.Title = v
		case "published", "date":
			x.Published = ISODate(v)
		case "source", "outlet":
			x.Outlet = v
		case "url":
			x.CanonicalURL = v
		case "byline", "author":
			x.Byline = v
		case "language":
			x.Language = normLang(v)
		}
		off = next
	}
	// A header block must open with Title: and be followed by a blank line
	// or the end, or it is just text that happens to start "Source: …".
	// The text from a line on is the tail of s: no join (and no copy).
	if headers > 0 && x.Title != "" && strings.TrimSpace(after) == "" {
		x.Text = s[min(off, len(s)):]
	} else {
		x = Extracted{ContentType: TypeText}
		x.Text = s[min(start, len(s)):]
	}
	x.Text = unwrap(cleanText(x.Text))
	return x, nil
}

// ISODate accepts YYYY-MM-DD (optionally followed by a time) and returns
// it, or "" for anything else. It is the rule for a date a publisher
// wrote for machines (a text file's Published: line, a sitemap's
// publication date), where anything else is a mistake to drop rather
// than text to interpret: Raw.Published holds only such dates.
func ISODate(v string) string {
	if len(v) < 10 {
		return ""
	}
	if _, err := time.Parse(time.DateOnly, v[:10]); err != nil {
		return ""
	}
	return v[:10]
}

// decodeText returns body as UTF-8 text: UTF-8 (with or without BOM),
// UTF-16/32 with a BOM, or the charset named in contentType. NUL bytes,
// undecodable bytes and control characters are rejected as binary. With
// owned, UTF-8 text is body's own bytes, not a copy (see
// Extractor.extract).
func decodeText(body []byte, contentType string, owned bool) (string, error) {
	utf8Text := func(b []byte) string {
		if owned {
			return unsafe.String(unsafe.SliceData(b), len(b))
		}
		return string(b)
	}
	var s string
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		s = utf8Text(body[3:])
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(body, []byte{0, 0, 0xFE, 0xFF}):
		out, err := utf32.UTF32(utf32.BigEndian, utf32.UseBOM).NewDecoder().Bytes(body)
		if err != nil {
			return "", fmt.Errorf("%w: bad UTF-32: %v", ErrBinary, err)
		}
		s = string(out)
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}), bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		out, err := xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewDecoder().Bytes(body)
		if err != nil {
			return "", fmt.Errorf("%w: bad UTF-16: %v", ErrBinary, err)
		}
		s = string(out)
	default:
		if i := bytes.IndexByte(body, 0); i >= 0 {
			return "", fmt.Errorf("%w: NUL byte at offset %d", ErrBinary, i)
		}
		if utf8.Valid(body) {
			s = utf8Text(body)
			break
		}
		_, params, _ := mime.ParseMediaType(contentType)
		label := params["charset"]
		if label == "" || strings.EqualFold(label, "utf-8") {
			bad := len(body)
			for i := 0; i < len(body); {
				r, n := utf8.DecodeRune(body[i:])
				if r == utf8.RuneError && n <= 1 {
					bad = i
					break
				}
				i += n
			}
			return "", fmt.Errorf("%w: invalid UTF-8 at offset %d and no charset given", ErrBinary, bad)
		}
		enc, _ := charset.Lookup(label)
		if enc == nil {
			return "", fmt.Errorf("%w: unknown charset %q", ErrBinary, label)
		}
		out, err := enc.NewDecoder().Bytes(body)
		if err != nil {
			return "", fmt.Errorf("%w: decode %s: %v", ErrBinary, label, err)
		}
		s = string(out)
	}
	if strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("%w: NUL character in text", ErrBinary)
	}
	// Text has few control characters; binary has many.
	if ctrl, total := controls(s); total > 0 && ctrl*20 > total {
		return "", fmt.Errorf("%w: %d of %d characters are control characters", ErrBinary, ctrl, total)
	}
	return s, nil
}

// controls counts the characters of s, and those that are control
// characters other than line breaks, tabs and form feeds (a byte that is
// not UTF-8 counts as one of each). Runs of eight printable ASCII bytes,
// nearly all of most texts, are counted at once.
func controls(s string) (ctrl, total int) {
	for i := 0; i < len(s); {
		if i+8 <= len(s) && ascii.Printable8(ascii.Load8(s, i)) {
			total += 8
			i += 8
			continue
		}
		total++
		if c := s[i]; c < utf8.RuneSelf {
			// ASCII's control characters are C0 and DEL, as
			// unicode.IsControl says.
			if (c < ' ' || c == 0x7f) && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
				ctrl++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsControl(r) {
			ctrl++
		}
		i += n
	}
	return ctrl, total
}
