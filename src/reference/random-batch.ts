import type { IRModel } from '../ir/ir.js';
import { registry } from '../registry/registry.js';
import { Random } from './random.js';
import { size, type Tensor64 } from './tensor.js';
import { solveUnknownDims } from './unknown-dims.js';

export interface Batch {
  inputs: Map<string, Tensor64>;
  targets: Map<string, Tensor64>;
}

/** No sizes for the unknown dimensions (`?`) of the inputs fit every layer: the user must give a batch. */
export class UnknownSizesError extends Error {}

/**
 * A random batch of the right shapes: N(0, 1) float inputs, integer ids below the smallest
 * vocabulary that reads them, and targets that fit each output's loss (one-hot rows for
 * categorical cross-entropy, class ids for the sparse form, probabilities for binary). Unknown
 * dimensions (`?`) take sizes that fit every layer (unknown-dims.ts).
 */
export function randomBatch(model: IRModel, batch: number, seed: number): Batch {
  const random = new Random(seed ^ 0x5eed);
  const solved = solveUnknownDims(model);
  if ('error' in solved.shapes) {
    throw new UnknownSizesError(`no sizes for the unknown dimensions (\`?\`) of the inputs of \`${model.name}\` fit every layer (${solved.shapes.error})`);
  }
  const shapes = solved.shapes.shapes;
  const inputs = new Map<string, Tensor64>();
  for (const input of model.inputs) {
    const shape = [batch, ...solved.inputs.get(input.name)!];
    const data = new Float64Array(size(shape));
    if (input.type.dtype === 'int32') {
      const known = vocabularyOf(model, input.node);
      const vocab = Number.isFinite(known) ? known : 10;
      for (let i = 0; i < data.length; i++) data[i] = Math.floor(random.uniform() * vocab);
    } else {
      for (let i = 0; i < data.length; i++) data[i] = random.normal();
    }
    inputs.set(input.name, { shape, data });
  }
  const targets = new Map<string, Tensor64>();
  for (const output of model.outputs) {
    const loss = model.train ? registry.loss(model.train.losses[output.name]!.name)! : undefined;
    const shape = [batch, ...shapes.get(output.node)!];
    const classes = shape[shape.length - 1]!;
    if (loss?.sparse) {
      const labelShape = [...shape.slice(0, -1), 1];
      const data = new Float64Array(size(labelShape));
      for (let i = 0; i < data.length; i++) data[i] = Math.floor(random.uniform() * classes);
      targets.set(output.name, { shape: labelShape, data });
      continue;
    }
    const data = new Float64Array(size(shape));
    if (loss?.name === 'categorical_crossentropy') {
      for (let row = 0; row < data.length / classes; row++) data[row * classes + Math.floor(random.uniform() * classes)] = 1;
    } else if (loss?.name === 'binary_crossentropy') {
      for (let i = 0; i < data.length; i++) data[i] = random.uniform();
    } else {
      for (let i = 0; i < data.length; i++) data[i] = random.normal();
    }
    targets.set(output.name, { shape, data });
  }
  return { inputs, targets };
}

/** The smallest `vocab` of the embeddings an integer input feeds (ids must stay below it); Infinity if none. */
export function vocabularyOf(model: IRModel, node: string): number {
  let vocab = Infinity;
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  for (const n of model.nodes) {
    if (n.kind !== 'apply' || !n.inputs.includes(node)) continue;
    const v = layers.get(n.layer)!.attrs.vocab;
    if (typeof v === 'number') vocab = Math.min(vocab, v);
  }
  return vocab;
}
