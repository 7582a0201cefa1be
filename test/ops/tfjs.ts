import * as tf from '@tensorflow/tfjs';

/** tfjs on the plain CPU backend: deterministic and needs no native addon. */
export async function cpu(): Promise<typeof tf> {
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/** Stands in for the code generator's runtime Subtract layer. */
class Subtract extends tf.layers.Layer {
  static className = 'Subtract';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [a, b] = inputs as tf.Tensor[];
    return tf.sub(a!, b!);
  }
  override computeOutputShape(shapes: tf.Shape | tf.Shape[]): tf.Shape {
    return (shapes as tf.Shape[])[0]!;
  }
}

/** Evaluates an emitted expression with `tf` (and the runtime helpers) in scope. */
export function evaluate<T = unknown>(expression: string): T {
  return new Function('tf', 'Subtract', `return ${expression};`)(tf, Subtract) as T;
}

/** Builds the emitted layers and applies them in sequence to symbolic inputs of these shapes. */
export function applyEmitted(expressions: string[], inputShapes: Array<Array<number | null>>, dtypes: Array<'float32' | 'int32'> = []) {
  const inputs = inputShapes.map((shape, i) => tf.input({ shape, dtype: dtypes[i] ?? 'float32' }));
  const layers = expressions.map((e) => evaluate<tf.layers.Layer>(e));
  let out: tf.SymbolicTensor | tf.SymbolicTensor[] = inputs.length === 1 ? inputs[0]! : inputs;
  for (const layer of layers) out = layer.apply(out) as tf.SymbolicTensor;
  const model = tf.model({ inputs, outputs: out as tf.SymbolicTensor });
  return { layers, model, output: out as tf.SymbolicTensor };
}

export { tf };
