package crawler

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	// year-month in a path or query (2031/05, 2031-05, 1987_12): calendars.
	reYearMonth = regexp.MustCompile(`(?:^|[^0-9])((?:1[89]|2[0-9])[0-9]{2})[-/_.](0?[1-9]|1[0-2])(?:[^0-9]|$)`)
	// year=2031, date=2031…, month=…
	reYearParam = regexp.MustCompile(`(?i)(?:^|[?&])(?:year|yr|y|date|month|day|from|to|start|end)=((?:1[89]|2[0-9])[0-9]{2})`)
	reDigits    = regexp.MustCompile(`[0-9]+`)
)

// trapReason returns why u looks like a crawler trap (endless calendar,
// path loop, absurd URL), or "".
func trapReason(u *url.URL, now time.Time) string {
	s := u.String()
	if len(s) > 512 {
		return fmt.Sprintf("URL longer than 512 characters (%d)", len(s))
	}
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	if len(segs) > 16 {
		return fmt.Sprintf("path deeper than 16 segments (%d)", len(segs))
	}
	count := map[string]int{}
	for _, seg := range segs {
		if seg == "" {
			continue
		}
		count[seg]++
		if count[seg] >= 3 {
			return fmt.Sprintf("path segment %q repeats %d times (link loop)", seg, count[seg])
		}
	}
	if q := u.Query(); len(q) > 12 {
		return fmt.Sprintf("%d query parameters", len(q))
	}
	minYear, maxYear := 1990, now.Year()+1
	check := func(m string) string {
		y, _ := strconv.Atoi(m)
		if y < minYear || y > maxYear {
			return fmt.Sprintf("calendar trap: year %d outside %d..%d", y, minYear, maxYear)
		}
		return ""
	}
	target := u.EscapedPath() + "?" + u.RawQuery
	for _, m := range reYearMonth.FindAllStringSubmatch(target, -1) {
		if r := check(m[1]); r != "" {
			return r
		}
	}
	for _, m := range reYearParam.FindAllStringSubmatch("?"+u.RawQuery, -1) {
		if r := check(m[1]); r != "" {
			return r
		}
	}
	return ""
}

// urlTemplate is u with every run of digits replaced by N, so that the
// pages of one calendar or pagination share a template.
func urlTemplate(u *url.URL) string {
	t := u.Host + reDigits.ReplaceAllString(u.EscapedPath(), "N")
	if u.RawQuery != "" {
		t += "?" + reDigits.ReplaceAllString(u.RawQuery, "N")
	}
	return t
}

// skipExtension reports file types that are never documents.
func skipExtension(p string) bool {
	i := strings.LastIndexByte(p, '.')
	if i < 0 || strings.Contains(p[i:], "/") {
		return false
	}
	switch strings.ToLower(p[i+1:]) {
	case "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif",
		"mp3", "mp4", "m4a", "m4v", "mov", "avi", "wmv", "webm", "ogg", "wav", "flac",
		"zip", "rar", "7z", "tar", "tgz", "exe", "dmg", "apk", "iso", "msi",
		"css", "js", "mjs", "woff", "woff2", "ttf", "otf", "eot",
		"doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "epub":
		return true
	}
	return false
}

func parseURL(raw string) (*url.URL, error) { return url.Parse(raw) }
