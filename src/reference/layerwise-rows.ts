import type { IRModel } from '../ir/ir.js';
import { ambiguous } from './grades.js';
import { Layerwise, type LayerwiseSetup } from './layerwise.js';
import { tensorRow, type RowInfo, type TensorCheck } from './tensor-check.js';
import type { Tensor64 } from './tensor.js';

/** A trainable weight being graded: its row, its index in the layer and its current value. */
export interface Slot extends RowInfo {
  index: number;
  value: Tensor64;
}

/**
 * The final rows of a check: each weight the loss graded as it was, each weight it could not
 * resolve re-checked layer by layer, and, to close the chain from those weights to the loss,
 * the backward of every op input and every loss their gradient flows through. Rows keep the
 * model's order of layers, an op's inputs after its weights, the losses last.
 */
export function layerwiseRows(
  model: IRModel,
  byLoss: ReadonlyArray<{ slot: Slot; row: TensorCheck }>,
  setup: LayerwiseSetup,
  analytic: ReadonlyMap<string, Tensor64[]>,
  notes: string[],
): TensorCheck[] {
  const redo = byLoss.filter(({ row }) => needsLayerwise(row));
  if (redo.length === 0) return byLoss.map(({ row }) => row);
  const local = new Layerwise(setup);
  const replaced = new Map(
    redo.map(({ slot }) => {
      const check = local.weight(slot.layer, slot.index, analytic.get(slot.layer)![slot.index]!);
      return [slot, tensorRow(slot, check.components, 'layer', check.consistency)] as const;
    }),
  );
  notes.push(
    `the loss could not resolve ${redo.length} of ${byLoss.length} tensors (gradients below its rounding, as through a vanishing or exploding stack, or steps across kinks): ` +
      'they were checked layer by layer (method `layer`), each op at the activations it saw against central differences of that op alone ' +
      'with a random cotangent, and so was the backward of every op input and loss between them and the loss',
  );

  // The chain from a re-checked weight to the loss: every node downstream of its layer.
  const rechecked = new Set(redo.map(({ slot }) => slot.layer));
  const types = new Map(model.nodes.map((n) => [n.id, n.type]));
  const layers = new Map(model.layers.map((l) => [l.id, l]));
  const downstream = new Set<string>();
  const positions = new Map<string, Set<number>>();
  for (const node of model.nodes) {
    if (node.kind !== 'apply') continue;
    node.inputs.forEach((id, position) => {
      if (downstream.has(id) && types.get(id)!.dtype === 'float32') positions.set(node.layer, (positions.get(node.layer) ?? new Set()).add(position));
    });
    if (rechecked.has(node.layer) || node.inputs.some((id) => downstream.has(id))) downstream.add(node.id);
  }

  const rows: TensorCheck[] = [];
  for (const layer of model.layers) {
    for (const { slot, row } of byLoss) if (slot.layer === layer.id) rows.push(replaced.get(slot) ?? row);
    const arity = maxInputs(model, layer.id);
    for (const position of [...(positions.get(layer.id) ?? [])].sort((a, b) => a - b)) {
      const weight = arity === 1 ? 'input' : `input ${position + 1}`;
      const check = local.input(layer.id, position);
      const info: RowInfo = { name: `${layer.id} (${weight})`, kind: 'input', layer: layer.id, weight, line: layers.get(layer.id)!.span.start.line, shape: check.shape };
      rows.push(tensorRow(info, check.components, 'layer'));
    }
  }
  for (const output of model.outputs) {
    if (!downstream.has(output.node)) continue;
    const check = local.loss(output.name);
    const info: RowInfo = { name: `loss of ${output.name}`, kind: 'loss', layer: output.name, weight: model.train!.losses[output.name]!.name, line: output.span.start.line, shape: check.shape };
    rows.push(tensorRow(info, check.components, 'layer'));
  }
  return rows;
}

/**
 * The loss did not answer for this tensor: nothing compared, components below its rounding, or a
 * difference short of excellent that rounding explains. A clear disagreement among the components it did resolve is
 * an answer (a bug), whatever the others.
 */
function needsLayerwise(row: TensorCheck): boolean {
  if (row.grade === 'unchecked' || ambiguous(row.difference, row.resolution)) return true;
  return row.unresolved > 0 && row.grade !== 'bug';
}

function maxInputs(model: IRModel, layer: string): number {
  return Math.max(0, ...model.nodes.map((n) => (n.kind === 'apply' && n.layer === layer ? n.inputs.length : 0)));
}
