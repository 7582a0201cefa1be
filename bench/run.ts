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

/**
 * Training throughput on one MLP (64 -> 96 -> 32 -> 10, 2,048 samples, batch 32, adam): the loop of
 * `nnc train` (src/train, running the generated buildModel/compileModel) and the generated module's
 * own `train()` (model.fit), each against a hand-written tfjs loop (optimizer.minimize on gathered
 * batches, reading the loss every batch) on the same backend; then the wasm and cpu backends.
 * Runs alternate, are timed in CPU time, and the ratio is the median of adjacent pairs, which
 * holds up on a busy machine.
 */
async function trainingSpeed(): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const { selectBackend } = await import('../src/cli/backend.js');
  const { loadGeneratedModule } = await import('../src/cli/load-generated.js');
  const { fit } = await import('../src/train/loop/fit.js');
  const { Random } = await import('../src/reference/random.js');
  const source = `model MLP {
  input x: [64]
  output y = x -> dense(96, relu) -> dense(32, relu) -> dense(10, softmax)
  train { loss = categorical_crossentropy optimizer = adam(learning_rate=0.001) batch_size = 32 seed = 1 }
}`;
  const result = await compile(source, { format: 'js' });
  const ir = result.ir!.models[0]!;
  const generated = await loadGeneratedModule(result.code!);
  const n = 2048;
  const epochs = 2;
  const random = new Random(5);
  const x = Float32Array.from({ length: n * 64 }, () => random.normal());
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + Math.floor(random.uniform() * 10)] = 1;
  const data = { size: n, inputs: [{ shape: [64], dtype: 'float32' as const, data: x }], targets: [{ shape: [10], dtype: 'float32' as const, data: y }] };
  const samplesPerSecond = (ms: number) => ((n * epochs) / ms) * 1000;
  // CPU time of this process: the backends compute on this one thread, and other load on the
  // machine then slows the clock less than it skews wall time.
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };

  const nncTrain = async () => {
    const model = generated.compileModel(generated.buildModel({ seed: 1 }));
    const start = cpuMs();
    await fit(tf, model, ir, { train: data, validation: null }, { epochs, batchSize: 32, shuffle: true, seed: 1, earlyStopping: null });
    const ms = cpuMs() - start;
    model.dispose();
    return samplesPerSecond(ms);
  };
  const generatedTrain = async () => {
    const model = generated.buildModel({ seed: 1 });
    const xs = tf.tensor2d(x, [n, 64]);
    const ys = tf.tensor2d(y, [n, 10]);
    const start = cpuMs();
    await generated.train(model, { inputs: { x: xs }, outputs: { y: ys } }, { epochs, verbose: 0 });
    const ms = cpuMs() - start;
    tf.dispose([xs, ys]);
    model.dispose();
    return samplesPerSecond(ms);
  };
  const handWritten = async () => {
    const model = generated.buildModel({ seed: 1 });
    const optimizer = tf.train.adam(0.001);
    const xs = tf.tensor2d(x, [n, 64]);
    const ys = tf.tensor2d(y, [n, 10]);
    const variables = model.trainableWeights.map((w) => w.read() as import('@tensorflow/tfjs').Variable);
    const start = cpuMs();
    for (let e = 0; e < epochs; e++) {
      const order = tf.util.createShuffledIndices(n);
      for (let from = 0; from < n; from += 32) {
        const indices = tf.tensor1d(Int32Array.from(order.subarray(from, Math.min(from + 32, n))), 'int32');
        const xb = tf.gather(xs, indices);
        const yb = tf.gather(ys, indices);
        const loss = optimizer.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(yb, model.apply(xb, { training: true }) as import('@tensorflow/tfjs').Tensor)) as import('@tensorflow/tfjs').Scalar, true, variables)!;
        await loss.data();
        tf.dispose([indices, xb, yb, loss]);
      }
    }
    const ms = cpuMs() - start;
    tf.dispose([xs, ys]);
    optimizer.dispose();
    model.dispose();
    return samplesPerSecond(ms);
  };

  console.log(`\ntraining throughput: MLP 64-96-32-10 (${formatParams(ir)} params), ${n} samples, batch 32, adam; median of 7 alternating runs, CPU time`);
  console.log('backend   nnc train    generated train()    hand-written loop    nnc/hand    generated/hand');
  const speeds: Record<string, number> = {};
  for (const backend of ['wasm', 'cpu'] as const) {
    await selectBackend(tf, backend);
    await nncTrain();
    await handWritten();
    await generatedTrain();
    const ours: number[] = [];
    const fits: number[] = [];
    const hand: number[] = [];
    for (let i = 0; i < 7; i++) {
      // Alternating the order spreads any drift in the machine's load over all three.
      const runs = i % 2 === 0 ? [nncTrain, generatedTrain, handWritten] : [handWritten, generatedTrain, nncTrain];
      const results = new Map<unknown, number>();
      for (const run of runs) results.set(run, await run());
      ours.push(results.get(nncTrain)!);
      fits.push(results.get(generatedTrain)!);
      hand.push(results.get(handWritten)!);
    }
    const ratio = (a: number[]) => median(a.map((v, i) => v / hand[i]!));
    speeds[backend] = median(ours);
    const cell = (v: number) => `${Math.round(v).toLocaleString('en-US')} /s`.padStart(12);
    console.log(`${backend.padEnd(7)} ${cell(median(ours))}   ${cell(median(fits))}         ${cell(median(hand))}         ${ratio(ours).toFixed(2).padStart(5)}       ${ratio(fits).toFixed(2).padStart(5)}`);
  }
  console.log(`nnc train, wasm against cpu: ${(speeds.wasm! / speeds.cpu!).toFixed(1)}× the samples per second`);
}

function formatParams(ir: import('../src/ir/ir.js').IRModel): string {
  return ir.layers.reduce((n, l) => n + l.paramCount, 0).toLocaleString('en-US');
}

await trainingSpeed();

await (await import('./training.js')).trainingBench();
