#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bundle.sh [BUILDDIR [OUTDIR [DATA]]]: pack wordloom-cli and the backend test programs with every
# shared library they load, so that they run on another x86-64 Linux (one without Debian's
# packages, such as a GPU machine that has only its driver) through LD_LIBRARY_PATH.
#
#   BUILDDIR  a configured meson build (default: build); the programs are built first
#   OUTDIR    where the bundle goes (default: BUILDDIR/wordloom-bundle), replaced; beside it
#             OUTDIR.tar.xz, the same packed small enough to travel (about 18 MB)
#   DATA      the labelled CSV/TSV that run-gpu.sh trains on (default: the bundled sample;
#             for the GPU run, ../shared/datasets/sms.tsv, which is never committed)
#
# The bundle holds:
#   bin/       wordloom-cli, test-backend-ops, test-backend-gradients, bench-gemm, bench-monitor
#   lib/       what ldd lists for them, less the C library (libc, libm, ld-linux, libpthread,
#              libdl, librt: the foreign machine's own are newer and compatible) and any GPU
#              driver; plus OpenBLAS (the blas backend opens it at run time) with its own
#              needs, and the OpenCL ICD loader (ocl-icd's libOpenCL.so.1)
#   bench/     the PyTorch peer and its helpers (tests/bench), for the same model on CUDA
#   data/      DATA
#   env.sh     sourced by the scripts: LD_LIBRARY_PATH, and an OpenCL vendor folder that
#              names NVIDIA's driver when the machine has libnvidia-opencl.so.1 but no
#              /etc/OpenCL/vendors entry for it
#   run-gpu.sh the device script (tests/device/run-gpu.sh)
#
# The OpenCL kernels are compiled into the engine as GResources, so they travel inside
# wordloom-cli.  Check a bundle here with tests/device/check-bundle.sh.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
out=${2:-$build/wordloom-bundle}
data=${3:-$top/data/sample/wordloom-sample.csv}
programs="app/wordloom-cli tests/compute/test-backend-ops tests/compute/test-backend-gradients
  tests/bench/bench-gemm tests/bench/bench-monitor"

[ -f "$build/build.ninja" ] || meson setup "$build" "$top" >&2
# shellcheck disable=SC2086
ninja -C "$build" $programs >&2

rm -rf "$out"
mkdir -p "$out/bin" "$out/lib" "$out/bench" "$out/data"

# The C library and the dynamic loader stay the machine's own; GPU drivers are never packed.
skip='^(linux-vdso|ld-linux|libc\.so|libm\.so|libpthread\.so|libdl\.so|librt\.so|libcuda|libnvidia)'

copy_needs () {
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | while read -r name path; do
    if printf '%s\n' "$name" | grep -Eq "$skip"; then
      continue
    fi
    [ -e "$out/lib/$name" ] || cp -L "$path" "$out/lib/$name"
  done
}

for p in $programs; do
  cp "$build/$p" "$out/bin/"
  copy_needs "$build/$p"
done

# OpenBLAS is opened by name at run time (libopenblas.so.0), so ldd does not list it.
openblas=$(ldconfig -p | awk '$1 == "libopenblas.so.0" && /x86-64/ { print $NF; exit }')
[ -n "$openblas" ] || { echo "bundle.sh: libopenblas.so.0 not found (apt-get install libopenblas0)" >&2; exit 1; }
cp -L "$openblas" "$out/lib/libopenblas.so.0"
copy_needs "$openblas"

# The ICD loader is what wordloom-cli links (libOpenCL.so.1, from ocl-icd); it reads the
# vendor files named by OCL_ICD_VENDORS or /etc/OpenCL/vendors.
[ -e "$out/lib/libOpenCL.so.1" ] || { echo "bundle.sh: libOpenCL.so.1 missing from ldd's list" >&2; exit 1; }

cp "$top/tests/bench/peer_torch.py" "$top/tests/bench/bench_data.py" \
   "$top/tests/bench/bench_tools.py" "$out/bench/"
cp "$data" "$out/data/"
cp "$top/tests/device/run-gpu.sh" "$out/"
cp "$top/tests/device/env.sh" "$out/"
chmod +x "$out/run-gpu.sh"

tar -C "$(dirname "$out")" -cJf "$out.tar.xz" "$(basename "$out")"
echo "bundle.sh: $out ($(du -sh "$out" | cut -f1), $(ls "$out/lib" | wc -l) libraries)" >&2
echo "$out"
