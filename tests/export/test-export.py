#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""ONNX and safetensors exports, checked by readers that are not Wordloom's.

For each model (and stacked bidirectional lstm and gru), trained on
generated data: the ONNX file passes onnx.checker (full_check) at IR <= 8
and opset <= 17 with standard ops only, and onnxruntime on the ids of
`wordloom-cli tokenize` gives `wordloom-cli predict`'s labels and
probabilities within 1e-4; the safetensors file is laid out as the format
says and its weights, in a numpy forward pass, give the same probabilities
(linear, embedding-bag, mlp) or the shapes the config says (the others).
The int8 path of both formats runs on a matrix quantised by
write-quantized, and on each model quantised: its int8 ONNX file
dequantises its weights (linear), embeddings (embedding-bag) or every
weight matrix but the recurrent W_hh (the neural models), and
onnxruntime gives the int8 model's own probabilities.  Wrong use is an error and leaves no file behind.
"""

import csv
import json
import os
import random
import resource
import signal
import struct
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
import onnx.numpy_helper

CLI, WRITE_QUANTIZED, RUN_ONNX = sys.argv[1:4]
del sys.argv[1:4]
STORE_DIR = tempfile.TemporaryDirectory(prefix="wl-export-store-")
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

SMALL = ["--dim", "16", "--epochs", "2", "--batch-size", "16"]
MODELS = {
    "linear": ["--model", "linear"],
    "linear-char-ngrams": ["--model", "linear", "--config", "char-ngrams.json"],
    "embedding-bag": ["--model", "embedding-bag", "--dim", "16"],
    "mlp": ["--model", "mlp", "--hidden", "16", "--layers", "2"] + SMALL,
    "textcnn": ["--model", "textcnn", "--filters", "8", "--filter-widths", "2,3,5"] + SMALL,
    "lstm": ["--model", "lstm", "--hidden", "12"] + SMALL,
    "gru": ["--model", "gru", "--hidden", "12"] + SMALL,
    "lstm-2-bidirectional": ["--model", "lstm", "--hidden", "8", "--layers", "2",
                             "--bidirectional"] + SMALL,
    "gru-2-bidirectional": ["--model", "gru", "--hidden", "8", "--layers", "2",
                            "--bidirectional"] + SMALL,
}
TOLERANCE = 1e-4


def make_rows(n, seed):
    rng = random.Random(seed)
    rows = []
    labels = list(TOPICS)
    for i in range(n):
        label = labels[i % len(labels)]
        en, zh = TOPICS[label]
        if rng.random() < 0.25:
            text = "".join(rng.choice(zh) for _ in range(rng.randint(1, 7))) + "。"
        else:
            words = [rng.choice(en) for _ in range(rng.randint(1, 9))]
            words += [rng.choice(FILLER) for _ in range(rng.randint(0, 5))]
            rng.shuffle(words)
            text = " ".join(words)
        if rng.random() < 0.05:
            text = "?!"       # no token at all
        rows.append((label, text))
    return rows


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(("label", "text"))
        writer.writerows(rows)


def cli(*args, check=True):
    result = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"wordloom-cli {' '.join(args)}: {result.returncode}\n{result.stderr}")
    return result


def read_safetensors(path):
    """The header and the tensors as numpy arrays, checking the layout."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    assert n % 8 == 0, "the header is not padded to a multiple of 8"
    header_text = blob[8:8 + n].decode("utf-8")
    assert header_text == header_text.rstrip(" ") + " " * (len(header_text) - len(header_text.rstrip(" ")))
    header = json.loads(header_text)
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    assert all(isinstance(v, str) for v in metadata.values()), metadata
    dtypes = {"F32": np.float32, "F16": np.float16, "I8": np.int8}
    tensors, spans = {}, []
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = np.dtype(dtypes[info["dtype"]])
        shape = info["shape"]
        assert end - begin == int(np.prod(shape, dtype=np.int64)) * dtype.itemsize, name
        tensors[name] = np.frombuffer(data[begin:end], dtype=dtype).reshape(shape)
        spans.append((begin, end))
    spans.sort()
    covered = 0
    for begin, end in spans:
        assert begin == covered, "the data has a hole or an overlap"
        covered = end
    assert covered == len(data), "the data has bytes no tensor owns"
    return metadata, tensors


