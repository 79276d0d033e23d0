#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpora of tests/fuzz/corpus (committed; rerun after a
change of a file format):  make-seeds.py BUILD/app/wordloom-cli

  csv-reader/  one options byte (see fuzz-csv-reader.c), then a small file
  config/      configs as --config takes them, from --print-config
  model-file/  a tiny model of each type, trained on a made-up file
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

CSV = {
    "comma-header": (0x00, b"text,label\nthe parcel never arrived,delivery\nrefund twice,billing\n"),
    "quoted-newlines": (0x05, b'"text","label"\r\n"a ""quoted"" field, with a comma","x"\r\n"two\nlines","y"\r\n'),
    "tsv-loose-quotes": (0x02, b'label\tmsg\nham\tsaid "hi" to me\nspam\t"win" now\n'),
    "bom-semicolon": (0x03, b"\xef\xbb\xbftext;label\nbonjour;fr\n\n   \nhallo;de\n"),
    "bad-rows-skipped": (0x40, b'a,b\n1,2\n3\n"unterminated,4\n5,6\n'),
    "invalid-utf8-cr": (0x10, b"text,label\rcaf\xe9 au lait,food\r\xff\xfe,odd\r"),
    "no-header-chinese": (0x21, "我忘记了密码,账户\n收不到验证码,账户\n".encode()),
    "long-row-limit": (0x80, b"text,label\n" + b"x" * 100 + b",long\nshort,ok\n"),
}

# Tiny settings, so that the model files stay small.
MODELS = {
    "linear": ["--ngrams", "2"],
    "embedding-bag": ["--dim", "4", "--ngrams", "2", "--buckets", "16"],
    "mlp": ["--dim", "4", "--hidden", "4"],
    "textcnn": ["--dim", "4", "--filters", "2", "--filter-widths", "2,3", "--max-length", "8"],
    "lstm": ["--dim", "4", "--hidden", "3", "--bidirectional", "--max-length", "8"],
    "gru": ["--dim", "4", "--hidden", "3", "--max-length", "8", "--precision", "fp32"],
}

TEXTS = [("the parcel never arrived", "delivery"), ("where is my order", "delivery"),
         ("charged twice for one order", "billing"), ("please refund the fee", "billing"),
         ("the app crashes on start", "bug"), ("settings page is blank", "bug"),
         ("我忘记了密码", "account"), ("收不到验证码", "account")]


def write(folder, name, data):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    with open(os.path.join(HERE, folder, name), "wb") as f:
        f.write(data)


def main(cli):
    for name, (options, body) in CSV.items():
        write("csv-reader", name, bytes([options]) + body)

    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "tiny.csv"), "w", encoding="utf-8") as f:
            f.write("text,label\n")
            for _ in range(3):
                f.writelines(f"{t},{l}\n" for t, l in TEXTS)
        for model, options in MODELS.items():
            out = os.path.join(tmp, model + ".wlm")
            # Relative paths, so that the seeds do not change from run to run.
            subprocess.run([cli, "train", "--input", "tiny.csv", "--model", model, "--epochs", "1",
                            "--threads", "1", "--no-record", "--output", out] + options,
                           check=True, stdout=subprocess.DEVNULL, cwd=tmp)
            with open(out, "rb") as f:
                write("model-file", model, f.read())
            config = subprocess.run([cli, "train", "--input", "tiny.csv", "--model", model,
                                     "--output", out, "--print-config"] + options,
                                    check=True, capture_output=True, cwd=tmp).stdout
            write("config", model, config)
        write("config", "partial", json.dumps({"model": {"type": "lstm", "hidden": 8},
                                               "threads": 2}).encode())
        write("config", "empty", b"{}")


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
