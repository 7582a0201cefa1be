/** ONNX export speed on the synthetic models, and onnxruntime's load of the result. Numbers, not assertions. */
import { check, selectModel } from '../src/compile.js';
import { compileOnnx } from '../src/compile-onnx.js';
import { buildOnnxModel, encodeOnnx } from '../src/onnx/export-model.js';
import { modelText } from '../src/onnx/text.js';
import { syntheticModel } from './generate-model.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => unknown, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export async function onnxSpeed(): Promise<void> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  console.log('\nONNX export (median of runs, after warm-up): the checked model to bytes, and to text');
  console.log('layers    params       check+export   of which export   text      file        onnxruntime load');
  for (let i = 0; i < 3; i++) compileOnnx(syntheticModel(200));
  for (const layers of [100, 1_000, 10_000]) {
    const source = syntheticModel(layers);
    const model = selectModel(check(source).ir)!;
    const runs = layers >= 10_000 ? 3 : 7;
    let bytes: Uint8Array = new Uint8Array();
    const full = time(() => compileOnnx(source), runs);
    const exportMs = time(() => (bytes = encodeOnnx(buildOnnxModel(model))), runs);
    const proto = buildOnnxModel(model);
    const textMs = time(() => modelText(proto), layers >= 10_000 ? 1 : 3);
    const start = performance.now();
    const session = await ort.InferenceSession.create(bytes);
    const loadMs = performance.now() - start;
    await session.release();
    const params = model.layers.reduce((n, l) => n + l.paramCount, 0);
    const cell = (ms: number, width: number) => `${ms.toFixed(1)} ms`.padStart(width);
    console.log(`${String(layers).padStart(6)}  ${params.toLocaleString('en-US').padStart(9)}  ${cell(full, 14)}  ${cell(exportMs, 16)}  ${cell(textMs, 10)}  ${`${(bytes.length / 1e6).toFixed(2)} MB`.padStart(9)}  ${cell(loadMs, 14)}`);
  }
}
