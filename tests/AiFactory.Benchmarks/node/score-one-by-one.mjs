// The Node.js peer of the edge's batcher: one message scored at a time through onnxruntime-node,
// awaiting each session.run before the next message, as a Node-RED flow's ONNX node does.
// Usage: node score-one-by-one.mjs <onnxruntime-node dir> <model.onnx> <input name> <row width> <seconds> <intra-op threads>
// Prints one JSON object: throughput (messages/s), p50/p99 latency (µs), messages.
import { createRequire } from 'node:module';

const [ortDir, modelPath, inputName, widthText, secondsText, threadsText] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const ort = require(ortDir);
const width = Number(widthText);
const seconds = Number(secondsText);

const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: Number(threadsText ?? '1'), interOpNumThreads: 1, graphOptimizationLevel: 'all' });
const data = new Float32Array(width);
let seed = 12345;
const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };

const warmupEnd = performance.now() + 1000;
while (performance.now() < warmupEnd) {
  for (let i = 0; i < width; i++) data[i] = next();
  await session.run({ [inputName]: new ort.Tensor('float32', data, [1, width]) });
}

const latencies = [];
const start = performance.now();
const end = start + seconds * 1000;
while (performance.now() < end) {
  for (let i = 0; i < width; i++) data[i] = next();
  const t0 = performance.now();
  await session.run({ [inputName]: new ort.Tensor('float32', data, [1, width]) });
  latencies.push((performance.now() - t0) * 1000);
}
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(JSON.stringify({ runtime: 'onnxruntime-node ' + (ort.env?.versions?.common ?? '1.30.0'), messages: latencies.length, throughput: latencies.length / elapsed, p50_us: pct(0.5), p99_us: pct(0.99) }));
