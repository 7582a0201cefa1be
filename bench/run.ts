/**
 * `npm run bench`: numbers, not assertions (tests never time anything). Each section prints its
 * own table; on a busy machine compare numbers measured in one run, not across runs.
 */
import { compile } from '../src/compile.js';
import { compileSpeed } from './compile-speed.js';
import { memory, startup } from './process-costs.js';
import { referenceSpeed } from './reference-speed.js';
import { median } from './timing.js';

console.log(`node ${process.version}, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
await compileSpeed();
await startup();
memory();
await (await import('./onnx.js')).onnxSpeed();
await (await import('./service.js')).serviceSpeed();
await referenceSpeed();
await trainingSpeed();

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

