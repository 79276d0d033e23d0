# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one child process for run-bench.py and measures its wall time and peak resident memory.
#
# Peak RSS: a child's ru_maxrss starts at the RSS of the process that forked it (Linux copies
# the high-water mark over fork and exec), so a child forked straight from this Python
# harness would never report less than the harness itself.  The child is therefore started
# through GNU time (/usr/bin/time, about 1 MB), which forks it from its own small image and
# writes the child's ru_maxrss to a file.  Without GNU time, ru_maxrss comes from os.wait4 and
# is flagged as inexact when it does not exceed the harness's own peak.

import os
import resource
import signal
import subprocess
import threading
import time

GNU_TIME = "/usr/bin/time"
_gnu_time_ok = None


class Step:
    """The outcome of one measured child process."""

    def __init__(self, argv, status, returncode=None, wall_s=None, peak_rss_mb=None,
                 rss_exact=True, stdout="", stderr=""):
        self.argv = argv
        self.status = status  # "ok", "failed", "timeout" or "missing"
        self.returncode = returncode
        self.wall_s = wall_s
        self.peak_rss_mb = peak_rss_mb
        self.rss_exact = rss_exact
        self.stdout = stdout
        self.stderr = stderr

    @property
    def ok(self):
        return self.status == "ok"

    def reason(self):
        """A one-line explanation of a failed step."""
        if self.status == "timeout":
            return "timed out after %.0f s" % self.wall_s
        if self.status == "missing":
            return self.stderr
        tail = [line for line in self.stderr.splitlines() if line.strip()][-1:]
        return "exit status %s%s" % (self.returncode, (": " + tail[0].strip()) if tail else "")

    def record(self):
        return {
            "argv": self.argv,
            "status": self.status,
            "returncode": self.returncode,
            "wall_s": self.wall_s,
            "peak_rss_mb": self.peak_rss_mb,
            "rss_exact": self.rss_exact,
        }


def have_gnu_time():
    global _gnu_time_ok
    if _gnu_time_ok is None:
        try:
            _gnu_time_ok = subprocess.run(
                [GNU_TIME, "-f", "%M", "-o", os.devnull, "true"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        except OSError:
            _gnu_time_ok = False
    return _gnu_time_ok


def _harness_peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _read_tail(path, limit=64 * 1024):
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - limit))
        return f.read().decode("utf-8", "replace")


def _read_all(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")


def run_measured(argv, log_prefix, timeout, cwd=None):
    """Runs argv to completion (or kills it after timeout seconds) and measures it.

    stdout and stderr go to log_prefix + ".out" / ".err" (a pipe could fill up while we wait).
    """
    out_path, err_path, rss_path = (log_prefix + ext for ext in (".out", ".err", ".rss"))
    timed = have_gnu_time()
    full_argv = ([GNU_TIME, "-f", "%M", "-o", rss_path] if timed else []) + list(argv)
    floor_kb = _harness_peak_kb()

    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        try:
            proc = subprocess.Popen(full_argv, cwd=cwd, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=err, start_new_session=True)
        except OSError as e:
            return Step(argv, "missing", stderr="cannot run %s: %s" % (full_argv[0], e.strerror))
        killed = threading.Event()

        def kill():
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, wait_status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C: the child has its own session, so stop it here
            kill()
            os.wait4(proc.pid, 0)
            raise
        finally:
            timer.cancel()
        wall_s = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(wait_status)

    if timed:
        try:  # "%M", after a "Command exited with non-zero status N" line if any
            peak_kb = int(_read_all(rss_path).strip().splitlines()[-1])
        except (OSError, ValueError, IndexError):
            peak_kb = None
        exact = True
    else:
        peak_kb = usage.ru_maxrss
        exact = peak_kb > floor_kb
    if killed.is_set():
        status = "timeout"
    elif timed and proc.returncode == 127 and "cannot run" in _read_tail(err_path):
        status = "missing"
    else:
        status = "ok" if proc.returncode == 0 else "failed"

    step = Step(argv, status, proc.returncode, wall_s,
                peak_kb / 1024.0 if peak_kb is not None else None, exact,
                _read_all(out_path), _read_tail(err_path))
    if status == "missing":
        step.stderr = "cannot run %s" % argv[0]
    return step
