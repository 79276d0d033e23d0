#!/usr/bin/env python3
"""wordloom-cli end to end, on generated data: train, eval, predict, inspect,
the config file, JSON output, bad input and exit codes."""

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import unittest

CLI = os.environ.get("WORDLOOM_CLI") or sys.argv.pop(1)

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
        self.assertEqual(ids[:2], ["cpu", "blas"])
        for device in report["devices"]:
            self.assertTrue(device["id"].startswith(device["backend"]))
            self.assertIn(device["kind"], ("cpu", "gpu", "accelerator", "other"))
            self.assertGreater(device["compute_units"], 0)
        self.assertIsInstance(report["notes"], list)
        text = self.cli("devices")
        self.assertEqual(text.returncode, 0, text.stderr)
        for device_id in ids:
            self.assertIn(device_id, text.stdout)
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


if __name__ == "__main__":
    unittest.main(verbosity=2)
