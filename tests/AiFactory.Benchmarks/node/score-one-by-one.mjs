// Node.js peer of the raw ONNX Runtime benchmark: scores one message at a time through onnxruntime-node,
// awaiting session.run per message as a Node-RED flow does, and prints one JSON object of figures.
//
// usage: node score-one-by-one.mjs --model PATH --ort-prefix DIR [--messages N] [--warmup N]
//   DIR is an npm prefix holding node_modules/onnxruntime-node (installed with --ignore-scripts, outside the repo).
import { createRequire } from 'node:module';
import path from 'node:path';

function parseArgs(argv) {
  const args = { messages: 20000, warmup: 500 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value after ${key}`);
    if (key === '--model') args.model = value;
    else if (key === '--ort-prefix') args.ortPrefix = value;
    else if (key === '--messages') args.messages = Number.parseInt(value, 10);
    else if (key === '--warmup') args.warmup = Number.parseInt(value, 10);
    else throw new Error(`unknown argument ${key}`);
  }
  if (!args.model) throw new Error('--model PATH is required');
  if (!args.ortPrefix) throw new Error('--ort-prefix DIR is required');
  if (!(args.messages > 0) || !(args.warmup >= 0)) throw new Error('--messages must be > 0 and --warmup >= 0');
  return args;
}

function percentile(sorted, p) {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const require = createRequire(path.join(path.resolve(args.ortPrefix), 'package.json'));
  const ort = require('onnxruntime-node');
  const version = require('onnxruntime-node/package.json').version;

  // Same settings as the .NET side: one intra-op and one inter-op thread, full graph optimisation, no spinning.
  const session = await ort.InferenceSession.create(args.model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  });
  const inputName = session.inputNames[0];
  const meta = session.inputMetadata?.[0];
  let features = 1;
  if (meta && Array.isArray(meta.shape)) {
    for (const dim of meta.shape.slice(1)) {
      if (typeof dim !== 'number' || dim <= 0) throw new Error(`input '${inputName}' has a non-static dimension ${dim}`);
      features *= dim;
    }
  } else {
    throw new Error(`cannot read the shape of input '${inputName}' from onnxruntime-node ${version}`);
  }

  // Each message carries a fresh payload, as a flow message would.
  const scoreOne = async (seed) => {
    const data = new Float32Array(features);
    for (let j = 0; j < features; j++) data[j] = ((seed * 31 + j * 17) % 97) / 97;
    const result = await session.run({ [inputName]: new ort.Tensor('float32', data, [1, features]) });
    return result;
  };

  for (let i = 0; i < args.warmup; i++) await scoreOne(i);

  const latenciesMs = new Float64Array(args.messages);
  const memoryBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  for (let i = 0; i < args.messages; i++) {
    const t0 = process.hrtime.bigint();
    await scoreOne(i);
    latenciesMs[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const sorted = Array.from(latenciesMs).sort((a, b) => a - b);
  await session.release();

  process.stdout.write(JSON.stringify({
    runtime: 'onnxruntime-node',
    version,
    node: process.version,
    model: path.resolve(args.model),
    features,
    messages: args.messages,
    seconds,
    messagesPerSecond: args.messages / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1],
    heapDeltaBytes: process.memoryUsage().heapUsed - memoryBefore,
  }) + '\n');
}

main().catch((error) => {
  process.stderr.write(`score-one-by-one: ${error.message}\n`);
  process.exit(1);
});
