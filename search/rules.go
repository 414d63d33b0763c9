package search

import (
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Rules shared by the backends, so that both accept, filter, page and
// tune typo tolerance alike.

// Limits on queries.
const (
	DefaultLimit = 20
	// MaxHits bounds Offset+Limit and Result.Total (Meilisearch's
	// maxTotalHits): a Total of MaxHits means "MaxHits or more".
	MaxHits = 1000
	// MaxFacetValues is how many values a facet reports at most, the most
	// frequent first (Meilisearch's maxValuesPerFacet).
	MaxFacetValues = 100
	// MaxDocBytes is the largest JSON-encoded document a backend accepts;
	// anything larger is rejected rather than retried.
	MaxDocBytes = 8 << 20
)

// Typo tolerance, as Meilisearch's minWordSizeForTypos: query words of at
// least OneTypoLen characters match with one typo, of at least
// TwoTyposLen with two; shorter words and numbers must match exactly.
const (
	OneTypoLen  = 5
	TwoTyposLen = 9
)

// Typos returns how many typos a query word may contain. A word of a
// script written without spaces is a pair of clusters (see Unspaced), not
// a word, and must match exactly.
func Typos(word string) int {
	if IsNumber(word) {
		return 0
	}
	if r, _ := utf8.DecodeRuneInString(word); Unspaced(r) {
		return 0
	}
	switch n := utf8.RuneCountInString(word); {
	case n >= TwoTyposLen:
		return 2
	case n >= OneTypoLen:
		return 1
	}
	return 0
}

// Unspaced reports whether r belongs to a script written without spaces
// between words that Unicode word segmentation (UAX #29) leaves unsplit:
// Khmer, Thai, Lao and Myanmar. Meilisearch splits their words with
// dictionaries; the embedded index, which has none, indexes each pair of
// adjacent clusters of such text instead, and so must the percolator.
func Unspaced(r rune) bool {
	return r >= 0x0e00 && unicode.In(r, unicode.Khmer, unicode.Thai, unicode.Lao, unicode.Myanmar)
}

// IsNumber reports whether s is all ASCII digits (with at most one
// decimal point or comma).
func IsNumber(s string) bool {
	if s == "" {
		return false
	}
	seps := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case (c == '.' || c == ',') && i > 0 && i < len(s)-1 && seps == 0:
			seps++
		default:
			return false
		}
	}
	return true
}

