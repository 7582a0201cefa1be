import { diagnosticTable, type DiagnosticKey, type DiagnosticParams } from '../diagnostics/codes.js';
import type { IRApplyNode, IRModel, TensorType } from '../ir/ir.js';
import type { ShapeContext } from '../registry/op.js';
import { registry } from '../registry/registry.js';

/**
 * Concrete sizes for the unknown dimensions (`?`) of a model's inputs. A `?` is any size to the
 * checker, but one batch has one size for it, and the layers tie sizes together: `add(a, b)`
 * needs a's `?` to be b's size, `concat(a, b)` two `?`s to be equal. The engine needs sizes
 * that satisfy every shape rule, or its merges would combine tensors of different lengths.
 */

/** Each node's shape (without the batch) for these inputs, or the first shape rule that fails. */
export type ConcreteShapes = { shapes: Map<string, number[]> } | { error: string };

/** Unknown dimensions no layer ties to a size take this one. */
export const UNKNOWN_DIM = 3;

/**
 * Runs every layer's shape rule on concrete input shapes (by input name, without the batch), as
 * the checker ran them on the declared ones.
 */
export function concreteShapes(model: IRModel, inputs: ReadonlyMap<string, readonly number[]>): ConcreteShapes {
  const byNode = new Map(model.inputs.map((i) => [i.node, inputs.get(i.name)]));
  const types = new Map<string, TensorType>();
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  for (const node of model.nodes) {
    if (node.kind === 'input') {
      const shape = byNode.get(node.id);
      if (!shape) return { error: `no shape given for input \`${node.id}\`` };
      types.set(node.id, { shape: [...shape], dtype: node.type.dtype });
      continue;
    }
    const result = infer(model, node, node.inputs.map((id) => types.get(id)!), layers.get(node.layer)!);
    if (typeof result === 'string') return { error: result };
    types.set(node.id, result);
  }
  return { shapes: new Map([...types].map(([id, t]) => [id, t.shape as number[]])) };
}

/**
 * Input shapes (by input name, without the batch) whose `?`s satisfy every shape rule: each `?`
 * starts as a distinct placeholder size, the elementwise merges and concats bind placeholders to
 * the sizes they meet (or to each other), and what stays free takes UNKNOWN_DIM. A size a `?`
 * only reaches through arithmetic (a strided convolution) is not solved for: the final check then
 * reports the rule that fails.
 */
export function solveUnknownDims(model: IRModel): { inputs: Map<string, number[]>; shapes: ConcreteShapes } {
  const placeholders: number[] = [];
  const declared = model.inputs.map((input) => input.type.shape.map((d) => d ?? placeholder(placeholders.push(0) - 1)));
  const isPlaceholder = (d: number) => d >= BASE && (d - BASE) % STRIDE === 0 && (d - BASE) / STRIDE < placeholders.length;
  const binding = new Map<number, number>();
  const resolve = (d: number): number => {
    while (binding.has(d)) d = binding.get(d)!;
    return d;
  };
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  // Each pass binds at least one placeholder or finishes, so there are at most as many passes as `?`s.
  for (let pass = 0; pass <= placeholders.length; pass++) {
    let bound = false;
    const types = new Map<string, TensorType>();
    model.inputs.forEach((input, i) => types.set(input.node, { shape: declared[i]!.map(resolve), dtype: input.type.dtype }));
    for (const node of model.nodes) {
      if (node.kind !== 'apply') continue;
      const inputs = node.inputs.map((id) => types.get(id)!);
      const layer = layers.get(node.layer)!;
      for (const [a, b] of tiedDims(layer.op, inputs, layer.attrs.axis)) {
        const [x, y] = [resolve(a), resolve(b)];
        if (x === y || (!isPlaceholder(x) && !isPlaceholder(y))) continue;
        // A known size wins over a placeholder; between two placeholders, the later one points at the earlier.
        if (isPlaceholder(x) && (!isPlaceholder(y) || y < x)) binding.set(x, y);
        else binding.set(y, x);
        bound = true;
      }
      if (bound) break;
      const result = infer(model, node, inputs, layer);
      if (typeof result === 'string') break;
      types.set(node.id, result);
    }
    if (!bound) break;
  }
  const final = (d: number) => {
    const r = resolve(d);
    return isPlaceholder(r) ? UNKNOWN_DIM : r;
  };
  const inputs = new Map(model.inputs.map((input, i) => [input.name, declared[i]!.map(final)]));
  return { inputs, shapes: concreteShapes(model, inputs) };
}

const BASE = 720720000;
/** Placeholders are multiples of 720720 (divisible by 1 to 16), so reshapes of them still divide. */
const STRIDE = 720720;

function placeholder(index: number): number {
  return BASE + STRIDE * index;
}

/** The pairs of dimensions a merge needs equal: all of them for elementwise merges, all but the axis for concat. */
function tiedDims(op: string, inputs: readonly TensorType[], axis: unknown): Array<[number, number]> {
  const def = registry.op(op)!;
  if (def.category !== 'merge' || inputs.length < 2) return [];
  const first = inputs[0]!.shape as number[];
  if (!inputs.every((t) => t.shape.length === first.length)) return [];
  const skip = op === 'concat' && typeof axis === 'number' ? (axis < 0 ? first.length + axis : axis) : -1;
  const pairs: Array<[number, number]> = [];
  for (const t of inputs.slice(1)) (t.shape as number[]).forEach((d, i) => i !== skip && pairs.push([first[i]!, d]));
  return pairs;
}

/** "`a`" for an input, "the output of `h/dense_1`" for a layer's, as the checker words it. */
function describeNode(id: string, model: IRModel): string {
  return model.inputs.some((i) => i.node === id) ? `\`${id}\`` : `the output of \`${id}\``;
}

function infer(model: IRModel, node: IRApplyNode, inputs: readonly TensorType[], layer: IRModel['layers'][number]): TensorType | string {
  const op = registry.op(layer.op)!;
  let message: string | undefined;
  const ctx: ShapeContext = {
    op: layer.op,
    describe: (i) => describeNode(node.inputs[i]!, model),
    inputSpan: () => node.span,
    report: <K extends DiagnosticKey>(key: K, params: DiagnosticParams<K>) => {
      message ??= (diagnosticTable[key].message as (p: DiagnosticParams<K>) => string)(params);
    },
  };
  const type = op.inferType(inputs, layer.attrs, ctx);
  return type ?? `line ${node.span.start.line}: ${message ?? `\`${layer.op}\` rejects these shapes`}`;
}
