// Crawl sources: the outlets, feeds, sitemaps and folders the crawler
// follows, with their schedules, scope and tags.
package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Source kinds.
const (
	KindSite    = "site"    // start pages crawled by following links
	KindFeed    = "feed"    // RSS or Atom feed; items are articles
	KindSitemap = "sitemap" // sitemap or sitemap index (Google News and .xml.gz included)
	KindFolder  = "folder"  // local folder of .txt/.html/.pdf files
)

// Defaults applied by Validate.
const (
	DefaultSchedule = time.Hour
	DefaultDepth    = 2
	DefaultMaxPages = 500
	MinSchedule     = time.Minute
)

// Source is one thing the crawler follows.
type Source struct {
	// Name identifies the source in logs, crawl state and tags; unique.
	Name string `yaml:"name"`
	// Kind is site, feed, sitemap or folder.
	Kind string `yaml:"kind"`
	// Enabled sources are crawled; a source whose terms still need
	// checking ships disabled. Absent means enabled.
	Enabled *bool `yaml:"enabled"`
	// URLs are the start pages, feed URLs or sitemap URLs.
	URLs []string `yaml:"urls"`
	// Path is the folder of a folder source.
	Path string `yaml:"path"`
	// AllowedHosts bounds every request (host or host:port); empty means
	// the hosts of URLs.
	AllowedHosts []string `yaml:"allowed_hosts"`
	// ArticlePatterns are regular expressions on the URL of article pages
	// (published as documents); ListingPatterns on listing and pagination
	// pages (followed, not published); Exclude patterns are never fetched.
	// With no article or listing patterns, pages are classified by their
	// markup.
	ArticlePatterns []string `yaml:"article_patterns"`
	ListingPatterns []string `yaml:"listing_patterns"`
	ExcludePatterns []string `yaml:"exclude_patterns"`
	// Schedule is the re-crawl interval (Go duration, default 1h).
	Schedule time.Duration `yaml:"schedule"`
	// Depth bounds link hops from the start URLs (default 2).
	Depth int `yaml:"depth"`
	// MaxPages bounds the requests of one crawl of this source (default 500).
	MaxPages int `yaml:"max_pages"`
	// Tags are copied onto every document of the source.
	Tags SourceTags `yaml:"tags"`
	// Notes is free text for maintainers (terms, quirks).
	Notes string `yaml:"notes"`
}

// SourceTags describe a source's documents.
type SourceTags struct {
	Outlet   string            `yaml:"outlet"`
	Country  string            `yaml:"country"`
	Language string            `yaml:"language"`
	Extra    map[string]string `yaml:"extra"`
}

// IsEnabled reports whether the source should be crawled.
func (s Source) IsEnabled() bool { return s.Enabled == nil || *s.Enabled }

// Hosts returns the hosts requests may go to: AllowedHosts, or the hosts
// of URLs.
func (s Source) Hosts() []string {
	if len(s.AllowedHosts) > 0 {
		return s.AllowedHosts
	}
	var out []string
	seen := map[string]bool{}
	for _, raw := range s.URLs {
		if u, err := url.Parse(raw); err == nil && u.Host != "" && !seen[strings.ToLower(u.Host)] {
			seen[strings.ToLower(u.Host)] = true
			out = append(out, strings.ToLower(u.Host))
		}
	}
	return out
}

// Validate checks the source and fills in defaults.
func (s *Source) Validate() error {
	if strings.TrimSpace(s.Name) == "" {
		return errors.New("source without a name")
	}
	errf := func(format string, a ...any) error {
		return fmt.Errorf("source %q: "+format, append([]any{s.Name}, a...)...)
	}
	switch s.Kind {
	case KindSite, KindFeed, KindSitemap:
		if len(s.URLs) == 0 {
			return errf("kind %s needs urls", s.Kind)
		}
		for _, raw := range s.URLs {
			u, err := url.Parse(raw)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return errf("url %q is not an absolute http(s) URL", raw)
			}
		}
	case KindFolder:
		if s.Path == "" {
			return errf("kind folder needs a path")
		}
	case "":
		return errf("missing kind (site, feed, sitemap or folder)")
	default:
		return errf("unknown kind %q (want site, feed, sitemap or folder)", s.Kind)
	}
	for _, h := range s.AllowedHosts {
		if h == "" || strings.ContainsAny(h, "/ ") {
			return errf("allowed host %q is not a host name", h)
		}
	}
	for _, list := range [][]string{s.ArticlePatterns, s.ListingPatterns, s.ExcludePatterns} {
		for _, p := range list {
			if _, err := regexp.Compile(p); err != nil {
				return errf("pattern %q: %w", p, err)
			}
		}
	}
	switch {
	case s.Schedule == 0:
		s.Schedule = DefaultSchedule
	case s.Schedule < MinSchedule:
		return errf("schedule %s is shorter than %s", s.Schedule, MinSchedule)
	}
	switch {
	case s.Depth == 0:
		s.Depth = DefaultDepth
	case s.Depth < 0 || s.Depth > 20:
		return errf("depth %d out of range 1..20", s.Depth)
	}
	switch {
	case s.MaxPages == 0:
		s.MaxPages = DefaultMaxPages
	case s.MaxPages < 0:
		return errf("max_pages %d is negative", s.MaxPages)
	}
	return nil
}

type sourcesFile struct {
	Sources []Source `yaml:"sources"`
}

// ParseSources decodes and validates a sources file. Unknown keys are
// errors naming the key and line; name says where the data came from.
func ParseSources(data []byte, name string) ([]Source, error) {
	var f sourcesFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("sources %s: %w", name, err)
	}
	seen := map[string]bool{}
	for i := range f.Sources {
		if err := f.Sources[i].Validate(); err != nil {
			return nil, fmt.Errorf("sources %s: entry %d: %w", name, i+1, err)
		}
		if seen[f.Sources[i].Name] {
			return nil, fmt.Errorf("sources %s: duplicate source name %q", name, f.Sources[i].Name)
		}
		seen[f.Sources[i].Name] = true
	}
	return f.Sources, nil
}

// LoadSources reads a sources file.
func LoadSources(path string) ([]Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	return ParseSources(data, path)
}

//go:embed sources.yaml
var sourcesYAML []byte

// DefaultSources returns the shipped sources (a fresh copy each call).
func DefaultSources() ([]Source, error) {
	return ParseSources(sourcesYAML, "(shipped sources.yaml)")
}
