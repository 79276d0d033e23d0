#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""test-manifest.py: the Flatpak manifest passes flatpak/check-manifest.py, and
the check refuses a manifest with each kind of mistake it is there to catch.
Offline: whether the tags exist is for `check-manifest.py --online`."""
import copy
import os
import subprocess
import sys
import tempfile
import unittest

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(TOP, "flatpak", "check-manifest.py")
MANIFEST = os.path.join(TOP, "flatpak", "org.wordloom.Wordloom.yml")


def check(path):
    return subprocess.run([sys.executable, CHECK, path], capture_output=True, text=True)


class ManifestTest(unittest.TestCase):
    def setUp(self):
        with open(MANIFEST, encoding="utf-8") as f:
            self.manifest = yaml.safe_load(f)
        # Copies live elsewhere: the working tree's dir source by its full path.
        for source in self.manifest["modules"][-1]["sources"]:
            if source["type"] == "dir":
                source["path"] = TOP

    def refused(self, change, message):
        manifest = copy.deepcopy(self.manifest)
        change(manifest)
        with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
            yaml.safe_dump(manifest, f)
        try:
            result = check(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn(message, result.stderr)

    def test_manifest_is_well_formed(self):
        result = check(MANIFEST)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("well formed", result.stdout)

    def test_not_yaml(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
            f.write("id: [unclosed\n")
        try:
            result = check(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(result.returncode, 1)
        self.assertIn("not valid YAML", result.stderr)

    def test_mistakes_are_refused(self):
        git = [m for m in self.manifest["modules"]
               if m["sources"][0]["type"] == "git"][0]["name"]

        def source(manifest):
            return [m for m in manifest["modules"] if m["name"] == git][0]["sources"][0]

        self.refused(lambda m: m.update(id="org.example.Other"), "is not the app id")
        self.refused(lambda m: m.update({"runtime-version": 46}), "must be a quoted GNOME version")
        self.refused(lambda m: m.update(command="wordloom-gui"), "none of the executables")
        self.refused(lambda m: source(m).update(tag="latest"), "tag 'latest' is not a release tag")
        self.refused(lambda m: source(m).update(commit="abc123"), "not a full 40-digit commit")
        self.refused(lambda m: source(m).update(url="http://example.com/x.git"), "is not https")
        self.refused(lambda m: (source(m).pop("tag"), source(m).update(branch="master")),
                     "a git source needs a tag")
        self.refused(lambda m: m["modules"][-1]["sources"][0].update(path="/nonexistent"),
                     "has no meson.build")
        self.refused(lambda m: m["modules"].append(copy.deepcopy(m["modules"][0])),
                     "two modules have this name")
        self.refused(lambda m: m["modules"][0].update(buildsystem="bazel"), "unknown buildsystem")


if __name__ == "__main__":
    unittest.main()
