#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""wordloom-cli train killed with SIGKILL at random moments, many times.

Each chain starts a recorded run and kills it; then `train --resume ID`,
killed again, and so on, until a resume is let finish.  After every kill
the store passes PRAGMA integrity_check and the run is there, interrupted,
with its checkpoint file.  With a checkpoint every epoch
(--checkpoint-interval 0) its curves stop exactly at its last checkpoint
and at most the last reported epoch was lost; with the default interval
(checkpoints under 1 % of the time, so not every one of these short
epochs) nothing committed is lost either.  The finished run has the test
accuracy of a run that was never interrupted (one thread: the same, to
the bit), and its curves have every epoch once.  An LSTM killed after
its second epoch and resumed saves the uninterrupted run's model file,
byte for byte.  Seeded; 15 to 25 s on two cores."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

CLI = os.environ.get("WORDLOOM_CLI") or sys.argv.pop(1)
SEED = 61
CHAINS = 4
KILLS_PER_CHAIN = 8
EPOCHS = 12
WORDS = {
    "sport": "goal team coach match league score".split(),
    "food": "recipe spicy dinner sauce bread kitchen".split(),
    "tech": "laptop battery screen update chip cloud".split(),
}


def write_dataset(path, n_rows, seed):
    rng = random.Random(seed)
    labels = list(WORDS)
    with open(path, "w", encoding="utf-8") as f:
        f.write("label,text\n")
        for i in range(n_rows):
            label = labels[i % 3]
            words = []
            for _ in range(12):
                source = label if rng.random() < 0.45 else rng.choice(labels)
                words.append(rng.choice(WORDS[source]) + str(rng.randrange(60)))
            f.write(label + "," + " ".join(words) + "\n")


