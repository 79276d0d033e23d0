#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The PyTorch peer for run-bench.py: an LSTM or a TextCNN (Kim), trained on the CPU.
#
#   /usr/bin/python3 peer_torch.py --model lstm|textcnn [--threads N] [--max-length N]
#       [--epochs N] [--patience N] [--valid-fraction F] [--batch-size N] [--lr R] [--dim N] [--hidden N] [--filter-widths W,W,...]
#       [--filters N] [--dropout P] [--seed N] [--cjk-chars] [--packed] [--device cpu|cuda]
#       TRAIN.csv TEST.csv
#
# Both files are CSV with a header and the columns label,text.  Text is lowercased and cut
# into words and single punctuation marks by a regular expression (as torchtext's
# basic_english does); --cjk-chars also makes every Chinese, Japanese or Korean character a
# token of its own (run-bench.py passes it; without it a run of CJK text is one word).  The
# vocabulary is every token of the training part (min count 1), id 0 is padding and id 1 unknown words;
# texts keep their first --max-length tokens.
#
# Batches are built the way Wordloom builds them: shuffle, sort windows of 32 batches by
# length, cut them into batches, shuffle the batches; a batch is padded to its longest text.
#   lstm:    Embedding(dim) -> LSTM(hidden) -> Dropout (none by default) -> Linear on the
#            hidden state after each text's last token.  The LSTM runs over the padded batch
#            and that state is picked out: what pack_padded_sequence gives (the padding comes
#            after the last token, so it cannot change that state), but 2 to 7 times faster
#            in torch 1.13 on the CPU, whose backward pass through a PackedSequence
#            zero-fills and adds a whole-batch gradient at every time step (--packed runs it
#            that way).  Texts of about the same length in a batch keep the padding small.
#   textcnn: Embedding(dim) -> Conv1d(dim, filters, w) for each width -> ReLU -> max over
#            time -> concatenation -> Dropout -> Linear.
# Adam, cross-entropy.  As Wordloom does, a seeded --valid-fraction of the train file is held
# out and scored after every epoch; training stops after --patience epochs without a better
# validation accuracy (at most --epochs), and the best epoch's weights (its state_dict, as
# PyTorch's tutorials keep them) are tested.  --patience 0 trains every epoch and tests the
# last.  --device cuda runs the model, its batches and the optimiser on the GPU (cuDNN's LSTM
# and convolutions, as PyTorch's documentation recommends: torch.backends.cudnn.benchmark
# on); each pass's time then ends with a torch.cuda.synchronize(), so it counts the GPU's work.
#
# Prints one JSON object: accuracy, macro_f1, n, and its own timings in seconds: train_s
# (read the train file, tokenise, build the vocabulary, train),
# loop_s (the training passes alone, validation left out), predict_s (read the test file, tokenise, predict);
# train_tokens (the non-padding tokens of the training texts, after truncation, times the
# epochs run), epochs_run, best_epoch and tokens_per_s = train_tokens / loop_s.  Interpreter start-up and the import of
# torch are not in them.

import argparse
import copy
import csv
import json
import os
import random
import re
import sys
import time

sys.dont_write_bytecode = True  # keep tests/bench/ free of __pycache__

# Debian's torch runs its own OpenMP threads beside OpenBLAS's.  With OpenMP's default, idle
# workers spin: as fast on a quiet 2-core machine, but as soon as another job wanted the
# cores a 2-thread run was 5 to 50 times slower than with sleeping workers.  Set
# OMP_WAIT_POLICY to see the default.  (libgomp reads it when torch is imported.)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence  # noqa: E402

from bench_data import CJK_RUN  # noqa: E402
from bench_tools import classification_scores  # noqa: E402

PAD, UNKNOWN = 0, 1
BUCKET_BATCHES = 32
PREDICT_BATCH = 256
WORDS = re.compile(r"\w+|[^\w\s]")