// ValidID reports whether id is a valid document id for Meilisearch
// (and so for every backend): 1 to 511 bytes of [A-Za-z0-9_-].
func ValidID(id string) bool {
	if len(id) == 0 || len(id) > 511 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// CheckID returns why a backend must reject a document with this id, or ""
// when the id is fine.
func CheckID(id string) string {
	if ValidID(id) {
		return ""
	}
	if id == "" {
		return "invalid document id: empty"
	}
	if len(id) > 511 {
		return fmt.Sprintf("invalid document id: %d bytes, at most 511 allowed", len(id))
	}
	return fmt.Sprintf("invalid document id %q: only A-Z a-z 0-9 - _ allowed", truncate(id, 80))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Filterable reports whether a Query.Filter may name attr.
func Filterable(attr string) bool {
	switch attr {
	case "compounds", "tycoons", "provinces", "outlet", "language", "published", "year", "month", "duplicate_of":
		return true
	}
	return false
}

// FilterableAttributes lists the attributes Filterable accepts.
func FilterableAttributes() []string {
	return []string{"compounds", "tycoons", "provinces", "outlet", "language", "published", "year", "month", "duplicate_of"}
}

// IsFacet reports whether name is one of the Facet* constants.
func IsFacet(name string) bool {
	switch name {
	case FacetCompounds, FacetTycoons, FacetProvinces, FacetOutlet, FacetYear, FacetMonth, FacetLanguage:
		return true
	}
	return false
}

// NumericAttr reports whether a filterable attribute holds numbers.
func NumericAttr(attr string) bool { return attr == "published" || attr == "year" }

// Filter operators.
const (
	OpEq = "="
	OpNe = "!="
	OpGt = ">"
	OpGe = ">="
	OpLt = "<"
	OpLe = "<="
)

// Cond is a parsed Query.Filter entry.
type Cond struct {
	Attr  string
	Op    string
	Value string
	// Num is Value as a number for numeric attributes (published accepts
	// YYYY-MM-DD too, as midnight UTC in Unix seconds).
	Num float64
}

// ParseFilter parses "attr=value" (or !=, >, >=, <, <= for numeric
// attributes). An empty value with = or != tests for absence/presence
// ("duplicate_of=" means "not a duplicate"). Errors wrap ErrBadFilter and
// name the attribute.
func ParseFilter(s string) (Cond, error) {
	i := strings.IndexAny(s, "=!<>")
	if i < 0 {
		return Cond{}, fmt.Errorf("%w: %q: want attr=value", ErrBadFilter, s)
	}
	c := Cond{Attr: strings.TrimSpace(s[:i])}
	rest := s[i:]
	for _, op := range []string{OpNe, OpGe, OpLe, OpEq, OpGt, OpLt} {
		if strings.HasPrefix(rest, op) {
			c.Op, c.Value = op, strings.TrimSpace(rest[len(op):])
			break
		}
	}
	if c.Op == "" {
		return Cond{}, fmt.Errorf("%w: %q: want attr=value", ErrBadFilter, s)
	}
	if !Filterable(c.Attr) {
		return Cond{}, fmt.Errorf("%w: attribute %q is not filterable (filterable: %s)",
			ErrBadFilter, c.Attr, strings.Join(FilterableAttributes(), ", "))
	}
	if NumericAttr(c.Attr) {
		if n, err := strconv.ParseFloat(c.Value, 64); err == nil {
			c.Num = n
		} else if t, err := time.Parse(time.DateOnly, c.Value); err == nil && c.Attr == "published" {
			c.Num = float64(t.Unix())
		} else {
			return Cond{}, fmt.Errorf("%w: attribute %q wants a number, got %q", ErrBadFilter, c.Attr, c.Value)
		}
	} else if c.Op != OpEq && c.Op != OpNe {
		return Cond{}, fmt.Errorf("%w: attribute %q supports only = and !=, got %s", ErrBadFilter, c.Attr, c.Op)
	}
	return c, nil
}

// Normalize validates q and fills defaults, so both backends page, sort
// and facet alike. Errors wrap ErrBadFilter.
func (q Query) Normalize() (Query, error) {
	if q.Limit <= 0 {
		q.Limit = DefaultLimit
	}
	q.Offset = max(q.Offset, 0)
	if q.Offset >= MaxHits {
		q.Limit = 0
	} else if q.Offset+q.Limit > MaxHits {
		q.Limit = MaxHits - q.Offset
	}
	switch q.Sort {
	case SortRelevance, SortDateDesc, SortDateAsc:
	case "date:desc":
		q.Sort = SortDateDesc
	default:
		return q, fmt.Errorf("%w: unknown sort %q (want %q or %q)", ErrBadFilter, q.Sort, SortDateDesc, SortDateAsc)
	}
	for _, f := range q.Facets {
		if !IsFacet(f) {
			return q, fmt.Errorf("%w: unknown facet %q", ErrBadFilter, f)
		}
	}
	for _, f := range q.Filter {
		if _, err := ParseFilter(f); err != nil {
			return q, err
		}
	}
	return q, nil
}

// MarkHTML turns text in which matches are delimited by the sentinel
// strings pre and post into safe HTML: everything is escaped and the
// sentinels become <mark> and </mark>. The sentinels must not occur in
// crawled text (use control characters).
func MarkHTML(text, pre, post string) string {
	var b strings.Builder
	b.Grow(len(text) + 32)
	open := false
	for text != "" {
		i := strings.Index(text, pre)
		j := strings.Index(text, post)
		switch {
		case i < 0 && j < 0:
			b.WriteString(html.EscapeString(text))
			text = ""
		case j < 0 || (i >= 0 && i < j):
			b.WriteString(html.EscapeString(text[:i]))
			if !open {
				b.WriteString("<mark>")
				open = true
			}
			text = text[i+len(pre):]
		default:
			b.WriteString(html.EscapeString(text[:j]))
			if open {
				b.WriteString("</mark>")
				open = false
			}
			text = text[j+len(post):]
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return b.String()
}

// MaxSynonyms is how many alternatives one term may have (Meilisearch's
// limit).
const MaxSynonyms = 50

// ExpandSynonyms turns groups of equivalent spellings (each key with its
// values, e.g. a gazetteer entry's name and aliases) into the one-way map
// that Meilisearch wants: every spelling maps to every other spelling of
// each group it belongs to, lower-cased, deduplicated, at most MaxSynonyms
// per term (the spellings given first are kept).
func ExpandSynonyms(groups map[string][]string) map[string][]string {
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := map[string][]string{}
	for _, k := range keys {
		var group []string
		for _, s := range append([]string{k}, groups[k]...) {
			s = strings.ToLower(strings.Join(strings.Fields(s), " "))
			if s != "" && !slices.Contains(group, s) {
				group = append(group, s)
			}
		}
		for _, a := range group {
			for _, b := range group {
				if a != b && len(out[a]) < MaxSynonyms && !slices.Contains(out[a], b) {
					out[a] = append(out[a], b)
				}
			}
		}
	}
	return out
}
