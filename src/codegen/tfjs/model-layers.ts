import type * as TF from '@tensorflow/tfjs';

/**
 * The layers of a generated model, in order, with those of its parts in place of the parts: a
 * large model is built in parts, each a sub-model applied as one layer (see connect.ts), and
 * `model.layers` and `model.getLayer` only see the top level.
 */
export function modelLayers(model: TF.LayersModel): TF.layers.Layer[] {
  const layers: TF.layers.Layer[] = [];
  const pending: TF.layers.Layer[] = [...model.layers].reverse();
  while (pending.length > 0) {
    const layer = pending.pop()!;
    const inner = (layer as Partial<TF.LayersModel>).layers;
    if (Array.isArray(inner)) for (let i = inner.length - 1; i >= 0; i--) pending.push(inner[i]!);
    else layers.push(layer);
  }
  return layers;
}
