#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""wordloom-cli export end to end, on generated data: int8 and pruned files,
the deployment card (--compare) and wrong use."""

import csv
import importlib.util
import json
import os
import stat
import subprocess
import sys
import tempfile
import unicodedata
import unittest

CLI = os.environ.get("WORDLOOM_CLI") or sys.argv.pop(1)
os.environ["WORDLOOM_CLI"] = CLI
_spec = importlib.util.spec_from_file_location(
    "test_cli", os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-cli.py"))
test_cli = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(test_cli)

VARIANTS = ["fp32", "int8", "pruned 50 %", "pruned 50 % + int8", "pruned 80 %",
            "pruned 80 % + int8", "pruned 90 %", "pruned 90 % + int8", "pruned 95 %",
            "pruned 95 % + int8"]


def cli(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="wl-export-")
        cls.dir = cls.tmp.name
        cls.train_csv = os.path.join(cls.dir, "train.csv")
        cls.test_csv = os.path.join(cls.dir, "test.csv")
        test_cli.write_csv(cls.train_csv, test_cli.make_rows(900, 1))
        test_cli.write_csv(cls.test_csv, test_cli.make_rows(300, 2))
        cls.models = {}
        small = {"mlp": ["--dim", "8", "--epochs", "2"]}
        for model in ("linear", "embedding-bag", "mlp"):
            path = os.path.join(cls.dir, model + ".wlm")
            result = cli("train", "--input", cls.train_csv, "--model", model, "--output", path,
                         "--threads", "2", "--no-record", *small.get(model, []))
            assert result.returncode == 0, result.stderr
            cls.models[model] = path

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def predict(self, path):
        result = cli("predict", "--model", path, "--input", self.test_csv, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return [json.loads(line)["label"] for line in result.stdout.splitlines()]

    def export(self, *args, model="embedding-bag"):
        out = os.path.join(self.dir, "out-%d.wlm" % len(os.listdir(self.dir)))
        result = cli("export", "--model", self.models[model], "-o", out, *args)
        return result, out

    def test_int8(self):
        result, out = self.export("--quantize", "int8")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertGreater(os.path.getsize(self.models["embedding-bag"]) / os.path.getsize(out), 3.0)
        fp32, int8 = self.predict(self.models["embedding-bag"]), self.predict(out)
        agree = sum(a == b for a, b in zip(fp32, int8)) / len(fp32)
        self.assertGreaterEqual(agree, 0.98)
        info = cli("inspect", out)
        self.assertEqual(info.returncode, 0, info.stderr)

    def test_prune_and_int8(self):
        pruned, pruned_out = self.export("--prune", "0.9")
        both, both_out = self.export("--prune", "0.9", "--quantize", "int8")
        for result in (pruned, both):
            self.assertEqual(result.returncode, 0, result.stderr)
        fp32_size = os.path.getsize(self.models["embedding-bag"])
        self.assertLess(os.path.getsize(pruned_out), fp32_size / 5)
        self.assertLess(os.path.getsize(both_out), os.path.getsize(pruned_out) / 2)
        result = cli("eval", "--model", both_out, "--input", self.test_csv, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertGreater(json.loads(result.stdout)["accuracy"], 0.9)

    def test_fine_tune(self):
        # Pruned hard, then fine-tuned on the training rows: the rows that stay
        # learn again, so the file is as small and predicts differently.
        plain, plain_out = self.export("--prune", "0.95")
        tuned, tuned_out = self.export("--prune", "0.95", "--fine-tune-epochs", "2",
                                       "--train", self.train_csv)
        for result in (plain, tuned):
            self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(os.path.getsize(plain_out), os.path.getsize(tuned_out))
        with open(plain_out, "rb") as a, open(tuned_out, "rb") as b:
            self.assertNotEqual(a.read(), b.read())
        result = cli("eval", "--model", tuned_out, "--input", self.test_csv, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertGreater(json.loads(result.stdout)["accuracy"], 0.9)

    def test_predict_to_csv(self):
        out = os.path.join(self.dir, "predictions.csv")
        path = self.models["embedding-bag"]
        result = cli("predict", "--model", path, "--input", self.test_csv, "--output", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(out, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0][:2], ["text", "predicted"])
        self.assertEqual(sorted(rows[0][2:]), ["p(food)", "p(sport)", "p(tech)"])
        with open(self.test_csv, newline="", encoding="utf-8") as f:
            texts = [row[1] for row in list(csv.reader(f))[1:]]
        self.assertEqual([row[0] for row in rows[1:]], texts)
        self.assertEqual([row[1] for row in rows[1:]], self.predict(path))
        for row in rows[1:]:
            probs = [float(p) for p in row[2:]]
            self.assertAlmostEqual(sum(probs), 1.0, places=4)
            self.assertEqual(rows[0][2 + probs.index(max(probs))], "p(%s)" % row[1])
        # Nothing is left behind when the folder cannot take the file.
        result = cli("predict", "--model", path, "--input", self.test_csv,
                     "--output", os.path.join(self.test_csv, "p.csv"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("cannot write the predictions", result.stderr)
        result = cli("predict", "--model", path, "--output", out)
        self.assertEqual(result.returncode, 2)

    def test_compare_json(self):
        result, out = self.export("--compare", "--test", self.test_csv, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = json.loads(result.stdout)
        self.assertEqual([row["variant"] for row in rows], VARIANTS)
        for row in rows:
            for key in ("file_size", "latency_ms", "texts_per_second", "peak_bytes"):
                self.assertGreater(row[key], 0, (row["variant"], key))
            self.assertGreater(row["accuracy"], 0.8, row["variant"])
            self.assertAlmostEqual(row["accuracy_change"],
                                   100 * (row["accuracy"] - rows[0]["accuracy"]), places=6)
        self.assertEqual(rows[0]["accuracy_change"], 0)
        sizes = {row["variant"]: row["file_size"] for row in rows}
        self.assertEqual(sizes["fp32"], os.path.getsize(self.models["embedding-bag"]))
        self.assertEqual(sizes["fp32"], os.path.getsize(out))
        # The card's int8 row is the file that --quantize int8 writes.
        result, int8_out = self.export("--quantize", "int8")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sizes["int8"], os.path.getsize(int8_out))
        for s in ("50", "80", "90", "95"):
            self.assertLess(sizes["pruned %s %% + int8" % s], sizes["pruned %s %%" % s])
        self.assertLess(sizes["pruned 95 %"], sizes["pruned 50 %"])

    def test_compare_text_linear_and_neural(self):
        result, _ = self.export("--compare", "--test", self.test_csv, model="linear")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual([line.split("  ")[0] for line in lines[1:]], VARIANTS)
        result, _ = self.export("--compare", "--test", self.test_csv, model="mlp")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual([line.split("  ")[0] for line in lines[1:]], VARIANTS)

    def test_compare_aligned_in_chinese(self):
        # One table printer for the CLI: columns as wide as their cells on a
        # terminal, where a Chinese character takes two columns.
        po = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(CLI))), "po")
        env = dict(os.environ, LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8", LANGUAGE="zh_CN",
                   WORDLOOM_LOCALEDIR=po)
        out = os.path.join(self.dir, "zh.wlm")
        result = subprocess.run([CLI, "export", "--model", self.models["linear"], "-o", out,
                                 "--compare", "--test", self.test_csv],
                                capture_output=True, text=True, timeout=120, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertIn("变体", lines[0])

        def width(line):
            return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        # Every column but the first is right-aligned: every line ends at the
        # same column, and each heading ends where its column's cells end.
        self.assertEqual({width(line) for line in lines}, {width(lines[0])})
        ends = [width(lines[0][:i]) for i in range(1, len(lines[0]) + 1)
                if i == len(lines[0]) or (lines[0][i] == " " and lines[0][i - 1] != " ")]
        for line in lines[1:]:
            for end in ends[1:]:
                prefix = ""
                for c in line:
                    if width(prefix) == end:
                        break
                    prefix += c
                self.assertNotEqual(prefix[-1], " ", (line, end))

    def test_tokenize_reads_files_like_predict(self):
        # tokenize and predict read a file the model's way (the engine's
        # wl_classifier_load_texts): here a TSV in windows-1252, with a
        # column order of its own; one line of ids per text, the texts
        # being those predict reads and stdin gives.
        texts = ["café match goal team", "spicy recipe for dinner", "phone battery update",
                 "the coach said \"win\" today"]
        path = os.path.join(self.dir, "new.tsv")
        with open(path, "w", encoding="cp1252", newline="") as f:
            f.write("text\tlabel\n")
            for text in texts:
                f.write("%s\tsport\n" % text.replace('"', ''))
        model = self.models["embedding-bag"]
        from_file = cli("tokenize", "--model", model, "--input", path, "--encoding", "windows-1252")
        self.assertEqual(from_file.returncode, 0, from_file.stderr)
        predicted = cli("predict", "--model", model, "--input", path, "--encoding", "windows-1252")
        self.assertEqual(predicted.returncode, 0, predicted.stderr)
        self.assertEqual(len(from_file.stdout.splitlines()), len(texts))
        self.assertEqual(len(predicted.stdout.splitlines()), len(texts))
        stdin = "".join(t.replace('"', '') + "\n" for t in texts)
        from_stdin = subprocess.run([CLI, "tokenize", "--model", model], input=stdin,
                                    capture_output=True, text=True, timeout=120)
        self.assertEqual(from_stdin.returncode, 0, from_stdin.stderr)
        self.assertEqual(from_file.stdout, from_stdin.stdout)
        # Without --encoding the file is read in the model's encoding, UTF-8,
        # and "é" in windows-1252 is not UTF-8: the ids differ.
        as_utf8 = cli("tokenize", "--model", model, "--input", path)
        self.assertEqual(as_utf8.returncode, 0, as_utf8.stderr)
        self.assertNotEqual(as_utf8.stdout, from_stdin.stdout)

    def test_wrong_use(self):
        for args, message in ((("--prune", "1.5"), "from 0 to 0.99"),
                              (("--prune=-0.1",), "from 0 to 0.99"),
                              (("--quantize", "int4"), "int8"),
                              (("--compare",), "--test"),
                              (("--format", "pdf"), "wlm"),
                              (("--prune", "0.5", "--fine-tune-epochs", "2"), "--train"),
                              (("--fine-tune-epochs", "2", "--train", self.train_csv), "--prune")):
            result, out = self.export(*args)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertIn(message, result.stderr)
            self.assertFalse(os.path.exists(out))

    def test_bad_model_and_unwritable_folder(self):
        broken = os.path.join(self.dir, "broken.wlm")
        with open(self.models["embedding-bag"], "rb") as f:
            data = f.read()
        with open(broken, "wb") as f:
            f.write(data[: len(data) // 2])
        result = cli("export", "--model", broken, "-o", os.path.join(self.dir, "x.wlm"),
                     "--quantize", "int8")
        self.assertEqual(result.returncode, 1)
        self.assertIn("truncated", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x.wlm")))

        # A folder that cannot take the file: a regular file in the path (root
        # writes anywhere), and a read-only folder when not root.
        targets = [os.path.join(broken, "out.wlm")]
        if os.geteuid() != 0:
            locked = os.path.join(self.dir, "locked")
            os.mkdir(locked)
            os.chmod(locked, stat.S_IRUSR | stat.S_IXUSR)
            targets.append(os.path.join(locked, "out.wlm"))
        for target in targets:
            result = cli("export", "--model", self.models["embedding-bag"], "-o", target,
                         "--quantize", "int8")
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn("cannot save the model", result.stderr)
            self.assertFalse(os.path.exists(target))
            if os.path.isdir(os.path.dirname(target)):
                self.assertEqual(os.listdir(os.path.dirname(target)), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
