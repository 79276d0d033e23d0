# SPDX-License-Identifier: GPL-3.0-or-later
# The tools run-bench.py compares: Wordloom's CLI, fastText, scikit-learn and PyTorch, one
# class each, and what the neural pairs need beside them (FLOP counts, OpenBLAS's SGEMM speed).
#
# Wordloom's command lines are all in WORDLOOM_COMMANDS below: adjust them there when the CLI
# changes.  Every tool run returns a plain dict (see Tool.result) that run-bench.py aggregates.

import json
import os
import re
import shutil
import subprocess
import time

import bench_data
import bench_proc

HERE = os.path.dirname(os.path.abspath(__file__))

# Wordloom's CLI, relative to the build directory, and its command lines.  {model} is the
# pair's name ("linear", "embedding-bag", "lstm", "textcnn"); no tuning flags: the benchmark
# measures the defaults.
WORDLOOM_CLI = os.path.join("app", "wordloom-cli")
WORDLOOM_COMMANDS = {
    "train": ["train", "--input", "{train}", "--model", "{model}", "--output", "{model_file}",
              "--test-fraction", "0", "--seed", "{seed}", "--json", "--no-record"],   # keep the user's run store clean
    "eval": ["eval", "--model", "{model_file}", "--input", "{test}", "--json"],
    "predict": ["predict", "--model", "{model_file}", "--input", "{test}", "--json"],
}

# fastText's settings for the comparison (its own defaults are 5 epochs, lr 0.1, unigrams,
# dim 100 and 12 threads); -thread is set to the cores this process may use.  Its text goes
# through its tutorial's preprocessing first (bench_data.fasttext_text).
FASTTEXT_ARGS = ["-epoch", "25", "-lr", "0.5", "-wordNgrams", "2", "-dim", "50"]

# The pairs whose models are neural networks: PyTorch is their peer, and they report training
# throughput (tokens/s) and GFLOP/s beside the usual figures.
NEURAL_PAIRS = ("lstm", "textcnn")

# PyTorch's settings, named as in Wordloom's config: the reference (Embedding 128 ->
# LSTM 64 -> Linear, Adam 1e-3, batch 32) and Kim's TextCNN (embeddings 300, batch 50), which are also Wordloom's
# defaults, with Wordloom's early stopping (at most 50 epochs, patience 3 on the validation
# accuracy, 10 % of the train file held out) and max_length.  Wordloom's own (from its train
# summary) are compared with these after every run and a difference is printed as a warning.
TORCH_SETTINGS = {
    "lstm": {"epochs": 50, "patience": 3, "batch_size": 32, "lr": 1e-3, "optimizer": "adam", "dim": 128,
             "max_length": 400, "hidden": 64, "layers": 1, "bidirectional": False,
             "dropout": 0.0},
    "textcnn": {"epochs": 50, "patience": 3, "batch_size": 50, "lr": 1e-3, "optimizer": "adam", "dim": 300,
                "max_length": 400, "filter_widths": "3,4,5", "filters": 100, "dropout": 0.5},
}
# The settings peer_torch.py takes as flags (--max-length, ...); the others it has fixed.
TORCH_FLAGS = ("epochs", "patience", "batch_size", "lr", "dim", "max_length", "hidden", "filter_widths",
               "filters", "dropout")

# The size of the SGEMM (N x N) whose speed the neural pairs' GFLOP/s are compared with.
SGEMM_N = 512


def core_count():
    return len(os.sched_getaffinity(0))


def last_json_object(text):
    """The JSON object that ends the text (one line or pretty-printed), or None."""
    end = len(text.rstrip())
    decoder = json.JSONDecoder()
    for match in re.finditer(r"^[ \t]*\{", text, re.M):
        try:
            obj, stop = decoder.raw_decode(text, match.end() - 1)
        except ValueError:
            continue
        if stop == end and isinstance(obj, dict):
            return obj
    return None


