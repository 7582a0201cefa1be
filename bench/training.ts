/**
 * Training throughput, `npm run bench`: three models (the MLP 784-256-128-10, a CNN for 28×28×1
 * images, an embedding model), each trained on the wasm and cpu backends by
 *   - nnc train's loop (src/train/loop/fit.ts on the generated buildModel/compileModel),
 *   - the generated module's own train() (tfjs-layers' model.fit),
 *   - a hand-written tfjs loop (optimizer.minimize on gathered batches, reading the loss every batch),
 * and by PyTorch on one CPU thread (bench/torch-baseline.py, when /usr/bin/python3 imports torch).
 * Adam, batch 64, random data; then bench/kernels.ts, nnc's kernels on their own. Runs alternate in order and are timed in CPU time of their
 * process; ratios are medians of the ratios within a round, which hold up on a busy machine.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { compile } from '../src/compile.js';
import { kernelBench } from './kernels.js';
import { cpuMs, median } from './timing.js';
import type { IRModel } from '../src/ir/ir.js';
import type { Dataset } from '../src/train/data/dataset.js';

const BATCH = 64;

interface BenchModel {
  name: string;
  torch: string;
  source: string;
  /** Samples per timed run, per backend: about half a second of training each on a quiet machine. */
  samples: Record<'wasm' | 'cpu', number>;
  flopsPerSample: number;
}

const train = `train { loss = categorical_crossentropy optimizer = adam(learning_rate=0.001) batch_size = ${BATCH} seed = 1 }`;

// FLOPs per sample of one step (forward and backward, about 3× the forward multiply-adds · 2), for GFLOP/s.
const models: BenchModel[] = [
  {
    name: 'MLP 784-256-128-10',
    torch: 'mlp',
    source: `model MLP {\n  input x: [784]\n  output y = x -> dense(256, relu) -> dense(128, relu) -> dense(10, softmax)\n  ${train}\n}\n`,
    samples: { wasm: 2048, cpu: 256 },
    flopsPerSample: 3 * 2 * (784 * 256 + 256 * 128 + 128 * 10),
  },
  {
    name: 'CNN 28x28x1 conv32-pool-conv64-pool-128-10',
    torch: 'cnn',
    source: `model CNN {\n  input image: [28, 28, 1]\n  output digit = image -> conv2d(32, 3, activation=relu) -> max_pool2d(2) -> conv2d(64, 3, activation=relu) -> max_pool2d(2) -> flatten -> dense(128, relu) -> dense(10, softmax)\n  ${train}\n}\n`,
    samples: { wasm: 256, cpu: 64 },
    // The first convolution's input gradient is never needed: 2 passes there, 3 elsewhere.
    flopsPerSample: 2 * (2 * 26 * 26 * 32 * 9) + 3 * 2 * (11 * 11 * 64 * 288 + 1600 * 128 + 128 * 10),
  },
  {
    name: 'Embedding 32 ids of 10,000 -> 64, dense 64, 2',
    torch: 'embedding',
    source: `model Embedding {\n  input ids: int32[32]\n  output label = ids -> embedding(10000, 64) -> flatten -> dense(64, relu) -> dense(2, softmax)\n  ${train}\n}\n`,
    samples: { wasm: 2048, cpu: 512 },
    flopsPerSample: 3 * 2 * (2048 * 64 + 64 * 2),
  },
];


function syntheticData(ir: IRModel, n: number): Dataset {
  let state = 12345;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const input = ir.inputs[0]!;
  const perSample = (input.type.shape as number[]).reduce((a, b) => a * b, 1);
  const classes = ir.outputs[0]!.type.shape[0] as number;
  const x = input.type.dtype === 'int32' ? Int32Array.from({ length: n * perSample }, () => Math.floor(next() * 10_000)) : Float32Array.from({ length: n * perSample }, () => next() * 2 - 1);
  const y = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) y[i * classes + Math.floor(next() * classes)] = 1;
  return { size: n, inputs: [{ shape: input.type.shape as number[], dtype: input.type.dtype, data: x }], targets: [{ shape: [classes], dtype: 'float32', data: y }] };
}

