#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# take-screenshots.sh BUILDDIR [OUTDIR]: the README's screenshots, taken from
# the running app on the real datasets (../shared/datasets) and driven the
# way a person would, with its keyboard shortcuts (xdotool), under Xvfb.
#
#   tests/ui/take-screenshots.sh build docs/screenshots
#
# Needs xvfb, xdotool, imagemagick (import) and dbus-daemon.  Takes a few
# minutes: every session trains a model on a real dataset.  The sessions
# share one run store, so the last one's Runs page lists all three runs.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
out=$(mkdir -p "${2:-$top/docs/screenshots}" && cd "${2:-$top/docs/screenshots}" && pwd)
datasets="${WORDLOOM_DATASETS:-$top/../shared/datasets}"
tmp=$(mktemp -d)
app= xvfb=
stop () {
  # wait gives the killed process's status (143): not a failure here.
  [ -n "$app" ] && kill "$app" 2>/dev/null && { wait "$app" 2>/dev/null || true; }
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null && { wait "$xvfb" 2>/dev/null || true; }
  app= xvfb=
  return 0
}
trap 'stop; rm -rf "$tmp"' EXIT

# The window's title says the run's state ("sms.tsv — Finished — Wordloom").
wait_title () {  # WINDOW REGEX SECONDS
  i=0
  while ! xdotool getwindowname "$1" | grep -qE "$2"; do
    i=$((i + 1))
    [ $i -gt $(($3 * 4)) ] && { echo "take-screenshots: timed out waiting for /$2/" >&2; return 1; }
    sleep 0.25
  done
}

shot () {  # WINDOW NAME
  sleep 1.5
  import -window "$1" "$out/$2.png"
  echo "  $out/$2.png"
}

# One app session: NAME LOCALE SCHEME DATAFILE CONFIG_JSON MID_SECONDS
session () {
  name=$1 locale=$2 scheme=$3 data=$4 config=$5 mid=$6
  printf '%s\n' "$config" > "$tmp/$name.json"
  echo "== $name: $(basename "$data"), $locale, $scheme"
  Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$tmp/display" 2>/dev/null &
  xvfb=$!
  while [ ! -s "$tmp/display" ]; do sleep 0.1; done
  DISPLAY=:$(cat "$tmp/display") LC_ALL=$locale LANG=$locale ADW_DEBUG_COLOR_SCHEME=$scheme \
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" WORDLOOM_LOCALEDIR="$build/po" \
    GTK_A11Y=none WORDLOOM_STORE="$tmp/runs.sqlite" setsid dbus-run-session -- "$build/app/wordloom" --config "$tmp/$name.json" "$data" \
    >"$tmp/$name.log" 2>&1 &
  app=$!
  export DISPLAY=:$(cat "$tmp/display")
  win=$(xdotool search --sync --onlyvisible --name "Wordloom" | head -n 1)
  sleep 4
  xdotool key --window "$win" alt+1; shot "$win" "data-$name"
  xdotool key --window "$win" alt+2; shot "$win" "clean-$name"
  xdotool key --window "$win" alt+3; shot "$win" "model-$name"
  xdotool key --window "$win" ctrl+Return
  sleep "$mid"
  xdotool key --window "$win" alt+4; shot "$win" "train-running-$name"
  xdotool key --window "$win" alt+5; shot "$win" "resources-$name"
  # Anything but the running state: finished (or failed, which the shot shows).
  wait_title "$win" "$(basename "$data") — [^—]+ — " 600
  while xdotool getwindowname "$win" | grep -qE "Training|训练中|訓練中"; do sleep 0.5; done
  xdotool key --window "$win" alt+4; shot "$win" "train-$name"
  xdotool key --window "$win" alt+6; shot "$win" "results-$name"
  xdotool key --window "$win" alt+7; shot "$win" "runs-$name"
  stop
  unset DISPLAY
  rm -f "$tmp/display"
}

session light C.UTF-8 prefer-light "$datasets/sms.tsv" '{"model": {"type": "lstm"}}' 6
session dark C.UTF-8 prefer-dark "$datasets/chnsenticorp.csv" '{"model": {"type": "textcnn"}}' 15
session zh_CN zh_CN.UTF-8 prefer-light "$datasets/chnsenticorp.csv" '{"model": {"type": "lstm"}}' 15
