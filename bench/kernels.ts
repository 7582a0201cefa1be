/**
 * nnc's tfjs kernels (src/tfjs-kernels) against the backends' own, `npm run bench`: GFLOP/s on the
 * shapes of the bench CNN (batch 64 on wasm, 8 on cpu) and MLP, before (tfjs as it ships: "—" where it has no such
 * kernel) and after registration, and where one CNN training step spends its time on wasm.
 */
import type * as TF from '@tensorflow/tfjs';
import { isNncKernel, registerKernels } from '../src/tfjs-kernels/register.js';
import { median } from './timing.js';


interface Case {
  label: string;
  kernel: string;
  flops: number;
  inputs: Record<string, TF.Tensor>;
  attrs: object;
}

function cases(tf: typeof TF, batch: number): Case[] {
  const list: Case[] = [];
  for (const [size, channels, filters] of [[28, 1, 32], [13, 32, 64]] as const) {
    const out = size - 2;
    const x = tf.randomNormal([batch, size, size, channels]);
    const dy = tf.randomNormal([batch, out, out, filters]);
    const filter = tf.randomNormal([3, 3, channels, filters]);
    const flops = 2 * batch * out * out * filters * 9 * channels;
    const shape = `${batch}×${size}×${size}×${channels} ⊛ 3×3×${filters}`;
    list.push({ label: `Conv2DBackpropFilter ${shape}`, kernel: 'Conv2DBackpropFilter', flops, inputs: { x, dy }, attrs: { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, channels, filters] } });
    list.push({ label: `Conv2DBackpropInput ${shape}`, kernel: 'Conv2DBackpropInput', flops, inputs: { dy, filter }, attrs: { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', inputShape: [batch, size, size, channels] } });
    const pooled = Math.floor(out / 2);
    // What a pooling layer after a relu sees: a quarter to a half zeros.
    const activations = tf.relu(dy);
    list.push({
      label: `MaxPoolGrad ${batch}×${out}×${out}×${filters}, 2×2 (G elements/s)`,
      kernel: 'MaxPoolGrad',
      flops: batch * out * out * filters,
      inputs: { dy: tf.randomNormal([batch, pooled, pooled, filters]), input: activations, output: tf.maxPool(activations as TF.Tensor4D, 2, 2, 'valid') },
      attrs: { filterSize: 2, strides: 2, pad: 'valid' },
    });
  }
  for (const [m, k, n] of [[64, 784, 256], [784, 64, 256], [256, 64, 128]] as const) {
    list.push({ label: `BatchMatMul ${m}×${k}ᵀ·${k}×${n} (transposeA)`, kernel: 'BatchMatMul', flops: 2 * m * k * n, inputs: { a: tf.randomNormal([1, k, m]), b: tf.randomNormal([1, k, n]) }, attrs: { transposeA: true, transposeB: false } });
    list.push({ label: `BatchMatMul ${m}×${k}·(${n}×${k})ᵀ (transposeB)`, kernel: 'BatchMatMul', flops: 2 * m * k * n, inputs: { a: tf.randomNormal([1, m, k]), b: tf.randomNormal([1, n, k]) }, attrs: { transposeA: false, transposeB: true } });
  }
  // tfjs-cpu sums every row once per segment: its case is a tenth of the size.
  const [rows, segments] = batch === 64 ? [2048, 10_000] : [256, 1_000];
  list.push({
    label: `UnsortedSegmentSum ${rows} rows of 64 into ${segments.toLocaleString('en-US')} (G elements/s)`,
    kernel: 'UnsortedSegmentSum',
    flops: rows * 64,
    inputs: { x: tf.randomNormal([rows, 64]), segmentIds: tf.tensor1d(Int32Array.from({ length: rows }, (_, i) => (i * 7919) % segments), 'int32') },
    attrs: { numSegments: segments },
  });
  return list;
}

/**
 * CPU ms of one call, median of several, through the kernel function itself, each on fresh
 * copies of its inputs: in training every tensor is new, and XNNPACK packs a new operand again.
 */
function time(tf: typeof TF, kernelFunc: TF.KernelFunc, c: Case): number {
  const backend = tf.backend();
  const once = () => {
    const copies = Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, tf.clone(t)]));
    const inputs = Object.fromEntries(Object.entries(copies).map(([k, t]) => [k, { dataId: t.dataId, shape: t.shape, dtype: t.dtype }]));
    const start = process.cpuUsage();
    const out = kernelFunc({ inputs, backend, attrs: c.attrs as TF.NamedAttrMap });
    const { user, system } = process.cpuUsage(start);
    for (const info of Array.isArray(out) ? out : [out]) backend.disposeData(info.dataId);
    tf.dispose(Object.values(copies));
    return (user + system) / 1000;
  };
  once();
  const runs = [once(), once(), once()];
  const budget = Math.max(3, Math.min(15, Math.ceil(300 / Math.max(1, median(runs)))));
  for (let i = 3; i < budget; i++) runs.push(once());
  return median(runs);
}

