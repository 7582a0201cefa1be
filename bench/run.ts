/** `npm run bench`: compile speed on synthetic models. Numbers, not assertions. */
import { check, compile } from '../src/compile.js';
import { syntheticModel } from './generate-model.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(fn: () => unknown | Promise<unknown>, runs: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function compileSpeed(): Promise<void> {
  console.log('compile speed (median of runs, after warm-up)');
  console.log('layers    parse+check    full compile (prettier included)    per layer');
  // Warm-up: JIT and the parser's first-use analysis.
  for (let i = 0; i < 3; i++) await compile(syntheticModel(200));
  for (const layers of [100, 1_000, 10_000]) {
    const source = syntheticModel(layers);
    const runs = layers >= 10_000 ? 5 : 10;
    const checked = check(source);
    if (!checked.ok) throw new Error(`synthetic model does not check: ${checked.diagnostics[0]?.message}`);
    const checkMs = await time(() => check(source), runs);
    const compileMs = await time(() => compile(source), runs);
    console.log(
      `${String(layers).padStart(6)}    ${checkMs.toFixed(1).padStart(8)} ms    ${compileMs.toFixed(1).padStart(12)} ms` +
        `                        ${((compileMs / layers) * 1000).toFixed(1)} µs`,
    );
  }
}

await compileSpeed();

async function referenceSpeed(): Promise<void> {
  const { matmul } = await import('../src/reference/kernels/matmul.js');
  const n = 512;
  const a = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i));
  const b = Float64Array.from({ length: n * n }, (_, i) => Math.cos(i));
  const out = new Float64Array(n * n);
  matmul(a, b, n, n, n, out);
  const ms = await time(() => matmul(a, b, n, n, n, out), 7);
  console.log(`\nreference engine (float64)\n512×512 matmul: ${ms.toFixed(1)} ms, ${((2 * n ** 3) / ms / 1e6).toFixed(2)} GFLOP/s`);

  const { check } = await import('../src/compile.js');
  const { checkGradients } = await import('../src/reference/gradcheck.js');
  const source = 'model MLP {\n  input x: [64]\n  output y = x -> dense(96, relu) -> dense(32, tanh) -> dense(10, softmax)\n  train { loss = categorical_crossentropy }\n}\n';
  const model = check(source).ir!.models[0]!;
  const params = model.layers.reduce((n, l) => n + l.paramCount, 0);
  for (const mode of ['full', 'sample', 'fast'] as const) {
    const runMs = await time(() => checkGradients(model, { mode }), mode === 'full' ? 1 : 5);
    console.log(`gradient check of a ${params.toLocaleString('en-US')}-parameter MLP, ${mode} mode (batch 4): ${runMs.toFixed(0)} ms`);
  }
}

await referenceSpeed();
