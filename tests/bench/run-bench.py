#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs Wordloom side by side with its peers on the real datasets and prints the ratios.
#
#   /usr/bin/python3 tests/bench/run-bench.py --builddir build [--datasets DIR] [--out DIR]
#       [--repeat N] [--only linear|embedding-bag|lstm|textcnn] [--dataset NAME]
#       [--timeout S] [--folds K] [--keep]
#
# Pairs: Wordloom linear vs scikit-learn (TF-IDF + logistic regression), Wordloom
# embedding-bag vs fastText, Wordloom lstm and textcnn vs the same models in PyTorch.  Every
# tool gets the same seeded stratified 80/20 split (or, with --folds K, each fold of a seeded
# stratified K-fold cross-validation, the protocol of published results such as Kim 2014's on
# MR, and the mean over the folds) and runs as a child process whose wall
# time and peak RSS are measured; the neural pairs also report training tokens/s and GFLOP/s
# against OpenBLAS's SGEMM measured in the same run.  See README.md beside this.

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep tests/bench/ free of __pycache__

import bench_data  # noqa: E402
import bench_proc  # noqa: E402
import bench_report  # noqa: E402
import bench_tools  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAIRS = ("linear", "embedding-bag") + bench_tools.NEURAL_PAIRS


def parse_args():
    parser = argparse.ArgumentParser(
        description="Benchmark Wordloom against scikit-learn, fastText and PyTorch on real "
                    "datasets.")
    parser.add_argument("--builddir", default=os.path.join(REPO, "build"),
                        help="Wordloom build directory (default: build in the repository)")
    parser.add_argument("--datasets", default=os.path.join(REPO, "..", "shared", "datasets"),
                        help="folder of *.csv / *.tsv datasets (default: ../shared/datasets)")
    parser.add_argument("--out", help="folder for bench-results.json (default: BUILDDIR/bench)")
    parser.add_argument("--dataset", action="append", metavar="NAME",
                        help="run only this dataset (file name or stem); repeatable")
    parser.add_argument("--only", choices=PAIRS, action="append",
                        help="run only this pair; repeatable")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per tool; figures are the median (default: 1)")
    parser.add_argument("--seed", type=int, default=42,
                        help="seed of the training, given to Wordloom, fastText and PyTorch "
                             "(scikit-learn's fit is deterministic); the split stays the same "
                             "(default: 42)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds one step may take before it is killed (default: 900)")
    parser.add_argument("--wordloom-cli", help="Wordloom CLI (default: BUILDDIR/app/wordloom-cli)")
    parser.add_argument("--fasttext", default="fasttext", help="fastText binary")
    parser.add_argument("--python", default="/usr/bin/python3",
                        help="Python with scikit-learn and torch (default: /usr/bin/python3)")
    parser.add_argument("--peers-raw-cjk", dest="peers_cjk_bigrams", action="store_false",
                        help="give scikit-learn and fastText Chinese/Japanese/Korean text as "
                             "it is; by default they get it as space-separated character "
                             "bigrams, which they need to do well (Wordloom always gets the "
                             "raw text, PyTorch every character as a token)")
    parser.add_argument("--folds", type=int, default=0, metavar="K",
                        help="K-fold cross-validation instead of one 80/20 split: every tool "
                             "trains K times, tested on each fold once, and the mean accuracy "
                             "over the folds is reported (Kim 2014 reports MR this way, K=10)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary files")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.folds == 1 or args.folds < 0:
        parser.error("--folds must be at least 2 (or 0: one 80/20 split)")
    args.out = args.out or os.path.join(args.builddir, "bench")
    args.wordloom_cli = args.wordloom_cli or os.path.join(args.builddir, bench_tools.WORDLOOM_CLI)
    return args


def machine():
    model = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": model, "cores": bench_tools.core_count(), "platform": platform.platform(),
            "gnu_time": bench_proc.have_gnu_time()}


def package_version(name):
    try:
        done = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", name],
                              capture_output=True, text=True)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def run_tool(tool, split, folder, args):
    """--repeat runs of one tool, each in a fresh folder, aggregated to medians."""
    why = tool.missing()
    if why:
        return {"tool": tool.name, "status": "missing", "reason": why, "rss_exact": True}
    runs = []
    for i in range(args.repeat):
        run_folder = os.path.join(folder, "%s-%d" % (tool.name.replace(" ", "-"), i + 1))
        os.makedirs(run_folder)
        print("  %-24s run %d/%d ..." % (tool.name, i + 1, args.repeat), end="", flush=True)
        result = tool.run(split, run_folder, args.timeout)
        runs.append(result)
        print(" " + (result["status"] if result["status"] != "ok" else
                     "%.2f s, %.1f MB" % (result["train_s"], result["peak_rss_mb"] or 0)))
        if not args.keep:
            shutil.rmtree(run_folder, ignore_errors=True)
        if result["status"] != "ok":
            break
    return bench_report.aggregate(runs)


