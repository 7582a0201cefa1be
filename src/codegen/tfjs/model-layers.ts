import type * as TF from '@tensorflow/tfjs';

/**
 * The layers of a generated model, in order, with those of its parts in place of the parts (and
 * without the parts' own input layers): a large model is built in parts, each a sub-model
 * applied as one layer (see connect.ts), and `model.layers` and `model.getLayer` see only the top level.
 */
export function modelLayers(model: TF.LayersModel): TF.layers.Layer[] {
  const layers: TF.layers.Layer[] = [];
  const pending = [...model.layers].reverse().map((layer) => ({ layer, nested: false }));
  while (pending.length > 0) {
    const { layer, nested } = pending.pop()!;
    const inner = (layer as Partial<TF.LayersModel>).layers;
    if (Array.isArray(inner)) {
      for (let i = inner.length - 1; i >= 0; i--) pending.push({ layer: inner[i]!, nested: true });
    } else if (!nested || layer.getClassName() !== 'InputLayer') {
      layers.push(layer);
    }
  }
  return layers;
}