def classification_scores(gold, predicted):
    """Accuracy and macro-F1 (over the labels in gold or predicted, as scikit-learn does)."""
    labels = set(gold) | set(predicted)
    correct = sum(g == p for g, p in zip(gold, predicted))
    f1s = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        n_pred = sum(p == label for p in predicted)
        n_gold = sum(g == label for g in gold)
        f1s.append(2.0 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0)
    return correct / len(gold), sum(f1s) / len(f1s)


def train_flops_per_token(pair, settings):
    """Floating-point operations of one training step per token of a neural model, counted
    from its settings (Wordloom's config names): the matrix products of the forward pass, and
    twice that for the backward pass.  Elementwise work, the embedding lookups and the output
    layer (once per text) are left out.  None when a setting is missing.

    lstm: every layer and direction multiplies [x, h] by the 4 gates' weights,
          2 * 4H * (in + H) per token (in = dim for the first layer, H * directions above).
    textcnn: every width w convolves a window of w embeddings with F filters at each
          position, 2 * w * dim * F per token (im2col and one product)."""
    try:
        dim = int(settings["dim"])
        if pair == "lstm":
            hidden, directions = int(settings["hidden"]), 2 if settings["bidirectional"] else 1
            forward, width = 0, dim
            for _ in range(int(settings["layers"])):
                forward += directions * 2 * 4 * hidden * (width + hidden)
                width = directions * hidden
        elif pair == "textcnn":
            widths = [int(w) for w in str(settings["filter_widths"]).split(",")]
            forward = sum(2 * w * dim * int(settings["filters"]) for w in widths)
        else:
            return None
    except (KeyError, TypeError, ValueError):
        return None
    return 3 * forward


def sgemm_gflops(builddir, timeout):
    """OpenBLAS's SGEMM speed on this machine now, as {"gflops", "threads", "source"}: the
    blas line of Wordloom's bench-gemm at N = SGEMM_N, else NumPy's float32 matmul timed
    here (best of three rounds of at least 0.3 s, as bench-gemm does); None without both."""
    exe = os.path.join(builddir, "tests", "bench", "bench-gemm")
    try:
        done = subprocess.run([exe, str(SGEMM_N)], capture_output=True, text=True,
                              timeout=timeout)
        threads = re.search(r"(\d+) threads", done.stdout)
        for line in done.stdout.splitlines():
            fields = line.split()
            if done.returncode == 0 and len(fields) > 1 and fields[0] == "blas":
                return {"gflops": float(fields[1]),
                        "threads": int(threads.group(1)) if threads else None,
                        "source": "%s %d (blas backend)" % (exe, SGEMM_N)}
    except (OSError, ValueError, subprocess.TimeoutExpired):
        pass
    try:
        import numpy
    except ImportError:
        return None
    a = numpy.random.default_rng(1).random((SGEMM_N, SGEMM_N), dtype=numpy.float32)
    a @ a
    best = 0.0
    for _ in range(3):
        start, reps = time.perf_counter(), 0
        while time.perf_counter() - start < 0.3:
            a @ a
            reps += 1
        best = max(best, 2.0 * SGEMM_N ** 3 * reps / (time.perf_counter() - start) / 1e9)
    return {"gflops": best, "threads": None,
            "source": "numpy %s float32 matmul, N = %d" % (numpy.__version__, SGEMM_N)}


_imports = {}


def describe_sgemm(sgemm):
    if sgemm is None:
        return "not measured (no bench-gemm and no NumPy)"
    return "%.1f GFLOP/s, %s%s" % (sgemm["gflops"], sgemm["source"],
                                   ", %d threads" % sgemm["threads"] if sgemm["threads"] else "")


def _python_imports(python, module):
    """Whether python can import module (True or False; None when python cannot run),
    asked once per run of the harness."""
    if (python, module) not in _imports:
        try:
            _imports[python, module] = subprocess.run(
                [python, "-c", "import " + module], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL).returncode == 0
        except OSError:
            _imports[python, module] = None
    return _imports[python, module]


