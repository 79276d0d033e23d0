#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Distributed training with MPI, on this one machine: `mpirun -n 2
--oversubscribe` runs two wordloom-cli processes that train one model.

  test-mpi.py CLI mpi      (a build with MPI) the ranks end with the same
                           weights; the accuracy is that of one process with
                           the effective batch; the shared-memory and TCP
                           transports each forced once; a rank killed
                           mid-run ends the job and leaves a run that resumes;
                           each rank reads its byte range of the input, and
                           the rows and split are those of one process, also
                           with a quoted field of many lines across the cut,
                           also in windows-1252 and UTF-16LE; a file in an
                           encoding that cannot be cut at line starts is read
                           whole by each.
  test-mpi.py CLI refused  (a build without MPI) started as one of several
                           processes, train refuses and says it needs MPI.

The data are generated here."""

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

CLI, MODE = sys.argv.pop(1), sys.argv.pop(1)
MPIRUN = shutil.which("mpirun")
STORE_DIR = tempfile.TemporaryDirectory(prefix="wl-mpi-store-")
os.environ["WORDLOOM_STORE"] = os.path.join(STORE_DIR.name, "runs.sqlite")
# One thread per rank: two ranks share this machine's cores.
THREADS = ["--threads", "1"]

POSITIVE = "good great excellent love wonderful happy nice fine superb enjoy".split()
NEGATIVE = "bad awful terrible hate poor sad boring worst ugly annoying".split()
FILLER = "the a movie film plot actor story scene music time day one this that it was".split()


def write_data(path, n, seed, flip=0.1):
    """A two-label file with a share @flip of the labels flipped: accuracy
    near 1 − flip."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        f.write("text\tlabel\n")
        for _ in range(n):
            positive = rng.random() < 0.5
            words = [rng.choice(FILLER) for _ in range(rng.randint(5, 14))]
            for _ in range(rng.randint(1, 2)):
                words.insert(rng.randrange(len(words) + 1),
                             rng.choice(POSITIVE if positive else NEGATIVE))
            if rng.random() < flip:
                positive = not positive
            f.write(" ".join(words) + "\t" + ("pos" if positive else "neg") + "\n")


def mpirun(n, *args, transport=None):
    command = [MPIRUN, "-n", str(n), "--oversubscribe", "--allow-run-as-root"]
    if transport == "shared-memory":
        command += ["--mca", "btl", "self,vader"]
    elif transport == "tcp":
        # Over the loopback device, so that TCP is what carries the bytes.
        command += ["--mca", "btl", "self,tcp", "--mca", "btl_tcp_if_include", "lo"]
    return command + [CLI] + list(args)


def events(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def summary(result):
    found = [e for e in events(result.stdout) if e["event"] == "summary"]
    assert len(found) == 1, (result.stdout, result.stderr)
    return found[0]


def messages(result):
    return [e["message"] for e in events(result.stdout) if e["event"] == "message"]


class MpiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="wl-mpi-")
        cls.data = os.path.join(cls.tmp.name, "data.tsv")
        write_data(cls.data, 2400, 7)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_ok(self, command, timeout=240):
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        self.assertEqual(result.returncode, 0, result.stdout[-2000:] + result.stderr[-4000:])
        return result

    def train_args(self, model, output, *extra):
        return ["train", "--input", self.data, "--output", output, "--model", model,
                "--no-record", "--json", *THREADS, *extra]

    def assert_same_weights(self, result, n):
        found = [m for m in messages(result) if re.search(r"All %d processes hold the same weights "
                                                          r"\(digest [0-9a-f]{16}\)" % n, m)]
        # Once after training, and once more after a refit (model.refit).
        refit = any(m.startswith("Training again on the training and validation rows")
                    for m in messages(result))
        self.assertEqual(len(found), 2 if refit else 1, messages(result))

    def test_neural_like_one_process_with_the_effective_batch(self):
        """mlp, shared memory: 2 ranks × batch 16 against 1 process × batch 32."""
        settings = ["--epochs", "3", "--patience", "0", "--seed", "11"]
        one = self.run_ok([CLI] + self.train_args("mlp", os.path.join(self.tmp.name, "one.wlm"),
                                                  "--batch-size", "32", *settings))
        two = self.run_ok(mpirun(2, *self.train_args("mlp", os.path.join(self.tmp.name, "two.wlm"),
                                                     "--batch-size", "16", *settings),
                                 transport="shared-memory"))
        self.assert_same_weights(two, 2)
        self.assertTrue(any("2 × 16 examples" in m for m in messages(two)), messages(two))
        a, b = summary(one)["test"]["accuracy"], summary(two)["test"]["accuracy"]
        self.assertGreater(a, 0.7)
        self.assertLessEqual(abs(a - b), 0.005, (a, b))
        # Only rank 0 saved, and its model predicts.
        predicted = subprocess.run([CLI, "predict", "--model", os.path.join(self.tmp.name, "two.wlm")],
                                   input="a wonderful superb film\n", capture_output=True,
                                   text=True, timeout=60)
        self.assertEqual(predicted.returncode, 0, predicted.stderr)
        self.assertIn("pos", predicted.stdout)

    def test_embedding_rows_over_tcp(self):
        """lstm (a sparse embedding gradient), TCP: the same weights on both ranks."""
        settings = ["--epochs", "2", "--patience", "0", "--batch-size", "16", "--hidden", "16"]
        one = self.run_ok([CLI] + self.train_args("lstm", os.path.join(self.tmp.name, "l1.wlm"),
                                                  "--batch-size", "32", *settings[:-4], "--hidden", "16"))
        two = self.run_ok(mpirun(2, *self.train_args("lstm", os.path.join(self.tmp.name, "l2.wlm"),
                                                     *settings), transport="tcp"))
        self.assert_same_weights(two, 2)
        a, b = summary(one)["test"]["accuracy"], summary(two)["test"]["accuracy"]
        self.assertLessEqual(abs(a - b), 0.005, (a, b))

    def calls_per_pass(self, result):
        for m in messages(result):
            found = re.search(r"in ([0-9]+) collective calls over ([0-9]+) passes", m)
            if found:
                return int(found.group(1)) / int(found.group(2))
        self.fail(messages(result))

    def test_linear_averages_its_weights(self):
        result = self.run_ok(mpirun(2, *self.train_args("linear", os.path.join(self.tmp.name, "lin.wlm"),
                                                        "--epochs", "4")))
        self.assert_same_weights(result, 2)
        self.assertTrue(any("weights are averaged" in m for m in messages(result)), messages(result))
        self.assertGreater(summary(result)["test"]["accuracy"], 0.8)

    def test_sgd_models_like_one_process(self):
        """linear and embedding-bag, one pass over labels without noise: 2 ranks, each
        stepping through half the pass at twice the rate, then averaged, against 1 process.
        Averaging at the plain rate gives embedding-bag half-length steps: 0.76 here against
        0.998, so this fails without the scaled rate."""
        clean = os.path.join(self.tmp.name, "clean.tsv")
        write_data(clean, 3000, 7, flip=0.0)
        for model in ("embedding-bag", "linear"):
            with self.subTest(model=model):
                def args(name):
                    return ["train", "--input", clean, "--output", os.path.join(self.tmp.name, name),
                            "--model", model, "--no-record", "--json", *THREADS,
                            "--epochs", "1", "--patience", "0", "--seed", "11"]
                one = self.run_ok([CLI] + args("s1.wlm"))
                two = self.run_ok(mpirun(2, *args("s2.wlm")))
                self.assert_same_weights(two, 2)
                self.assertTrue(any("2 × the learning rate" in m for m in messages(two)), messages(two))
                a, b = summary(one)["test"]["accuracy"], summary(two)["test"]["accuracy"]
                self.assertGreater(a, 0.95)
                self.assertLessEqual(abs(a - b), 0.005, (a, b))

    def test_embedding_bag_averages_every_k_examples(self):
        settings = ["--epochs", "3", "--patience", "0"]
        per_pass = self.run_ok(mpirun(2, *self.train_args("embedding-bag", os.path.join(self.tmp.name, "b1.wlm"),
                                                          *settings)))
        # 864 examples a rank and pass: 5 rounds of up to 200, so 4 averages inside each pass.
        every = self.run_ok(mpirun(2, *self.train_args("embedding-bag", os.path.join(self.tmp.name, "b2.wlm"),
                                                       *settings, "--sync-every", "200")))
        self.assert_same_weights(per_pass, 2)
        self.assert_same_weights(every, 2)
        # Each average is one allreduce per weight array (input, output, bias).
        self.assertAlmostEqual(self.calls_per_pass(every) - self.calls_per_pass(per_pass), 4 * 3, delta=0.01)
        self.assertGreater(summary(every)["test"]["accuracy"], 0.8)

    def bytes_read(self, result):
        """The file's size, each rank's bytes read, and whether the ranges were
        read again from exact boundaries, as rank 0 says."""
        for m in messages(result):
            found = re.search(r"2 processes read its ([0-9]+) bytes in ranges \(bytes read by rank "
                              r"0, 1…: ([0-9]+), ([0-9]+)\)(.*)", m)
            if found:
                return (int(found.group(1)), [int(found.group(2)), int(found.group(3))],
                        "read again" in found.group(4))
        self.fail(messages(result))

    def one_and_two(self, data, *extra):
        """linear, one pass: one process and two ranks on @data."""
        def args(name):
            return ["train", "--input", data, "--output", os.path.join(self.tmp.name, name),
                    "--model", "linear", "--no-record", "--json", *THREADS, "--epochs", "1",
                    "--patience", "0", "--seed", "5", *extra]
        return self.run_ok([CLI] + args("r1.wlm")), self.run_ok(mpirun(2, *args("r2.wlm")))

    def assert_halves(self, result, path):
        """Each rank read about half of the file at @path (up to a 256 KiB
        chunk more), once."""
        size, read, again = self.bytes_read(result)
        self.assertEqual(size, os.path.getsize(path))
        self.assertFalse(again)
        for r in read:
            self.assertGreater(r, 0.4 * size, read)
            self.assertLess(r, 0.5 * size + 256 * 1024, read)
        self.assertGreaterEqual(sum(read), size)

    def test_each_rank_reads_its_byte_range(self):
        """A 3 MB file: each rank reads about half of it (up to a 256 KiB chunk more),
        and the rows and the split are those of one process."""
        big = os.path.join(self.tmp.name, "big.tsv")
        write_data(big, 50000, 3, flip=0.0)
        one, two = self.one_and_two(big)
        self.assert_halves(two, big)
        for key in ("n_train", "n_valid", "n_test", "parts_digest"):
            self.assertEqual(summary(one)[key], summary(two)[key], key)
        self.assert_same_weights(two, 2)
        a, b = summary(one)["test"]["accuracy"], summary(two)["test"]["accuracy"]
        self.assertLessEqual(abs(a - b), 0.005, (a, b))

    def write_straddling(self, path):
        """A CSV whose middle byte is inside a quoted field of many lines, each of
        which looks like a record of its own: a rank that starts at the first
        line start after the middle reads records that are not there."""
        rng = random.Random(5)
        rows = []
        for i in range(300):
            label = "pos" if rng.random() < 0.5 else "neg"
            words = [rng.choice(POSITIVE if label == "pos" else NEGATIVE)] + \
                [rng.choice(FILLER) for _ in range(rng.randint(3, 9))]
            rows.append('"%s, row %d",%s\n' % (" ".join(words), i, label))
        inner = "\n".join("%s %s,%s" % (rng.choice(FILLER), rng.choice(FILLER),
                                         rng.choice(("pos", "neg"))) for _ in range(400))
        straddling = '"a review that goes on\n%s\nand ends here",pos\n' % inner
        # A field of two lines near the end: with quotes auto, how it reads depends
        # on the labels seen before it.
        last = '"the last review\non two lines",neg\n'
        with open(path, "w", encoding="utf-8") as f:
            f.write("text,label\n" + "".join(rows) + straddling + "".join(reversed(rows)) + last)
        size = os.path.getsize(path)
        start = len("text,label\n") + len("".join(rows).encode())
        self.assertLess(start, size // 2)
        self.assertGreater(start + len(straddling.encode()), size // 2 + 100)

    def test_quoted_lines_across_the_cut(self):
        """The straddling field read as RFC 4180 (the guess meets the true records
        at the field's end: rank 1 drops what it read before) and with quotes auto
        (the same, but a field of several lines in rank 1's range reads as the labels
        seen before it say, so every range is read again from exact boundaries): the
        same rows and split as one process."""
        data = os.path.join(self.tmp.name, "straddling.csv")
        self.write_straddling(data)
        for quotes, again in (("rfc4180", False), ("auto", True)):
            with self.subTest(quotes=quotes):
                one, two = self.one_and_two(data, "--quotes", quotes)
                self.assertEqual(self.bytes_read(two)[2], again, messages(two))
                kept = [m for m in messages(two) if "rows kept of" in m]
                self.assertEqual(kept, [m for m in messages(one) if "rows kept of" in m])
                self.assertIn("602 rows kept of 602 read", kept[0])
                for key in ("n_train", "n_valid", "n_test", "parts_digest"):
                    self.assertEqual(summary(one)[key], summary(two)[key], key)
                self.assert_same_weights(two, 2)

    def encoded(self, name, source, encoding, newline=None):
        path = os.path.join(self.tmp.name, name)
        with open(source, encoding="utf-8") as f, open(path, "w", encoding=encoding,
                                                       newline=newline) as out:
            out.write(f.read().replace("film", "café").replace("music", "música"))
        return path

    def test_other_encodings_are_read_in_ranges(self):
        """A 3 MB windows-1252 file: each rank decodes its byte range from the first
        line start in it, reads about half the file, and the rows and split are those of
        one process; a UTF-16LE file (line breaks of two bytes) too."""
        big = os.path.join(self.tmp.name, "big-utf8.tsv")
        write_data(big, 50000, 4, flip=0.0)
        latin = self.encoded("latin.tsv", big, "cp1252")
        one, two = self.one_and_two(latin, "--encoding", "windows-1252")
        self.assert_halves(two, latin)
        self.assertEqual(summary(one)["parts_digest"], summary(two)["parts_digest"])
        self.assert_same_weights(two, 2)
        # CRLF: rank 1 starts after a CR, as a record that ends there leaves the
        # reader, so it keeps what it read from there and reads its range once.
        wide = self.encoded("wide.tsv", self.data, "utf-16-le", newline="\r\n")
        one, two = self.one_and_two(wide, "--encoding", "UTF-16LE")
        size, read, again = self.bytes_read(two)
        self.assertFalse(again)
        self.assertLess(read[1], 0.5 * size + 64 * 1024, read)
        self.assertEqual(summary(one)["parts_digest"], summary(two)["parts_digest"])

    def test_encodings_that_cannot_be_cut_are_read_whole(self):
        """UTF-16 of either byte order (named by its mark): a line break's bytes
        cannot be told from the start of a range, so each rank reads the file whole,
        says so, and splits it as one process does."""
        wide = self.encoded("either.tsv", self.data, "utf-16")
        one, two = self.one_and_two(wide, "--encoding", "UTF-16")
        self.assertTrue(any("each of the 2 processes reads the whole file" in m for m in messages(two)),
                        messages(two))
        self.assertFalse(any("bytes in ranges" in m for m in messages(two)), messages(two))
        self.assertEqual(summary(one)["parts_digest"], summary(two)["parts_digest"])

    def rank_pid(self, mpirun_pid, rank):
        """The pid of @rank among the processes mpirun started."""
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    environ = f.read().split(b"\0")
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    cmdline = f.read()
            except OSError:
                continue
            if (b"OMPI_COMM_WORLD_RANK=%d" % rank in environ and CLI.encode() in cmdline and
                    self.launched_by(int(entry), mpirun_pid)):
                return int(entry)
        return None

    @staticmethod
    def launched_by(pid, ancestor):
        while pid > 1:
            if pid == ancestor:
                return True
            try:
                with open(f"/proc/{pid}/stat") as f:
                    pid = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                return False
        return False

    def test_killed_rank_ends_the_job_and_the_run_resumes(self):
        output = os.path.join(self.tmp.name, "killed.wlm")
        command = mpirun(2, "train", "--input", self.data, "--output", output, "--model", "mlp",
                         "--epochs", "40", "--patience", "0", "--checkpoint-interval", "0",
                         "--json", *THREADS)
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        run_id, epochs = None, 0
        try:
            for line in process.stdout:
                if not line.startswith("{"):
                    continue
                event = json.loads(line)
                if event["event"] == "recording":
                    run_id = event["run"]
                elif event["event"] == "epoch":
                    epochs = event["epoch"]
                    if epochs >= 2:
                        break
            self.assertIsNotNone(run_id)
            self.assertGreaterEqual(epochs, 2, process.stderr.read() if process.poll() else "")
            victim = self.rank_pid(process.pid, 1)
            self.assertIsNotNone(victim)
            os.kill(victim, signal.SIGKILL)
            _, stderr = process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        self.assertNotEqual(process.returncode, 0)
        # mpirun names the rank that died and how.
        self.assertRegex(stderr, r"rank 1 .*(signal 9|Killed)", stderr[-3000:])

        # Rank 0 went with the job; the store sees that its process is gone
        # (once the system has reaped it).
        for _ in range(120):
            run = self.show(run_id)
            if run["state"] != "running":
                break
            time.sleep(0.5)
        self.assertIn(run["state"], ("interrupted", "cancelled"), run)
        self.assertGreaterEqual(run["epochs_run"], 2)
        self.assertLess(run["epochs_run"], 40)

        resumed = self.run_ok(mpirun(2, "train", "--resume", str(run_id), "--json"), timeout=600)
        self.assert_same_weights(resumed, 2)
        self.assertTrue(os.path.exists(output))
        run = self.show(run_id)
        self.assertEqual(run["state"], "finished")
        # The store keeps the run's processes and the host of each.
        self.assertEqual(run["machine"]["ranks"], 2)
        self.assertEqual(len(run["machine"]["hosts"]), 2)
        text = subprocess.run([CLI, "runs", "show", str(run_id)], capture_output=True, text=True,
                              timeout=60, env=dict(os.environ, LC_ALL="C.UTF-8"))
        host = run["machine"]["hosts"][0]
        self.assertIn("Trained on 2 processes: %s × 2" % host, text.stdout)

    def show(self, run_id):
        shown = subprocess.run([CLI, "runs", "show", str(run_id), "--json"], capture_output=True,
                               text=True, timeout=60)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        return json.loads(shown.stdout)


class RefusedTest(unittest.TestCase):
    def test_refuses_as_one_of_several(self):
        env = dict(os.environ, OMPI_COMM_WORLD_SIZE="2", OMPI_COMM_WORLD_RANK="0")
        result = subprocess.run([CLI, "train", "--input", "x.tsv", "--output", "x.wlm"], env=env,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("distributed training needs MPI", result.stderr)
        self.assertIn("-Dmpi=enabled", result.stderr)


if __name__ == "__main__":
    # Only the class of this build's kind: nothing is skipped.
    unittest.main(defaultTest="MpiTest" if MODE == "mpi" else "RefusedTest", verbosity=2)