def run_dataset(path, tools, sgemm, tmp, args):
    """The records of one dataset: one for its 80/20 split, or one per fold."""
    dataset = bench_data.read_dataset(path)
    peer_text = bench_data.cjk_bigrams if args.peers_cjk_bigrams else None
    if not args.folds:
        split = bench_data.stratified_split(dataset, os.path.join(tmp, dataset.name), peer_text)
        print("\n%s: %d rows, training and testing ..." % (dataset.name, len(dataset.rows)))
        return [run_split(dataset, dataset.name, split, tools, sgemm, args)]
    records = []
    for fold in range(args.folds):
        name = "%s fold %d/%d" % (dataset.name, fold + 1, args.folds)
        split = bench_data.stratified_fold(dataset, os.path.join(tmp, dataset.name, str(fold)),
                                           args.folds, fold, peer_text)
        print("\n%s: %d rows, training and testing ..." % (name, len(dataset.rows)))
        records.append(run_split(dataset, name, split, tools, sgemm, args))
        records[-1]["fold"] = fold
    return records


def run_split(dataset, name, split, tools, sgemm, args):
    record = {
        "name": name,
        "path": os.path.abspath(dataset.path),
        "rows": len(dataset.rows),
        "dropped_empty": dataset.dropped_empty,
        "labels": dataset.labels(),
        "train_rows": len(split.train),
        "test_rows": len(split.test),
        "split_seed": bench_data.SPLIT_SEED,
        "seed": args.seed,
        "pairs": [],
    }
    for pair, wordloom, peer in tools:
        results = [run_tool(t, split, split.folder, args) for t in (wordloom, peer)]
        for result in results:
            bench_report.add_sgemm_fraction(result, sgemm)
        differ = peer.compare(results[0]) if results[1]["status"] == "ok" else None
        if differ:
            results[1]["warning"] = "; ".join(filter(None, (results[1].get("warning"), differ)))
        record["pairs"].append({"pair": pair, "wordloom": results[0], "peer": results[1],
                                "ratios": bench_report.ratios(*results)})
    return record


def cross_validation(records):
    """Mean accuracy over the folds, per dataset, pair and tool (folds that ran)."""
    means = {}
    for record in records:
        dataset = record["name"].rsplit(" fold ", 1)[0]
        for pair in record["pairs"]:
            for kind in ("wordloom", "peer"):
                result = pair[kind]
                if result["status"] == "ok" and result.get("accuracy") is not None:
                    key = (dataset, pair["pair"], result["tool"])
                    means.setdefault(key, []).append(result["accuracy"])
    return [{"dataset": d, "pair": p, "tool": t, "folds": len(a), "mean_accuracy": sum(a) / len(a),
             "min_accuracy": min(a), "max_accuracy": max(a)}
            for (d, p, t), a in sorted(means.items())]


def paired_folds(records):
    """Wordloom against its peer fold by fold, per dataset and pair (folds where both ran)."""
    diffs = {}
    for record in records:
        dataset = record["name"].rsplit(" fold ", 1)[0]
        for pair in record["pairs"]:
            ours, theirs = pair["wordloom"], pair["peer"]
            if all(r["status"] == "ok" and r.get("accuracy") is not None for r in (ours, theirs)):
                diffs.setdefault((dataset, pair["pair"]), []).append(
                    ours["accuracy"] - theirs["accuracy"])
    return [{"dataset": d, "pair": p, "folds": len(a), "mean_difference": sum(a) / len(a),
             "ahead": sum(x > 0 for x in a), "level": sum(x == 0 for x in a),
             "behind": sum(x < 0 for x in a)}
            for (d, p), a in sorted(diffs.items())]


def interrupted(signum, frame):
    raise KeyboardInterrupt


