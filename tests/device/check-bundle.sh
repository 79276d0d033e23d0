#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check-bundle.sh BUILDDIR: makes a bundle (bundle.sh) and runs it as a foreign machine
# would, with an empty environment: every library its programs load must come from the
# bundle or be the C library; the OpenCL loader it carries must find the machine's driver
# (pocl here); and wordloom-cli must list that device and train a neural model on it.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bundle=$("$top/tests/device/bundle.sh" "$build" "$tmp/bundle")
fail () { echo "check-bundle: $*" >&2; exit 1; }

in_bundle () {  # the command, with nothing of this machine's environment but PATH
  env -i PATH=/usr/bin:/bin HOME="$tmp" bash -c "cd '$bundle' && . ./env.sh && $1"
}

for p in "$bundle"/bin/* "$bundle/lib/libopenblas.so.0"; do
  libs=$(in_bundle "ldd '$p'")
  if printf '%s\n' "$libs" | grep -q 'not found'; then
    fail "$(basename "$p") misses a library: $(printf '%s\n' "$libs" | grep 'not found')"
  fi
  outside=$(printf '%s\n' "$libs" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' |
            grep -v "^$bundle/lib/" | grep -Ev '/(libc|libm|libpthread|libdl|librt)\.so' || true)
  [ -z "$outside" ] || fail "$(basename "$p") loads libraries from outside the bundle: $outside"
done
echo "check-bundle: every program loads only the bundle's libraries and the C library"

devices=$(in_bundle "wordloom-cli devices")
printf '%s\n' "$devices"
printf '%s\n' "$devices" | grep -q '^opencl:0:0' || fail "the bundle's OpenCL loader found no device"
printf '%s\n' "$devices" | grep -q '^cpu  *blas .*OpenBLAS' || fail "the bundle's OpenBLAS did not load"

in_bundle "wordloom-cli train --input data/* --model mlp --device opencl:0:0 --epochs 1 \
  --threads 2 --no-record --output '$tmp/mlp.wlm'" > "$tmp/train.log" 2>&1 ||
  { cat "$tmp/train.log"; fail "training on the OpenCL device from the bundle failed"; }
tail -n 3 "$tmp/train.log"
in_bundle "bench-gemm 128" | grep -q 'opencl' || fail "bench-gemm did not reach the OpenCL device"
echo "check-bundle: the bundle trains on OpenCL (pocl) with an empty environment"