class Tool:
    """One contestant: a name for the table, the pair it belongs to, and how to run it."""

    name = None
    pair = None  # one of run-bench.py's PAIRS
    is_wordloom = False
    seed = 42    # of the training (run-bench.py --seed); Wordloom's default

    def missing(self):
        """None when the tool can run, else why not."""
        raise NotImplementedError

    def run(self, split, folder, timeout):
        raise NotImplementedError

    def compare(self, wordloom):
        """A warning when this peer's settings differ from those Wordloom's run reports."""
        return None

    def result(self, status, steps, reason=None, **figures):
        rss = [s.peak_rss_mb for s in steps if s.peak_rss_mb is not None]
        result = {
            "tool": self.name,
            "status": status,
            "reason": reason,
            "accuracy": None,
            "macro_f1": None,
            "n": None,
            "train_s": None,
            "predict_s": None,
            "peak_rss_mb": max(rss) if rss else None,
            "rss_exact": all(s.rss_exact for s in steps),
            "steps": [s.record() for s in steps],
        }
        result.update(figures)
        return result

    def failed(self, steps, reason=None):
        last = steps[-1]
        return self.result(last.status if not last.ok else "failed", steps,
                           reason or last.reason())


class Wordloom(Tool):
    is_wordloom = True

    def __init__(self, cli, model):
        self.cli = cli
        self.pair = model
        self.name = "Wordloom " + model

    def missing(self):
        if not os.access(self.cli, os.X_OK):
            return "%s not found (build it, or pass --wordloom-cli)" % self.cli
        return None

    def command(self, which, **values):
        return [self.cli] + [arg.format(**values) for arg in WORDLOOM_COMMANDS[which]]

    def run(self, split, folder, timeout):
        values = {"train": split.train_csv, "test": split.test_csv, "model": self.pair,
                  "model_file": os.path.join(folder, "model.wlm"), "seed": self.seed}
        log = os.path.join(folder, "wordloom-")
        steps = []
        for which in ("train", "eval", "predict"):
            step = bench_proc.run_measured(self.command(which, **values), log + which, timeout)
            steps.append(step)
            if not step.ok:
                return self.failed(steps, "%s: %s" % (which, step.reason()))
        report = last_json_object(steps[1].stdout)
        if report is None or "accuracy" not in report:
            return self.failed(steps, "eval printed no JSON object with an accuracy")
        train_report = last_json_object(steps[0].stdout)
        result = self.result(
            "ok", steps,
            accuracy=report.get("accuracy"),
            macro_f1=report.get("macro_f1"),
            n=report.get("n"),
            train_s=steps[0].wall_s,
            predict_s=steps[1].wall_s,
            predict_cli_s=steps[2].wall_s,
            train_report=train_report,
            eval_report=report,
            epochs_run=(train_report or {}).get("epochs_run"),
            best_epoch=(train_report or {}).get("best_epoch"),
        )
        if self.pair in NEURAL_PAIRS:
            result.update(self.throughput(steps[0].stdout, train_report))
        self.check_predictions(result, split, steps[2].stdout)
        return result

    def throughput(self, train_stdout, train_report):
        """Training tokens/s from train's "epoch" events, and the GFLOP/s they make.

        Every epoch event carries the tokens of the training part divided by the seconds of
        that epoch's training pass (validation not included); over the epochs run, the
        tokens processed divided by the seconds taken is their harmonic mean."""
        rates = []
        for line in train_stdout.splitlines():
            if '"epoch"' not in line:
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and event.get("event") == "epoch" \
                    and event.get("tokens_per_s"):
                rates.append(event["tokens_per_s"])
        if not rates:
            return {"warning": "train printed no epoch event with tokens_per_s"}
        tokens_per_s = len(rates) / sum(1.0 / rate for rate in rates)
        summary = train_report or {}
        settings = (summary.get("config") or {}).get("model") or {}
        flops = train_flops_per_token(self.pair, settings)
        return {
            "tokens_per_s": tokens_per_s,
            "flops_per_token": flops,
            "gflops": flops * tokens_per_s / 1e9 if flops else None,
            "train_stage_s": (summary.get("stage_seconds") or {}).get("train"),
        }

    @staticmethod
    def check_predictions(result, split, predict_stdout):
        """Scores predict's output ({"label": ...} per line) here, as a check on eval."""
        predicted = []
        for line in predict_stdout.splitlines():
            try:
                predicted.append(json.loads(line).get("label"))
            except (ValueError, AttributeError):
                continue
        gold = split.test_labels()
        if len(predicted) != len(gold):
            result["warning"] = ("predict printed %d labels for %d rows"
                                 % (len(predicted), len(gold)))
            return
        accuracy, macro_f1 = classification_scores(gold, predicted)
        result["predict_accuracy"] = accuracy
        if abs(accuracy - result["accuracy"]) > 1e-6:
            result["warning"] = ("eval reports accuracy %.4f but predict's labels score %.4f"
                                 % (result["accuracy"], accuracy))


