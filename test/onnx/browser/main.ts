// A page that compiles a .nn source to ONNX with nnc's core and runs it in onnxruntime-web,
// both in the browser: what docs/onnx.md says a page can do.
import * as ort from 'onnxruntime-web';
import { compileOnnx } from '../../../src/index.js';

declare global {
  interface Window {
    exportAndRun(source: string, inputs: Record<string, { data: number[]; dims: number[] }>): Promise<Record<string, number[]>>;
  }
}

window.exportAndRun = async (source, inputs) => {
  const result = compileOnnx(source, { filename: 'model.nn' });
  if (!result.onnx) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(result.onnx);
  const feeds = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, new ort.Tensor('float32', Float32Array.from(t.data), t.dims)]));
  const outputs = await session.run(feeds);
  return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, Array.from(t.data as Float32Array)]));
};
