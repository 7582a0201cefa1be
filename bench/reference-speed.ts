/**
 * The float64 reference engine: throughput of its matmul (the hot loop of dense and conv2d) on
 * the shapes a gradient check multiplies, against the plain i-k-j loop, and the time of a
 * gradient check of a small MLP in each mode.
 */
import { check } from '../src/compile.js';
import { matmul } from '../src/reference/kernels/matmul.js';
import { checkGradients } from '../src/reference/gradcheck.js';
import { cpuMs, median, time } from './timing.js';

/** The loop the blocked kernel replaced: unit stride, no blocking. */
function plainLoop(a: Float64Array, b: Float64Array, m: number, k: number, n: number, c: Float64Array): void {
  c.fill(0);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p]!;
      for (let j = 0; j < n; j++) c[i * n + j]! += x * b[p * n + j]!;
    }
  }
}

function gflops(kernel: typeof plainLoop, m: number, k: number, n: number): { best: number; median: number } {
  const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i));
  const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i));
  const out = new Float64Array(m * n);
  const reps = Math.max(1, Math.round(1e8 / (2 * m * k * n)));
  kernel(a, b, m, k, n, out);
  const samples = Array.from({ length: 7 }, () => {
    const start = cpuMs();
    for (let r = 0; r < reps; r++) kernel(a, b, m, k, n, out);
    return (2 * m * k * n * reps) / (cpuMs() - start) / 1e6;
  });
  return { best: Math.max(...samples), median: median(samples) };
}

export async function referenceSpeed(): Promise<void> {
  console.log('\nreference engine (float64): matmul throughput in GFLOP/s of CPU time, median (best) of 7');
  console.log('shape (m·k·n)      blocked kernel       plain i-k-j loop');
  const blocked = (a: Float64Array, b: Float64Array, m: number, k: number, n: number, c: Float64Array) => void matmul(a, b, m, k, n, c);
  for (const [m, k, n] of [[512, 512, 512], [4, 784, 256], [784, 4, 256], [61, 67, 71]] as const) {
    const ours = gflops(blocked, m, k, n);
    const plain = gflops(plainLoop, m, k, n);
    const cell = (g: { best: number; median: number }) => `${g.median.toFixed(2)} (${g.best.toFixed(2)})`.padEnd(21);
    console.log(`${`${m}·${k}·${n}`.padEnd(19)}${cell(ours)}${cell(plain)}`);
  }

  const source = 'model MLP {\n  input x: [64]\n  output y = x -> dense(96, relu) -> dense(32, tanh) -> dense(10, softmax)\n  train { loss = categorical_crossentropy }\n}\n';
  const model = check(source).ir!.models[0]!;
  const params = model.layers.reduce((n, l) => n + l.paramCount, 0);
  for (const mode of ['full', 'sample', 'fast'] as const) {
    const runMs = await time(() => checkGradients(model, { mode }), mode === 'full' ? 1 : 5);
    console.log(`gradient check of a ${params.toLocaleString('en-US')}-parameter MLP, ${mode} mode (batch 4): ${runMs.toFixed(0)} ms`);
  }
}
