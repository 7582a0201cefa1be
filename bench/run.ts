/**
 * `npm run bench`: numbers, not assertions (tests never time anything). Each section prints its
 * own table; on a busy machine compare numbers measured in one run, not across runs.
 */
import { compileSpeed } from './compile-speed.js';
import { memory, startup } from './process-costs.js';
import { referenceSpeed } from './reference-speed.js';

console.log(`node ${process.version}, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
await compileSpeed();
await startup();
memory();
await (await import('./onnx.js')).onnxSpeed();
await (await import('./service.js')).serviceSpeed();
await referenceSpeed();
// The playground in headless Chromium: build size against its budget, first render, keystroke to diagnostics.
await (await import('./playground.js')).playgroundBench();
// Training throughput (the MLP, CNN and embedding model against a hand-written loop and PyTorch), then nnc's tfjs kernels.
await (await import('./training.js')).trainingBench();
