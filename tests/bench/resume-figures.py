#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""resume-figures.py CLI DATA EPOCHS K [MODEL…]: for each model (all six by
default), the test accuracy of a run that was never interrupted against one
killed with SIGKILL once epoch K is reported and resumed (train --resume),
both with --threads 1, and whether their model files are bit-identical.
Not a speed benchmark: run it by hand on a real dataset, e.g.
  tests/bench/resume-figures.py build/app/wordloom-cli /work/shared/datasets/sms.tsv 4 2"""

import json
import os
import signal
import subprocess
import sys
import tempfile

MODELS = ["linear", "embedding-bag", "mlp", "textcnn", "lstm", "gru"]


def train(cli, args):
    return subprocess.Popen([cli, "train", *args, "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def accuracy(process):
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(err)
    return [json.loads(l) for l in out.splitlines() if '"summary"' in l][0]["test"]["accuracy"]


def main():
    cli, data, epochs, k = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    tmp = tempfile.mkdtemp(prefix="wl-resume-figures-")
    for model in sys.argv[5:] or MODELS:
        options = ["-i", data, "--model", model, "--epochs", epochs, "--patience", "0",
                   "--threads", "1"]
        whole = os.path.join(tmp, model + "-whole.wlm")
        resumed = os.path.join(tmp, model + "-resumed.wlm")
        store = os.path.join(tmp, model, "runs.sqlite")
        whole_accuracy = accuracy(train(cli, [*options, "-o", whole, "--no-record"]))

        first = train(cli, [*options, "-o", resumed, "--store", store,
                            "--checkpoint-interval", "0"])
        run_id = None
        for line in first.stdout:
            event = json.loads(line)
            run_id = event["run"] if event["event"] == "recording" else run_id
            if event["event"] == "epoch" and event["epoch"] == k:
                first.send_signal(signal.SIGKILL)
                break
        first.wait()
        resumed_accuracy = accuracy(train(cli, ["--resume", str(run_id), "--store", store]))
        with open(whole, "rb") as a, open(resumed, "rb") as b:
            same = a.read() == b.read()
        print("%-14s uninterrupted %.4f   killed after epoch %d and resumed %.4f   model files %s"
              % (model, whole_accuracy, k, resumed_accuracy,
                 "bit-identical" if same else "DIFFERENT"), flush=True)


if __name__ == "__main__":
    main()
