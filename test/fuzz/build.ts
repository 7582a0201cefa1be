import { transform } from 'esbuild';
import type { IRModel } from '../../src/ir/ir.js';
import { importCode, tf } from '../codegen/support/load.js';

/**
 * The last property of a fuzzed source that compiled: its module builds in TensorFlow.js and
 * predicts a batch of two samples with every output of the declared shape. Returns the
 * problems found (none when it works).
 */
export async function buildAndPredict(code: string, model: IRModel): Promise<string[]> {
  const problems: string[] = [];
  const tensors: tf.Tensor[] = [];
  try {
    const js = (await transform(code, { loader: 'ts', format: 'esm' })).code;
    const generated = await importCode(js);
    const built = generated.buildModel({ seed: 1 });
    const inputs = model.inputs.map((input) => {
      const shape = [2, ...input.type.shape.map((d) => d ?? 3)];
      const tensor = input.type.dtype === 'int32' ? tf.zeros(shape, 'int32') : tf.randomNormal(shape, 0, 1, 'float32', 1);
      tensors.push(tensor);
      return tensor;
    });
    const predicted = built.predict(inputs);
    const outputs = Array.isArray(predicted) ? predicted : [predicted];
    tensors.push(...outputs);
    if (outputs.length !== model.outputs.length) problems.push(`predict gave ${outputs.length} outputs, the model has ${model.outputs.length}`);
    model.outputs.forEach((output, i) => {
      const got = outputs[i]?.shape;
      const declared = output.type.shape;
      if (!got || got.length !== declared.length + 1 || declared.some((d, k) => d !== null && got[k + 1] !== d)) {
        problems.push(`output \`${output.name}\` has shape [${got?.join(', ')}], declared [?, ${declared.map((d) => d ?? '?').join(', ')}]`);
      }
    });
    built.dispose();
  } catch (error) {
    problems.push(`tfjs build or predict threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    tf.dispose(tensors);
  }
  return problems;
}
