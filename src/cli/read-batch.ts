import type { IRModel, Shape } from '../ir/ir.js';
import { vocabularyOf, type Batch } from '../reference/random-batch.js';
import type { Tensor64 } from '../reference/tensor.js';
import { concreteShapes } from '../reference/unknown-dims.js';

/** A user data problem: the message names the file and the entry. */
export class DataError extends Error {}

/**
 * Reads a batch for `--data`: `{ "inputs": { name: nested arrays }, "targets": { name: nested arrays } }`,
 * each array with the batch first. Shapes are checked against the model; sparse targets are class ids.
 */
export function parseBatch(text: string, file: string, model: IRModel): Batch {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const root = json as { inputs?: unknown; targets?: unknown };
  if (typeof root !== 'object' || root === null || typeof root.inputs !== 'object' || typeof root.targets !== 'object' || !root.inputs || !root.targets) {
    throw new DataError(`${file}: expected an object { "inputs": {...}, "targets": {...} }`);
  }
  const inputs = new Map<string, Tensor64>();
  for (const input of model.inputs) {
    const tensor = readTensor(root.inputs as Record<string, unknown>, 'inputs', input.name, input.type.shape, file);
    if (input.type.dtype === 'int32') checkIds(tensor, vocabularyOf(model, input.node), `${file}: inputs.${input.name}`);
    inputs.set(input.name, tensor);
  }
  // The sizes of `?` come with the data: the layers must accept them, and the targets follow from them.
  const concrete = concreteShapes(model, new Map([...inputs].map(([name, t]) => [name, t.shape.slice(1)])));
  if ('error' in concrete) throw new DataError(`${file}: the sizes of the inputs do not fit the model: ${concrete.error}`);
  const targets = new Map<string, Tensor64>();
  for (const output of model.outputs) {
    const sparse = model.train?.losses[output.name]?.name === 'sparse_categorical_crossentropy';
    const produced: Shape = concrete.shapes.get(output.node)!;
    const shape: Shape = sparse ? [...produced.slice(0, -1), 1] : produced;
    targets.set(output.name, readTensor(root.targets as Record<string, unknown>, 'targets', output.name, shape, file, sparse));
  }
  const sizes = new Set([...inputs.values(), ...targets.values()].map((t) => t.shape[0]));
  if (sizes.size > 1) throw new DataError(`${file}: inputs and targets have different batch sizes (${[...sizes].join(', ')})`);
  return { inputs, targets };
}

/** Integer ids must be whole numbers below the vocabulary of the embeddings they feed. */
function checkIds(tensor: Tensor64, vocab: number, where: string): void {
  const bad = tensor.data.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= vocab);
  if (bad >= 0) {
    const limit = Number.isFinite(vocab) ? ` below ${vocab}` : '';
    throw new DataError(`${where}: entry ${bad} (flattened) is ${tensor.data[bad]}; ids must be whole numbers from 0${limit}`);
  }
}

function readTensor(record: Record<string, unknown>, part: string, name: string, shape: Shape, file: string, sparse = false): Tensor64 {
  if (!Object.prototype.hasOwnProperty.call(record, name)) throw new DataError(`${file}: ${part}.${name} is missing`);
  const values: number[] = [];
  const dims: number[] = [];
  const walk = (value: unknown, depth: number, path: string): void => {
    if (Array.isArray(value)) {
      if (dims[depth] === undefined) dims[depth] = value.length;
      else if (dims[depth] !== value.length) throw new DataError(`${file}: ${part}.${name}${path} has ${value.length} entries where its siblings have ${dims[depth]}`);
      value.forEach((v, i) => walk(v, depth + 1, `${path}[${i}]`));
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new DataError(`${file}: ${part}.${name}${path} is ${JSON.stringify(value)}, not a finite number`);
    if (depth !== dims.length) throw new DataError(`${file}: ${part}.${name}${path} is a number where an array was expected`);
    values.push(value);
  };
  walk(record[name], 0, '');
  const expected = shape.length + 1;
  const fits = dims.length === expected && shape.every((d, i) => d === null || d === dims[i + 1]);
  if (!fits) {
    const want = `[batch, ${shape.map((d) => d ?? '?').join(', ')}]`;
    throw new DataError(`${file}: ${part}.${name} has shape [${dims.join(', ')}], the model expects ${want}${sparse ? ' (class ids)' : ''}`);
  }
  return { shape: dims, data: Float64Array.from(values) };
}
