import type { IRModel, IRNode } from '../../ir/ir.js';
import { tfjsName, type UniqueNames } from './names.js';

/**
 * tfjs names a model's outputs after the layers producing them. An output keeps its own name
 * when its last layer is named like it and produces nothing else (the usual `output y = ... ->
 * dense(1)`, whose layer the checker names `y`); otherwise an identity layer carries the name.
 */
export interface OutputPlan {
  /** The tfjs name of each output, in order. */
  readonly outputNames: string[];
  /** Layers applied by at least one node: the only ones created. */
  readonly applied: ReadonlySet<string>;
  layerName(layerId: string): string;
  /** Whether this layer is named after the output it produces. */
  carriesOutput(layerId: string): boolean;
  /** Gives the layer a name of its own; its output then goes through an identity layer. */
  releaseOutput(layerId: string): void;
  /** Whether output i is produced by a layer carrying its name (no identity layer needed). */
  carried(outputIndex: number): boolean;
}

/** Claims the output and layer names in `names`, which already holds the input names. */
export function planOutputNames(model: IRModel, nodes: ReadonlyMap<string, IRNode>, names: UniqueNames): OutputPlan {
  const uses = new Map<string, number>();
  for (const node of model.nodes) if (node.kind === 'apply') uses.set(node.layer, (uses.get(node.layer) ?? 0) + 1);

  const outputNames = model.outputs.map((port) => names.claim(tfjsName(port.name)));
  const carrierOf = new Map<string, number>();
  model.outputs.forEach((port, i) => {
    const node = nodes.get(port.node);
    if (node?.kind !== 'apply' || uses.get(node.layer) !== 1 || carrierOf.has(node.layer)) return;
    if (tfjsName(node.layer) === outputNames[i]) carrierOf.set(node.layer, i);
  });

  const layerNames = new Map<string, string>();
  for (const layer of model.layers) {
    if (!uses.has(layer.id)) continue;
    const output = carrierOf.get(layer.id);
    layerNames.set(layer.id, output !== undefined ? outputNames[output]! : names.claim(tfjsName(layer.id)));
  }

  const carriedOutputs = () => new Set(carrierOf.values());
  return {
    outputNames,
    applied: new Set(uses.keys()),
    layerName(layerId) {
      const name = layerNames.get(layerId);
      if (name === undefined) throw new Error(`internal: layer ${layerId} is never applied`);
      return name;
    },
    carriesOutput: (layerId) => carrierOf.has(layerId),
    releaseOutput(layerId) {
      carrierOf.delete(layerId);
      layerNames.set(layerId, names.claim(tfjsName(layerId)));
    },
    carried: (outputIndex) => carriedOutputs().has(outputIndex),
  };
}
