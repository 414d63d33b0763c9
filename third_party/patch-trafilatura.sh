#!/usr/bin/env bash
# Makes our copy of go-trafilatura from the module cache, with two patches:
#
#  1. Options.SkipLanguageDetection. Upstream classifies every extracted
#     text with whatlanggo, whole, to fill Metadata.Language, whether or
#     not the caller wants it: a third of the crawler's CPU
#     (BenchmarkCrawl). Our reader detects the language itself, on a
#     bounded sample (content.detectLanguage), and sets this option. It is
#     the option upstream's pull request 25 proposes (open when this was
#     written), with its rule: TargetLanguage, which filters by the
#     classifier's answer, still runs it.
#  2. trim, which collapses white space and which upstream calls on every
#     node's text and on whole candidate texts, as strings.Join of
#     strings.Fields: the slice of fields, then a copy, even of text
#     already collapsed. A quarter of the content extraction of an article
#     page. Ours returns such text as it is and builds the rest in one
#     pass; zz_trim_test.go holds it to upstream's on seeds, and a fuzzing
#     run of 5 million inputs found no difference.
#
# content's TestVendoredTrafilatura runs the copy's tests (go test ./...
# does not reach a dependency's packages). Drop the replace line in
# go.mod once upstream releases both.
#
# Usage, to refresh the copy after a version bump in go.mod:
#   third_party/patch-trafilatura.sh VERSION
# It copies the module's sources and licence (no tests, command, examples
# or scripts) into third_party/go-trafilatura and applies the patches,
# stopping where upstream changed what they replace.
set -euo pipefail
version="${1:?usage: $0 VERSION (e.g. v1.12.2)}"
root="$(cd "$(dirname "$0")/.." && pwd)"
mod=github.com/markusmobius/go-trafilatura
src="$(cd "$root" && go mod download -json "$mod@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
dst="$root/third_party/go-trafilatura"
rm -rf "$dst"
mkdir -p "$dst"
(cd "$src" && find . \( -path ./cmd -o -path ./examples -o -path ./scripts -o -path ./test-files \) -prune -o \
  \( \( -name '*.go' ! -name '*_test.go' \) -o -name go.mod -o -name go.sum -o -name 'LICENSE*' \) -print) |
  while read -r f; do
    mkdir -p "$dst/$(dirname "$f")"
    cp "$src/$f" "$dst/$f"
  done
chmod -R u+w "$dst"
review() { echo "$1 changed upstream: review the patch" >&2; exit 1; }

# 1. SkipLanguageDetection.
grep -q '^	TargetLanguage string$' "$dst/core-options.go" &&
  [[ "$(grep -c 'languageClassifier(' "$dst"/*.go | grep -v ':0$' | xargs -n1 basename | tr '\n' ' ')" == "core.go:1 utils-extractor.go:1 " ]] &&
  grep -q '^	lang := languageClassifier(tmpBodyText, tmpComments)$' "$dst/core.go" ||
  review "the language classifier's call"
sed -i '/^	TargetLanguage string$/a\
\
	// SkipLanguageDetection leaves Metadata.Language empty rather than\
	// classify the extracted text, unless TargetLanguage is set. (Added by\
	// compoundwatch'"'"'s third_party/patch-trafilatura.sh.)\
	SkipLanguageDetection bool' "$dst/core-options.go"
sed -i 's/^	lang := languageClassifier(tmpBodyText, tmpComments)$/	var lang string\
	if opts.TargetLanguage != "" || !opts.SkipLanguageDetection {\
		lang = languageClassifier(tmpBodyText, tmpComments)\
	}/' "$dst/core.go"

# 2. trim: upstream's four lines out of utils-common.go, ours in a file of
# its own.
upstream_trim='func trim(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimSpace(s)
}'
[[ "$(grep -c '^func trim(' "$dst"/*.go | grep -v ':0$' | xargs -n1 basename)" == "utils-common.go:1" ]] &&
  [[ "$(grep -A3 '^func trim(' "$dst/utils-common.go")" == "$upstream_trim" ]] &&
  ! grep -q '^func asciiSpace(' "$dst"/*.go ||
  review "trim"
sed -i '/^func trim(s string) string {$/,/^}$/d' "$dst/utils-common.go"
cat >"$dst/zz-trim.go" <<'GO'
// Added by compoundwatch's third_party/patch-trafilatura.sh: trim as
// upstream's strings.TrimSpace(strings.Join(strings.Fields(s), " ")),
// without the slice of fields, and without a copy of text already
// collapsed.

package trafilatura

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

func trim(s string) string {
	// s as it is when its words are already one space apart.
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			clean = false
		case c == ' ':
			clean = i > 0 && i+1 < len(s) && s[i+1] != ' '
		case c < ' ':
			clean = !asciiSpace(c)
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	start := -1 // of the word being read
	for i := 0; i < len(s); {
		c, size := rune(s[i]), 1
		space := false
		if c < utf8.RuneSelf {
			space = asciiSpace(byte(c))
		} else {
			c, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(c)
		}
		switch {
		case space && start >= 0:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[start:i])
			start = -1
		case !space && start < 0:
			start = i
		}
		i += size
	}
	if start >= 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[start:])
	}
	return b.String()
}

// asciiSpace is unicode.IsSpace for an ASCII byte.
func asciiSpace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ' '
}
GO
cat >"$dst/zz_trim_test.go" <<'GO'
// Added by compoundwatch's third_party/patch-trafilatura.sh.

package trafilatura

import (
	"strings"
	"testing"
)

// FuzzTrim: trim answers as upstream's did.
func FuzzTrim(f *testing.F) {
	for _, s := range []string{
		"", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a \n b", "a\vb", "a\u00a0b", "\u3000a",
		"a\u0085", "x\xffy", "\x85 \xc2", "é b", "ab cd ef", "Police raided the compound.",
		"  Police\n\nraided  the\tcompound. ", "警方 在西港", "ប៉ូលិស\u200bបាន",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.TrimSpace(strings.Join(strings.Fields(s), " "))
		if got := trim(s); got != want {
			t.Fatalf("trim(%q) = %q, want %q", s, got, want)
		}
	})
}
GO

gofmt -l "$dst" | grep . && { echo "the patched copy is not gofmt-clean" >&2; exit 1; }
(cd "$root" && go build ./content && go test -count=1 "$mod")
echo "third_party/go-trafilatura is $mod@$version, patched"
