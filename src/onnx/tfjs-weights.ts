import { tfjsName } from '../codegen/tfjs/names.js';
import type { IRModel } from '../ir/ir.js';

/**
 * Trained weights from TensorFlow.js's layers format (what `nnc train` writes and what the
 * generated code's `model.save()` writes): model.json's weightsManifest lists groups of
 * weights, each group stored in one or more binary shards, laid end to end.
 */

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

export interface TfjsManifestGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

/** Why a model.json's manifest is unusable, or undefined; `where` names the file in messages. */
export function manifestProblem(json: unknown, where: string): string | undefined {
  const manifest = (json as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) return `\`${where}\` has no weightsManifest: it is not a TensorFlow.js layers model`;
  for (const group of manifest as Array<Partial<TfjsManifestGroup>>) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) return `\`${where}\` has a malformed weightsManifest entry`;
    for (const w of group.weights) {
      if (typeof w?.name !== 'string' || !Array.isArray(w.shape)) return `\`${where}\` has a malformed weight entry`;
      if (w.quantization !== undefined) return `weight \`${w.name}\` in \`${where}\` is quantized; nnc exports float32 weights only`;
      if (w.dtype !== 'float32') return `weight \`${w.name}\` in \`${where}\` is ${w.dtype}; nnc models have float32 weights only`;
    }
  }
  return undefined;
}

export type WeightsFromTfjs =
  | { ok: true; weights: Map<string, Array<{ shape: number[]; data: Float32Array }>> }
  | { ok: false; problems: string[] };

/**
 * The weights of `model` (by layer id, in `IRLayer.weights` order) from a manifest and each
 * group's bytes. Every weight of the model must be there with its shape, and nothing else.
 */
export function weightsFromTfjs(model: IRModel, groups: readonly TfjsManifestGroup[], data: readonly Uint8Array[], where: string): WeightsFromTfjs {
  const problems: string[] = [];
  const saved = new Map<string, Float32Array>();
  const shapes = new Map<string, number[]>();
  groups.forEach((group, g) => {
    const bytes = data[g]!;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let offset = 0;
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      if (offset + count * 4 > bytes.byteLength) {
        problems.push(`the weight files of \`${where}\` end before weight \`${spec.name}\` (${bytes.byteLength} bytes for group ${g + 1})`);
        return;
      }
      saved.set(spec.name, Float32Array.from({ length: count }, (_, i) => view.getFloat32(offset + i * 4, true)));
      shapes.set(spec.name, spec.shape);
      offset += count * 4;
    }
  });
  const weights = new Map<string, Array<{ shape: number[]; data: Float32Array }>>();
  const expected = new Set<string>();
  for (const layer of model.layers) {
    weights.set(layer.id, layer.weights.map((w) => {
      const name = `${tfjsName(layer.id)}/${w.name}`;
      expected.add(name);
      const values = saved.get(name);
      const shape = shapes.get(name);
      if (!values || !shape) {
        problems.push(`\`${where}\` has no weight \`${name}\`, which the model needs (${formatShape(w.shape)})`);
      } else if (shape.join() !== w.shape.join()) {
        problems.push(`weight \`${name}\` is ${formatShape(shape)} in \`${where}\`, but the model needs ${formatShape(w.shape)}`);
      }
      return { shape: [...w.shape], data: values ?? new Float32Array(0) };
    }));
  }
  for (const name of saved.keys()) if (!expected.has(name)) problems.push(`\`${where}\` has a weight \`${name}\` that the model does not have`);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, weights };
}

const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
