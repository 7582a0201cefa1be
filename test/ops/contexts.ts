import type { ActivationSpec, Attrs, AttrValue, InitSpec, IRLayer, IRWeight, TensorType } from '../../src/ir/ir.js';
import type { DiagnosticKey } from '../../src/diagnostics/codes.js';
import { diagnosticTable } from '../../src/diagnostics/codes.js';
import { NO_SPAN } from '../../src/diagnostics/span.js';
import type { OpDef, ShapeContext, TfjsEmitContext } from '../../src/registry/op.js';
import { registry } from '../../src/registry/registry.js';

/** One report made through a fake ShapeContext, with its rendered message. */
export interface Report {
  key: DiagnosticKey;
  code: string;
  message: string;
  help?: string;
}

/** A ShapeContext that names input i after `names[i]` and records reports. */
export function shapeContext(op: string, names: readonly string[] = ['x', 'y', 'z', 'w']): ShapeContext & { reports: Report[] } {
  const reports: Report[] = [];
  return {
    op,
    reports,
    describe: (i) => `\`${names[i]}\``,
    inputSpan: () => NO_SPAN,
    report(key, params, extras) {
      const entry = diagnosticTable[key];
      const message = (entry.message as (p: unknown) => string)(params);
      reports.push({ key, code: entry.code, message, ...(extras?.help !== undefined ? { help: extras.help } : {}) });
    },
  };
}

export const f32 = (...shape: Array<number | null>): TensorType => ({ shape, dtype: 'float32' });
export const i32 = (...shape: Array<number | null>): TensorType => ({ shape, dtype: 'int32' });

export function op(name: string): OpDef {
  const def = registry.op(name);
  if (!def) throw new Error(`no op ${name}`);
  return def;
}

/**
 * Attributes as the checker would resolve them: defaults filled, activation and init names
 * turned into specs, `auto` replaced by the activation's scheme.
 */
export function attrs(opName: string, given: Record<string, AttrValue> = {}): Attrs {
  const def = op(opName);
  const result: Attrs = {};
  for (const param of def.params) {
    let value = param.name in given ? given[param.name]! : param.default;
    if (value === undefined) throw new Error(`${opName}: ${param.name} is required`);
    if (param.type.kind === 'activation' && typeof value === 'string') value = { name: value, params: {} };
    if (param.type.kind === 'init' && typeof value === 'string') value = { name: value, params: {} };
    if (param.type.kind === 'pair' && typeof value === 'number') value = [value, value];
    result[param.name] = value;
  }
  for (const param of def.params) {
    const init = result[param.name] as InitSpec;
    if (param.type.kind === 'init' && init.name === 'auto') {
      const activation = (result.activation as ActivationSpec | undefined)?.name ?? 'linear';
      result[param.name] = { name: registry.activation(activation)!.autoInit, params: {}, auto: true };
    }
  }
  return result;
}

/** Runs an op's shape rule and weights like the checker does. */
export function infer(opName: string, inputs: TensorType[], given: Record<string, AttrValue> = {}, names?: string[]) {
  const def = op(opName);
  const a = attrs(opName, given);
  const ctx = shapeContext(opName, names);
  const type = def.inferType(inputs, a, ctx);
  const weights = type && def.weights ? def.weights(inputs, a) : [];
  return { type, weights, reports: ctx.reports, attrs: a };
}

/** An emit context whose expressions evaluate with `tf` and `Subtract` in scope. */
export function emitContext(name: string, inputs: readonly TensorType[], seed = 'undefined'): TfjsEmitContext & { inputs: readonly TensorType[] } {
  let next = 0;
  return {
    name: JSON.stringify(name),
    inputs,
    subName: (suffix) => JSON.stringify(`${name}/${suffix}`),
    initializer: (weight: IRWeight) =>
      registry.initializer(weight.init.name)!.emitTfjs(weight.init, weight, seed === 'undefined' ? seed : `${seed} + ${next++}`),
    activation(spec, layerName) {
      const def = registry.activation(spec.name)!;
      const known = def.tfjsName(spec);
      return known !== undefined ? { inline: `'${known}'` } : { layer: def.tfjsLayer(spec, layerName) };
    },
    useRuntime: (runtime) => runtime,
  };
}

export function irLayer(opName: string, a: Attrs, weights: IRWeight[], id = `${opName}_1`): IRLayer {
  return { id, op: opName, attrs: a, weights, paramCount: weights.reduce((n, w) => n + w.shape.reduce((x, y) => x * y, 1), 0), span: NO_SPAN, scope: [] };
}
