package content

import (
	"fmt"
	"net/url"
	"path"
	"strings"
)

// Canonicalize normalises a URL so that the spellings of one page compare
// equal, and so a page has one document id however it was reached (crawled
// live, found in a web archive, submitted through the API): lower-case scheme and host, no default port, no user info, no
// fragment, dot segments resolved, tracking parameters (utm_*, fbclid,
// gclid …) dropped and the remaining query parameters sorted.
func Canonicalize(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("parse URL %q: %w", raw, err)
	}
	return CanonicalizeURL(u)
}

// CanonicalizeURL is Canonicalize for a parsed URL.
func CanonicalizeURL(u *url.URL) (string, error) {
	c := *u
	c.Scheme = strings.ToLower(c.Scheme)
	if c.Scheme != "http" && c.Scheme != "https" {
		return "", fmt.Errorf("URL %q: scheme %q is not http(s)", u, c.Scheme)
	}
	host := strings.TrimSuffix(strings.ToLower(c.Hostname()), ".")
	if host == "" {
		return "", fmt.Errorf("URL %q has no host", u)
	}
	port := c.Port()
	if (c.Scheme == "http" && port == "80") || (c.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	c.Host = host
	c.User = nil
	c.Fragment, c.RawFragment = "", ""
	c.Opaque = ""
	p := c.EscapedPath()
	if p == "" {
		p = "/"
	}
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	if strings.Contains(p, "/.") {
		trailing := strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
		p = path.Clean(p)
		if trailing && p != "/" {
			p += "/"
		}
	}
	if dec, err := url.PathUnescape(p); err == nil {
		c.Path, c.RawPath = dec, ""
		if c.EscapedPath() != p {
			c.RawPath = p
		}
	}
	if c.RawQuery != "" {
		q, err := url.ParseQuery(c.RawQuery)
		if err != nil {
			// Keep a query we cannot parse as it is, minus nothing.
			c.RawQuery = strings.Trim(c.RawQuery, "&")
		} else {
			for k := range q {
				if isTrackingParam(k) {
					delete(q, k)
				}
			}
			c.RawQuery = q.Encode()
		}
	}
	c.ForceQuery = false
	return c.String(), nil
}

// isTrackingParam reports query parameters that only track the click.
func isTrackingParam(k string) bool {
	k = strings.ToLower(k)
	if strings.HasPrefix(k, "utm_") || strings.HasPrefix(k, "pk_") || strings.HasPrefix(k, "mtm_") {
		return true
	}
	switch k {
	case "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
		"mc_cid", "mc_eid", "igshid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url",
		"spm", "cmpid", "s_cid", "ocid", "oly_enc_id", "oly_anon_id", "vero_id", "rb_clickid",
		"wt_mc", "xtor", "at_medium", "at_campaign", "__s", "ns_source", "ns_mchannel", "sr_share":
		return true
	}
	return false
}
