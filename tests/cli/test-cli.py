#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""wordloom-cli end to end, on generated data: train, eval, predict, inspect,
the config file, JSON output, bad input and exit codes."""

import csv
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from xml.etree import ElementTree

CLI = os.environ.get("WORDLOOM_CLI") or sys.argv.pop(1)
# train records every run: into a store of the tests', not the user's.
STORE_DIR = tempfile.TemporaryDirectory(prefix="wl-cli-store-")
os.environ["WORDLOOM_STORE"] = os.path.join(STORE_DIR.name, "runs.sqlite")

TOPICS = {
    "sport": ("match goal team coach season league score player stadium win".split(),
              "比赛 球队 进球 教练 赛季 球员 冠军 体育场".split()),
    "food": ("recipe dinner taste spicy kitchen bread sauce cook flavour lunch".split(),
             "美食 晚餐 味道 厨房 面包 酱汁 好吃 午饭".split()),
    "tech": ("laptop battery screen software update phone chip cloud app server".split(),
             "电脑 电池 屏幕 软件 更新 手机 芯片 服务器".split()),
}
FILLER = "the a of and very really today with my this".split()


def make_rows(n, seed, chinese_share=0.3):
    rng = random.Random(seed)
    rows = []
    labels = list(TOPICS)
    for i in range(n):
        label = labels[i % len(labels)]
        en, zh = TOPICS[label]
        if rng.random() < chinese_share:
            text = "".join(rng.choice(zh) for _ in range(rng.randint(3, 7))) + "。"
        else:
            words = [rng.choice(en) for _ in range(rng.randint(4, 9))]
            words += [rng.choice(FILLER) for _ in range(rng.randint(2, 5))]
            rng.shuffle(words)
            text = " ".join(words)
            if rng.random() < 0.2:
                text = '"' + text + '", she said, twice'
        rows.append((label, text))
    return rows


def write_csv(path, rows, header=("label", "text")):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        if header:
            writer.writerow(header)
        writer.writerows(rows)


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="wl-cli-")
        cls.dir = cls.tmp.name
        cls.train_csv = os.path.join(cls.dir, "train.csv")
        cls.test_csv = os.path.join(cls.dir, "test.csv")
        write_csv(cls.train_csv, make_rows(900, 1))
        write_csv(cls.test_csv, make_rows(300, 2))
        cls.models = {}
        for model in ("linear", "embedding-bag"):
            path = os.path.join(cls.dir, model + ".wlm")
            result = cls.cli("train", "--input", cls.train_csv, "--model", model,
                             "--output", path, "--threads", "2", "--json")
            assert result.returncode == 0, result.stderr
            cls.models[model] = (path, result)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @staticmethod
    def cli(*args, stdin=None):
        return subprocess.run([CLI, *args], input=stdin, capture_output=True,
                              text=True, timeout=120)

    def test_train_json_events(self):
        for model, (path, result) in self.models.items():
            lines = [json.loads(line) for line in result.stdout.splitlines()]
            kinds = [line["event"] for line in lines]
            self.assertIn("epoch", kinds, model)
            self.assertEqual(kinds[-2:], ["finished", "summary"], model)
            stages = [l["stage"] for l in lines if l["event"] == "stage-finished"]
            self.assertEqual(stages, ["load", "clean", "featurize", "train", "evaluate"])
            summary = lines[-1]
            self.assertEqual(summary["config"]["model"]["type"], model)
            # Defaults resolved: no "auto" left in the stored config.
            self.assertNotEqual(summary["config"]["tokens"]["tokenizer"], "auto")
            self.assertGreater(summary["config"]["model"]["epochs"], 0)
            self.assertEqual(summary["n_train"] + summary["n_valid"] + summary["n_test"], 900)
            self.assertGreater(summary["test"]["accuracy"], 0.9, model)
            epochs = [l for l in lines if l["event"] == "epoch"]
            self.assertGreater(epochs[0]["tokens_per_s"], 0)
            self.assertTrue(any(e["best"] for e in epochs))
            self.assertTrue(os.path.getsize(path) > 0)
            # What held training back: over the whole training, once, after
            # the last epoch; in memory there is no input to wait for.
            verdicts = [l for l in lines if l["event"] == "verdict"]
            whole = [v for v in verdicts if v["whole"]]
            self.assertEqual(len(whole), 1, model)
            self.assertEqual(whole[0]["stage"], "train")
            self.assertEqual(whole[0]["input"], "memory")
            self.assertIn(whole[0]["verdict"], ("compute-bound", "memory-bound"))
            self.assertEqual(whole[0]["threads"], 2)
            self.assertLess(kinds.index("epoch"), lines.index(whole[0]))

    def test_train_outlook(self):
        # Early stopping usually ends training long before the maximum: the
        # events and the progress lines say "at most" and give the time left
        # from the soonest end (patience epochs after the best) to the most.
        for model, (path, result) in self.models.items():
            epochs = [json.loads(line) for line in result.stdout.splitlines()]
            epochs = [e for e in epochs if e["event"] == "epoch"]
            best = 0
            for e in epochs:
                best = e["epoch"] if e["best"] else best
                self.assertEqual(e["epochs"], 50)
                self.assertEqual(e["stop_epoch"], min(best + 3, 50), model)
                self.assertLessEqual(e["eta"], e["eta_max"])
            self.assertEqual(epochs[-1]["stop_epoch"], epochs[-1]["epoch"])
            self.assertEqual(epochs[-1]["eta_max"], 0)
            self.assertGreater(epochs[0]["eta_max"], epochs[0]["eta"])
        result = self.cli("train", "--input", self.train_csv, "--output",
                          os.path.join(self.dir, "outlook.wlm"), "--no-record")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = [l for l in result.stderr.splitlines() if l.startswith("epoch ")]
        self.assertTrue(lines[0].startswith("epoch 1 (at most 50): "), lines[0])
        # Durations as every page writes them: "0.42 s", "12.5 s", "5:43".
        duration = r"(\d+:\d\d|\d+(\.\d+)? s)"
        self.assertRegex(lines[0], r"time left %s to %s$" % (duration, duration))

    def test_eval_json(self):
        for model, (path, _) in self.models.items():
            result = self.cli("eval", "--model", path, "--input", self.test_csv, "--json")
            self.assertEqual(result.returncode, 0, result.stderr)
            report = json.loads(result.stdout)
            for key in ("accuracy", "macro_f1", "n", "labels", "per_class", "confusion"):
                self.assertIn(key, report)
            self.assertEqual(report["n"], 300)
            self.assertEqual(report["labels"], ["sport", "food", "tech"])
            self.assertGreater(report["accuracy"], 0.9, model)
            self.assertEqual(sum(map(sum, report["confusion"])), 300)
            for row, cls in zip(report["confusion"], report["per_class"]):
                self.assertEqual(sum(row), cls["support"])
                self.assertEqual(set(cls), {"label", "precision", "recall", "f1", "support"})

    def test_eval_text(self):
        path = self.models["linear"][0]
        result = self.cli("eval", "--model", path, "--input", self.test_csv)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("accuracy", result.stdout)
        self.assertIn("confusion matrix", result.stdout)

    def test_eval_unknown_label(self):
        path = self.models["linear"][0]
        csv_path = os.path.join(self.dir, "extra-label.csv")
        write_csv(csv_path, make_rows(30, 3) + [("travel", "a trip by train to the sea")])
        report = json.loads(self.cli("eval", "--model", path, "--input", csv_path, "--json").stdout)
        self.assertEqual(report["labels"][-1], "travel")
        self.assertEqual(report["per_class"][-1]["recall"], 0)
        self.assertEqual(report["n"], 31)
        self.assertEqual(report["unseen_rows"], 1)
        self.assertEqual(report["unseen_labels"], ["travel"])
        text = self.cli("eval", "--model", path, "--input", csv_path)
        self.assertIn("1 of 31 rows has a label the model never saw", text.stdout)
        self.assertIn("“travel”", text.stdout)

    def test_unseen_test_labels_reported(self):
        # A test file whose labels the training file never had: every row
        # counts as an error, and the run says why.
        test_csv = os.path.join(self.dir, "renamed-labels.csv")
        write_csv(test_csv, [("x-" + label, text) for label, text in make_rows(60, 4)])
        result = self.cli("train", "--input", self.train_csv, "--test", test_csv, "--no-record",
                          "--output", os.path.join(self.dir, "unseen.wlm"), "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        summary = lines[-1]
        self.assertEqual(summary["test"]["accuracy"], 0)
        self.assertEqual(summary["test"]["unseen_rows"], 60)
        self.assertEqual(sorted(summary["test"]["unseen_labels"]), ["x-food", "x-sport", "x-tech"])
        messages = [l["message"] for l in lines if l["event"] == "message"]
        self.assertTrue(any("60 of 60 rows have labels the model never saw" in m for m in messages),
                        messages)

    def test_free_text_label_column_refused(self):
        # "label" holds one sentence per row; the classes are in "topic".
        path = os.path.join(self.dir, "free-text-label.csv")
        rows = make_rows(200, 5)
        write_csv(path, [(f"{text} #{i}", text, label) for i, (label, text) in enumerate(rows)],
                  header=("label", "text", "topic"))
        result = self.cli("train", "--input", path, "--no-record",
                          "--output", os.path.join(self.dir, "free.wlm"))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("“label” has 200 different values in 200 rows", result.stderr)
        self.assertIn("more likely in “topic”", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "free.wlm")))

    def test_hundred_thousand_labels(self):
        # 100,000 distinct labels in as many rows: refused at once, not an
        # 80 GB allocation.
        path = os.path.join(self.dir, "100k-labels.csv")
        write_csv(path, [(f"id{i}", f"text number {i}") for i in range(100000)])
        result = self.cli("train", "--input", path, "--no-record",
                          "--output", os.path.join(self.dir, "100k.wlm"))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("has 100000 different values in 100000 rows", result.stderr)

    def test_many_labels_capped_view(self):
        # 60 labels: the per-label table and the confusion matrix show the 29
        # with most rows and sum up the other 31, in text and in JSON.
        rng = random.Random(7)
        path = os.path.join(self.dir, "sixty.csv")
        words = [f"w{k}" for k in range(60)]
        rows = [(f"class{k:02d}", " ".join([words[k]] * 3 + [rng.choice(FILLER) for _ in range(3)]))
                for k in range(60) for _ in range(4 + (k < 20) * 6)]
        write_csv(path, rows)
        model = os.path.join(self.dir, "sixty.wlm")
        result = self.cli("train", "--input", path, "--model", "linear", "--no-record",
                          "--output", model)
        self.assertEqual(result.returncode, 0, result.stderr)
        report = json.loads(self.cli("eval", "--model", model, "--input", path, "--json").stdout)
        self.assertEqual(len(report["labels"]), 60)
        self.assertEqual(len(report["per_class"]), 60)
        self.assertEqual(report["confusion_others"], 31)
        self.assertEqual(len(report["confusion_labels"]), 29)
        self.assertEqual(len(report["confusion"]), 30)
        self.assertEqual(sum(map(sum, report["confusion"])), len(rows))
        # The labels with 10 rows each come before those with 4.
        self.assertTrue(set(f"class{k:02d}" for k in range(20)) <= set(report["confusion_labels"]))
        text = self.cli("eval", "--model", model, "--input", path).stdout
        self.assertIn("31 more labels", text)
        self.assertIn("31 others", text)

    def test_predict_stdin(self):
        path = self.models["embedding-bag"][0]
        result = self.cli("predict", "--model", path,
                          stdin="the coach and the team won the match\nspicy sauce for dinner\n电脑 屏幕 软件\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), ["sport", "food", "tech"])

    def test_predict_json_probabilities(self):
        path = self.models["linear"][0]
        result = self.cli("predict", "--model", path, "--json", "--probabilities",
                          stdin="bread and sauce in the kitchen\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        line = json.loads(result.stdout)
        self.assertEqual(line["label"], "food")
        self.assertAlmostEqual(sum(line["probabilities"].values()), 1.0, places=4)
        self.assertEqual(line["probability"], max(line["probabilities"].values()))

    def test_predict_csv_without_labels(self):
        path = self.models["linear"][0]
        csv_path = os.path.join(self.dir, "unlabelled.csv")
        with open(csv_path, "w", encoding="utf-8") as f:
            f.write("id,text\n1,goal for the team\n2,new phone battery update\n")
        result = self.cli("predict", "--model", path, "--input", csv_path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), ["sport", "tech"])

    def test_inspect(self):
        for model, (path, _) in self.models.items():
            result = self.cli("inspect", path)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn(model, result.stdout)
            self.assertIn("sport", result.stdout)

    def test_devices(self):
        result = self.cli("devices", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        report = json.loads(result.stdout)
        ids = [d["id"] for d in report["devices"]]
        # The CPU once, its products on OpenBLAS; the reference backend is not offered.
        self.assertEqual(ids[0], "cpu")
        self.assertEqual(report["devices"][0]["backend"], "blas")
        self.assertEqual([d["kind"] for d in report["devices"] if d["backend"] != "opencl"],
                         ["cpu"])
        self.assertNotIn("blas", ids)
        self.assertEqual(report["devices"][0]["compute_units"], os.cpu_count())
        # Half precision on the CPU is emulated, and said to be.
        self.assertTrue(report["devices"][0]["half_emulated"])
        for device in report["devices"][1:]:
            self.assertTrue(device["id"].startswith(device["backend"]))
            self.assertFalse(device["half_emulated"])
        for device in report["devices"]:
            self.assertIn(device["kind"], ("cpu", "gpu", "accelerator", "other"))
            self.assertGreater(device["compute_units"], 0)
        self.assertIsInstance(report["notes"], list)
        text = self.cli("devices")
        self.assertEqual(text.returncode, 0, text.stderr)
        for device_id in ids:
            self.assertIn(device_id, text.stdout)
        self.assertIn("emul", text.stdout)
        self.assertEqual(self.cli("devices", "extra").returncode, 2)

    def test_config_file_and_flags(self):
        config = os.path.join(self.dir, "config.json")
        with open(config, "w") as f:
            json.dump({"model": {"type": "embedding-bag", "epochs": 2, "dim": 8}, "threads": 1}, f)
        out = os.path.join(self.dir, "from-config.wlm")
        result = self.cli("train", "--config", config, "--input", self.train_csv,
                          "--dim", "12", "--output", out, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        summary = json.loads(result.stdout.splitlines()[-1])
        self.assertEqual(summary["config"]["model"]["type"], "embedding-bag")
        self.assertEqual(summary["config"]["model"]["epochs"], 2)
        self.assertEqual(summary["config"]["model"]["dim"], 12)   # the flag wins
        self.assertEqual(summary["config"]["threads"], 1)

        # --print-config shows the same settings without training.
        shown = json.loads(self.cli("train", "--config", config, "--print-config").stdout)
        self.assertEqual(shown["model"]["dim"], 8)

    def test_separate_test_file(self):
        out = os.path.join(self.dir, "sep.wlm")
        result = self.cli("train", "--input", self.train_csv, "--test", self.test_csv,
                          "--output", out, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        summary = json.loads(result.stdout.splitlines()[-1])
        self.assertEqual(summary["n_test"], 300)
        self.assertEqual(summary["n_train"] + summary["n_valid"], 900)

    def test_columns_by_index_and_join(self):
        path = os.path.join(self.dir, "three.tsv")
        rows = make_rows(300, 4, chinese_share=0)
        with open(path, "w", encoding="utf-8") as f:
            for i, (label, text) in enumerate(rows):
                head, _, tail = text.replace('"', "").partition(" ")
                f.write(f"{head}\t{label}\t{tail}\n")
        out = os.path.join(self.dir, "three.wlm")
        result = self.cli("train", "--input", path, "--no-header", "--text-column", "1,3",
                          "--label-column", "2", "--output", out, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        summary = json.loads(result.stdout.splitlines()[-1])
        self.assertEqual(summary["test"]["labels"], ["sport", "food", "tech"])

    def test_bad_rows(self):
        path = os.path.join(self.dir, "bad.csv")
        rows = make_rows(120, 5)
        with open(path, "w", encoding="utf-8") as f:
            f.write("label,text\n")
            for i, (label, text) in enumerate(rows):
                f.write(f'{label},"{text.replace(chr(34), "")}"\n')
                if i == 40:
                    f.write("sport,too,many,fields\n")
        out = os.path.join(self.dir, "bad.wlm")
        result = self.cli("train", "--input", path, "--output", out)
        self.assertEqual(result.returncode, 1)
        self.assertIn("bad.csv:43", result.stderr)
        self.assertIn("--skip-bad-rows", result.stderr)

        result = self.cli("train", "--input", path, "--output", out, "--skip-bad-rows")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("skipped 1 malformed row (line 43)", result.stderr)

    def test_quotes_as_text_said(self):
        # Quotes that no CSV writer makes: the file is read without quoting,
        # and the message says what to choose in words the window shares
        # (its Quotes row), not a flag.
        path = os.path.join(self.dir, "inches.tsv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("label\ttext\n")
            for i in range(200):
                f.write("pos\t\"great\" movie\n" if i % 2 else "neg\ta 5\" screen, \"bad\n")
        result = self.cli("train", "--input", path, "--model", "linear", "--no-record",
                          "--output", os.path.join(self.dir, "inches.wlm"))
        self.assertEqual(result.returncode, 0, result.stderr)
        said = [l for l in result.stderr.splitlines() if "read without quoting" in l]
        self.assertEqual(len(said), 1, result.stderr)
        self.assertIn("RFC 4180", said[0])
        self.assertNotIn("--", said[0])

    def test_encoding(self):
        zh = {"sport": "体育", "food": "美食", "tech": "科技"}
        rows = [(zh[label], text) for label, text in make_rows(300, 7, chinese_share=0.6)]
        train = os.path.join(self.dir, "gbk-train.csv")
        test = os.path.join(self.dir, "gbk-test.csv")
        for path, part in ((train, rows[:240]), (test, rows[240:])):
            with open(path, "w", newline="", encoding="gbk") as f:
                writer = csv.writer(f)
                writer.writerow(("label", "text"))
                writer.writerows(part)
        out = os.path.join(self.dir, "gbk.wlm")
        result = self.cli("train", "--input", train, "--output", out, "--threads", "2")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("gbk-train.csv: read as GB18030", result.stderr)
        self.assertIn("3 labels", result.stderr)
        # The model keeps the encoding that was read: a file in the same
        # encoding is read with it.
        result = self.cli("eval", "--model", out, "--input", test, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(set(json.loads(result.stdout)["labels"]), set(zh.values()))

        noise = os.path.join(self.dir, "noise.csv")
        rng = random.Random(3)
        with open(noise, "wb") as f:
            f.write(b"label,text\n")
            for i in range(100):
                f.write(b"ab"[i % 2:i % 2 + 1] + b"," + bytes(rng.randrange(0x80, 0x100) for _ in range(40)) + b"\n")
        result = self.cli("train", "--input", noise, "--output", out)
        self.assertEqual(result.returncode, 1)
        self.assertIn("noise.csv: cannot tell the text encoding", result.stderr)
        self.assertIn("--encoding", result.stderr)
        result = self.cli("train", "--input", noise, "--output", out, "--encoding", "klingon")
        self.assertEqual(result.returncode, 1)
        self.assertIn("Encoding “klingon” is unknown", result.stderr)

    def test_usage_errors_exit_2(self):
        cases = [
            ("train", "--input", self.train_csv),                      # no --output
            ("train", "--input", self.train_csv, "--output", "x.wlm", "--model", "forest"),
            ("train", "--input", self.train_csv, "--output", "x.wlm", "--epochs", "-3"),
            ("train", "--bogus"),
            ("eval", "--model", "m.wlm"),
            ("predict",),
            ("frobnicate",),
            ("eval", "--model", self.models["linear"][0], "--input", self.test_csv,
             "--separator", "ab"),
            ("predict", "--model", self.models["linear"][0], "--input", self.test_csv,
             "--header", "--no-header"),
            (),
        ]
        for args in cases:
            result = self.cli(*args)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertTrue(result.stderr.strip(), args)

    def test_bad_input_exit_1(self):
        missing = os.path.join(self.dir, "missing.csv")
        result = self.cli("train", "--input", missing, "--output", os.path.join(self.dir, "m.wlm"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("missing.csv", result.stderr)

        not_a_model = os.path.join(self.dir, "not-a-model.wlm")
        with open(not_a_model, "wb") as f:
            f.write(b"label,text\nsport,goal\n")
        for command in (("eval", "--input", self.test_csv), ("predict",), ()):
            if command == ():
                result = self.cli("inspect", not_a_model)
            else:
                result = self.cli(command[0], "--model", not_a_model, *command[1:], stdin="x\n")
            self.assertEqual(result.returncode, 1, command)
            self.assertIn("not-a-model.wlm", result.stderr)

        one_label = os.path.join(self.dir, "one-label.csv")
        write_csv(one_label, [("sport", "goal %d" % i) for i in range(20)])
        result = self.cli("train", "--input", one_label, "--output", os.path.join(self.dir, "m.wlm"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("at least two labels", result.stderr)

    def test_truncated_model_refused(self):
        path = self.models["linear"][0]
        with open(path, "rb") as f:
            data = f.read()
        cut = os.path.join(self.dir, "cut.wlm")
        with open(cut, "wb") as f:
            f.write(data[: len(data) // 2])
        result = self.cli("predict", "--model", cut, stdin="goal\n")
        self.assertEqual(result.returncode, 1)
        self.assertIn("cut.wlm", result.stderr)


class SettingsTest(unittest.TestCase):
    """Settings mean what they say: every model with its own settings, the
    devices and precisions, and the ranges, from flags and from JSON alike."""

    NEURAL = ["--dim", "8", "--max-length", "16", "--batch-size", "16"]
    OWN = {
        "linear": ["--ngrams", "1", "--l2", "0.0001", "--min-count", "1"],
        "embedding-bag": ["--dim", "8", "--ngrams", "2", "--buckets", "256"],
        "mlp": NEURAL + ["--hidden", "8", "--layers", "2", "--dropout", "0.1"],
        "textcnn": NEURAL + ["--filter-widths", "2,3", "--filters", "4"],
        "lstm": NEURAL + ["--hidden", "8", "--bidirectional"],
        "gru": NEURAL + ["--hidden", "8", "--optimizer", "sgd", "--momentum", "0.5",
                         "--schedule", "cosine", "--warmup", "0.1", "--clip", "5"],
    }

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="wl-cli-settings-")
        cls.dir = cls.tmp.name
        cls.data = os.path.join(cls.dir, "tiny.csv")
        write_csv(cls.data, make_rows(150, 5))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def train(self, *args):
        return subprocess.run([CLI, "train", "--input", self.data, "--epochs", "1", "--threads", "2",
                               "--no-record", "--json", "--output", os.path.join(self.dir, "m.wlm"),
                               *args], capture_output=True, text=True, timeout=300)

    def summary(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout.splitlines()[-1])

    def config_file(self, settings):
        path = os.path.join(self.dir, "config.json")
        with open(path, "w") as f:
            f.write(settings if isinstance(settings, str) else json.dumps(settings))
        return path

    def test_every_model_with_its_settings(self):
        for model, own in self.OWN.items():
            with self.subTest(model=model):
                config = self.summary(self.train("--model", model, *own))["config"]["model"]
                self.assertEqual(config["type"], model)
                self.assertEqual(config["epochs"], 1)
                # What is stored is what ran: each setting given, and none the model does not use.
                for flag, value in zip(own[::2], own[1::2]):
                    if flag == "--bidirectional":
                        continue
                    key = {"--ngrams": "word_ngrams"}.get(flag, flag[2:].replace("-", "_"))
                    stored = config[key]
                    self.assertEqual(str(stored) if isinstance(stored, str) else float(stored),
                                     value if isinstance(stored, str) else float(value), key)
                if model in ("linear", "embedding-bag"):
                    self.assertEqual(config["batch_size"], 0)
                    self.assertEqual(config["device"], "cpu")
                    self.assertEqual(config["precision"], "fp32")
                    self.assertEqual(config["hidden"], 0)
                if model != "linear":
                    self.assertEqual(config["l2"], -1)
                if model == "lstm":
                    self.assertTrue(config["bidirectional"])

    def test_devices_and_precisions(self):
        listing = json.loads(subprocess.run([CLI, "devices", "--json"], capture_output=True,
                                            text=True, check=True).stdout)
        opencl = [d for d in listing["devices"] if d["backend"] == "opencl"]
        runs = [("cpu", "fp32", "blas"), ("cpu", "bf16", "blas"), ("blas", "fp16", "blas")]
        if any("has no OpenCL support" in note for note in listing["notes"]):
            # The build without OpenCL (./run test's build-no-opencl) says so, and
            # refuses an OpenCL device by name.
            self.assertFalse(opencl)
            result = self.train("--model", "mlp", "--device", "opencl:0:0", *self.OWN["mlp"])
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("no OpenCL", result.stderr)
            opencl = [{"id": "opencl:0:0"}]
        else:
            # CI installs pocl: an OpenCL device is there.
            self.assertTrue(opencl, "no OpenCL device; install pocl-opencl-icd")
            # Under AddressSanitizer (./run test's build-sanitize) pocl's own
            # allocator now and then stops with "AddressSanitizer failed to
            # deallocate"; the main build trains on it.
            if not os.environ.get("WORDLOOM_SANITIZED"):
                runs.append((opencl[0]["id"], "fp32", opencl[0]["id"]))
                # "opencl" alone picks a device: the run stores the one that ran.
                first = next((d for d in opencl if d["kind"] == "gpu"), opencl[0])
                runs.append(("opencl", "fp32", first["id"]))
        names = {d["id"]: d["name"] for d in listing["devices"]}
        # The CPU is listed once, as "cpu"; the neural models run it as "blas".
        names["blas"] = names["cpu"]
        for device, precision, stored in runs:
            with self.subTest(device=device, precision=precision):
                config = self.summary(self.train("--model", "mlp", "--device", device, "--precision",
                                                 precision, *self.OWN["mlp"]))["config"]["model"]
                self.assertEqual(config["device"], stored)
                self.assertEqual(config["device_name"], names[stored])
                self.assertEqual(config["precision"], precision)
        # A model that uses no device stores none.
        config = self.summary(self.train("--model", "linear"))["config"]["model"]
        self.assertIsNone(config.get("device_name"))
        # The CPU and fp32, said out loud, are what linear and embedding-bag run on anyway.
        for model in ("linear", "embedding-bag"):
            config = self.summary(self.train("--model", model, "--device", "cpu",
                                             "--precision", "fp32"))["config"]["model"]
            self.assertEqual((config["device"], config["precision"]), ("cpu", "fp32"))
            for args in (["--device", opencl[0]["id"]], ["--device", "blas"], ["--precision", "bf16"]):
                result = self.train("--model", model, *args)
                self.assertEqual(result.returncode, 2, args)
                self.assertIn("is for mlp, textcnn, lstm and gru only, not for " + model, result.stderr)

    def test_ranges_from_flags(self):
        cases = [
            (["--lr", "-1"], "“--lr (model.lr)” must be from 0 to 100 (0: the model's default), not -1"),
            (["--lr", "inf"], "must be a finite number"),
            (["--clip", "nan", "--model", "mlp"], "must be a finite number"),
            (["--test-fraction", "1.5"], "“--test-fraction (data.test_fraction)” must be from 0 to 0.9"),
            (["--valid-fraction", "1"], "must be from 0 to 0.9"),
            (["--dim", "100000000", "--model", "mlp"], "“--dim (model.dim)” must be from 0 to 4096"),
            (["--layers", "100000", "--model", "lstm"], "must be from 0 to 8"),
            (["--dropout", "3", "--model", "mlp"], "must be from 0 to 0.95"),
            (["--warmup", "7", "--model", "mlp"], "must be from 0 to 1"),
            (["--filter-widths", "3,x", "--model", "textcnn"], "must look like 3,4,5"),
            (["--epochs", "2.5"], "must be a whole number"),
            (["--optimizer", "rmsprop", "--model", "mlp"], "must be one of auto, sgd, adam, adamw"),
            (["--threads", "100000"], "“--threads (threads)” must be from 0 to 1024 (0: all cores)"),
            (["--l2", "0.1", "--model", "embedding-bag"], "is for linear only, not for embedding-bag"),
            (["--l2", "0.1", "--model", "gru"], "is for linear only, not for gru"),
            (["--batch-size", "8"], "is for mlp, textcnn, lstm and gru only, not for linear"),
            (["--batch-size", "8", "--model", "embedding-bag"], "not for embedding-bag"),
            (["--buckets", "100", "--model", "mlp"], "is for embedding-bag only, not for mlp"),
            (["--ngrams", "3", "--model", "lstm"], "is for linear and embedding-bag only"),
            (["--hidden", "64"], "“--hidden (model.hidden)” is for mlp, lstm and gru only, not for linear"),
            (["--momentum", "0.5", "--model", "mlp"], "is for the sgd optimizer only"),
        ]
        for args, needle in cases:
            with self.subTest(args=args):
                result = self.train(*args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(needle, result.stderr)
                self.assertFalse(result.stdout)

    def test_ranges_from_json(self):
        cases = [
            ({"data": {"test_fraction": 1.5}}, 1, "“data.test_fraction” must be from 0 to 0.9, not 1.5"),
            ({"data": {"valid_fraction": 1.0}}, 1, "“data.valid_fraction” must be from 0 to 0.9"),
            ({"model": {"type": "linear", "lr": -1}}, 1, "“model.lr” must be from 0 to 100"),
            ('{"model": {"lr": 1e999}}', 1, "“model.lr” must be a finite number"),
            ('{"model": {"type": "mlp", "clip": 1e999}}', 1, "“model.clip” must be a finite number"),
            ({"model": {"type": "mlp", "dim": 100000000}}, 1, "“model.dim” must be from 0 to 4096"),
            ({"model": {"type": "textcnn", "filter_widths": "wide"}}, 1, "must look like 3,4,5"),
            ({"threads": 100000}, 1, "“threads” must be from 0 to 1024"),
            ({"model": {"type": "linear", "hidden": 64}}, 2, "model.hidden)” is for mlp, lstm and gru only"),
            ({"model": {"type": "embedding-bag", "device": "blas"}}, 2, "not for embedding-bag"),
            ({"model": {"type": "mlp", "l2": 0.5}}, 2, "is for linear only, not for mlp"),
        ]
        for settings, status, needle in cases:
            with self.subTest(settings=settings):
                for form in ("--config", "-c"):
                    result = self.train(form, self.config_file(settings))
                    self.assertEqual(result.returncode, status, result.stderr)
                    self.assertIn(needle, result.stderr)

    def test_short_config_flag(self):
        # -c is --config: the file's settings are used, and flags override them.
        path = self.config_file({"model": {"type": "embedding-bag", "dim": 12, "epochs": 3}})
        shown = json.loads(subprocess.run([CLI, "train", "-c", path, "--dim", "10", "--print-config"],
                                          capture_output=True, text=True, check=True).stdout)
        self.assertEqual(shown["model"]["type"], "embedding-bag")
        self.assertEqual(shown["model"]["epochs"], 3)
        self.assertEqual(shown["model"]["dim"], 10)
        config = self.summary(self.train("-c", path))["config"]["model"]
        self.assertEqual((config["type"], config["dim"]), ("embedding-bag", 12))

    def test_advise(self):
        store = os.path.join(self.dir, "advise.sqlite")
        args = [CLI, "advise", "--input", self.data, "--model", "mlp", *self.OWN["mlp"],
                "--budget", "2", "--json", "--store", store]

        def advise(*more):
            result = subprocess.run(args + list(more), capture_output=True, text=True, timeout=300)
            self.assertEqual(result.returncode, 0, result.stderr)
            return json.loads(result.stdout)

        first = advise()
        candidates = first["candidates"]
        # Every device is a candidate at the batch size set; the CPU once per thread count
        # measured; then one of them at twice and four times that batch size.
        devices = json.loads(subprocess.run([CLI, "devices", "--json"], capture_output=True,
                                            text=True, check=True).stdout)["devices"]
        self.assertEqual(first["batch_size"], 16)
        as_set = [c for c in candidates if c["batch_size"] == 16]
        self.assertEqual({c["device"] for c in as_set}, {d["id"] for d in devices})
        self.assertEqual([c["threads"] for c in as_set if c["device"] == "cpu"],
                         [p["threads"] for p in first["preprocess"]])
        self.assertEqual([c["batch_size"] for c in candidates[len(as_set):]], [32, 64])
        self.assertEqual(first["preprocess"][0]["threads"], 1)
        pick = candidates[first["pick"]]
        self.assertIsNone(pick["failure"])
        for c in candidates:
            self.assertFalse(c["reused"])
            if c["failure"] is None:
                p = c["projection"]
                self.assertAlmostEqual(p["total"], p["load"] + p["preprocess"] + p["train"] +
                                       p["evaluate"], places=6)
                self.assertLessEqual(pick["projection"]["total"], p["total"])
        self.assertIn("about", first["summary"])
        # Measured again next time only when asked.
        self.assertTrue(all(c["reused"] for c in advise()["candidates"] if c["failure"] is None))
        self.assertFalse(any(c["reused"] for c in advise("--remeasure")["candidates"]))
        result = subprocess.run(args + ["--budget", "0"], capture_output=True, text=True)
        self.assertEqual(result.returncode, 2)
        self.assertIn("“--budget” must be from", result.stderr)
        text = subprocess.run(args[:-3] + ["--no-record"], capture_output=True, text=True)
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("* ", text.stdout)
        self.assertIn("batch 64", text.stdout)

    def test_train_auto(self):
        result = self.train("--model", "mlp", *self.OWN["mlp"], "--device", "auto",
                            "--threads", "auto")
        summary = self.summary(result)
        advice = [json.loads(l) for l in result.stdout.splitlines() if '"advice"' in l][0]
        self.assertIn("about", advice["why"])
        # What is stored is what ran: a device and a number of threads, never "auto".
        self.assertNotEqual(summary["config"]["model"]["device"], "auto")
        self.assertIn(summary["config"]["threads"], range(1, os.cpu_count() + 1))
        self.assertIn(str(summary["config"]["threads"]), advice["chose"])
        # Among the candidates at the batch size set: auto never changes the model.
        self.assertEqual(summary["config"]["model"]["batch_size"], 16)
        # The device a model does not use is refused, auto or not.
        result = self.train("--model", "linear", "--device", "auto")
        self.assertEqual(result.returncode, 2)
        self.assertIn("not for linear", result.stderr)
        result = self.train("--model", "mlp", "--epochs", "auto")
        self.assertEqual(result.returncode, 2)

    def test_threads_bound(self):
        for threads, status in (("1024", 0), ("1025", 2)):
            result = subprocess.run([CLI, "train", "--threads", threads, "--print-config"],
                                    capture_output=True, text=True)
            self.assertEqual(result.returncode, status, result.stderr)
        self.assertIn("from 0 to 1024", result.stderr)

    def test_print_config_threads_auto(self):
        # "auto" is printed as the flag spells it, not as the number that stands for it,
        # and the printed config reads back as "auto".
        shown = json.loads(subprocess.run([CLI, "train", "--threads", "auto", "--print-config"],
                                          capture_output=True, text=True, check=True).stdout)
        self.assertEqual(shown["threads"], "auto")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "auto.json")
            with open(path, "w") as f:
                json.dump(shown, f)
            again = json.loads(subprocess.run([CLI, "train", "-c", path, "--print-config"],
                                              capture_output=True, text=True, check=True).stdout)
        self.assertEqual(again["threads"], "auto")

    def test_help_says_what_zero_means(self):
        text = " ".join(subprocess.run([CLI, "train", "--help"], capture_output=True, text=True,
                                       check=True).stdout.split())
        for flag in ("--epochs", "--dim", "--batch-size", "--max-length", "--lr"):
            line = text[text.index(flag + "="):]
            self.assertIn("(0: the model's default)", line[:line.index(" --", 2)], flag)
        self.assertIn("(0: all cores)", text)
        self.assertIn("0 to 1024", text)
        self.assertIn("linear only", text[text.index("--l2="):])

    def test_contractions_and_padding(self):
        def shown(*args):
            return json.loads(subprocess.run([CLI, "train", "--print-config", *args],
                                             capture_output=True, text=True, check=True).stdout)
        config = shown("--model", "textcnn")
        self.assertTrue(config["tokens"]["split_contractions"])
        self.assertEqual(config["model"]["padding"], "wide")
        config = shown("--model", "textcnn", "--keep-contractions", "--padding", "none")
        self.assertFalse(config["tokens"]["split_contractions"])
        self.assertEqual(config["model"]["padding"], "none")
        result = self.train("--model", "lstm", "--padding", "none")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("is for textcnn only, not for lstm", result.stderr)

    def test_link_word(self):
        def shown(*args):
            return json.loads(subprocess.run([CLI, "train", "--print-config", *args],
                                             capture_output=True, text=True, check=True).stdout)
        self.assertTrue(shown()["clean"]["mark_links"])
        self.assertFalse(shown("--no-link-word")["clean"]["mark_links"])
        self.assertTrue(shown("--keep-urls")["clean"]["mark_links"])

    def test_refit(self):
        # Linear and embedding-bag train again on the training and validation rows
        # for the best epoch count, in memory and in windows of rows alike.
        def train(model, *args, env=None, json_lines=True):
            return subprocess.run(
                [CLI, "train", "--input", self.data, "--model", model, "--epochs", "4",
                 "--threads", "2", "--no-record", "--output", os.path.join(self.dir, "r.wlm"),
                 *(["--json"] if json_lines else []), *args],
                capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})
        for model, env in (("embedding-bag", None), ("linear", None),
                           ("embedding-bag", {"WORDLOOM_WINDOW_ROWS": "40"})):
            with self.subTest(model=model, env=env):
                summary = self.summary(train(model, env=env))
                self.assertGreaterEqual(summary["best_epoch"], 1)
                # The best epoch count, at least 4, at most --epochs (4 here).
                self.assertEqual(summary["refit_epochs"], 4)
                self.assertEqual(summary["n_refit"], summary["n_train"] + summary["n_valid"])
                self.assertTrue(summary["config"]["model"]["refit"])
                # The test part, featurized again by the refit model, is scored.
                self.assertEqual(summary["test"]["n"], summary["n_test"])
        result = train("linear", json_lines=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Then trained again on", result.stdout)
        kept = self.summary(train("embedding-bag", "--no-refit"))
        self.assertEqual((kept["refit_epochs"], kept["n_refit"]), (0, 0))
        self.assertFalse(kept["config"]["model"]["refit"])
        # Nothing to refit on without a validation part.
        self.assertEqual(self.summary(train("linear", "--valid-fraction", "0"))["refit_epochs"], 0)
        result = train("lstm", "--no-refit")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("is for linear and embedding-bag only, not for lstm", result.stderr)

    def test_print_config_is_json(self):
        path = self.config_file({"model": {"type": "gru", "lr": 0.01, "clip": 2.5}})
        printed = subprocess.run([CLI, "train", "-c", path, "--print-config"], capture_output=True,
                                 text=True, check=True).stdout
        self.assertNotIn("inf", printed)
        self.assertEqual(json.loads(printed)["model"]["clip"], 2.5)

    def test_divergence_ends_the_run(self):
        result = self.train("--model", "embedding-bag", "--lr", "100")
        self.assertEqual(result.returncode, 1)
        self.assertIn("Training diverged in epoch 1", result.stderr)
        self.assertIn("no checkpoint", result.stderr)


class RunsTest(unittest.TestCase):
    """The run store from the command line: runs, show, compare, export,
    delete, tags and notes, resume, and a full disk."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="wl-cli-runs-")
        cls.dir = cls.tmp.name
        cls.store = os.path.join(cls.dir, "store", "runs.sqlite")
        cls.data = os.path.join(cls.dir, "train.csv")
        write_csv(cls.data, make_rows(600, 7))
        cls.ids = []
        for model, epochs in (("linear", "4"), ("embedding-bag", "3")):
            result = cls.runs_cli("train", "--input", cls.data, "--model", model, "--epochs", epochs,
                                  "--output", os.path.join(cls.dir, model + ".wlm"), "--json")
            assert result.returncode == 0, result.stderr
            recording = json.loads(result.stdout.splitlines()[0])
            assert recording["event"] == "recording", recording
            cls.ids.append(recording["run"])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def runs_cli(cls, *args, env=None):
        return subprocess.run([CLI, *args, "--store", cls.store], capture_output=True, text=True,
                              timeout=120, env=env)

    def test_list_json(self):
        result = self.runs_cli("runs", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        runs = json.loads(result.stdout)
        listed = {run["id"]: run for run in runs}
        for run_id, model in zip(self.ids, ("linear", "embedding-bag")):
            run = listed[run_id]
            for key in ("id", "state", "model", "dataset", "started", "best_metric"):
                self.assertIn(key, run)
            self.assertEqual(run["state"], "finished")
            self.assertEqual(run["model"], model)
            self.assertEqual(run["dataset"], self.data)
            self.assertRegex(run["started"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            self.assertGreater(run["best_metric"], 0.5)
        text = self.runs_cli("runs")
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("embedding-bag", text.stdout)

    def test_show(self):
        run = json.loads(self.runs_cli("runs", "show", str(self.ids[0]), "--json").stdout)
        self.assertEqual(run["config"]["model"]["type"], "linear")
        self.assertEqual([e["epoch"] for e in run["epochs"]], [1, 2, 3, 4])
        self.assertEqual(run["data"]["labels"], {"sport": 200, "food": 200, "tech": 200})
        self.assertTrue(run["data"]["hash"].startswith("xxh64:"))
        self.assertGreater(run["machine"]["cores"], 0)
        self.assertEqual(len(run["evaluation"]["confusion"]), 3)
        self.assertTrue(os.path.exists(run["checkpoints"]["best"]["path"]))
        # The best checkpoint is a model file the other commands take.
        inspect = CliTest.cli("inspect", run["checkpoints"]["best"]["path"])
        self.assertEqual(inspect.returncode, 0, inspect.stderr)
        # The verdict over the whole training is kept with the run.
        self.assertTrue(run["verdict"]["whole"])
        self.assertEqual(run["verdict"]["input"], "memory")
        text = self.runs_cli("runs", "show", str(self.ids[0]))
        self.assertIn("best", text.stdout)
        self.assertIn("sport 200", text.stdout)
        self.assertIn("Verdict over the whole training: ", text.stdout)

    def test_compare(self):
        result = self.runs_cli("runs", "compare", *map(str, self.ids), "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        report = json.loads(result.stdout)
        self.assertEqual(report["runs"], self.ids)
        self.assertEqual(report["config_differences"]["model.type"], ["linear", "embedding-bag"])
        self.assertNotIn("data.seed", report["config_differences"])
        # Only the settings the runs' models use: linear's l2 (none for the
        # embedding bag), never textcnn's filters.
        self.assertIsNone(report["config_differences"]["model.l2"][1])
        self.assertNotIn("model.filters", report["config_differences"])
        self.assertEqual(report["metrics"]["epochs_run"], [4, 3])
        self.assertEqual(len(report["valid_accuracy"]), 4)
        text = self.runs_cli("runs", "compare", *map(str, self.ids))
        self.assertIn("model.type", text.stdout)

    def test_device_that_ran(self):
        # The run keeps the device that trained, not the one asked for:
        # "opencl" (or "cpu", on a build without OpenCL) resolved to its id,
        # with its name, in the config and in the run's row.
        listing = json.loads(CliTest.cli("devices", "--json").stdout)
        opencl = [d for d in listing["devices"] if d["backend"] == "opencl"]
        asked = "opencl" if opencl and not os.environ.get("WORDLOOM_SANITIZED") else "cpu"
        result = self.runs_cli("train", "--input", self.data, "--model", "mlp", "--device", asked,
                               "--dim", "8", "--epochs", "1", "--json",
                               "--output", os.path.join(self.dir, "mlp.wlm"))
        self.assertEqual(result.returncode, 0, result.stderr)
        run_id = json.loads(result.stdout.splitlines()[0])["run"]
        run = json.loads(self.runs_cli("runs", "show", str(run_id), "--json").stdout)
        model = run["config"]["model"]
        self.assertNotEqual(model["device"], asked if asked == "opencl" else "cpu")
        ids = {d["id"] for d in listing["devices"]}
        # The CPU is listed once, as "cpu"; the neural models run and store it as "blas".
        if "cpu" in ids:
            ids.add("blas")
        self.assertIn(model["device"], ids)
        self.assertEqual(run["device"], "%s (%s)" % (model["device"], model["device_name"]))
        self.assertIn(run["device"], self.runs_cli("runs", "show", str(run_id)).stdout)
        compare = json.loads(self.runs_cli("runs", "compare", str(self.ids[0]), str(run_id),
                                           "--json").stdout)
        self.assertEqual(compare["devices"], ["cpu", run["device"]])
        inspect = CliTest.cli("inspect", os.path.join(self.dir, "mlp.wlm"))
        self.assertIn(model["device_name"], inspect.stdout)

    def test_export(self):
        out = os.path.join(self.dir, "export")
        result = self.runs_cli("runs", "export", str(self.ids[0]), "--output", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(out, "epochs.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([int(r["epoch"]) for r in rows], [1, 2, 3, 4])
        self.assertGreater(float(rows[-1]["valid_accuracy"]), 0.5)
        with open(os.path.join(out, "progress.csv"), newline="") as f:
            self.assertIn("train_loss", next(csv.reader(f)))
        svg = ElementTree.parse(os.path.join(out, "curves.svg")).getroot()
        self.assertTrue(svg.tag.endswith("svg"))
        lines = svg.findall(".//{http://www.w3.org/2000/svg}polyline")
        self.assertEqual(len(lines), 5)
        self.assertTrue(all(len(l.get("points").split()) >= 1 for l in lines))
        with open(os.path.join(out, "report.html"), encoding="utf-8") as f:
            self.assertIn("<svg", f.read())
        with open(os.path.join(out, "run.json")) as f:
            self.assertEqual(json.load(f)["id"], self.ids[0])

    def test_refit_model_is_the_runs_model(self):
        # The run refit (model.refit): its best checkpoint is the model it saved,
        # not the best epoch's before the refit.
        saved = os.path.join(self.dir, "embedding-bag.wlm")
        exported = os.path.join(self.dir, "refit-export.wlm")
        result = self.runs_cli("export", "--run", str(self.ids[1]), "--output", exported)
        self.assertEqual(result.returncode, 0, result.stderr)
        texts = "the coach and the team won the match\nspicy sauce for dinner\nnew phone screen\n"

        def probabilities(path):
            result = CliTest.cli("predict", "--model", path, "--json", "--probabilities", stdin=texts)
            self.assertEqual(result.returncode, 0, result.stderr)
            return [json.loads(line)["probabilities"] for line in result.stdout.splitlines()]
        self.assertEqual(probabilities(exported), probabilities(saved))

    def test_tags_notes_delete(self):
        result = self.runs_cli("train", "--input", self.data, "--epochs", "1",
                               "--output", os.path.join(self.dir, "gone.wlm"), "--json")
        run_id = json.loads(result.stdout.splitlines()[0])["run"]
        self.assertEqual(self.runs_cli("runs", "tag", str(run_id), "keep", "try").returncode, 0)
        self.assertEqual(self.runs_cli("runs", "note", str(run_id), "first try").returncode, 0)
        run = json.loads(self.runs_cli("runs", "show", str(run_id), "--json").stdout)
        self.assertEqual(run["tags"], ["keep", "try"])
        self.assertEqual(run["notes"], "first try")
        best = run["checkpoints"]["best"]["path"]

        result = self.runs_cli("runs", "delete", str(run_id))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertFalse(os.path.exists(best))
        result = self.runs_cli("runs", "show", str(run_id))
        self.assertEqual(result.returncode, 1)
        self.assertIn("no run %d" % run_id, result.stderr)

    def test_no_record(self):
        before = len(json.loads(self.runs_cli("runs", "--json").stdout))
        result = self.runs_cli("train", "--input", self.data, "--epochs", "1", "--no-record",
                               "--output", os.path.join(self.dir, "unrecorded.wlm"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("Recorded", result.stdout)
        self.assertEqual(len(json.loads(self.runs_cli("runs", "--json").stdout)), before)

    def test_resume_refused_or_misused(self):
        result = self.runs_cli("train", "--resume", str(self.ids[0]))
        self.assertEqual(result.returncode, 1)
        self.assertIn("nothing to resume", result.stderr)
        result = self.runs_cli("train", "--resume", str(self.ids[0]), "--input", self.data)
        self.assertEqual(result.returncode, 2)
        for args in (("runs", "show"), ("runs", "show", "x"), ("runs", "compare", "1"),
                     ("runs", "frobnicate", "1")):
            self.assertEqual(self.runs_cli(*args).returncode, 2, args)

    def test_resume_after_cancel(self):
        out = os.path.join(self.dir, "resumed.wlm")
        process = subprocess.Popen([CLI, "train", "--input", self.data, "--epochs", "400",
                                    "--patience", "0", "--threads", "1", "--output", out, "--json",
                                    "--checkpoint-interval", "0", "--store", self.store],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        run_id = json.loads(process.stdout.readline())["run"]
        for line in process.stdout:
            if json.loads(line)["event"] == "epoch":
                process.send_signal(signal.SIGINT)   # Ctrl-C, as closing the app
                break
        process.communicate(timeout=60)
        self.assertEqual(process.returncode, 130)
        run = json.loads(self.runs_cli("runs", "show", str(run_id), "--json").stdout)
        self.assertEqual(run["state"], "cancelled")
        self.assertIsNotNone(run["checkpoints"]["last"])

        result = self.runs_cli("train", "--resume", str(run_id))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Saved " + out, result.stdout)
        run = json.loads(self.runs_cli("runs", "show", str(run_id), "--json").stdout)
        self.assertEqual(run["state"], "finished")
        self.assertEqual(run["attempts"], 2)
        self.assertEqual([e["epoch"] for e in run["epochs"]], list(range(1, 401)))

    def test_resource_samples(self):
        # The monitor samples twice a second: a run of over a second has some.
        process = subprocess.Popen([CLI, "train", "--input", self.data, "--epochs", "100000",
                                    "--patience", "0", "--threads", "1", "--json", "--output",
                                    os.path.join(self.dir, "sampled.wlm"), "--store", self.store],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        run_id = json.loads(process.stdout.readline())["run"]
        started = time.monotonic()
        for line in process.stdout:
            if json.loads(line)["event"] == "epoch" and time.monotonic() - started > 1.2:
                process.send_signal(signal.SIGINT)
                break
        process.communicate(timeout=60)
        out = os.path.join(self.dir, "sampled")
        result = self.runs_cli("runs", "export", str(run_id), "--output", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(out, "samples.csv"), newline="") as f:
            samples = list(csv.DictReader(f))
        self.assertGreaterEqual(len(samples), 1)
        elapsed = [float(s["elapsed"]) for s in samples]
        self.assertEqual(elapsed, sorted(elapsed))
        self.assertGreater(elapsed[0], 0)
        for sample in samples:
            self.assertGreater(float(sample["rss_bytes"]), 1e6)
            self.assertGreaterEqual(float(sample["cpu_percent"]), 0)

    def test_full_disk(self):
        store = os.path.join(self.dir, "full", "runs.sqlite")
        for fault in ("write:1+", "write:40+", "sync:3+"):
            env = dict(os.environ, WORDLOOM_STORE_FAULT=fault)
            result = subprocess.run([CLI, "train", "--input", self.data, "--epochs", "5",
                                     "--output", os.path.join(self.dir, "full.wlm"), "--store", store],
                                    capture_output=True, text=True, timeout=120, env=env)
            self.assertEqual(result.returncode, 1, (fault, result.stderr))
            self.assertRegex(result.stderr, r"(runs\.sqlite|checkpoints/run-\d+/epoch-\d+\.wlm)")
            self.assertRegex(result.stderr, r"disk is full|put/output error")
            result = self.runs_cli("runs", "--json")
            self.assertEqual(result.returncode, 0, result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
