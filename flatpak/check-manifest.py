#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-manifest.py: what can be checked of the Flatpak manifest without the
GNOME runtime and, by default, without the network.

  flatpak/check-manifest.py [--online] [MANIFEST]

Offline (the test `flatpak-manifest` runs this): the manifest parses as YAML;
its id is the app id that meson.build gives the desktop file, metainfo and
GSettings schema; runtime and SDK are GNOME's with a quoted version; the
command is an executable that app/meson.build installs; every module has a
unique name, a known build system and sources; every git source names an
https URL and a release tag of the usual form (v1.2.3, 2023.12.14) or a full
commit; every dir source is a folder with a meson.build.  Whether a tag exists
cannot be known offline: --online asks each repository (git ls-remote) that
the tag exists and, where a commit is given, that the tag points at it.
flatpak/build.sh runs --online before it builds.
"""
import os
import re
import subprocess
import sys

import yaml

BUILD_SYSTEMS = {"meson", "cmake", "cmake-ninja", "simple", "autotools", "qmake"}
TAG = re.compile(r"^v?\d+(\.\d+)+$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")


def problems_of(path, top):
    """The problems found in the manifest at @path, as messages."""
    found = []
    with open(path, encoding="utf-8") as f:
        try:
            manifest = yaml.safe_load(f)
        except yaml.YAMLError as e:
            return [f"{path}: not valid YAML: {e}"]
    if not isinstance(manifest, dict):
        return [f"{path}: the manifest must be a mapping of keys to values"]

    with open(os.path.join(top, "meson.build"), encoding="utf-8") as f:
        app_id = re.search(r"^app_id = '([^']+)'", f.read(), re.M).group(1)
    if manifest.get("id") != app_id:
        found.append(f"id: '{manifest.get('id')}' is not the app id of meson.build ('{app_id}')")
    for key, value in (("runtime", "org.gnome.Platform"), ("sdk", "org.gnome.Sdk")):
        if manifest.get(key) != value:
            found.append(f"{key}: '{manifest.get(key)}' is not '{value}'")
    version = manifest.get("runtime-version")
    if not isinstance(version, str) or not re.match(r"^\d+$", version):
        found.append(f"runtime-version: {version!r} must be a quoted GNOME version such as '46'")

    with open(os.path.join(top, "app", "meson.build"), encoding="utf-8") as f:
        executables = re.findall(r"executable\('([^']+)'", f.read())
    if manifest.get("command") not in executables:
        found.append(f"command: '{manifest.get('command')}' is none of the executables that "
                     f"app/meson.build builds ({', '.join(executables)})")
    for arg in manifest.get("finish-args", []):
        if not isinstance(arg, str) or not arg.startswith("--"):
            found.append(f"finish-args: {arg!r} is not an option")

    modules = manifest.get("modules")
    if not isinstance(modules, list) or not modules:
        return found + ["modules: the manifest builds no module"]
    names = set()
    for i, module in enumerate(modules):
        if not isinstance(module, dict):
            found.append(f"modules[{i}]: a module must be a mapping (an included file is not checked)")
            continue
        name = module.get("name", f"modules[{i}]")
        if name in names:
            found.append(f"{name}: two modules have this name")
        names.add(name)
        if module.get("buildsystem", "autotools") not in BUILD_SYSTEMS:
            found.append(f"{name}: unknown buildsystem '{module.get('buildsystem')}'")
        if module.get("buildsystem") == "simple" and not module.get("build-commands"):
            found.append(f"{name}: a simple module needs build-commands")
        sources = module.get("sources")
        if not isinstance(sources, list) or not sources:
            found.append(f"{name}: no sources")
            continue
        for source in sources:
            found += source_problems(name, source, os.path.dirname(os.path.abspath(path)))
    if modules[-1].get("name") != "wordloom" or modules[-1].get("buildsystem") != "meson":
        found.append("the last module must be wordloom, built with meson")
    return found


def source_problems(name, source, manifest_dir):
    kind = source.get("type")
    if kind == "git":
        url, tag, commit = source.get("url", ""), source.get("tag"), source.get("commit")
        found = []
        if not url.startswith("https://"):
            found.append(f"{name}: git url '{url}' is not https")
        if tag is None and commit is None:
            found.append(f"{name}: a git source needs a tag (and, for Flathub, its commit)")
        if tag is not None and not TAG.match(str(tag)):
            found.append(f"{name}: tag '{tag}' is not a release tag (v1.2.3 or 2023.12.14)")
        if commit is not None and not COMMIT.match(str(commit)):
            found.append(f"{name}: commit '{commit}' is not a full 40-digit commit")
        if "branch" in source:
            found.append(f"{name}: a branch moves; name a tag")
        return found
    if kind == "dir":
        folder = os.path.normpath(os.path.join(manifest_dir, source.get("path", "")))
        if not os.path.isfile(os.path.join(folder, "meson.build")):
            return [f"{name}: dir source '{source.get('path')}' ({folder}) has no meson.build"]
        return []
    if kind in ("archive", "file"):
        if not re.match(r"^[0-9a-f]{64}$", str(source.get("sha256", ""))):
            return [f"{name}: {kind} source {source.get('url')} needs its sha256"]
        return []
    return [f"{name}: source type '{kind}' is not checked here; use git, dir, archive or file"]


def online_problems(path):
    """Asks each git source's repository for its tag (needs the network)."""
    with open(path, encoding="utf-8") as f:
        manifest = yaml.safe_load(f)
    found = []
    for module in manifest["modules"]:
        for source in module.get("sources", []):
            if source.get("type") != "git" or "tag" not in source:
                continue
            ref = f"refs/tags/{source['tag']}"
            result = subprocess.run(["git", "ls-remote", "--exit-code", source["url"], ref, ref + "^{}"],
                                    capture_output=True, text=True, timeout=120)
            if result.returncode != 0:
                found.append(f"{module['name']}: {source['url']} has no tag {source['tag']} "
                             f"({result.stderr.strip() or 'not found'})")
                continue
            commits = [line.split()[0] for line in result.stdout.splitlines()]
            if "commit" in source and source["commit"] not in commits:
                found.append(f"{module['name']}: tag {source['tag']} is {commits[-1]}, "
                             f"not the commit {source['commit']} the manifest gives")
    return found


def main(argv):
    online = "--online" in argv
    args = [a for a in argv if a != "--online"]
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = args[0] if args else os.path.join(top, "flatpak", "org.wordloom.Wordloom.yml")
    found = problems_of(path, top)
    if online and not found:
        found = online_problems(path)
    for problem in found:
        print(f"{path}: {problem}", file=sys.stderr)
    if not found:
        print(f"{path}: the manifest is well formed" +
              ("; every tag exists" if online else " (tags not looked up: pass --online)"))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
