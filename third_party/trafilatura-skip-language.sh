#!/usr/bin/env bash
# Lets go-trafilatura's callers turn its language classifier off. Upstream
# classifies every extracted text with whatlanggo, whole, to fill
# Metadata.Language, whether or not the caller wants it: a third of the
# crawler's CPU (BenchmarkCrawl). Our reader detects the language itself,
# on a bounded sample (content.detectLanguage), so it sets the option
# this adds, Options.SkipLanguageDetection. The option is the one
# proposed upstream in markusmobius/go-trafilatura pull request 25 (open
# when this was written), with its rule: TargetLanguage, which filters by
# the classifier's answer, still runs it. Drop the replace line in go.mod
# once a release has the option.
#
# Usage, to refresh the copy after a version bump in go.mod:
#   third_party/trafilatura-skip-language.sh VERSION
# It copies the module from the module cache (sources and licence; no
# tests, command, examples or scripts) into third_party/go-trafilatura and
# patches core-options.go and core.go.
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

grep -q '^	TargetLanguage string$' "$dst/core-options.go" &&
  [[ "$(grep -c 'languageClassifier(' "$dst"/*.go | grep -v ':0$' | xargs -n1 basename | tr '\n' ' ')" == "core.go:1 utils-extractor.go:1 " ]] &&
  grep -q '^	lang := languageClassifier(tmpBodyText, tmpComments)$' "$dst/core.go" ||
  { echo "the language classifier's call changed upstream: review the patch" >&2; exit 1; }
sed -i '/^	TargetLanguage string$/a\
\
	// SkipLanguageDetection leaves Metadata.Language empty rather than\
	// classify the extracted text, unless TargetLanguage is set. (Added by\
	// compoundwatch'"'"'s third_party/trafilatura-skip-language.sh.)\
	SkipLanguageDetection bool' "$dst/core-options.go"
sed -i 's/^	lang := languageClassifier(tmpBodyText, tmpComments)$/	var lang string\
	if opts.TargetLanguage != "" || !opts.SkipLanguageDetection {\
		lang = languageClassifier(tmpBodyText, tmpComments)\
	}/' "$dst/core.go"
gofmt -l "$dst" | grep . && { echo "the patched copy is not gofmt-clean" >&2; exit 1; }
(cd "$root" && go build ./content)
echo "third_party/go-trafilatura is $mod@$version with SkipLanguageDetection"
