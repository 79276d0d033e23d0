#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# build.sh: builds and installs the Wordloom Flatpak for this user, on a
# machine with flatpak, flatpak-builder and the network (Flathub).
#
#   flatpak/build.sh           check the manifest (tags looked up), install the
#                              GNOME runtime and SDK if missing, build, install
#   flatpak/build.sh --bundle  the same, then wordloom.flatpak, a single-file bundle
set -eu

here=$(cd "$(dirname "$0")" && pwd)
manifest="$here/org.wordloom.Wordloom.yml"
version=$(sed -n "s/^runtime-version: '\([0-9]*\)'$/\1/p" "$manifest")

for tool in flatpak flatpak-builder git python3; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing; install it first" >&2; exit 1; }
done
python3 "$here/check-manifest.py" --online "$manifest"
flatpak remote-add --user --if-not-exists flathub https://dl.flathub.org/repo/flathub.flatpakrepo
flatpak install --user --noninteractive flathub "org.gnome.Platform//$version" "org.gnome.Sdk//$version"
flatpak-builder --user --install --force-clean --repo="$here/.flatpak-builder/repo" \
  --state-dir="$here/.flatpak-builder" "$here/build-dir" "$manifest"
if [ "${1:-}" = "--bundle" ]; then
  flatpak build-bundle "$here/.flatpak-builder/repo" "$here/wordloom.flatpak" org.wordloom.Wordloom
  echo "build.sh: $here/wordloom.flatpak"
fi
echo "build.sh: run it with: flatpak run org.wordloom.Wordloom"
