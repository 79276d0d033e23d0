#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Peak memory of training on a file much larger than the test data: a generated labelled CSV
# of --size-mb megabytes is trained with linear and embedding-bag, in memory
# (WORDLOOM_WINDOW_ROWS=0) and in windows of rows (the path files of 256 MiB or more take),
# and the peak RSS is printed next to the file's size, with the stage times and the test
# accuracy.  The generated file is deleted at the end.
#
#   ninja -C build app/wordloom-cli
#   /usr/bin/python3 tests/bench/bench-stream.py --builddir build --size-mb 1024
#
# --modes windows --models embedding-bag --size-mb 8192 is the larger-than-memory run (check
# the free disk space first: the script refuses when the file would not fit three times, as a
# windowed run keeps its texts and features in scratch files).  --input PATH trains a file
# made before (by generate() below) instead of generating one, and leaves it.

import argparse
import json
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_proc import run_measured  # noqa: E402

N_LABELS = 4
POOL_LINES = 50000     # distinct texts the rows are drawn from (each row adds its own word)
WORDS_PER_LABEL = 3000


def generate(path, size_bytes, seed):
    """Writes label,text rows until the file has size_bytes; returns the number of rows."""
    rand = random.Random(seed)
    shared = ["w%d" % i for i in range(20000)]
    own = [["l%dw%d" % (k, i) for i in range(WORDS_PER_LABEL)] for k in range(N_LABELS)]
    pool = []
    for i in range(POOL_LINES):
        k = i % N_LABELS
        n = rand.randint(20, 120)
        words = [rand.choice(own[k]) if rand.random() < 0.02 else
                 shared[min(int(rand.paretovariate(1.1)) - 1, len(shared) - 1)] for _ in range(n)]
        pool.append(("label%d" % k, " ".join(words)))
    rows = 0
    written = 0
    with open(path, "w", buffering=1 << 20) as f:
        written += f.write("label,text\n")
        while written < size_bytes:
            chunk = []
            for _ in range(10000):
                label, text = pool[rand.randrange(POOL_LINES)]
                chunk.append("%s,%s r%d\n" % (label, text, rand.randrange(1 << 20)))
            rows += len(chunk)
            written += f.write("".join(chunk))
    return rows


def summary_of(stdout):
    for line in reversed(stdout.splitlines()):
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") == "summary":
            return event
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--builddir", default="build")
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--models", default="linear,embedding-bag")
    parser.add_argument("--modes", default="memory,windows")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=0, help="0: the model's default")
    parser.add_argument("--dir", default=None, help="where the file goes (default: a temporary folder)")
    parser.add_argument("--timeout", type=int, default=7200)
    parser.add_argument("--input", default=None, help="a file generated before, trained and left as it is")
    args = parser.parse_args()

    cli = os.path.join(args.builddir, "app", "wordloom-cli")
    work = tempfile.mkdtemp(prefix="wl-bench-stream-", dir=args.dir)
    size = os.path.getsize(args.input) if args.input else args.size_mb << 20
    free = shutil.disk_usage(work).free
    if free < (2 if args.input else 3) * size:
        print("only %.1f GB free in %s for a %.1f GB file: pass --dir" % (free / 1e9, work, size / 1e9))
        os.rmdir(work)
        return 2
    # The scratch files of a windowed run go to the work folder too.
    os.environ["XDG_CACHE_HOME"] = os.path.join(work, "cache")
    path = args.input or os.path.join(work, "data.csv")
    try:
        rows = None if args.input else generate(path, size, 42)
        file_mb = os.path.getsize(path) / (1 << 20)
        print("file: %.0f MB%s" % (file_mb, ", %d rows" % rows if rows else ""))
        print("%-14s %-8s %10s %8s %8s %8s %8s %8s %9s" %
              ("model", "path", "peak MB", "x file", "load s", "clean s", "feat s", "train s", "accuracy"))
        for model in args.models.split(","):
            for mode in args.modes.split(","):
                # run_measured passes this process's environment on.
                os.environ["WORDLOOM_STORE"] = os.path.join(work, "runs.sqlite")
                if mode == "memory":
                    os.environ["WORDLOOM_WINDOW_ROWS"] = "0"
                else:
                    os.environ.pop("WORDLOOM_WINDOW_ROWS", None)
                argv = [cli, "train", "-i", path, "-o", os.path.join(work, "model.wlm"),
                        "-m", model, "--json"]
                if args.threads:
                    argv += ["--threads", str(args.threads)]
                if args.epochs:
                    argv += ["--epochs", str(args.epochs)]
                step = run_measured(argv, os.path.join(work, "%s-%s" % (model, mode)), args.timeout)
                summary = summary_of(step.stdout) if step.ok else None
                if summary is None:
                    print("%-14s %-8s %s: %s" % (model, mode, step.status, step.reason()))
                    continue
                s = summary["stage_seconds"]
                print("%-14s %-8s %10.0f %8.2f %8.1f %8.1f %8.1f %8.1f %9.4f" %
                      (model, mode, step.peak_rss_mb, step.peak_rss_mb / file_mb, s["load"],
                       s["clean"], s["featurize"], s["train"], summary["test"]["accuracy"]))
                sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
