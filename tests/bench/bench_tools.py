# The tools run-bench.py compares: Wordloom's CLI, fastText and scikit-learn, one class each.
#
# Wordloom's command lines are all in WORDLOOM_COMMANDS below: adjust them there when the CLI
# changes.  Every tool run returns a plain dict (see Tool.result) that run-bench.py aggregates.

import json
import os
import re
import shutil
import subprocess

import bench_data
import bench_proc

HERE = os.path.dirname(os.path.abspath(__file__))

# Wordloom's CLI, relative to the build directory, and its command lines.  {model} is
# "linear" or "embedding-bag"; no tuning flags: the benchmark measures the defaults.
WORDLOOM_CLI = os.path.join("app", "wordloom-cli")
WORDLOOM_COMMANDS = {
    "train": ["train", "--input", "{train}", "--model", "{model}", "--output", "{model_file}",
              "--test-fraction", "0", "--json"],
    "eval": ["eval", "--model", "{model_file}", "--input", "{test}", "--json"],
    "predict": ["predict", "--model", "{model_file}", "--input", "{test}", "--json"],
}

# fastText's settings for the comparison (its own defaults are 5 epochs, lr 0.1, unigrams,
# dim 100 and 12 threads); -thread is set to the cores this process may use.
FASTTEXT_ARGS = ["-epoch", "25", "-lr", "0.5", "-wordNgrams", "2", "-dim", "50"]


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


class Tool:
    """One contestant: a name for the table, the pair it belongs to, and how to run it."""

    name = None
    pair = None  # "linear" or "embedding-bag"
    is_wordloom = False

    def missing(self):
        """None when the tool can run, else why not."""
        raise NotImplementedError

    def run(self, split, folder, timeout):
        raise NotImplementedError

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
                  "model_file": os.path.join(folder, "model.wlm")}
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
        result = self.result(
            "ok", steps,
            accuracy=report.get("accuracy"),
            macro_f1=report.get("macro_f1"),
            n=report.get("n"),
            train_s=steps[0].wall_s,
            predict_s=steps[1].wall_s,
            predict_cli_s=steps[2].wall_s,
            train_report=last_json_object(steps[0].stdout),
            eval_report=report,
        )
        self.check_predictions(result, split, steps[2].stdout)
        return result

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
        return "fastText %s -thread %d" % (" ".join(FASTTEXT_ARGS), self.threads)

    def run(self, split, folder, timeout):
        prefix = os.path.join(folder, "model")
        log = os.path.join(folder, "fasttext-")
        train = bench_proc.run_measured(
            [self.binary, "supervised", "-input", split.train_fasttext, "-output", prefix]
            + FASTTEXT_ARGS + ["-thread", str(self.threads)], log + "train", timeout)
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
        try:
            probe = subprocess.run([self.python, "-c", "import sklearn"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            return "%s not found (pass --python)" % self.python
        if probe.returncode != 0:
            return "%s cannot import sklearn (apt install python3-sklearn)" % self.python
        return None

    def describe(self):
        return "scikit-learn TfidfVectorizer() + LogisticRegression(max_iter=1000)"

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
