#!/usr/bin/env bash
# Makes go-dateparser's locale data load on first use instead of at
# program start. Upstream builds all 200-odd locales (maps, merged
# translations, compiled regexps) in package init: about 0.3 s of CPU and
# 95 MB allocated in every process that links it, used or not. We link it
# only through go-htmldate (via go-trafilatura), for HTML pages whose date
# needs the extensive search, so most commands never touch it.
#
# Usage, to refresh the copy after a version bump in go.mod:
#   third_party/lazy-dateparser.sh VERSION
# It copies the module from the module cache (sources, embedded data and
# licences; no tests or scripts) into third_party/go-dateparser and
# rewrites internal/data: each file's init becomes a named function, all
# of them run once, in the file order Go would have run them, by the first
# GetLocaleData call, the package's only entry point to locale data.
set -euo pipefail
version="${1:?usage: $0 VERSION (e.g. v1.4.7)}"
root="$(cd "$(dirname "$0")/.." && pwd)"
mod=github.com/markusmobius/go-dateparser
src="$(cd "$root" && go mod download -json "$mod@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
dst="$root/third_party/go-dateparser"
rm -rf "$dst"
mkdir -p "$dst"
(cd "$src" && find . \( -name '*.go' ! -name '*_test.go' ! -path './scripts/*' \) -o -name data.json -o -name go.mod -o -name go.sum -o -name 'LICENSE*') |
  while read -r f; do
    mkdir -p "$dst/$(dirname "$f")"
    cp "$src/$f" "$dst/$f"
  done
chmod -R u+w "$dst"

data="$dst/internal/data"
grep -q '^func GetLocaleData(locale string) (\*LocaleData, bool) {$' "$data/00-locale-data.go" ||
  { echo "GetLocaleData changed upstream: review the patch" >&2; exit 1; }
calls=""
for f in $(cd "$data" && ls *.go | LC_ALL=C sort); do
  grep -q '^func init() {$' "$data/$f" || continue
  name="init_$(basename "$f" .go | tr -c 'A-Za-z0-9\n' '_')"
  sed -i "s/^func init() {\$/func $name() {/" "$data/$f"
  calls+="		$name()"$'\n'
done
sed -i 's/^func GetLocaleData(locale string) (\*LocaleData, bool) {$/&\n\tloadOnce.Do(load)/' "$data/00-locale-data.go"
cat >"$data/zz-lazy.go" <<GO
// Added by compoundwatch's third_party/lazy-dateparser.sh: the locales are
// built on first use rather than at program start.

package data

import "sync"

var loadOnce sync.Once

func load() {
${calls}}
GO
gofmt -w "$data/zz-lazy.go"
# The timezone tables (some 600 compiled regexps, 25 ms at every start)
# become a function run once by the first of the package's three entry
# points that reads them.
tz="$dst/internal/timezone"
grep -q '^var timezoneOffsets, rxSearch, rxSearchIgnoreCase, rxTimezoneToken = func() (\[\]OffsetData, \*regexp.Regexp, \*regexp.Regexp, \*regexp.Regexp) {$' "$tz/tz-offsets.go" &&
  [[ "$(tail -n1 "$tz/tz-offsets.go")" == "}()" ]] &&
  [[ "$(grep -l 'timezoneOffsets\|rxSearch\|rxTimezoneToken' "$tz"/*.go | xargs -n1 basename | tr '\n' ' ')" == "parser.go tz-offsets.go " ]] ||
  { echo "timezone tables changed upstream: review the patch" >&2; exit 1; }
sed -i 's/^var timezoneOffsets, rxSearch, rxSearchIgnoreCase, rxTimezoneToken = func() /func buildTimezones() /' "$tz/tz-offsets.go"
sed -i '$ s/^}()$/}/' "$tz/tz-offsets.go"
for f in IsTimezoneToken PopTzOffset WordIsTz; do
  grep -q "^func $f(" "$tz/parser.go" || { echo "timezone.$f changed upstream: review the patch" >&2; exit 1; }
  sed -i "/^func $f(/a\\	loadTimezones()" "$tz/parser.go"
done
cat >"$tz/zz-lazy.go" <<'GO'
// Added by compoundwatch's third_party/lazy-dateparser.sh: the timezone
// tables are built on first use rather than at program start.

package timezone

import (
	"sync"

	"github.com/markusmobius/go-dateparser/internal/regexp"
)

var (
	timezonesOnce                                 sync.Once
	timezoneOffsets                               []OffsetData
	rxSearch, rxSearchIgnoreCase, rxTimezoneToken *regexp.Regexp
)

func loadTimezones() {
	timezonesOnce.Do(func() {
		timezoneOffsets, rxSearch, rxSearchIgnoreCase, rxTimezoneToken = buildTimezones()
	})
}
GO
gofmt -l "$tz" | grep . && { echo "timezone patch is not gofmt-clean" >&2; exit 1; }
echo "go-dateparser $version copied to $dst with lazy locale data and timezone tables"