def parse_args():
    parser = argparse.ArgumentParser(description="PyTorch LSTM / TextCNN text classifier.")
    parser.add_argument("--model", choices=("lstm", "textcnn"), required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-length", type=int, default=400)
    parser.add_argument("--epochs", type=int, default=50, help="most epochs")
    parser.add_argument("--patience", type=int, default=3,
                        help="epochs without a better validation accuracy before stopping")
    parser.add_argument("--valid-fraction", type=float, default=0.1,
                        help="part of the train file held out for validation")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--hidden", type=int, default=64, help="lstm state size")
    parser.add_argument("--filter-widths", default="3,4,5", help="textcnn filter widths")
    parser.add_argument("--filters", type=int, default=100, help="textcnn filters per width")
    parser.add_argument("--dropout", type=float,
                        help="dropout before the output layer (default: lstm 0, textcnn 0.5)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--cjk-chars", action="store_true",
                        help="make every CJK character a token (for raw CJK text)")
    parser.add_argument("--packed", action="store_true",
                        help="lstm: run on a PackedSequence (same result, slower)")
    parser.add_argument("--device", default="cpu", help="cpu, or cuda for PyTorch's GPU path")
    parser.add_argument("train")
    parser.add_argument("test")
    args = parser.parse_args()
    args.widths = [int(w) for w in args.filter_widths.split(",")]
    if args.dropout is None:
        args.dropout = 0.5 if args.model == "textcnn" else 0.0
    return args


def tokenize(text, cjk_chars):
    text = text.lower()
    if cjk_chars:
        text = CJK_RUN.sub(lambda m: " %s " % " ".join(m.group(0)), text)
    return WORDS.findall(text)


def read_rows(path, args):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        labels, docs = [], []
        for label, text in reader:
            labels.append(label)
            docs.append(tokenize(text, args.cjk_chars))
    return labels, docs


def to_ids(docs, vocab, max_length):
    """Every text as a list of ids, cut to max_length; an empty text is one unknown word."""
    return [[vocab.get(token, UNKNOWN) for token in doc[:max_length]] or [UNKNOWN]
            for doc in docs]


def pad(seqs, min_length=1):
    """seqs as a padded n × T tensor (T = the longest, at least min_length) and their lengths."""
    lengths = [len(s) for s in seqs]
    ids = torch.full((len(seqs), max(max(lengths), min_length)), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s, dtype=torch.long)
    return ids, torch.tensor(lengths, dtype=torch.long)


def plan_epoch(lengths, batch_size, rng):
    """Batches of indices: shuffled, sorted by length (longest first) within windows of
    BUCKET_BATCHES batches, the batches themselves shuffled."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch_size * BUCKET_BATCHES
    batches = []
    for w in range(0, len(order), window):
        part = sorted(order[w:w + window], key=lambda i: -lengths[i])
        batches.extend(part[j:j + batch_size] for j in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


class Lstm(nn.Module):
    def __init__(self, n_words, n_labels, args):
        super().__init__()
        self.embedding = nn.Embedding(n_words, args.dim, padding_idx=PAD)
        self.lstm = nn.LSTM(args.dim, args.hidden, batch_first=True)
        self.dropout = nn.Dropout(args.dropout)
        self.output = nn.Linear(args.hidden, n_labels)
        self.packed = args.packed
        self.min_length = 1

    def forward(self, ids, lengths):
        x = self.embedding(ids)
        if self.packed:
            _, (hidden, _) = self.lstm(pack_padded_sequence(x, lengths, batch_first=True,
                                                            enforce_sorted=False))
            last = hidden[-1]
        else:
            states, _ = self.lstm(x)
            last = states[torch.arange(len(lengths), device=states.device), lengths - 1]
        return self.output(self.dropout(last))


class TextCnn(nn.Module):
    def __init__(self, n_words, n_labels, args):
        super().__init__()
        self.embedding = nn.Embedding(n_words, args.dim, padding_idx=PAD)
        self.convs = nn.ModuleList(nn.Conv1d(args.dim, args.filters, w) for w in args.widths)
        self.dropout = nn.Dropout(args.dropout)
        self.output = nn.Linear(args.filters * len(args.widths), n_labels)
        self.min_length = max(args.widths)

    def forward(self, ids, lengths):
        x = self.embedding(ids).transpose(1, 2)  # n × dim × T
        pooled = [torch.relu(conv(x)).max(dim=2).values for conv in self.convs]
        return self.output(self.dropout(torch.cat(pooled, dim=1)))


def train_epoch(model, optimizer, seqs, targets, args, rng):
    """One pass over the training texts; returns its seconds."""
    loss_fn = nn.CrossEntropyLoss()
    lengths = [len(s) for s in seqs]
    model.train()
    start = time.perf_counter()
    for batch in plan_epoch(lengths, args.batch_size, rng):
        ids, batch_lengths = pad([seqs[i] for i in batch], model.min_length)
        optimizer.zero_grad()
        loss = loss_fn(model(ids.to(args.device), batch_lengths.to(args.device)),
                       targets[batch].to(args.device))
        loss.backward()
        optimizer.step()
    if args.device.startswith("cuda"):
        torch.cuda.synchronize()
    return time.perf_counter() - start


def train(model, seqs, targets, valid_seqs, valid_targets, args):
    """Epochs until early stopping; leaves the best epoch's weights in model.  Returns the
    seconds of the training passes, the epochs run and the best epoch (1-based)."""
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    rng = random.Random(args.seed)
    loop_s, best_epoch, best_accuracy, best_state = 0.0, 0, -1.0, None
    for epoch in range(1, args.epochs + 1):
        loop_s += train_epoch(model, optimizer, seqs, targets, args, rng)
        if not valid_seqs:
            best_epoch = epoch
            continue
        accuracy = sum(p == t for p, t in zip(predict(model, valid_seqs), valid_targets)) \
            / len(valid_seqs)
        if accuracy > best_accuracy:
            best_epoch, best_accuracy = epoch, accuracy
            best_state = copy.deepcopy(model.state_dict())
        elif args.patience > 0 and epoch - best_epoch >= args.patience:
            break
    if best_state is not None and args.patience > 0:
        model.load_state_dict(best_state)
    else:
        best_epoch = epoch
    return loop_s, epoch, best_epoch


def split_valid(n, fraction, seed):
    """A seeded random fraction of n indices for validation, and the rest."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    n_valid = round(n * fraction)
    return order[n_valid:], order[:n_valid]


def predict(model, seqs):
    """The label id of every text, in batches of texts of about the same length."""
    model.eval()
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    predicted = [None] * len(seqs)
    with torch.no_grad():
        for b in range(0, len(order), PREDICT_BATCH):
            batch = order[b:b + PREDICT_BATCH]
            ids, lengths = pad([seqs[i] for i in batch], model.min_length)
            device = next(model.parameters()).device
            scores = model(ids.to(device), lengths.to(device))
            for i, label in zip(batch, scores.argmax(dim=1).tolist()):
                predicted[i] = label
    return predicted


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    start = time.perf_counter()
    train_labels, train_docs = read_rows(args.train, args)
    label_names = sorted(set(train_labels))
    label_ids = {label: i for i, label in enumerate(label_names)}
    fit, valid = split_valid(len(train_docs), args.valid_fraction, args.seed)
    vocab = {}
    for i in fit:
        for token in train_docs[i]:
            vocab.setdefault(token, len(vocab) + 2)
    seqs = to_ids(train_docs, vocab, args.max_length)
    targets = torch.tensor([label_ids[train_labels[i]] for i in fit], dtype=torch.long)
    if args.device.startswith("cuda"):
        torch.backends.cudnn.benchmark = True
    model = (Lstm if args.model == "lstm" else TextCnn)(len(vocab) + 2, len(label_names), args)
    model.to(args.device)
    loop_s, epochs_run, best_epoch = train(
        model, [seqs[i] for i in fit], targets, [seqs[i] for i in valid],
        [label_ids[train_labels[i]] for i in valid], args)
    train_s = time.perf_counter() - start

    start = time.perf_counter()
    test_labels, test_docs = read_rows(args.test, args)
    predicted = [label_names[i] for i in predict(model, to_ids(test_docs, vocab, args.max_length))]
    predict_s = time.perf_counter() - start

    accuracy, macro_f1 = classification_scores(test_labels, predicted)
    epoch_tokens = sum(min(len(train_docs[i]), args.max_length) for i in fit)
    settings = {k: v for k, v in vars(args).items() if k not in ("train", "test", "widths")}
    json.dump({
        "accuracy": accuracy,
        "macro_f1": macro_f1,
        "n": len(test_labels),
        "n_train": len(fit),
        "n_valid": len(valid),
        "epochs_run": epochs_run,
        "best_epoch": best_epoch,
        "train_s": train_s,
        "loop_s": loop_s,
        "predict_s": predict_s,
        "epoch_tokens": epoch_tokens,
        "train_tokens": epoch_tokens * epochs_run,
        "tokens_per_s": epoch_tokens * epochs_run / loop_s,
        "vocabulary": len(vocab),
        "parameters": sum(p.numel() for p in model.parameters()),
        "threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ["OMP_WAIT_POLICY"],
        "torch_version": torch.__version__,
        "settings": settings,
    }, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
