#!/usr/bin/env bash
# A person's check of the real window on a real X server (not part of ctest), at 1024x700,
# 1600x1000 and 1920x1080: opens a copy of the example whose database is at 4b6d9e2f8a01,
# steps through 20 revisions with the keyboard while reading the window's size back, presses
# Ctrl+F / Ctrl+H (typing into the find bar), Escape and Ctrl+S with nothing changed in the
# editor, then compares the project's files byte for byte; reads the screenshot back for the
# applied-row colour (applied and pending told apart) and for whole messages at 1024x700 (each
# applied row's Message cell drawn pixel for pixel as at 1920x1080, where nothing is elided;
# scripts/walkthrough-messages.py). Prints PASS/FAIL lines; screenshots are left in OUTDIR.
# Usage: DISPLAY=:91 scripts/walkthrough.sh [OUTDIR]   (starts Xvfb on $DISPLAY if none runs)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin="$root/build/bin/retort-workbench"
out=${1:-$(mktemp -d)}
mkdir -p "$out"
: "${DISPLAY:?set DISPLAY to your own X display, e.g. :91}"
if ! xdpyinfo >/dev/null 2>&1; then
  Xvfb "$DISPLAY" -screen 0 1920x1080x24 >/dev/null 2>&1 &
  xvfb=$!
  sleep 2
fi
scratch=$(mktemp -d)
app=
cleanup() { [ -n "$app" ] && kill "$app" 2>/dev/null; [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
fail=0
pass() { echo "PASS: $*"; }
failed() { echo "FAIL: $*"; fail=1; }

cp -r examples/coffee-shop "$scratch/coffee-shop"
rm -f "$scratch/coffee-shop/coffee.db"
(cd "$scratch/coffee-shop" && /usr/bin/python3 -m alembic upgrade 4b6d9e2f8a01 >/dev/null 2>&1)
export XDG_CONFIG_HOME="$scratch/config"
# Every file of the project but the database and caches: nothing a shortcut may write.
sums() { (cd "$scratch/coffee-shop" && find . -type f ! -name '*.db' ! -path '*__pycache__*' -print0 | sort -z | xargs -0 md5sum); }
before=$(sums)

for size in 1024x700 1600x1000 1920x1080; do
  w=${size%x*}; h=${size#*x}
  "$bin" "$scratch/coffee-shop" --size "$size" --select 9a3c5f71e8d6 >/dev/null 2>&1 &
  app=$!
  win=
  for _ in $(seq 100); do
    win=$(xdotool search --name "coffee-shop — Retort" 2>/dev/null | head -1 || true)
    [ -n "$win" ] && break
    sleep 0.2
  done
  if [ -z "$win" ]; then failed "$size: the window did not appear"; kill "$app"; app=; continue; fi
  sleep 2
  geometry() { xdotool getwindowgeometry "$win" | sed -n 's/.*Geometry: //p'; }
  start=$(geometry)
  [ "$start" = "$size" ] && pass "$size: window opened at $start" || failed "$size: window opened at $start"
  import -window root "$out/walk-$size-start.png"

  # Step through revisions with the keyboard in the graph (a click on the first row first).
  xdotool mousemove --window "$win" 120 100 click 1
  moved=
  for i in $(seq 20); do
    if [ $(( (i / 7) % 2 )) -eq 0 ]; then xdotool key --window "$win" Down; else xdotool key --window "$win" Up; fi
    sleep 0.15
    now=$(geometry)
    [ "$now" != "$start" ] && moved="$moved step $i: $now;"
  done
  [ -z "$moved" ] && pass "$size: window size stable over 20 steps ($start)" || failed "$size: window size changed:$moved"
  import -window root "$out/walk-$size-stepped.png"

  # Applied and pending told apart: the applied rows' state cell fill is on screen, and so is
  # the pending text colour (the database is at 4b6d9e2f8a01, so both kinds exist).
  applied=$(convert "$out/walk-$size-stepped.png" -fill black +opaque "#d8eedc" -fill white -opaque "#d8eedc" \
              -format "%[fx:int(mean*w*h)]" info:)
  pending=$(convert "$out/walk-$size-stepped.png" -fill black +opaque "#707070" -fill white -opaque "#707070" \
              -format "%[fx:int(mean*w*h)]" info:)
  if [ "$applied" -gt 200 ] && [ "$pending" -gt 20 ]; then
    pass "$size: applied ($applied px of its fill) and pending ($pending px of its text) both shown"
  else
    failed "$size: applied/pending not told apart (applied fill $applied px, pending text $pending px)"
  fi

  # The editor: click into the text, Ctrl+F and type, Escape, Ctrl+H and type, Escape, Ctrl+S.
  xdotool mousemove --window "$win" $(( w * 3 / 4 )) $(( h / 2 )) click 1
  sleep 0.3
  for step in "ctrl+f:zzz typed into find:find" "ctrl+h:qqq:replace"; do
    IFS=: read -r keys text shot <<<"$step"
    xdotool key --window "$win" "$keys"
    sleep 0.3
    xdotool type --window "$win" --delay 40 "$text"
    sleep 0.3
    import -window root "$out/walk-$size-$shot.png"
    xdotool key --window "$win" Escape
    sleep 0.2
  done
  xdotool key --window "$win" ctrl+s
  sleep 1
  after=$(sums)
  if [ "$before" = "$after" ]; then
    pass "$size: no file changed by Ctrl+F, typing, Escape, Ctrl+H, typing, Escape, Ctrl+S"
  else
    failed "$size: a shortcut changed a file"; diff <(echo "$before") <(echo "$after") || true
  fi
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  app=
done
# Full messages legible at 1024x700: an elided message ends in "…" where the wide window has
# its last words.
if report=$(python3 scripts/walkthrough-messages.py "$out/walk-1024x700-start.png" "$out/walk-1920x1080-start.png"); then
  pass "1024x700: messages whole, as at 1920x1080 ($report)"
else
  failed "1024x700: messages cut short: $report"
fi
echo "screenshots in $out"
exit $fail
