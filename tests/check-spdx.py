#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-spdx.py: every source file of app/, engine/, ui/, tests/ and flatpak/
(C, headers, Python, shell) names its licence in an SPDX line among its first
two lines (after a #! line).  Prints the files that do not; exits 1 if any."""
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDERS = ("app", "engine", "ui", "tests", "flatpak")
SUFFIXES = (".c", ".h", ".py", ".sh")
LINE = "SPDX-License-Identifier: GPL-3.0-or-later"


def main():
    missing = []
    for folder in FOLDERS:
        for root, dirs, files in os.walk(os.path.join(TOP, folder)):
            dirs[:] = [d for d in dirs if d not in ("__pycache__", "node_modules")]
            for name in files:
                if not name.endswith(SUFFIXES):
                    continue
                path = os.path.join(root, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    head = [f.readline(), f.readline()]
                if not any(LINE in line for line in head):
                    missing.append(os.path.relpath(path, TOP))
    for path in sorted(missing):
        print(f"{path}: no \"{LINE}\" line at the top; add one as the other files have it")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
