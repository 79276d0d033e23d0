# SPDX-License-Identifier: GPL-3.0-or-later
# Datasets for run-bench.py: reading, one seeded stratified split, and the files each tool reads.

import collections
import csv
import io
import os
import random
import re

SPLIT_SEED = 42
TEST_FRACTION = 0.2
FASTTEXT_PUNCT = re.compile(r"([.!?,'/()])")
CJK_RUN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")


class Dataset:
    """One labelled text file: name, rows as (label, text), and what was dropped."""

    def __init__(self, name, path, rows, dropped_empty):
        self.name = name
        self.path = path
        self.rows = rows
        self.dropped_empty = dropped_empty

    def labels(self):
        return sorted({label for label, _ in self.rows})


class Split:
    """The train and test rows of one dataset and the files written for the tools.

    Wordloom always reads train.csv / test.csv.  The peers read the same files, or, with
    peer_text, files whose text went through it (peer-train.csv, and the fastText files).
    """

    def __init__(self, dataset, train, test, folder, peer_text=None):
        self.dataset = dataset
        self.train = train
        self.test = test
        self.folder = folder
        self.peer_text = peer_text
        self.train_csv = os.path.join(folder, "train.csv")
        self.test_csv = os.path.join(folder, "test.csv")
        self.peer_train_csv = self.train_csv
        self.peer_test_csv = self.test_csv
        if peer_text:
            self.peer_train_csv = os.path.join(folder, "peer-train.csv")
            self.peer_test_csv = os.path.join(folder, "peer-test.csv")
        self.train_fasttext = os.path.join(folder, "train.txt")
        self.test_fasttext = os.path.join(folder, "test.txt")

    def test_labels(self):
        return [label for label, _ in self.test]


def cjk_bigrams(text):
    """Chinese, Japanese and Korean runs as space-separated character bigrams, so that
    whitespace tokenisers (fastText, scikit-learn's default) see words: "很好吃" -> "很好 好吃"."""
    def expand(match):
        run = match.group(0)
        grams = [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        return " %s " % " ".join(grams)
    return CJK_RUN.sub(expand, text)


def fasttext_text(text):
    """Text as fastText's tutorial prepares it (sed -e "s/\([.\!?,'/()]\)/ \1 /g" | tr
    "[:upper:]" "[:lower:]"): those punctuation marks split off as words, lowercased, and the
    whitespace (line breaks included) collapsed to single spaces."""
    return " ".join(FASTTEXT_PUNCT.sub(r" \1 ", text).lower().split())


def fasttext_label(label):
    """The fastText token for a label: "__label__" and the label, whitespace made "_"."""
    return "__label__" + "_".join(label.split())


def find_datasets(folder, names=None):
    """Returns the paths of the *.csv and *.tsv files in folder, by name, optionally filtered."""
    found = []
    for entry in sorted(os.listdir(folder)):
        stem, ext = os.path.splitext(entry)
        if ext not in (".csv", ".tsv"):
            continue
        if names and stem not in names and entry not in names:
            continue
        found.append(os.path.join(folder, entry))
    return found


def read_dataset(path):
    """Reads a headed CSV (quoted, doubled quotes) or TSV (raw lines, no quoting), in UTF-8
    or, when it is not valid UTF-8, Windows-1252 (mr.tsv).

    The label is the column named "label" (else the first column), the text the first other
    column.  Rows with empty text are dropped, the same for every tool.
    """
    name, ext = os.path.splitext(os.path.basename(path))
    with open(path, "rb") as f:
        raw = f.read()
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError:
        content = raw.decode("cp1252")
    if ext == ".tsv":
        dialect = {"delimiter": "\t", "quoting": csv.QUOTE_NONE}
    else:
        dialect = {"delimiter": ","}
    reader = csv.reader(io.StringIO(content, newline=""), **dialect)
    header = next(reader)
    label_col = header.index("label") if "label" in header else 0
    text_col = 1 if label_col == 0 else 0
    rows = []
    dropped = 0
    for line, record in enumerate(reader, start=2):
        if len(record) != len(header):
            raise ValueError("%s:%d: expected %d columns, found %d"
                             % (path, line, len(header), len(record)))
        label, text = record[label_col].strip(), record[text_col]
        if not text.strip():
            dropped += 1
            continue
        rows.append((label, text))
    return Dataset(name, path, rows, dropped)


def stratified_split(dataset, folder, peer_text=None, seed=SPLIT_SEED,
                     test_fraction=TEST_FRACTION):
    """One seeded stratified split: test_fraction of every class goes to the test part."""
    rng = random.Random(seed)
    by_label = collections.defaultdict(list)
    for row in dataset.rows:
        by_label[row[0]].append(row)
    train, test = [], []
    for label in sorted(by_label):
        rows = by_label[label]
        rng.shuffle(rows)
        n_test = max(1, round(len(rows) * test_fraction))
        test.extend(rows[:n_test])
        train.extend(rows[n_test:])
    rng.shuffle(train)
    rng.shuffle(test)
    split = Split(dataset, train, test, folder, peer_text)
    write_files(split)
    return split


def stratified_fold(dataset, folder, folds, fold, peer_text=None, seed=SPLIT_SEED):
    """Fold `fold` of a seeded stratified `folds`-fold cross-validation (the protocol of Kim
    2014's table, "CV"): every class is shuffled once with the seed and its every folds-th row,
    from the fold-th on, goes to the test part; the folds' test parts cover each row once."""
    rng = random.Random(seed)
    by_label = collections.defaultdict(list)
    for row in dataset.rows:
        by_label[row[0]].append(row)
    train, test = [], []
    for label in sorted(by_label):
        rows = by_label[label]
        rng.shuffle(rows)
        for i, row in enumerate(rows):
            (test if i % folds == fold else train).append(row)
    rng.shuffle(train)
    rng.shuffle(test)
    split = Split(dataset, train, test, folder, peer_text)
    write_files(split)
    return split


def _write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["label", "text"])
        writer.writerows(rows)


def write_files(split):
    os.makedirs(split.folder, exist_ok=True)
    for rows, csv_path, peer_csv_path, fasttext_path in (
            (split.train, split.train_csv, split.peer_train_csv, split.train_fasttext),
            (split.test, split.test_csv, split.peer_test_csv, split.test_fasttext)):
        _write_csv(csv_path, rows)
        if split.peer_text:
            rows = [(label, split.peer_text(text)) for label, text in rows]
            _write_csv(peer_csv_path, rows)
        with open(fasttext_path, "w", encoding="utf-8", newline="") as f:
            for label, text in rows:
                f.write("%s %s\n" % (fasttext_label(label), fasttext_text(text)))
