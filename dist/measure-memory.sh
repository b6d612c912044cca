#!/usr/bin/env bash
# The app's peak resident memory as a user meets it: `large:N` served by `rpdesk emulator`
# in another process, the app in a 1600x1000 window under Xvfb (Mesa, no GPU), the fleet
# loaded, then "Every point below" ticked with xdotool. Prints VmHWM (the peak resident
# set) once loaded and once the table of every point is shown. `import -window root`
# (imagemagick) with the same DISPLAY shows whether the box was ticked.
# Usage: dist/measure-memory.sh [path/to/rpdesk] [VMS]   (defaults: target/release/rpdesk 10000)
# Needs: Xvfb, xdotool (Debian: xvfb xdotool).
set -euo pipefail
bin="${1:-target/release/rpdesk}"
vms="${2:-10000}"
# A display nobody holds (an X server leaves /tmp/.X<n>-lock while it runs).
n=$((70 + RANDOM % 20))
while [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
display=:$n
port=$((17000 + RANDOM % 1000))
data=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$data"
}
trap cleanup EXIT

Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
pids+=($!)
"$bin" emulator --listen "127.0.0.1:$port" --estate "large:$vms" --page-size 100 \
    --no-throttling >/dev/null 2>&1 &
emulator=$!
pids+=("$emulator")
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do
    kill -0 "$emulator" 2>/dev/null || { echo "the emulator did not start (large:$vms)" >&2; exit 1; }
    sleep 0.5
done

# Its own settings too (XDG_DATA_HOME): the user's keep their connection and window.
DISPLAY=$display WGPU_BACKEND=gl XDG_DATA_HOME="$data" "$bin" --endpoint "http://127.0.0.1:$port" --token any \
    --data-dir "$data" --size 1600x1000 >/dev/null 2>&1 &
app=$!
pids+=("$app")
alive() { kill -0 "$app" 2>/dev/null || { echo "the app exited before it was measured" >&2; exit 1; }; }
peak() { awk '/VmHWM/ {printf "%.1f MiB (%d KiB)", $2 / 1024, $2}' "/proc/$app/status"; }

# Loaded: the status bar's request count stops moving; the load of large:10000 takes
# about 5 s here, so 20 s leaves room.
sleep 20
alive
echo "loaded: peak $(peak)"
window=$(DISPLAY=$display xdotool search --name rpdesk | head -1)
DISPLAY=$display xdotool windowfocus "$window"
sleep 0.5
# The "Every point below" check box, right of the table's filter, in a 1600x1000 window.
DISPLAY=$display xdotool mousemove 1056 52 click 1
sleep 6
alive
echo "every point in the table: peak $(peak)"