export async function kernelBench(): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const { selectBackend } = await import('../src/cli/backend.js');
  console.log("\nnnc's tfjs kernels against the backends' own (GFLOP/s, CPU time; — where tfjs has no such kernel)");
  console.log('kernel                                                        backend        tfjs         nnc    speed-up');
  for (const backend of ['wasm', 'cpu'] as const) {
    await selectBackend(tf, backend);
    // tfjs-cpu's own Conv2DBackpropFilter takes seconds a call at batch 64: the cpu rows run batch 8.
    const list = cases(tf, backend === 'cpu' ? 8 : 64);
    for (const c of list) {
      const ours = tf.getKernel(c.kernel, backend);
      if (!isNncKernel(ours)) continue;
      const own = ours.replaced ? time(tf, ours.replaced, c) : NaN;
      const nnc = time(tf, ours.kernelFunc, c);
      const gflops = (ms: number) => (Number.isNaN(ms) ? '—' : (c.flops / ms / 1e6).toPrecision(3)).padStart(11);
      console.log(`${c.label.padEnd(62)} ${backend.padEnd(8)} ${gflops(own)} ${gflops(nnc)} ${Number.isNaN(own) ? '        —' : `${(own / nnc).toFixed(1)}×`.padStart(10)}`);
    }
    tf.dispose(list.flatMap((c) => Object.values(c.inputs)));
  }
  await stepProfile(tf);
}

/** Where one training step of the bench CNN (batch 64) spends its time on wasm, by kernel. */
async function stepProfile(tf: typeof TF): Promise<void> {
  const { selectBackend } = await import('../src/cli/backend.js');
  await selectBackend(tf, 'wasm');
  registerKernels(tf, 'wasm');
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const optimizer = tf.train.adam(0.001);
  const x = tf.randomNormal([64, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32'), 10);
  const step = () => optimizer.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }) as TF.Tensor)) as TF.Scalar, true)!;
  for (let i = 0; i < 2; i++) step().dispose();
  // Every wasm kernel wrapped in a CPU timer, counting only calls from tfjs itself (not a
  // composite kernel's calls to others), for a few steps; then put back as it was.
  const originals = tf.getKernelsForBackend('wasm');
  const spent = new Map<string, number>();
  let depth = 0;
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const start = process.cpuUsage();
        depth++;
        try {
          return config.kernelFunc(args);
        } finally {
          depth--;
          const { user, system } = process.cpuUsage(start);
          if (depth === 0) spent.set(config.kernelName, (spent.get(config.kernelName) ?? 0) + (user + system) / 1000);
        }
      },
    });
  }
  const steps = 3;
  const begin = process.cpuUsage();
  for (let i = 0; i < steps; i++) (await step().data(), undefined);
  const { user, system } = process.cpuUsage(begin);
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  const perStep = (user + system) / 1000 / steps;
  const top = [...spent].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const label = (name: string) => `${name}${isNncKernel(originals.find((c) => c.kernelName === name)) ? ' (nnc)' : ''}`;
  console.log(`
one CNN training step on wasm (batch 64, CPU time): ${perStep.toFixed(1)} ms; by kernel: ${top.map(([name, ms]) => `${label(name)} ${(ms / steps).toFixed(1)}`).join(', ')}`);
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
}

if (process.argv[1] === import.meta.filename) await kernelBench();
