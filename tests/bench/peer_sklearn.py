#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The scikit-learn peer for run-bench.py: TfidfVectorizer + LogisticRegression, defaults
# except the solver: the fastest that fits the model scikit-learn's documentation recommends
# for the problem, liblinear for two labels (its advice for small data sets; 4 to 12 times
# faster than the default lbfgs on sms, mr and chnsenticorp, same accuracy) and sag for more
# (multinomial loss, which liblinear lacks; fast on scaled features such as TF-IDF rows).
#
#   /usr/bin/python3 peer_sklearn.py TRAIN.csv TEST.csv
#
# Both files are CSV with a header and the columns label,text (the files Wordloom gets).
# Prints one JSON object: accuracy, macro_f1, n, and its own timings in seconds:
# train_s (read the train file, vectorise, fit) and predict_s (read the test file, vectorise,
# predict). Interpreter start-up and the scikit-learn import are not in them.

import csv
import json
import sys
import time

from sklearn import __version__ as sklearn_version
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        labels, texts = [], []
        for label, text in reader:
            labels.append(label)
            texts.append(text)
    return labels, texts


def main():
    if len(sys.argv) != 3:
        print("usage: peer_sklearn.py TRAIN.csv TEST.csv", file=sys.stderr)
        return 2

    start = time.perf_counter()
    train_labels, train_texts = read_rows(sys.argv[1])
    vectorizer = TfidfVectorizer()
    solver = "liblinear" if len(set(train_labels)) == 2 else "sag"
    classifier = LogisticRegression(solver=solver, max_iter=1000)
    classifier.fit(vectorizer.fit_transform(train_texts), train_labels)
    train_s = time.perf_counter() - start

    start = time.perf_counter()
    test_labels, test_texts = read_rows(sys.argv[2])
    predicted = classifier.predict(vectorizer.transform(test_texts))
    predict_s = time.perf_counter() - start

    json.dump({
        "accuracy": accuracy_score(test_labels, predicted),
        "macro_f1": f1_score(test_labels, predicted, average="macro"),
        "n": len(test_labels),
        "train_s": train_s,
        "predict_s": predict_s,
        "vocabulary": len(vectorizer.vocabulary_),
        "solver": solver,
        "sklearn_version": sklearn_version,
    }, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
