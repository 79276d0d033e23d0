#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The engine and the CLI must not depend on GTK (see DESIGN.md): no GTK
# library in the CLI's dynamic dependencies, no GTK header in engine/.
set -eu
cli="$1"
src="$2"
if ldd "$cli" | grep -Ei 'libgtk|libadwaita|libgdk'; then
  echo "FAIL: $cli links GTK" >&2
  exit 1
fi
if grep -rEn '#include <(gtk|adwaita|gdk)' "$src/engine"; then
  echo "FAIL: engine/ includes a GTK header" >&2
  exit 1
fi
# Prove the check can see a GTK dependency at all: the C library is there.
ldd "$cli" | grep -q 'libc\.so' || { echo "FAIL: ldd shows nothing for $cli" >&2; exit 1; }
echo "ok: $cli and engine/ are free of GTK"
