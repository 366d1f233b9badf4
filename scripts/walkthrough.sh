#!/usr/bin/env bash
# A person's check of the real window on a real X server (not part of ctest): opens a copy of
# the example at 1024x700, steps through 20 revisions with the keyboard while reading the
# window's size back, presses Ctrl+F / Ctrl+H in the editor and types, then compares the
# revision files byte for byte, and saves screenshots at 1024x700 and 1600x1000 to look at.
# Usage: DISPLAY=:91 scripts/walkthrough.sh [OUTDIR]   (starts Xvfb on $DISPLAY if none runs)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin="$root/build/bin/retort-workbench"
out=${1:-$(mktemp -d)}
mkdir -p "$out"
: "${DISPLAY:?set DISPLAY to your own X display, e.g. :91}"
if ! xdpyinfo >/dev/null 2>&1; then
  Xvfb "$DISPLAY" -screen 0 1600x1000x24 >/dev/null 2>&1 &
  xvfb=$!
  sleep 2
fi
scratch=$(mktemp -d)
cleanup() { [ -n "${app:-}" ] && kill "$app" 2>/dev/null; [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
cp -r examples/coffee-shop "$scratch/coffee-shop"
rm -f "$scratch/coffee-shop/coffee.db"
(cd "$scratch/coffee-shop" && /usr/bin/python3 -m alembic upgrade 4b6d9e2f8a01 >/dev/null 2>&1)
export XDG_CONFIG_HOME="$scratch/config"
sums() { (cd "$scratch/coffee-shop" && md5sum alembic/versions/*.py); }
before=$(sums)
fail=0

"$bin" "$scratch/coffee-shop" --size 1024x700 --select 9a3c5f71e8d6 >/dev/null 2>&1 &
app=$!
for _ in $(seq 50); do
  win=$(xdotool search --name "coffee-shop — Retort" 2>/dev/null | head -1 || true)
  [ -n "$win" ] && break
  sleep 0.2
done
[ -n "$win" ] || { echo "FAIL: the window did not appear"; exit 1; }
sleep 2
geometry() { xdotool getwindowgeometry "$win" | sed -n 's/.*Geometry: //p'; }
start=$(geometry)
import -window root "$out/walk-1024-start.png"

# Step through revisions with the keyboard in the graph (a click on the first row first).
xdotool mousemove --window "$win" 120 100 click 1
for i in $(seq 20); do
  if [ $(( (i / 7) % 2 )) -eq 0 ]; then xdotool key --window "$win" Down; else xdotool key --window "$win" Up; fi
  sleep 0.15
  now=$(geometry)
  if [ "$now" != "$start" ]; then echo "FAIL: window size changed to $now (was $start) at step $i"; fail=1; fi
done
import -window root "$out/walk-1024-stepped.png"

# The editor: click into the text, Ctrl+F and type, Escape, Ctrl+H and type.
xdotool mousemove --window "$win" 800 330 click 1
sleep 0.3
xdotool key --window "$win" ctrl+f
sleep 0.3
xdotool type --window "$win" --delay 40 "zzz typed into find"
sleep 0.3
import -window root "$out/walk-1024-find.png"
xdotool key --window "$win" Escape
sleep 0.2
xdotool key --window "$win" ctrl+h
sleep 0.3
xdotool type --window "$win" --delay 40 "qqq"
sleep 0.3
import -window root "$out/walk-1024-replace.png"
xdotool key --window "$win" ctrl+s
sleep 1
after=$(sums)
if [ "$before" != "$after" ]; then echo "FAIL: a shortcut changed a revision file"; diff <(echo "$before") <(echo "$after") || true; fail=1; fi

# The same window at 1600x1000.
xdotool windowsize "$win" 1600 1000
sleep 1.5
import -window root "$out/walk-1600.png"
echo "window size while stepping: $start (stable unless FAIL above)"
echo "screenshots in $out"
exit $fail
