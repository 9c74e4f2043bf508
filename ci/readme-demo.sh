#!/usr/bin/env bash
# Runs the README's scheduling and correction commands, as written, against
# a fresh `imprint serve --demo` (on a free port instead of 8080), and checks
# they answer what the README says.
#
#   ci/readme-demo.sh target/debug/imprint
set -euo pipefail

imprint=$1
workdir=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

# The first ```sh block after the heading "$1", with the port replaced.
block() {
    awk -v heading="$1" '
        $0 == heading { found = 1; next }
        found && /^```sh$/ { inside = 1; next }
        inside && /^```$/ { exit }
        inside { print }
    ' README.md | sed "s/127\.0\.0\.1:8080/127.0.0.1:$port/g"
}

port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')
DATABASE_URL="sqlite://$workdir/demo.db?mode=rwc" RUST_LOG=warn \
    "$imprint" serve --demo --bind "127.0.0.1:$port" </dev/null >"$workdir/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 1
done
if ! curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null; then
    echo "imprint serve --demo did not answer /healthz within 60s:" >&2
    cat "$workdir/server.log" >&2
    exit 1
fi

# expect NAME OUTPUT TEXT...: every TEXT is in OUTPUT.
expect() {
    local name=$1 output=$2
    shift 2
    for text in "$@"; do
        if [[ "$output" != *"$text"* ]]; then
            echo "README's $name commands did not answer $text:" >&2
            echo "$output" >&2
            echo "server log:" >&2
            cat "$workdir/server.log" >&2
            exit 1
        fi
    done
    echo "README's $name commands answered as the README says"
}

for heading in "### Scheduled publishing" "### Corrections"; do
    if [ -z "$(block "$heading")" ]; then
        echo "README has no sh block under $heading" >&2
        exit 1
    fi
done
corrected=$(bash -c "$(block "### Corrections")")
expect corrections "$corrected" '"correctPaper":{"version"' \
    'Corrected on' 'The English title left out its subtitle.' '"kind":"CORRECTED"'
scheduled=$(bash -c "$(block "### Scheduled publishing")")
expect scheduling "$scheduled" '"submitReview":{"status":"SUBMITTED"}' \
    '"stage":"SCHEDULED"' '"code":"NOT_FOUND"' '"stage":"PUBLISHED"'
