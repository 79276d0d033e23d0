#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The live verdict on real runs, and what prefetching the windows of a large file gains: the
# share of the training threads' time spent waiting for input and the mean wait for one window
# or batch, with the next window read ahead (the default) and with WORDLOOM_PREFETCH=0 (each
# window read when it is needed), side by side in one invocation, each pair run in turn so that
# the machine's load hits both alike.
#
#   ninja -C build app/wordloom-cli
#   /usr/bin/python3 tests/bench/bench-verdict.py --builddir build [--datasets /work/shared/datasets]
#
# Rows: each model on mr.tsv in memory (the neural ones, whose next batch is assembled ahead,
# with and without prefetching), then the --window-models (linear and embedding-bag) in
# windows of --window-rows rows (WORDLOOM_WINDOW_ROWS) with and without prefetching.  The
# figures are the trainer's own (the `verdict` event over the whole training, `--json`).

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

NEURAL = ("mlp", "textcnn", "lstm", "gru")

def train(cli, data, model, extra, env_extra, store):
    command = [cli, "train", "--input", data, "--text-column", "text", "--model", model,
               "--no-record", "--json", "--output", os.path.join(store, "m.wlm"), *extra]
    env = dict(os.environ, LC_ALL="C.UTF-8", **env_extra)
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.monotonic() - start
    if result.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(command), result.stderr[-3000:]))
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    whole = next(e for e in events if e["event"] == "verdict" and e["whole"])
    summary = next(e for e in events if e["event"] == "summary")
    return wall, whole, summary


def row(label, wall, whole, summary):
    busy = whole.get("device_busy")
    print("| %s | %s%s | %.1f %% | %.2f | %s | %.2f | %.4f |" % (
        label, whole["verdict"], " (moderately)" if whole["moderately"] else "",
        100 * whole["input_share"], whole["input_wait_ms"],
        "—" if busy is None else "%.0f %%" % (100 * busy),
        summary["stage_seconds"]["train"], summary["test"]["accuracy"]), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--builddir", default="build")
    parser.add_argument("--datasets", default="/work/shared/datasets")
    parser.add_argument("--models", default="embedding-bag,linear,lstm")
    parser.add_argument("--epochs", default="3")
    parser.add_argument("--threads", default="2")
    parser.add_argument("--window-rows", default="2000")
    parser.add_argument("--window-models", default="linear,embedding-bag")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    cli = os.path.join(args.builddir, "app", "wordloom-cli")
    data = os.path.join(args.datasets, "mr.tsv")
    common = ["--epochs", args.epochs, "--threads", args.threads]
    with tempfile.TemporaryDirectory(prefix="wl-bench-verdict-") as out:
        print("| run | verdict | waiting for input | ms a window/batch | device busy | train s | test acc |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        memory = {"WORDLOOM_WINDOW_ROWS": "0"}
        for model in filter(None, args.models.split(",")):
            if model not in NEURAL:
                row("mr %s, in memory" % model, *train(cli, data, model, common, memory, out))
                continue
            for r in range(args.repeat):
                row("mr %s, in memory, prefetch" % model, *train(cli, data, model, common, memory, out))
                row("mr %s, in memory, no prefetch" % model,
                    *train(cli, data, model, common, dict(memory, WORDLOOM_PREFETCH="0"), out))
        for model in filter(None, args.window_models.split(",")):
            for r in range(args.repeat):
                windows = {"WORDLOOM_WINDOW_ROWS": args.window_rows}
                row("mr %s, windows of %s, prefetch" % (model, args.window_rows),
                    *train(cli, data, model, common, windows, out))
                row("mr %s, windows of %s, no prefetch" % (model, args.window_rows),
                    *train(cli, data, model, common, dict(windows, WORDLOOM_PREFETCH="0"), out))


if __name__ == "__main__":
    main()
