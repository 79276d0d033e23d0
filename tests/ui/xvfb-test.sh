#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# xvfb-test.sh: runs a test under its own Xvfb.  -displayfd makes the X
# server pick a free display number and tell us, so tests can run in parallel.
dir=$(mktemp -d) || exit 1
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$dir/display" 2>"$dir/log" &
xvfb=$!
i=0
while [ ! -s "$dir/display" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
if [ ! -s "$dir/display" ]; then
  echo "Xvfb did not start:" >&2; cat "$dir/log" >&2; kill $xvfb 2>/dev/null; rm -rf "$dir"; exit 1
fi
DISPLAY=:$(cat "$dir/display")
export DISPLAY
"$@"
rc=$?
kill $xvfb 2>/dev/null
wait $xvfb 2>/dev/null
rm -rf "$dir"
exit $rc
