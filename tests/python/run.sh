#!/usr/bin/env bash
# Runs Microsoft's Azure SDK for Python against a freshly started `rpdesk emulator`.
# Usage: tests/python/run.sh   (from anywhere; builds nothing, expects the rpdesk binary)
# Env: RPDESK_BIN (default: $CARGO_TARGET_DIR/debug/rpdesk or target/debug/rpdesk),
#      RPDESK_VENV (default: tests/python/.venv).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${RPDESK_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/rpdesk}"
venv="${RPDESK_VENV:-$here/.venv}"

if [[ ! -x "$bin" ]]; then
    echo "rpdesk binary not found at $bin (run cargo build first)" >&2
    exit 2
fi
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

out="$(mktemp)"
# A fast virtual clock keeps the SDK's Retry-After waits short.
"$bin" emulator --listen 127.0.0.1:0 --estate demo --speed 30 >"$out" 2>&1 &
emu=$!
trap 'kill "$emu" 2>/dev/null || true; wait "$emu" 2>/dev/null || true; rm -f "$out"' EXIT

url=""
for _ in $(seq 1 100); do
    line="$(head -n 1 "$out" 2>/dev/null || true)"
    if [[ "$line" == "listening on http://"* ]]; then
        url="${line#listening on }"
        break
    fi
    if ! kill -0 "$emu" 2>/dev/null; then
        echo "emulator exited early:" >&2
        cat "$out" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z "$url" ]]; then
    echo "emulator did not print its address" >&2
    exit 1
fi

RPDESK_EMULATOR_URL="$url" "$venv/bin/python" -m pytest -q "$here/test_sdk_lifecycle.py" "$@"
