// SPDX-License-Identifier: GPL-3.0-or-later
// run-onnx.js MODEL.onnx IDS.jsonl [LEVEL]: runs an exported model with
// onnxruntime on the ids of `wordloom-cli tokenize` (one {"ids": [...],
// "length": N} per line), in padded batches, and prints one JSON array of
// probabilities per line, in input order.  LEVEL is onnxruntime's graph
// optimisation level (default "all", its own default; "basic" leaves out
// the fusions that change the arithmetic, such as turning
// DequantizeLinear + MatMul into a product on dynamically quantised
// activations).
'use strict';

const fs = require('fs');
const ort = require('onnxruntime-node');

const BATCH = 16;

async function main() {
  const [modelPath, idsPath, level = 'all'] = process.argv.slice(2);
  const rows = fs.readFileSync(idsPath, 'utf8').split('\n').filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));
  const session = await ort.InferenceSession.create(modelPath, { graphOptimizationLevel: level });
  const out = [];

  for (let begin = 0; begin < rows.length; begin += BATCH) {
    const batch = rows.slice(begin, begin + BATCH);
    const width = Math.max(1, ...batch.map((r) => r.ids.length));
    const ids = new BigInt64Array(batch.length * width);  // padding: 0
    const lengths = new BigInt64Array(batch.length);

    batch.forEach((r, b) => {
      r.ids.forEach((id, t) => { ids[b * width + t] = BigInt(id); });
      lengths[b] = BigInt(r.length);
    });
    const result = await session.run({
      ids: new ort.Tensor('int64', ids, [batch.length, width]),
      lengths: new ort.Tensor('int64', lengths, [batch.length]),
    });
    const probs = result.probabilities;
    const k = probs.dims[1];
    for (let b = 0; b < batch.length; b++)
      out.push(JSON.stringify(Array.from(probs.data.slice(b * k, (b + 1) * k))));
  }
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