def softmax(scores):
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="wl-export-")
        cls.dir = cls.tmp.name
        cls.train_csv = cls.path("train.csv")
        cls.test_csv = cls.path("test.csv")
        write_csv(cls.train_csv, make_rows(600, 1))
        write_csv(cls.test_csv, make_rows(150, 2))
        with open(cls.path("char-ngrams.json"), "w", encoding="utf-8") as f:
            json.dump({"model": {"char_ngrams": True}}, f)
        cls.models = {}
        for name, args in MODELS.items():
            args = [os.path.join(cls.dir, a) if a.endswith(".json") else a for a in args]
            wlm = cls.path(name + ".wlm")
            cli("train", "--input", cls.train_csv, "--output", wlm, "--threads", "1",
                "--seed", "3", *args)
            cls.models[name] = wlm
        cls.predicted = {}
        for name, wlm in cls.models.items():
            out = cli("predict", "--model", wlm, "--input", cls.test_csv, "--probabilities",
                      "--json").stdout
            cls.predicted[name] = [json.loads(line) for line in out.splitlines()]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def path(cls, name):
        return os.path.join(cls.dir, name)

    def tokenize(self, name):
        out = cli("tokenize", "--model", self.models[name], "--input", self.test_csv).stdout
        rows = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(len(rows), len(self.predicted[name]))
        return rows

    def export(self, name, fmt, suffix):
        target = self.path(name + suffix)
        result = cli("export", "--model", self.models[name], "--format", fmt, "-o", target, "--json")
        info = json.loads(result.stdout)
        self.assertEqual(info["bytes"], os.path.getsize(target))
        with open(info["preprocessing"], encoding="utf-8") as f:
            description = json.load(f)
        return target, description

    def wordloom_probs(self, name, labels):
        return np.array([[row["probabilities"][label] for label in labels]
                         for row in self.predicted[name]])

    def test_onnx_matches_wordloom(self):
        report = []
        for name in MODELS:
            with self.subTest(model=name):
                target, description = self.export(name, "onnx", ".onnx")
                model = onnx.load(target)
                onnx.checker.check_model(model, full_check=True)
                self.assertLessEqual(model.ir_version, 8)
                self.assertEqual([(o.domain, o.version) for o in model.opset_import], [("", 17)])
                self.assertTrue(all(node.domain == "" for node in model.graph.node))
                self.assertFalse([n.op_type for n in model.graph.node if "ATen" in n.op_type])
                meta = {p.key: p.value for p in model.metadata_props}
                labels = json.loads(meta["labels"])
                self.assertEqual(labels, description["labels"])
                self.assertIn("model", json.loads(meta["config"]))
                self.assertIn("wordloom_version", meta)
                if "lstm" in name or "gru" in name:
                    ops = {n.op_type for n in model.graph.node}
                    self.assertIn("LSTM" if "lstm" in name else "GRU", ops)

                ids = self.tokenize(name)
                ids_path = self.path(name + ".ids.jsonl")
                with open(ids_path, "w", encoding="utf-8") as f:
                    f.writelines(json.dumps(row) + "\n" for row in ids)
                run = subprocess.run(["node", RUN_ONNX, target, ids_path],
                                     capture_output=True, text=True)
                self.assertEqual(run.returncode, 0, run.stderr)
                onnx_probs = np.array([json.loads(line) for line in run.stdout.splitlines()])
                probs = self.wordloom_probs(name, labels)
                self.assertEqual(onnx_probs.shape, probs.shape)
                self.assertEqual([labels[i] for i in onnx_probs.argmax(axis=1)],
                                 [row["label"] for row in self.predicted[name]])
                diff = float(np.abs(onnx_probs - probs).max())
                self.assertLess(diff, TOLERANCE)
                report.append(f"{name:22s} max |p_onnx - p_wordloom| {diff:.2e}  "
                              f"onnx {os.path.getsize(target):>9,} B  "
                              f"wlm {os.path.getsize(self.models[name]):>9,} B")
        print("\n" + "\n".join(report), file=sys.stderr)

    def test_preprocessing_description(self):
        for name in MODELS:
            with self.subTest(model=name):
                _, d = self.export(name, "safetensors", ".desc.safetensors")
                self.assertEqual(d["format"], "wordloom-preprocessing")
                self.assertEqual(d["format_version"], 3)
                self.assertEqual(d["labels"], sorted(d["labels"], key=d["labels"].index))
                self.assertIn("casefold", d["clean"])
                self.assertIn("tokenizer", d["tokens"])
                self.assertIs(d["tokens"]["split_contractions"], True)
                self.assertIs(d["clean"]["mark_links"], True)
                self.assertTrue(d["vocabulary"])
                if name.startswith("linear"):
                    self.assertEqual(d["ids"], "features")
                    self.assertEqual(d["char_ngrams"] is not None, "char" in name)
                elif name == "embedding-bag":
                    self.assertEqual(d["ids"], "words-and-hashed-ngrams")
                    self.assertEqual(d["words"], len(d["vocabulary"]))
                else:
                    self.assertEqual(d["ids"], "tokens")
                    self.assertEqual(d["vocabulary_first_id"], 1)
                    self.assertEqual(d["unknown_id"], 0)

    def test_safetensors_independent_reader(self):
        for name in MODELS:
            with self.subTest(model=name):
                target, d = self.export(name, "safetensors", ".safetensors")
                meta, t = read_safetensors(target)
                self.assertEqual(meta["format"], "wordloom")
                self.assertEqual(json.loads(meta["labels"]), d["labels"])
                self.assertEqual(meta["model"], d["model"])
                K, V = len(d["labels"]), len(d["vocabulary"])
                ids = self.tokenize(name)
                probs = self.wordloom_probs(name, d["labels"])
                mine = None
                if d["model"] == "linear":
                    self.assertEqual(t["fc.weight"].shape, (V, K))
                    mine = []
                    for row in ids:
                        tf = np.bincount(np.array(row["ids"], dtype=np.int64), minlength=V).astype(np.float64)
                        if d["sublinear_tf"]:
                            tf = np.where(tf > 0, 1 + np.log(np.maximum(tf, 1)), 0)
                        v = tf * t["idf"]
                        norm = np.sqrt((v * v).sum())
                        v = v / norm if norm > 0 else v
                        mine.append(softmax(v @ t["fc.weight"] + t["fc.bias"]))
                elif d["model"] == "embedding-bag":
                    self.assertEqual(t["embedding"].shape[0], d["words"] + d["buckets"])
                    self.assertEqual(t["fc.weight"].shape, (K, 16))
                    mine = [softmax(t["embedding"][row["ids"]].sum(axis=0) / max(row["length"], 1)
                                    @ t["fc.weight"].T + t["fc.bias"]) for row in ids]
                else:
                    self.assertEqual(t["embedding"].shape, (V + 1, 16))
                if d["model"] == "mlp":
                    mine = []
                    for row in ids:
                        x = t["embedding"][row["ids"]].mean(axis=0)
                        for layer in range(2):
                            x = np.maximum(x @ t[f"hidden.{layer}.weight"] + t[f"hidden.{layer}.bias"], 0)
                        mine.append(softmax(x @ t["output.weight"] + t["output.bias"]))
                if d["model"] == "textcnn":
                    for i, width in enumerate((2, 3, 5)):
                        self.assertEqual(t[f"conv.{i}.weight"].shape, (width * 16, 8))
                    self.assertEqual(t["output.weight"].shape, (3 * 8, K))
                if d["model"] in ("lstm", "gru"):
                    layers, dirs, hidden = (2, 2, 8) if "bidirectional" in name else (1, 1, 12)
                    for layer in range(layers):
                        inputs = 16 if layer == 0 else hidden * dirs
                        for direction in ("fwd", "bwd")[:dirs]:
                            unit = f"{d['model']}.l{layer}.{direction}"
                            if d["model"] == "lstm":
                                self.assertEqual(t[unit + ".w_ih"].shape, (inputs, 4 * hidden))
                                self.assertEqual(t[unit + ".w_hh"].shape, (hidden, 4 * hidden))
                                self.assertEqual(t[unit + ".bias"].shape, (4 * hidden,))
                            else:
                                for gate in "rzn":
                                    self.assertEqual(t[f"{unit}.w_i{gate}"].shape, (inputs, hidden))
                                    self.assertEqual(t[f"{unit}.w_h{gate}"].shape, (hidden, hidden))
                                self.assertEqual(t[unit + ".b_hn"].shape, (hidden,))
                    self.assertEqual(t["output.weight"].shape, (hidden * dirs, K))
                if mine is not None:
                    self.assertLess(float(np.abs(np.array(mine) - probs).max()), TOLERANCE)
                # The ONNX initialisers hold the same values.
                onnx_target, _ = self.export(name, "onnx", ".check.onnx")
                init = {i.name: onnx.numpy_helper.to_array(i)
                        for i in onnx.load(onnx_target).graph.initializer}
                for tensor, value in t.items():
                    np.testing.assert_array_equal(init[tensor], value)

    def test_int8_models(self):
        for name in MODELS:
            with self.subTest(model=name):
                quantized = self.path(name + ".int8.wlm")
                cli("export", "--model", self.models[name], "--quantize", "int8", "-o", quantized)
                self.assertLess(os.path.getsize(quantized), os.path.getsize(self.models[name]))
                out = cli("predict", "--model", quantized, "--input", self.test_csv,
                          "--probabilities", "--json").stdout
                predicted = [json.loads(line) for line in out.splitlines()]
                target = self.path(name + ".int8.onnx")
                info = json.loads(cli("export", "--model", self.models[name], "--quantize", "int8",
                                      "--format", "onnx", "-o", target, "--json").stdout)
                with open(info["preprocessing"], encoding="utf-8") as f:
                    labels = json.load(f)["labels"]
                model = onnx.load(target)
                onnx.checker.check_model(model, full_check=True)
                self.assertIn("DequantizeLinear", [n.op_type for n in model.graph.node])
                weights = "fc.weight" if name.startswith("linear") else "embedding"
                init = {i.name: onnx.numpy_helper.to_array(i) for i in model.graph.initializer}
                self.assertEqual(init[weights + ".quantized"].dtype, np.int8)
                self.assertNotIn(weights, init)
                # The neural models' weight matrices are int8 too, a scale per
                # column (output); only the recurrent W_hh and the biases stay
                # fp32.
                if name.startswith(("textcnn", "lstm", "gru")):
                    self.assertEqual(init["output.weight.quantized"].dtype, np.int8)
                    self.assertEqual(init["output.weight.scale"].shape,
                                     (init["output.weight.quantized"].shape[1],))
                if name.startswith(("mlp", "textcnn", "lstm", "gru")):
                    for tensor, value in init.items():
                        if value.ndim == 2 and value.dtype == np.float32:
                            self.assertIn(".w_h", tensor)

                ids_path = self.path(name + ".int8.ids.jsonl")
                with open(ids_path, "w", encoding="utf-8") as f:
                    f.writelines(json.dumps(row) + "\n" for row in self.tokenize(name))
                int8_probs = np.array([[row["probabilities"][label] for label in labels]
                                       for row in predicted])
                onnx_probs = {}
                for level in ("basic", "all"):
                    run = subprocess.run(["node", RUN_ONNX, target, ids_path, level],
                                         capture_output=True, text=True)
                    self.assertEqual(run.returncode, 0, run.stderr)
                    onnx_probs[level] = np.array([json.loads(line) for line in run.stdout.splitlines()])
                # onnxruntime runs the int8 model that wordloom runs ...
                self.assertLess(float(np.abs(onnx_probs["basic"] - int8_probs).max()), TOLERANCE)
                # ... which is within the int8 tolerance of the fp32 one; so
                # is what onnxruntime makes of it by default (it may fuse
                # DequantizeLinear and MatMul into a product on dynamically
                # quantised activations).
                fp32_probs = self.wordloom_probs(name, labels)
                self.assertLess(float(np.abs(int8_probs - fp32_probs).max()), 0.02)
                self.assertLess(float(np.abs(onnx_probs["all"] - fp32_probs).max()), 0.02)

    def test_int8_tensors(self):
        out = subprocess.run([WRITE_QUANTIZED, self.dir], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        ref = json.loads(out.stdout)
        rows, cols = ref["rows"], ref["cols"]
        w = np.array(ref["weights"], dtype=np.float32).reshape(rows, cols)
        q = np.array(ref["int8"], dtype=np.int8).reshape(rows, cols)
        scales = np.array(ref["scales"], dtype=np.float32)
        dequantized = q.astype(np.float32) * scales[:, None]
        self.assertLessEqual(float(np.abs(dequantized - w).max()), float(scales.max()) / 2 + 1e-6)

        meta, t = read_safetensors(self.path("quantized.safetensors"))
        self.assertEqual(t["embedding"].dtype, np.int8)
        np.testing.assert_array_equal(t["embedding"], q)
        np.testing.assert_array_equal(t["embedding.scale"], scales)

        model = onnx.load(self.path("quantized.onnx"))
        onnx.checker.check_model(model, full_check=True)
        self.assertIn("DequantizeLinear", [n.op_type for n in model.graph.node])
        batch = [[0, 3, 3], [6], [1, 2, 4, 5]]
        ids_path = self.path("quantized.ids.jsonl")
        with open(ids_path, "w", encoding="utf-8") as f:
            f.writelines(json.dumps({"ids": row + [0] * (4 - len(row)), "length": 4}) + "\n"
                         for row in batch)
        run = subprocess.run(["node", RUN_ONNX, self.path("quantized.onnx"), ids_path],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        got = np.array([json.loads(line) for line in run.stdout.splitlines()])
        want = np.array([softmax(dequantized[row + [0] * (4 - len(row))].sum(axis=0)) for row in batch])
        self.assertLess(float(np.abs(got - want).max()), 1e-6)

    def assert_no_file(self, folder, stem):
        self.assertFalse([f for f in os.listdir(folder) if f.startswith(stem)])

    def test_errors(self):
        model = self.models["mlp"]
        result = cli("export", "--model", model, "--format", "tflite", "-o", self.path("x"), check=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("onnx, safetensors or wlm", result.stderr)
        result = cli("export", "--model", model, check=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--output is required", result.stderr)
        result = cli("export", "--model", model, "--run", "1", "--format", "onnx", "-o",
                     self.path("x"), check=False)
        self.assertEqual(result.returncode, 2)

        missing = self.path("no-such-folder/model.onnx")
        result = cli("export", "--model", model, "--format", "onnx", "-o", missing, check=False)
        self.assertEqual(result.returncode, 1)
        self.assertIn("cannot save", result.stderr)
        self.assertIn("choose a folder", result.stderr)

        if os.geteuid() != 0:     # root writes into read-only folders
            locked = self.path("locked")
            os.mkdir(locked, 0o555)
            result = cli("export", "--model", model, "--format", "onnx", "-o",
                         os.path.join(locked, "m.onnx"), check=False)
            self.assertEqual(result.returncode, 1)
            self.assertEqual(os.listdir(locked), [])

        # A full disk: writes past 64 KiB fail (EFBIG, SIGXFSZ ignored).
        def small_disk():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        for fmt in ("onnx", "safetensors", "wlm"):
            with self.subTest(full_disk=fmt):
                folder = self.path("full-" + fmt)
                os.mkdir(folder)
                result = subprocess.run([CLI, "export", "--model", self.models["embedding-bag"],
                                         "--format", fmt, "-o", os.path.join(folder, "m." + fmt)],
                                        capture_output=True, text=True, preexec_fn=small_disk)
                self.assertEqual(result.returncode, 1, result.stderr)
                self.assertIn("cannot save", result.stderr)
                self.assertEqual(os.listdir(folder), [])

        broken = self.path("broken.wlm")
        with open(broken, "wb") as f:
            f.write(b"WLMODEL\0" + bytes(40))
        result = cli("export", "--model", broken, "--format", "onnx", "-o", self.path("broken.onnx"),
                     check=False)
        self.assertEqual(result.returncode, 1)
        self.assertIn("broken.wlm", result.stderr)
        self.assert_no_file(self.dir, "broken.onnx")
        self.assert_no_file(self.dir, "broken.preprocessing")

    def test_export_a_recorded_run(self):
        runs = json.loads(cli("runs", "--json").stdout)
        run = next(r for r in runs if r["model"] == "gru")
        for which in ([], ["--best"]):
            target = self.path(f"run{len(which)}.safetensors")
            cli("export", "--run", str(run["id"]), *which, "--format", "safetensors", "-o", target)
            self.assertEqual(read_safetensors(target)[0]["model"], "gru")
        target = self.path("copy.wlm")
        cli("export", "--model", self.models["textcnn"], "--format", "wlm", "-o", target)
        self.assertIn("textcnn", cli("inspect", target).stdout)
        # A run that finished keeps no checkpoint of its last epoch.
        result = cli("export", "--run", str(run["id"]), "--last", "--format", "wlm", "-o",
                     self.path("last.wlm"), check=False)
        self.assertEqual(result.returncode, 1)
        self.assertIn("no checkpoint of its last epoch", result.stderr)
        result = cli("export", "--run", "99999", "--format", "onnx", "-o", self.path("none.onnx"),
                     check=False)
        self.assertEqual(result.returncode, 1)
        self.assert_no_file(self.dir, "none.")


if __name__ == "__main__":
    unittest.main(verbosity=2)