class FastText(Tool):
    name = "fastText"
    pair = "embedding-bag"

    def __init__(self, binary):
        self.binary = binary
        self.threads = core_count()

    def missing(self):
        if not self.binary or not shutil.which(self.binary):
            return "%s not found (apt install fasttext, or pass --fasttext)" % self.binary
        return None

    def describe(self):
        return ("fastText %s -thread %d, text lowercased and punctuation split off (its "
                "tutorial's preprocessing)" % (" ".join(FASTTEXT_ARGS), self.threads))

    def run(self, split, folder, timeout):
        prefix = os.path.join(folder, "model")
        log = os.path.join(folder, "fasttext-")
        train = bench_proc.run_measured(
            [self.binary, "supervised", "-input", split.train_fasttext, "-output", prefix]
            + FASTTEXT_ARGS + ["-thread", str(self.threads), "-seed", str(self.seed)],
            log + "train", timeout)
        if not train.ok:
            return self.failed([train])
        test = bench_proc.run_measured(
            [self.binary, "test", prefix + ".bin", split.test_fasttext], log + "test", timeout)
        if not test.ok:
            return self.failed([train, test])
        scored = dict(line.split("\t", 1) for line in test.stdout.splitlines() if "\t" in line)

        # fastText's test skips lines without a known word; score every row from predict.
        predict = bench_proc.run_measured(
            [self.binary, "predict", prefix + ".bin", split.test_fasttext], log + "predict",
            timeout)
        if not predict.ok:
            return self.failed([train, test, predict])
        predicted = [line.strip() for line in predict.stdout.split("\n")][:len(split.test)]
        gold = [bench_data.fasttext_label(label) for label in split.test_labels()]
        if len(predicted) != len(gold):
            return self.failed([train, test, predict],
                               "predict printed %d lines for %d rows" % (len(predicted), len(gold)))
        accuracy, macro_f1 = classification_scores(gold, predicted)
        return self.result(
            "ok", [train, test],
            accuracy=accuracy,
            macro_f1=macro_f1,
            n=len(gold),
            train_s=train.wall_s,
            predict_s=test.wall_s,
            p_at_1=float(scored["P@1"]) if "P@1" in scored else None,
            n_scored=int(scored["N"]) if "N" in scored else None,
            threads=self.threads,
        )


class ScikitLearn(Tool):
    name = "scikit-learn"
    pair = "linear"

    def __init__(self, python):
        self.python = python
        self.script = os.path.join(HERE, "peer_sklearn.py")

    def missing(self):
        imports = _python_imports(self.python, "sklearn")
        if imports is None:
            return "%s not found (pass --python)" % self.python
        if not imports:
            return "%s cannot import sklearn (apt install python3-sklearn)" % self.python
        return None

    def describe(self):
        return ("scikit-learn TfidfVectorizer() + LogisticRegression(max_iter=1000), solver "
                "liblinear for two labels, sag for more")

    def run(self, split, folder, timeout):
        step = bench_proc.run_measured(
            [self.python, self.script, split.peer_train_csv, split.peer_test_csv],
            os.path.join(folder, "sklearn"), timeout)
        if not step.ok:
            return self.failed([step])
        report = last_json_object(step.stdout)
        if report is None:
            return self.failed([step], "peer_sklearn.py printed no JSON")
        return self.result(
            "ok", [step],
            accuracy=report["accuracy"],
            macro_f1=report["macro_f1"],
            n=report["n"],
            train_s=report["train_s"],
            predict_s=report["predict_s"],
            process_s=step.wall_s,
            sklearn_version=report.get("sklearn_version"),
        )


