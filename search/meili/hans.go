package meili

import (
	"strings"
	"unicode/utf8"

	json "github.com/goccy/go-json"

	"github.com/compoundwatch/compoundwatch/internal/hant"
	"github.com/compoundwatch/compoundwatch/search"
)

// A document written in traditional Chinese characters is sent with its
// title and text folded to simplified ones (hant.Simplify) in two more
// searchable attributes, and a query is folded the same way, so that a
// search in either script finds both, as on the embedded index.
// Meilisearch folds only some characters itself (詐 and 诈, 陳 and 陈, not
// 園 and 园, 邊 and 边), and it cannot be given a table.
const (
	titleHans = "title_hans"
	textHans  = "text_hans"
)

// withHans appends the folded title and text to b, d's JSON object, when
// d has a traditional character.
func withHans(b []byte, d search.Doc) ([]byte, error) {
	title, text := hant.Simplify(d.Title), hant.Simplify(d.Text)
	if title == d.Title && text == d.Text {
		return b, nil
	}
	t, err := json.Marshal(title)
	if err != nil {
		return nil, err
	}
	x, err := json.Marshal(text)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(b)+len(t)+len(x)+len(titleHans)+len(textHans)+8)
	out = append(out, b[:len(b)-1]...) // without its closing brace
	out = append(out, `,"`+titleHans+`":`...)
	out = append(out, t...)
	out = append(out, `,"`+textHans+`":`...)
	out = append(out, x...)
	return append(out, '}'), nil
}

// unfoldSnippet turns formatted, Meilisearch's cropped and highlighted
// text_hans, into the same stretch of orig, the document's own text, with
// the same characters marked: a character folds to one character, so
// the two texts match rune for rune. It reports false when formatted is
// not a stretch of hans, orig's fold.
func unfoldSnippet(formatted, hans, orig string) (string, bool) {
	// The text without tags, and where the tags were in it.
	var plain strings.Builder
	var tags []tag
	for formatted != "" {
		i := strings.Index(formatted, preTag)
		j := strings.Index(formatted, postTag)
		next, t := len(formatted), ""
		if i >= 0 && (j < 0 || i < j) {
			next, t = i, preTag
		} else if j >= 0 {
			next, t = j, postTag
		}
		plain.WriteString(formatted[:next])
		if t != "" {
			tags = append(tags, tag{plain.Len(), t})
		}
		formatted = formatted[next+len(t):]
	}
	// The stretch is what is left without the crop markers Meilisearch
	// added, which the text can hold too.
	for _, cut := range [...]struct{ lead, trail bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		core, lead, trail := plain.String(), "", ""
		if cut.lead {
			rest, ok := strings.CutPrefix(core, cropMarker)
			if !ok {
				continue
			}
			core, lead = rest, cropMarker
		}
		if cut.trail {
			rest, ok := strings.CutSuffix(core, cropMarker)
			if !ok {
				continue
			}
			core, trail = rest, cropMarker
		}
		if s, ok := unfoldStretch(core, tags, len(lead), hans, orig); ok {
			return lead + s + trail, true
		}
	}
	return "", false
}

// tag is a highlighting tag and where it was in the text without tags.
type tag struct {
	at  int
	str string
}

// unfoldStretch finds core in hans and returns the same stretch of orig
// with tags put back, each at skip bytes before its place in core.
func unfoldStretch(core string, tags []tag, skip int, hans, orig string) (string, bool) {
	off := strings.Index(hans, core)
	if off < 0 {
		return "", false
	}
	// origAt[k] is where orig has the k-th byte of the stretch of hans,
	// at rune boundaries.
	origAt := make(map[int]int, len(core)/3+2)
	h, o := 0, 0
	for h < off+len(core) {
		if h >= off {
			origAt[h-off] = o
		}
		_, hn := utf8.DecodeRuneInString(hans[h:])
		_, on := utf8.DecodeRuneInString(orig[o:])
		if on == 0 {
			return "", false // orig is not what hans is the fold of
		}
		h, o = h+hn, o+on
	}
	origAt[len(core)] = o
	var out strings.Builder
	pos := origAt[0]
	for _, t := range tags {
		at, ok := origAt[t.at-skip]
		if !ok || at < pos {
			return "", false
		}
		out.WriteString(orig[pos:at])
		out.WriteString(t.str)
		pos = at
	}
	out.WriteString(orig[pos:origAt[len(core)]])
	return out.String(), true
}

// snippet is the formatted text of a hit, or, where the query matched
// only the text's fold, the fold's formatted stretch of the text itself.
func snippet(text, hans, orig string) string {
	if hans == "" || strings.Contains(text, preTag) || !strings.Contains(hans, preTag) {
		return text
	}
	if s, ok := unfoldSnippet(hans, hant.Simplify(orig), orig); ok {
		return s
	}
	return text
}
