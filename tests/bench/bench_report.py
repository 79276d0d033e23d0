# SPDX-License-Identifier: GPL-3.0-or-later
# Aggregation (median of --repeat runs), Wordloom/peer ratios and the printed table.

import statistics

MEDIAN_FIELDS = ("accuracy", "macro_f1", "train_s", "predict_s", "peak_rss_mb",
                 "predict_cli_s", "process_s", "p_at_1", "predict_accuracy",
                 "tokens_per_s", "gflops", "loop_s", "train_stage_s")
RUN_FIELDS = MEDIAN_FIELDS + ("status",)


def aggregate(runs):
    """One result from --repeat runs: the median of every figure, the runs kept beside it."""
    failed = [r for r in runs if r["status"] != "ok"]
    if failed:
        result = dict(failed[0])
    else:
        result = dict(runs[-1])
        for field in MEDIAN_FIELDS:
            values = [r[field] for r in runs if r.get(field) is not None]
            if values:
                result[field] = statistics.median(values)
        result["rss_exact"] = all(r["rss_exact"] for r in runs)
        warnings = dict.fromkeys(r["warning"] for r in runs if r.get("warning"))
        if warnings:
            result["warning"] = "; ".join(warnings)
    result["runs"] = [{k: r.get(k) for k in RUN_FIELDS if r.get(k) is not None} for r in runs]
    return result


def add_sgemm_fraction(result, sgemm):
    """The result's GFLOP/s as a fraction of OpenBLAS's SGEMM GFLOP/s (see run-bench.py)."""
    if result.get("gflops") is not None and sgemm:
        result["sgemm_fraction"] = result["gflops"] / sgemm["gflops"]


def ratios(wordloom, peer):
    """Wordloom against its peer: speed-ups (peer time / Wordloom time, above 1 means Wordloom
    is faster), memory (Wordloom / peer, below 1 means Wordloom needs less) and the accuracy
    and macro-F1 differences in percentage points; for the neural pairs also the training
    throughput (Wordloom tokens/s / peer tokens/s, above 1 means Wordloom is faster)."""
    if wordloom["status"] != "ok" or peer["status"] != "ok":
        return None

    def quotient(a, b):
        return a / b if a is not None and b else None

    def points(a, b):
        return 100.0 * (a - b) if a is not None and b is not None else None

    return {
        "throughput_ratio": quotient(wordloom.get("tokens_per_s"), peer.get("tokens_per_s")),
        "train_speedup": quotient(peer["train_s"], wordloom["train_s"]),
        "predict_speedup": quotient(peer["predict_s"], wordloom["predict_s"]),
        "memory_ratio": quotient(wordloom["peak_rss_mb"], peer["peak_rss_mb"]),
        "accuracy_diff_pts": points(wordloom["accuracy"], peer["accuracy"]),
        "macro_f1_diff_pts": points(wordloom["macro_f1"], peer["macro_f1"]),
    }


def _num(value, fmt):
    return fmt % value if value is not None else "-"


HEADER = ("pair", "tool", "acc %", "macro-F1", "train s", "predict s", "peak RSS MB")
ROW = "%-14s %-24s %8s %9s %9s %10s %12s"
# The neural pairs' table adds the training throughput, the GFLOP/s it makes and their
# fraction of OpenBLAS's SGEMM.
NEURAL_HEADER = HEADER[:5] + ("tokens/s", "GFLOP/s", "% SGEMM") + HEADER[5:]
NEURAL_ROW = "%-14s %-24s %8s %9s %9s %10s %8s %8s %10s %12s"


def _row(pair, result, neural):
    name = result["tool"]
    if result["status"] != "ok":
        return "%-14s %-24s %s: %s" % (pair, name, result["status"], result["reason"])
    rss = _num(result["peak_rss_mb"], "%.1f") + ("" if result["rss_exact"] else "*")
    cells = [pair, name,
             _num(result["accuracy"] and 100.0 * result["accuracy"], "%.2f"),
             _num(result["macro_f1"] and 100.0 * result["macro_f1"], "%.2f"),
             _num(result["train_s"], "%.2f")]
    if neural:
        fraction = result.get("sgemm_fraction")
        cells += [_num(result.get("tokens_per_s"), "%.0f"), _num(result.get("gflops"), "%.2f"),
                  _num(fraction and 100.0 * fraction, "%.1f")]
    cells += [_num(result["predict_s"], "%.3f"), rss]
    return (NEURAL_ROW if neural else ROW) % tuple(cells)


def _ratio_line(r):
    def times(v):
        return _num(v, "%.2fx")

    def pts(v):
        return _num(v, "%+.2f pts")

    throughput = ("throughput %s, " % times(r["throughput_ratio"])
                  if r.get("throughput_ratio") is not None else "")
    return ("%-14s %-24s %strain speed-up %s, predict speed-up %s, memory %s, accuracy %s, "
            "macro-F1 %s" % ("", "Wordloom / peer:", throughput, times(r["train_speedup"]),
                             times(r["predict_speedup"]), times(r["memory_ratio"]),
                             pts(r["accuracy_diff_pts"]), pts(r["macro_f1_diff_pts"])))


def table(dataset_record, neural_pairs=()):
    """The printed table of one dataset, as a list of lines: the pairs in neural_pairs get a
    table of their own, with the throughput columns."""
    d = dataset_record
    lines = [
        "",
        "== %s: %d rows%s, %d labels; train %d / test %d (stratified, seed %d)" % (
            d["name"], d["rows"],
            " (%d with empty text dropped)" % d["dropped_empty"] if d["dropped_empty"] else "",
            len(d["labels"]), d["train_rows"], d["test_rows"], d["split_seed"]),
    ]
    for neural in (False, True):
        pairs = [p for p in d["pairs"] if (p["pair"] in neural_pairs) == neural]
        if not pairs:
            continue
        lines += ["", (NEURAL_ROW if neural else ROW) % (NEURAL_HEADER if neural else HEADER)]
        for pair in pairs:
            lines.append(_row(pair["pair"], pair["wordloom"], neural))
            lines.append(_row("", pair["peer"], neural))
            if pair["ratios"]:
                lines.append(_ratio_line(pair["ratios"]))
    return lines
