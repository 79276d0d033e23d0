#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run-gpu.sh: Wordloom's OpenCL backend on a real GPU, against the same machine's CPU and
# PyTorch with CUDA.  Runs from an unpacked bundle (tests/device/bundle.sh) on a foreign
# x86-64 Linux; finishes in about 5 minutes on one H100 (each step has its own time limit).
#
#   ./run-gpu.sh [EPOCHS]        (default 3)
#
# Steps: OpenCL platforms and devices; backend conformance and gradient tests on every
# device; SGEMM GFLOP/s against the H100's 67 TFLOP/s FP32 peak; mlp, textcnn and lstm
# trained on data/ (one seeded 80/20 split written here) on the GPU, on the CPU with all
# its cores, and (textcnn, lstm) in PyTorch with CUDA, with tokens/s and accuracy; and,
# while the GPU trains the lstm, the resource monitor's GPU counters (NVML, as the
# Resources page reads them) beside nvidia-smi's.  Everything also goes to $OUT (or ./out).
set -u
cd "$(dirname "$0")" || exit 1
. ./env.sh
epochs=${1:-3}
out=${OUT:-$PWD/out}
mkdir -p "$out"
exec > >(tee "$out/run-gpu.log") 2>&1
cores=$(nproc)
say () { printf '\n== %s\n' "$*"; }

say "machine"
uname -srm; nproc; nvidia-smi -L 2>/dev/null || echo "no nvidia-smi"
echo "OCL_ICD_VENDORS=$OCL_ICD_VENDORS:"; cat "$OCL_ICD_VENDORS"/*.icd 2>/dev/null

say "devices"
timeout 60 wordloom-cli devices || echo "devices failed: $?"
gpu=$(timeout 60 wordloom-cli devices --json | python3 -c '
import json, sys
devices = json.load(sys.stdin)["devices"]
print(next((d["id"] for d in devices if d["kind"] == "gpu"), ""))')
echo "GPU device: ${gpu:-none}"

say "conformance (every op on every device) and gradients"
timeout 150 test-backend-ops 2>&1 | tail -n 25; echo "test-backend-ops: exit $?"
timeout 90 test-backend-gradients 2>&1 | tail -n 8; echo "test-backend-gradients: exit $?"

say "SGEMM GFLOP/s (H100 FP32 peak: 67,000)"
timeout 90 bench-gemm 1024 2048 4096 8192 || echo "bench-gemm: exit $?"

say "split"
python3 - data/* "$out" <<'PY'
import csv, random, sys
src, out = sys.argv[1], sys.argv[2]
delim = "\t" if src.endswith(".tsv") else ","
with open(src, encoding="utf-8", errors="replace", newline="") as f:
    reader = csv.reader(f, delimiter=delim, quoting=csv.QUOTE_NONE if delim == "\t" else csv.QUOTE_MINIMAL)
    next(reader)
    rows = [(r[0], r[-1]) for r in reader if len(r) >= 2]
rng = random.Random(42)
by_label = {}
for r in rows:
    by_label.setdefault(r[0], []).append(r)
train, test = [], []
for label in sorted(by_label):
    part = by_label[label]
    rng.shuffle(part)
    cut = round(len(part) * 0.2)
    test += part[:cut]
    train += part[cut:]
for name, part in (("train.csv", train), ("test.csv", test)):
    with open(f"{out}/{name}", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(("label", "text"))
        w.writerows(part)
print(f"{src}: {len(train)} train, {len(test)} test rows")
PY

summarise () {  # $1: JSON events of a train run
  python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
epochs = [l for l in lines if l.get("event") == "epoch"]
summary = lines[-1] if lines and lines[-1].get("event") == "summary" else {}
tps = sorted(e.get("tokens_per_s", 0) for e in epochs)
test = summary.get("test", {})
print("tokens/s %.0f (median of %d epochs), test accuracy %.4f, train %.1f s" % (
    tps[len(tps) // 2] if tps else 0, len(epochs), test.get("accuracy", float("nan")),
    summary.get("stage_seconds", {}).get("train", float("nan"))))' "$1"
}

train_one () {  # $1 model, $2 device, $3 threads
  timeout 240 wordloom-cli train --input "$out/train.csv" --test "$out/test.csv" --model "$1" \
    --device "$2" --threads "$3" --epochs "$epochs" --no-record --json \
    --output "$out/$1-$2.wlm" > "$out/$1-$2.jsonl" 2> "$out/$1-$2.err"
  status=$?
  printf '%-8s %-12s ' "$1" "$2"
  if [ $status -eq 0 ]; then summarise "$out/$1-$2.jsonl"; else echo "failed ($status): $(tail -n 2 "$out/$1-$2.err")"; fi
}

say "training: Wordloom on the GPU and on $cores CPU threads, PyTorch with CUDA ($epochs epochs)"
for model in mlp textcnn lstm; do
  if [ -n "$gpu" ]; then
    if [ "$model" = lstm ]; then
      bench-monitor 30 500 --gpus > "$out/monitor.txt" 2>&1 &
      mon=$!
      nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used,memory.total --format=csv -lms 500 \
        > "$out/nvidia-smi.csv" 2>&1 &
      smi=$!
    fi
    train_one "$model" "$gpu" "$cores"
    if [ "$model" = lstm ]; then
      kill "$mon" "$smi" 2>/dev/null
    fi
  fi
  train_one "$model" blas "$cores"
  if [ "$model" != mlp ]; then
    printf '%-8s %-12s ' "$model" "torch-cuda"
    timeout 240 python3 bench/peer_torch.py --model "$model" --device cuda --threads "$cores" \
      --epochs "$epochs" "$out/train.csv" "$out/test.csv" > "$out/$model-torch.json" 2>&1 &&
      python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("tokens/s %.0f, test accuracy %.4f, loop %.1f s, torch %s" % (r["tokens_per_s"], r["accuracy"], r["loop_s"], r["torch_version"]))' "$out/$model-torch.json" ||
      { echo "failed"; tail -n 3 "$out/$model-torch.json"; }
  fi
done

say "GPU counters while the lstm trained: Wordloom's monitor (NVML) and nvidia-smi"
grep '^gpu' "$out/monitor.txt" 2>/dev/null | head -n 20
head -n 20 "$out/nvidia-smi.csv" 2>/dev/null
say "done"
