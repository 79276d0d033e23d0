#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Distributed training on one machine: time and test accuracy of 1 process against 2 ranks
# under mpirun (`--oversubscribe`), on the real datasets, and what the collectives cost.
#
#   ninja -C build app/wordloom-cli
#   /usr/bin/python3 tests/bench/bench-mpi.py --builddir build [--datasets /work/shared/datasets]
#       [--only sms.tsv,mr.tsv]
#
# mlp trains synchronously data-parallel: 2 ranks × batch B against 1 process × batch 2B (the
# same effective batch, so the accuracies should agree).  embedding-bag and linear step at 2 × the
# rate on each rank and average the ranks' weights after each pass, against 1 process on the
# whole pass.  Each process uses --threads 1,
# so 2 ranks use 2 cores against 1: the ratio of train times is the speed-up on this machine.
# The communication line is the trainer's own measure (wall time inside MPI calls, waiting for
# the slower rank included), per pass and per step (steps = passes × batches of the global batch).
# The load stage: each rank reads its byte range of the file ("read MB": by rank 0 and 1), the
# ranks agree on the records and share the rows; "same split" says whether the 2-rank run's
# parts (rows, labels, order) have the digest of the 1-process run's.

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

DATASETS = [
    ("sms.tsv", ["--text-column", "msg"]),
    ("chnsenticorp.csv", ["--text-column", "review"]),
    ("mr.tsv", ["--text-column", "text"]),
]
COMM = re.compile(r"Communication: ([0-9.]+) s in ([0-9]+) collective calls over ([0-9]+) passes")
READ = re.compile(r"processes read its ([0-9]+) bytes in ranges \(bytes read by rank 0, 1…: ([0-9, ]+)\)")


def train(command):
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, LC_ALL="C.UTF-8"))
    wall = time.monotonic() - start
    if result.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(command), result.stderr[-3000:]))
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    summary = next(e for e in events if e["event"] == "summary")
    comm = read = None
    for e in events:
        if e["event"] == "message" and COMM.search(e["message"]):
            seconds, calls, passes = COMM.search(e["message"]).groups()
            comm = (float(seconds), int(calls), int(passes))
        if e["event"] == "message" and READ.search(e["message"]):
            read = [int(b) for b in READ.search(e["message"]).group(2).split(", ")]
    return wall, summary, comm, read


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--builddir", default="build")
    parser.add_argument("--datasets", default="/work/shared/datasets")
    parser.add_argument("--only", help="comma-separated file names of the datasets to run (default: all)")
    parser.add_argument("--models", default="mlp,embedding-bag,linear")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32, help="per rank (mlp)")
    args = parser.parse_args()
    cli = os.path.join(args.builddir, "app", "wordloom-cli")
    out = tempfile.TemporaryDirectory(prefix="wl-bench-mpi-")
    mpirun = ["mpirun", "-n", "2", "--oversubscribe", "--allow-run-as-root", "--mca", "btl", "self,vader"]

    print("| dataset | model | processes | batch | load s | read MB | same split | train s | wall s "
          "| test acc | comm s/pass | comm ms/step |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, columns in DATASETS:
        if args.only and name not in args.only.split(","):
            continue
        path = os.path.join(args.datasets, name)
        for model in args.models.split(","):
            base = [cli, "train", "--input", path, *columns, "--output", os.path.join(out.name, "model.wlm"), "--model", model,
                    "--no-record", "--json", "--threads", "1", "--epochs", str(args.epochs),
                    "--patience", "0"]
            neural = model not in ("linear", "embedding-bag")
            digest = None
            for ranks in (1, 2):
                batch = args.batch_size * (2 // ranks) if neural else None
                command = base + (["--batch-size", str(batch)] if batch else [])
                wall, summary, comm, read = train(command if ranks == 1 else mpirun + command)
                digest = digest or summary["parts_digest"]
                read_mb = " + ".join("%.1f" % (b / 1e6) for b in read) if read else "%.1f" % (
                    os.path.getsize(path) / 1e6)
                per_pass = per_step = "-"
                if comm is not None:
                    seconds, calls, passes = comm
                    per_pass = "%.3f" % (seconds / passes)
                    if neural:
                        steps = passes * math.ceil(summary["n_train"] / (ranks * batch))
                        per_step = "%.2f" % (1000 * seconds / steps)
                print("| %s | %s | %d | %s | %.2f | %s | %s | %.2f | %.2f | %.4f | %s | %s |" % (
                    name, model, ranks, batch or "-", summary["stage_seconds"]["load"], read_mb,
                    "yes" if summary["parts_digest"] == digest else "NO",
                    summary["stage_seconds"]["train"], wall, summary["test"]["accuracy"],
                    per_pass, per_step), flush=True)


if __name__ == "__main__":
    main()
