#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-fuzz.sh TARGET SECONDS SEEDS WORKDIR [LIBFUZZER-OPTION…]
#
# Runs the libFuzzer TARGET for SECONDS on the committed seed corpus SEEDS
# (read only) plus WORKDIR/corpus, where it keeps the inputs it finds; a
# crashing input lands in WORKDIR as crash-… (rerun it: TARGET FILE).
# Used by the meson tests of tests/fuzz and by `./run fuzz`.
set -eu
target="$1"
seconds="$2"
seeds="$3"
work="$4"
shift 4
mkdir -p "$work/corpus"
# A critical (a failed g_return_if_fail) is a finding too.
export G_DEBUG=fatal-criticals
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
# libFuzzer's own exit code on a finding is 77, which meson reads as a skip.
exec "$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -print_final_stats=1 -artifact_prefix="$work/" "$@" "$work/corpus" "$seeds"