/** PyTorch in a child process that stays up, so that its runs interleave with these. */
class Torch {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
    readonly version: string,
  ) {}

  static async start(): Promise<Torch | string> {
    const child = spawn('/usr/bin/python3', [join(import.meta.dirname, 'torch-baseline.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const failed = new Promise<string>((resolve) => child.on('error', (e) => resolve(e.message)).on('exit', () => resolve(stderr.trim().split('\n').at(-1) ?? 'exited')));
    const first = await Promise.race([lines.next().then((r) => (r.done ? undefined : r.value)), failed]);
    if (!first?.startsWith('{')) {
      child.kill();
      return `not measured: /usr/bin/python3 cannot run bench/torch-baseline.py (${first ?? 'no output'}); install python3-torch`;
    }
    const ready = JSON.parse(first) as { torch: string; threads: number; blas: string };
    // The reference BLAS makes PyTorch's dense layers several times slower than it is elsewhere: say so beside the numbers.
    const slow = ready.blas === 'reference BLAS' ? ' (slow: install libopenblas0-pthread for the BLAS PyTorch usually has)' : '';
    return new Torch(child, lines, `PyTorch ${ready.torch}, ${ready.threads} thread, ${ready.blas}${slow}`);
  }

  async run(model: string, samples: number): Promise<number> {
    this.child.stdin.write(`${model} ${BATCH} ${Math.max(1, Math.round(samples / BATCH))}\n`);
    const line = await this.lines.next();
    return (JSON.parse(line.value as string) as { samples_per_second: number }).samples_per_second;
  }

  stop(): void {
    this.child.stdin.end();
  }
}

export async function trainingBench(): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const { selectBackend } = await import('../src/cli/backend.js');
  const { loadGeneratedModule } = await import('../src/cli/load-generated.js');
  const { fit } = await import('../src/train/loop/fit.js');
  const torch = await Torch.start();
  console.log(`\ntraining throughput, samples/s (batch ${BATCH}, adam, CPU time, median of 5 alternating rounds); PyTorch: ${typeof torch === 'string' ? torch : torch.version}`);
  console.log('model / backend                                   nnc train   generated train()   hand-written   PyTorch    nnc/hand  gen/hand  nnc/PyTorch   nnc GFLOP/s');
  for (const bench of models) {
    const result = await compile(bench.source, { format: 'js' });
    const ir = result.ir!.models[0]!;
    const generated = await loadGeneratedModule(result.code!);
    for (const backend of ['wasm', 'cpu'] as const) {
      await selectBackend(tf, backend);
      const n = bench.samples[backend];
      const data = syntheticData(ir, n);
      const perSecond = (ms: number) => (n / ms) * 1000;
      const tensors = () => [tf.tensor(data.inputs[0]!.data, [n, ...data.inputs[0]!.shape], data.inputs[0]!.dtype), tf.tensor(data.targets[0]!.data, [n, ...data.targets[0]!.shape])] as const;
      const runners = {
        nnc: async () => {
          const model = generated.compileModel(generated.buildModel({ seed: 1 }));
          const start = cpuMs();
          await fit(tf, model, ir, { train: data, validation: null }, { epochs: 1, batchSize: BATCH, shuffle: true, seed: 1, earlyStopping: null });
          const ms = cpuMs() - start;
          model.dispose();
          return perSecond(ms);
        },
        generated: async () => {
          const model = generated.buildModel({ seed: 1 });
          const [xs, ys] = tensors();
          const start = cpuMs();
          await generated.train(model, { inputs: { [ir.inputs[0]!.name]: xs }, outputs: { [ir.outputs[0]!.name]: ys } }, { epochs: 1, verbose: 0 });
          const ms = cpuMs() - start;
          tf.dispose([xs, ys]);
          model.dispose();
          return perSecond(ms);
        },
        hand: async () => perSecond(await handWritten(tf, generated.buildModel({ seed: 1 }), ...tensors())),
        torch: async () => (typeof torch === 'string' ? NaN : torch.run(bench.torch, n)),
      };
      type Name = keyof typeof runners;
      const names = Object.keys(runners) as Name[];
      for (const name of names) await runners[name]();
      const speeds: Record<Name, number[]> = { nnc: [], generated: [], hand: [], torch: [] };
      for (let round = 0; round < 5; round++) {
        for (const name of round % 2 === 0 ? names : [...names].reverse()) speeds[name].push(await runners[name]());
      }
      const ratio = (a: Name, b: Name) => median(speeds[a].map((v, i) => v / speeds[b][i]!));
      const cell = (v: number, width: number) => (Number.isNaN(v) ? '—' : Math.round(v).toLocaleString('en-US')).padStart(width);
      const x = (v: number) => (Number.isNaN(v) ? '—' : `${v.toFixed(2)}×`).padStart(9);
      console.log(
        `${`${bench.name}, ${backend}`.padEnd(48)} ${cell(median(speeds.nnc), 10)} ${cell(median(speeds.generated), 19)} ${cell(median(speeds.hand), 14)} ${cell(median(speeds.torch), 9)}` +
          ` ${x(ratio('nnc', 'hand'))} ${x(ratio('generated', 'hand'))} ${x(ratio('nnc', 'torch')).padStart(12)} ${((median(speeds.nnc) * bench.flopsPerSample) / 1e9).toFixed(2).padStart(13)}`,
      );
    }
  }
  if (typeof torch !== 'string') torch.stop();
  await kernelBench();
}

/** The loop one writes by hand: shuffled batches gathered on the backend, optimizer.minimize, the loss read every batch. Returns CPU ms. */
async function handWritten(tf: typeof TF, model: TF.LayersModel, xs: TF.Tensor, ys: TF.Tensor): Promise<number> {
  const optimizer = tf.train.adam(0.001);
  const n = xs.shape[0]!;
  const variables = model.trainableWeights.map((w) => w.read() as TF.Variable);
  const start = cpuMs();
  const order = tf.util.createShuffledIndices(n);
  for (let from = 0; from < n; from += BATCH) {
    const indices = tf.tensor1d(Int32Array.from(order.subarray(from, Math.min(from + BATCH, n))), 'int32');
    const xb = tf.gather(xs, indices);
    const yb = tf.gather(ys, indices);
    const loss = optimizer.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(yb, model.apply(xb, { training: true }) as TF.Tensor)) as TF.Scalar, true, variables)!;
    await loss.data();
    tf.dispose([indices, xb, yb, loss]);
  }
  const ms = cpuMs() - start;
  tf.dispose([xs, ys]);
  optimizer.dispose();
  model.dispose();
  return ms;
}

if (process.argv[1] === import.meta.filename) await trainingBench();