class PyTorch(Tool):
    """PyTorch on the CPU (peer_torch.py), with TORCH_SETTINGS, on as many threads as this
    process may use cores (as fastText, and as Wordloom does by default)."""

    def __init__(self, python, model):
        self.python = python
        self.pair = model
        self.name = "PyTorch " + model
        self.threads = core_count()
        self.script = os.path.join(HERE, "peer_torch.py")

    def missing(self):
        imports = _python_imports(self.python, "torch")
        if imports is None:
            return "%s not found (pass --python)" % self.python
        if not imports:
            return "%s cannot import torch (apt install python3-torch)" % self.python
        return None

    def describe(self):
        settings = TORCH_SETTINGS[self.pair]
        if self.pair == "lstm":
            shape = "Embedding %(dim)d -> LSTM %(hidden)d -> Linear" % settings
        else:
            shape = ("Embedding %(dim)d -> Conv1d widths %(filter_widths)s x %(filters)d "
                     "-> ReLU, max over time -> Dropout %(dropout)g -> Linear" % settings)
        return ("PyTorch %s: %s, %s %g, batch %d, at most %d epochs, patience %d, max length "
                "%d, %d threads"
                % (self.pair, shape, settings["optimizer"].capitalize(), settings["lr"],
                   settings["batch_size"], settings["epochs"], settings["patience"],
                   settings["max_length"], self.threads))

    def command(self, split):
        settings = TORCH_SETTINGS[self.pair]
        flags = []
        for key in TORCH_FLAGS:
            if key in settings:
                flags += ["--" + key.replace("_", "-"), str(settings[key])]
        # Wordloom's files, CJK text as characters: the reference's way, and on chnsenticorp
        # both faster and more accurate for PyTorch than the other peers' bigram text.
        return ([self.python, self.script, "--model", self.pair, "--threads", str(self.threads),
                 "--seed", str(self.seed)]
                + flags + ["--cjk-chars", split.train_csv, split.test_csv])

    def run(self, split, folder, timeout):
        step = bench_proc.run_measured(self.command(split), os.path.join(folder, "torch"),
                                       timeout)
        if not step.ok:
            return self.failed([step])
        report = last_json_object(step.stdout)
        if report is None:
            return self.failed([step], "peer_torch.py printed no JSON")
        settings = dict(TORCH_SETTINGS[self.pair])
        flops = train_flops_per_token(self.pair, settings)
        return self.result(
            "ok", [step],
            accuracy=report["accuracy"],
            macro_f1=report["macro_f1"],
            n=report["n"],
            train_s=report["train_s"],
            predict_s=report["predict_s"],
            loop_s=report["loop_s"],
            train_tokens=report["train_tokens"],
            tokens_per_s=report["tokens_per_s"],
            flops_per_token=flops,
            gflops=flops * report["tokens_per_s"] / 1e9 if flops else None,
            process_s=step.wall_s,
            vocabulary=report.get("vocabulary"),
            epochs_run=report.get("epochs_run"),
            best_epoch=report.get("best_epoch"),
            threads=report.get("threads"),
            torch_version=report.get("torch_version"),
        )

    def compare(self, wordloom):
        config = ((wordloom.get("train_report") or {}).get("config") or {}).get("model")
        if not config:
            return None

        def same(a, b):
            if isinstance(a, (int, float)) and isinstance(b, (int, float)):
                return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)
            return a == b

        differences = ["%s %s here, %s in Wordloom" % (key, value, config[key])
                       for key, value in TORCH_SETTINGS[self.pair].items()
                       if key in config and not same(config[key], value)]
        if not differences:
            return None
        return ("settings differ from Wordloom's defaults (TORCH_SETTINGS in bench_tools.py): "
                + ", ".join(differences))
