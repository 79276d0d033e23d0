#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# How good is `wordloom-cli advise`?  Over a grid of models × datasets (generated at the
# given sizes, and the real ones named with --dataset), it asks advise for its candidates and
# pick, then trains every measured candidate to the end (train --device D --threads T
# --precision P --batch-size B) and compares: how often the pick was the fastest or within 10 % of it (goal:
# at least 90 % of the cases), and the projection's error, |projected − actual| / actual, of
# every candidate (goal: median at most 20 %).  "Actual" is the sum of the run's stage times
# (load, clean, featurize, train, evaluate) from train's JSON summary, which is what the
# projection projects (it leaves out the process start and saving the model).
#
#   ninja -C build app/wordloom-cli
#   /usr/bin/python3 tests/bench/bench-advise.py --builddir build --models mlp,lstm --rows 2000
#
# It runs unchanged on a machine with a GPU: the candidates are whatever advise lists there.
# The generated data are deleted at the end; nothing is recorded in the run store.

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_data import find_datasets, read_dataset  # noqa: E402

WORDS = [["w%d_%d" % (k, i) for i in range(400)] for k in range(4)]
SHARED = ["s%d" % i for i in range(4000)]


def generate(path, rows, seed):
    """A labelled CSV of @rows rows, four labels, 10 to 60 words a text."""
    rand = random.Random(seed)
    with open(path, "w") as f:
        f.write("label,text\n")
        for i in range(rows):
            k = i % 4
            n = rand.randint(10, 60)
            words = [rand.choice(WORDS[k]) if rand.random() < 0.3 else rand.choice(SHARED)
                     for _ in range(n)]
            f.write("label%d,%s\n" % (k, " ".join(words)))


def write_real(dataset_path, out_path):
    rows = read_dataset(dataset_path).rows
    with open(out_path, "w") as f:
        f.write("label,text\n")
        for label, text in rows:
            text = " ".join(text.split()).replace('"', '""')
            f.write('%s,"%s"\n' % (label, text))


def run_json(argv, timeout):
    start = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    wall = time.monotonic() - start
    if done.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(argv[:3]), done.returncode,
                                                done.stderr.strip()[-400:]))
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]), wall


def case(cli, data, model, args, tmp):
    common = ["--input", data, "--model", model, "--no-record"]
    if args.epochs:
        common += ["--epochs", str(args.epochs)]
    advice, advise_wall = run_json([cli, "advise", "--json", "--budget", str(args.budget)] + common,
                                   args.timeout)
    results = []
    for i, c in enumerate(advice["candidates"]):
        if c["failure"] is not None:
            continue
        argv = [cli, "train", "--json", "--output", os.path.join(tmp, "m.wlm"),
                "--threads", str(c["threads"])] + common
        if model not in ("linear", "embedding-bag"):
            argv += ["--device", c["device"], "--precision", c["precision"],
                     "--batch-size", str(c["batch_size"])]
        summary, wall = run_json(argv, args.timeout)
        actual = sum(summary["stage_seconds"].values())
        results.append({"index": i, "device": c["device"], "threads": c["threads"],
                        "precision": c["precision"], "batch_size": c["batch_size"],
                        "projected": c["projection"]["total"], "parts": c["projection"],
                        "stages": summary["stage_seconds"],
                        "low": c["projection"]["low"], "high": c["projection"]["high"],
                        "actual": actual, "epochs_run": summary.get("epochs_run"),
                        "error": abs(c["projection"]["total"] - actual) / actual})
    fastest = min(r["actual"] for r in results)
    picked = [r for r in results if r["index"] == advice["pick"]][0]
    return {"advise_seconds": advise_wall, "measured_seconds": advice["measured_seconds"],
            "candidates": results, "pick": picked, "fastest": fastest,
            "pick_within_10": picked["actual"] <= 1.10 * fastest,
            "pick_fastest": picked["actual"] == fastest}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--builddir", default="build")
    parser.add_argument("--models", default="embedding-bag,mlp,textcnn,lstm")
    parser.add_argument("--rows", default="1000,10000",
                        help="sizes of the generated datasets, comma-separated (\"\": none)")
    parser.add_argument("--datasets", default=os.path.join(os.path.dirname(__file__), "..", "..",
                                                           "..", "shared", "datasets"))
    parser.add_argument("--dataset", action="append", default=[],
                        help="also this real dataset, by file name or stem; repeatable")
    parser.add_argument("--budget", type=float, default=10.0)
    parser.add_argument("--epochs", type=int, default=0, help="0: each model's default")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--out", help="write the results as JSON here")
    args = parser.parse_args()
    cli = os.path.join(args.builddir, "app", "wordloom-cli")

    cases = []
    with tempfile.TemporaryDirectory(prefix="bench-advise-") as tmp:
        data = []
        for rows in [int(r) for r in args.rows.split(",") if r]:
            path = os.path.join(tmp, "gen-%d.csv" % rows)
            generate(path, rows, seed=rows)
            data.append(("generated-%d" % rows, path))
        for path in find_datasets(args.datasets, args.dataset) if args.dataset else []:
            out = os.path.join(tmp, os.path.basename(path) + ".csv")
            write_real(path, out)
            data.append((os.path.basename(path), out))
        for name, path in data:
            for model in args.models.split(","):
                try:
                    result = case(cli, path, model, args, tmp)
                except (RuntimeError, subprocess.TimeoutExpired) as e:
                    print("%-18s %-14s failed: %s" % (name, model, e), flush=True)
                    cases.append({"data": name, "model": model, "failure": str(e)})
                    continue
                result.update(data=name, model=model)
                cases.append(result)
                p = result["pick"]
                print("%-18s %-14s pick %s×%d %s b%d: %.1f s (projected %.1f s); fastest %.1f s; "
                      "%s" % (name, model, p["device"], p["threads"], p["precision"],
                              p["batch_size"], p["actual"],
                              p["projected"], result["fastest"],
                              "fastest" if result["pick_fastest"] else
                              "within 10 %" if result["pick_within_10"] else "MISSED"),
                      flush=True)
                for c in result["candidates"]:
                    print("    %-12s ×%-2d %-5s b%-4d actual %7.2f s  projected %7.2f s "
                          "(%.2f–%.2f)  error %3.0f %%  epochs %s" % (
                              c["device"], c["threads"], c["precision"], c["batch_size"],
                              c["actual"], c["projected"], c["low"], c["high"],
                              100 * c["error"], c["epochs_run"]), flush=True)

    done = [c for c in cases if "failure" not in c]
    if not done:
        print("no case ran")
        return 1
    within = sum(c["pick_within_10"] for c in done)
    errors = [r["error"] for c in done for r in c["candidates"]]
    print("\n%d cases: the pick was the fastest or within 10 %% of it in %d (%.0f %%; goal ≥ 90 %%)"
          % (len(done), within, 100.0 * within / len(done)))
    print("projection error over %d candidate runs: median %.0f %%, worst %.0f %% (goal: median "
          "≤ 20 %%)" % (len(errors), 100 * statistics.median(errors), 100 * max(errors)))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(cases, f, indent=1)
    return 0 if len(done) == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
