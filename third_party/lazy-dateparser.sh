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
echo "go-dateparser $version copied to $dst with lazy locale data"