class Attempt:
    """One wordloom-cli train process, its JSON lines read as they come."""

    def __init__(self, args):
        self.process = subprocess.Popen([CLI, "train", *args, "--json"], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.reader = threading.Thread(target=self._read)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(json.loads(line))

    def seen(self, event, **fields):
        return [l for l in list(self.lines) if l["event"] == event
                and all(l.get(k) == v for k, v in fields.items())]

    def wait_for_training(self, timeout=30):
        end = time.monotonic() + timeout
        while not self.seen("stage-started", stage="train") and self.process.poll() is None:
            if time.monotonic() > end:
                raise AssertionError("training did not start")
            time.sleep(0.005)

    def end(self):
        self.process.wait(timeout=120)
        self.reader.join()
        self.process.stdout.close()
        self.stderr = self.process.stderr.read()
        self.process.stderr.close()
        return self.process.returncode


class CrashTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="wl-crash-")
        cls.data = os.path.join(cls.tmp.name, "data.csv")
        write_dataset(cls.data, 30000, SEED)
        cls.options = ["--epochs", str(EPOCHS), "--patience", "0", "--threads", "1"]
        reference = Attempt(["-i", cls.data, "-o", os.path.join(cls.tmp.name, "ref.wlm"),
                             "--no-record", *cls.options])
        assert reference.end() == 0, reference.stderr
        cls.reference = reference.seen("summary")[0]["test"]["accuracy"]
        cls.train_seconds = reference.seen("summary")[0]["stage_seconds"]["train"]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def cli_json(self, store, *args):
        result = subprocess.run([CLI, "runs", *args, "--json", "--store", store],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def assert_integrity(self, store):
        con = sqlite3.connect(store)
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
        finally:
            con.close()

    def kill_at_random(self, attempt, rng, last):
        """SIGKILL during loading or at a random point of the training:
        within a random epoch of those left, counted by the epochs the run
        reports rather than by the clock, so that a machine faster or
        slower than during the reference run moves no kill past the end."""
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0, 0.3))
        else:
            attempt.wait_for_training()
            target = last + rng.randrange(0, max(EPOCHS - last, 1))
            while (attempt.process.poll() is None and
                   max([e["epoch"] for e in attempt.seen("epoch")], default=0) < target):
                time.sleep(0.002)
            time.sleep(rng.uniform(0, self.train_seconds / EPOCHS))
        if attempt.process.poll() is not None:
            return False
        attempt.process.send_signal(signal.SIGKILL)
        return True

    def check_after_kill(self, run, attempt, last_before, every_epoch):
        self.assertEqual(run["state"], "interrupted")
        last = run["checkpoints"]["last"]
        last_epoch = last["epoch"] if last else 0
        if last:
            self.assertTrue(os.path.exists(last["path"]))
        # Committed work is never lost.
        self.assertGreaterEqual(last_epoch, last_before)
        epochs = [e["epoch"] for e in run["epochs"]]
        self.assertEqual(epochs, list(range(1, len(epochs) + 1)))
        self.assertGreaterEqual(len(epochs), last_epoch)
        if every_epoch:
            # At most the last reported epoch is lost, and the curves stop
            # where the checkpoint is.
            reported = [e["epoch"] for e in attempt.seen("epoch")]
            if reported:
                self.assertGreaterEqual(last_epoch, reported[-1] - 1)
            self.assertEqual(len(epochs), last_epoch)
        return last_epoch

    def run_chain(self, chain, rng, every_epoch):
        store = os.path.join(self.tmp.name, "store-%d" % chain, "runs.sqlite")
        model = os.path.join(self.tmp.name, "model-%d.wlm" % chain)
        interval = ["--checkpoint-interval", "0"] if every_epoch else []
        run_id, last, kills = None, 0, 0
        while True:
            if run_id is None:
                args = ["-i", self.data, "-o", model, *self.options, "--store", store, *interval]
            else:
                args = ["--resume", str(run_id), "--store", store, *interval]
            attempt = Attempt(args)
            killed = kills < KILLS_PER_CHAIN and self.kill_at_random(attempt, rng, last)
            status = attempt.end()
            recording = attempt.seen("recording")
            if run_id is None and recording:
                run_id = recording[0]["run"]
            if not killed:
                break
            kills += 1
            if os.path.exists(store):
                self.assert_integrity(store)
            if run_id is None:
                continue   # killed before the run was recorded
            run = self.cli_json(store, "show", str(run_id))
            if run["state"] == "finished":
                break      # killed after the run was over
            last = self.check_after_kill(run, attempt, last, every_epoch)

        if not killed:
            self.assertEqual(status, 0, attempt.stderr)
            summary = attempt.seen("summary")[0]
            self.assertAlmostEqual(summary["test"]["accuracy"], self.reference, delta=1e-9)
        run = self.cli_json(store, "show", str(run_id))
        self.assertEqual(run["state"], "finished")
        self.assertAlmostEqual(run["test_accuracy"], self.reference, delta=1e-9)
        self.assertEqual([e["epoch"] for e in run["epochs"]], list(range(1, EPOCHS + 1)))
        self.assertIsNone(run["checkpoints"]["last"])
        best = run["checkpoints"]["best"]["path"]
        self.assertEqual(os.listdir(os.path.dirname(best)), [os.path.basename(best)])
        self.assert_integrity(store)
        return kills, run["attempts"]

    def test_kill_and_resume(self):
        rng = random.Random(SEED)
        total_kills = 0
        for chain in range(CHAINS):
            kills, attempts = self.run_chain(chain, rng, every_epoch=chain < CHAINS - 1)
            total_kills += kills
            print("chain %d: %d kills, %d attempts of the run" % (chain, kills, attempts),
                  file=sys.stderr)
        self.assertGreaterEqual(total_kills, CHAINS * KILLS_PER_CHAIN // 2)

    def test_neural_resume_is_exact(self):
        """An LSTM killed once its second epoch is reported, then resumed:
        its model file is byte for byte the uninterrupted run's (Adam's
        moments and step count come back from the checkpoint)."""
        data = os.path.join(self.tmp.name, "small.csv")
        write_dataset(data, 1500, SEED + 1)
        options = ["--model", "lstm", "--epochs", "20", "--patience", "0", "--threads", "1",
                   "--dim", "16", "--hidden", "12", "--batch-size", "16", "--lr", "0.01"]
        reference_path = os.path.join(self.tmp.name, "lstm-ref.wlm")
        reference = Attempt(["-i", data, "-o", reference_path, "--no-record", *options])
        self.assertEqual(reference.end(), 0, reference.stderr)

        store = os.path.join(self.tmp.name, "store-lstm", "runs.sqlite")
        model = os.path.join(self.tmp.name, "lstm.wlm")
        attempt = Attempt(["-i", data, "-o", model, *options, "--store", store,
                           "--checkpoint-interval", "0"])
        end = time.monotonic() + 120
        while not attempt.seen("epoch", epoch=2) and attempt.process.poll() is None:
            self.assertLess(time.monotonic(), end, "epoch 2 was not reported")
            time.sleep(0.005)
        attempt.process.send_signal(signal.SIGKILL)
        attempt.end()
        run_id = attempt.seen("recording")[0]["run"]
        run = self.cli_json(store, "show", str(run_id))
        self.assertEqual(run["state"], "interrupted")
        self.assertTrue(run["resumable"])
        self.assertGreaterEqual(run["checkpoints"]["last"]["epoch"], 1)

        resumed = Attempt(["--resume", str(run_id), "--store", store])
        self.assertEqual(resumed.end(), 0, resumed.stderr)
        self.assertEqual(resumed.seen("summary")[0]["test"]["accuracy"],
                         reference.seen("summary")[0]["test"]["accuracy"])
        with open(reference_path, "rb") as f:
            expected = f.read()
        with open(model, "rb") as f:
            self.assertTrue(f.read() == expected, "the resumed model differs")


if __name__ == "__main__":
    unittest.main(verbosity=2)
