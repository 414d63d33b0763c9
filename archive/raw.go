package archive

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/compoundwatch/compoundwatch/content"
	"github.com/compoundwatch/compoundwatch/document"
)

// Raw extracts d into a finalised document.Raw through the same content
// extraction and URL canonicalisation as a crawled page, so a page crawled
// live and found in an archive is one document (one id, one content hash).
// As in the crawler, a rel=canonical on the page's own host names the
// document; one elsewhere does not (a copy naming its original).
func Raw(ctx context.Context, cx *content.Extractor, d Doc) (document.Raw, error) {
	final, err := content.Canonicalize(d.URI)
	canonical := final
	if err != nil {
		return document.Raw{}, fmt.Errorf("record at offset %d: %w", d.Offset, err)
	}
	x, err := cx.Extract(ctx, d.Body, d.ContentType, canonical)
	if err != nil {
		return document.Raw{}, fmt.Errorf("%s (record at offset %d): %w", d.URI, d.Offset, err)
	}
	if x.CanonicalURL != "" {
		if cu, err := content.Canonicalize(x.CanonicalURL); err == nil && host(cu) == host(canonical) {
			canonical = cu
		}
	}
	raw := x.Raw(final, d.Date)
	raw.CanonicalURL = canonical
	raw.Finalize()
	return raw, nil
}

func host(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.ToLower(p.Host)
}
