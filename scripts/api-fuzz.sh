#!/usr/bin/env bash
# Fuzzes `embargo serve` against its own OpenAPI document with schemathesis (PyPI):
# every check (`--checks all`: no 5xx, statuses, content types, headers and bodies as
# documented, schema-valid requests accepted, schema-violating ones refused, auth);
# a bounded number of cases per operation, on 127.0.0.1 with the small fixture rules;
# country, currency, IMO and party-name fields drawn by the formats the document names
# (scripts/api_fuzz_hooks.py), as no pattern can say which of those values are valid.
# Twice: without a token (the document then declares no security) and with one.
# Fails on any finding. About a minute on two cores with the defaults.
#   scripts/api-fuzz.sh                       # what CI runs
#   API_FUZZ_EXAMPLES=300 API_FUZZ_SEED=7 scripts/api-fuzz.sh   # a longer, other run
# Needs python3 (with venv) and PyPI for the first run; API_FUZZ_VENV may name a
# virtualenv that already has schemathesis $SCHEMATHESIS_VERSION. EMBARGO_BIN=path
# fuzzes another build instead of this tree's debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
SCHEMATHESIS_VERSION=4.32.5
EXAMPLES="${API_FUZZ_EXAMPLES:-50}"
SEED="${API_FUZZ_SEED:-1}"
RULES="tests/fixtures/rules/valid/dprk-mini"
work="$root/target/api-fuzz"
venv="${API_FUZZ_VENV:-$work/venv}"
mkdir -p "$work"

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
server_bin="${EMBARGO_BIN:-}"
if [ -z "$server_bin" ]; then
    cargo build --locked --quiet -p embargo-cli --bin embargo
    server_bin=target/debug/embargo
fi

server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
trap stop_server EXIT

# Starts the server (with EMBARGO_TOKEN=$1 when given) and sets $addr.
start_server() {
    local log="$work/server.log"
    if [ -n "${1:-}" ]; then
        EMBARGO_TOKEN="$1" "$server_bin" serve --rules "$RULES" --addr 127.0.0.1:0 2>"$log" &
    else
        env -u EMBARGO_TOKEN "$server_bin" serve --rules "$RULES" --addr 127.0.0.1:0 2>"$log" &
    fi
    server_pid=$!
    addr=""
    for _ in $(seq 1 600); do
        addr="$(sed -n 's/.*listening on http:\/\/\([^ ]*\).*/\1/p' "$log")"
        [ -n "$addr" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$log" >&2
    echo "api-fuzz: the server did not start" >&2
    exit 1
}

# Runs schemathesis from the work folder, where it keeps its example database.
fuzz() {
    # Country and place fields take values the service understands (see the hooks).
    # The coverage phase draws boundary values from a field's pattern and not from
    # the registered formats (it sends `0` as a country), so it is left out. No
    # example database: each run draws the same cases from the seed.
    (cd "$work" && PYTHONPATH="$root/scripts" SCHEMATHESIS_HOOKS=api_fuzz_hooks "$venv/bin/schemathesis" run "http://$addr/openapi.json" \
        --phases examples,fuzzing,stateful --generation-database none \
        --checks all --max-examples "$EXAMPLES" --seed "$SEED" --workers 1 "$@")
}

echo "== api-fuzz: no token"
start_server ""
fuzz
stop_server

echo "== api-fuzz: bearer token"
token="api-fuzz-$$"
start_server "$token"
fuzz -H "Authorization: Bearer $token"
stop_server
echo "api-fuzz: no findings"