def main():
    args = parse_args()
    # SIGTERM and Ctrl-C both stop the running child (see bench_proc) and clean up.
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    if not os.path.isdir(args.datasets):
        print("run-bench: no datasets folder %s (pass --datasets)" % args.datasets, file=sys.stderr)
        return 2
    paths = bench_data.find_datasets(args.datasets, args.dataset)
    if not paths:
        print("run-bench: no *.csv or *.tsv dataset%s in %s"
              % (" named " + ", ".join(args.dataset) if args.dataset else "", args.datasets),
              file=sys.stderr)
        return 2

    fasttext = bench_tools.FastText(args.fasttext)
    sklearn = bench_tools.ScikitLearn(args.python)
    peers = {"linear": sklearn, "embedding-bag": fasttext}
    peers.update((pair, bench_tools.PyTorch(args.python, pair))
                 for pair in bench_tools.NEURAL_PAIRS)
    tools = [(pair, bench_tools.Wordloom(args.wordloom_cli, pair), peers[pair])
             for pair in PAIRS if not args.only or pair in args.only]
    neural = [peer for pair, _, peer in tools if pair in bench_tools.NEURAL_PAIRS]
    for _, wordloom, peer in tools:
        wordloom.seed = peer.seed = args.seed

    info = machine()
    print("Wordloom: %s (default settings)" % args.wordloom_cli)
    print("peers:    %s" % sklearn.describe())
    print("          %s (-thread = this machine's %d cores; fastText's default is 12)"
          % (fasttext.describe(), info["cores"]))
    for peer in neural:
        print("          %s" % peer.describe())
    if args.peers_cjk_bigrams:
        print("          scikit-learn and fastText get CJK text as character bigrams "
              "(--peers-raw-cjk to turn off)")
    sgemm = bench_tools.sgemm_gflops(args.builddir, args.timeout) if neural else None
    if neural:
        print("SGEMM:    %s" % bench_tools.describe_sgemm(sgemm))
    if not info["gnu_time"]:
        print("note: %s not found; peak RSS comes from wait4 and may include the harness's own"
              % bench_proc.GNU_TIME)

    tmp = tempfile.mkdtemp(prefix="wordloom-bench-")
    try:
        records = [record for path in paths for record in run_dataset(path, tools, sgemm, tmp, args)]
    except (OSError, ValueError) as e:
        print("run-bench: %s" % e, file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print("\ntemporary files kept in %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    for record in records:
        print("\n".join(bench_report.table(record, bench_tools.NEURAL_PAIRS)))
    print("\ntimes are wall seconds; Wordloom and fastText are timed as whole processes, "
          "scikit-learn and PyTorch by their own clocks (without interpreter start-up and "
          "imports).")
    if neural:
        print("tokens/s: training tokens processed / seconds of the training passes (Wordloom: "
              "from its epoch events; PyTorch: its training loop); GFLOP/s: the matrix products "
              "of forward and backward passes at that rate; %% SGEMM: of %s GFLOP/s measured "
              "above." % ("%.1f" % sgemm["gflops"] if sgemm else "no"))
    cv = cross_validation(records) if args.folds else None
    for line in cv or ():
        print("%d-fold cross-validation, %s, %s: mean accuracy %.2f %% (folds %.2f to %.2f)"
              % (line["folds"], line["dataset"], line["tool"], 100 * line["mean_accuracy"],
                 100 * line["min_accuracy"], 100 * line["max_accuracy"]))
    paired = paired_folds(records) if args.folds else None
    for line in paired or ():
        print("%d-fold cross-validation, %s, %s: Wordloom %+.2f points on average, ahead on %d "
              "folds, level on %d, behind on %d"
              % (line["folds"], line["dataset"], line["pair"], 100 * line["mean_difference"],
                 line["ahead"], line["level"], line["behind"]))
    results = [(record["name"], pair[kind], kind)
               for record in records for pair in record["pairs"] for kind in ("wordloom", "peer")]
    if not all(result["rss_exact"] for _, result, _ in results):
        print("* peak RSS not above the harness's own: an upper bound only.")
    for name, result, _ in results:
        if result.get("warning"):
            print("warning: %s, %s: %s" % (name, result["tool"], result["warning"]))

    os.makedirs(args.out, exist_ok=True)
    out_path = os.path.join(args.out, "bench-results.json")
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": info,
            "versions": {"fasttext": package_version("fasttext"),
                         "python3-sklearn": package_version("python3-sklearn"),
                         "python3-torch": package_version("python3-torch"),
                         "python": platform.python_version()},
            "settings": {"repeat": args.repeat, "timeout_s": args.timeout, "folds": args.folds,
                         "peers_cjk_bigrams": args.peers_cjk_bigrams,
                         "wordloom_cli": os.path.abspath(args.wordloom_cli),
                         "wordloom_commands": bench_tools.WORDLOOM_COMMANDS,
                         "fasttext_args": bench_tools.FASTTEXT_ARGS,
                         "fasttext_threads": fasttext.threads,
                         "torch_settings": bench_tools.TORCH_SETTINGS,
                         "torch_threads": bench_tools.core_count(),
                         "sgemm": sgemm},
            "datasets": records,
            "cross_validation": cv,
            "cross_validation_paired": paired,
        }, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print("\nfigures written to %s" % out_path)

    # A missing peer is only reported; a missing Wordloom or any failure fails the run.
    problems = [r for _, r, kind in results
                if r["status"] != "ok" and (kind == "wordloom" or r["status"] != "missing")]
    if problems:
        reasons = dict.fromkeys("%s: %s" % (r["tool"], r["reason"]) for r in problems)
        print("run-bench: %d tool run(s) missing or failed:\n  %s"
              % (len(problems), "\n  ".join(reasons)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nrun-bench: interrupted", file=sys.stderr)
        sys.exit(130)
