import type { SignalRow } from '../../analysis/signal.js';
import type { LayerBuild } from '../../check/graph-builder.js';
import type { ActivationSpec, AttrValue, InitSpec, IRWeight, TensorType } from '../../ir/ir.js';
import { formatShape, type OpDef, type ParamSpec, type ParamType } from '../../registry/op.js';
import { registry } from '../../registry/registry.js';

/** Texts shared by hover, completion and signature help; every word about an op comes from the registry. */

/** `[?, 28, 28, 16] float32`: the type of a tensor with its batch dimension. */
export function typeText(type: TensorType): string {
  return `${formatShape([null, ...type.shape])} ${type.dtype}`;
}

/** `[?, 30]`, `int32[?, 20]`: what an inlay hint shows. */
export function shortType(type: TensorType): string {
  const shape = formatShape([null, ...type.shape]);
  return type.dtype === 'float32' ? shape : `${type.dtype}${shape}`;
}

export function number(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-3 && magnitude < 1e5) return String(Number(x.toPrecision(3)));
  return x.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

function isSpec(value: AttrValue): value is ActivationSpec | InitSpec {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { name?: unknown }).name === 'string' && typeof (value as { params?: unknown }).params === 'object';
}

/** A resolved argument as it would be written: `relu`, `leaky_relu(alpha=0.2)`, `he (auto)`, `[3, 3]`. */
export function attrText(value: AttrValue): string {
  if (value === null) return 'none';
  if (Array.isArray(value)) return `[${value.map(attrText).join(', ')}]`;
  if (isSpec(value)) {
    const params = Object.entries(value.params).map(([k, v]) => `${k}=${number(v)}`);
    const call = params.length ? `${value.name}(${params.join(', ')})` : value.name;
    return 'auto' in value && value.auto ? `${call} (auto)` : call;
  }
  if (typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${attrText(v)}`).join(', ')} }`;
  if (typeof value === 'number') return number(value);
  return String(value);
}

/** `dense(units=30, activation=relu, ...)`: a layer with every argument resolved. */
export function layerCall(layer: LayerBuild): string {
  const args = layer.op.params.map((p) => `${p.name}=${attrText(layer.attrs[p.name] ?? null)}`);
  return args.length ? `${layer.op.name}(${args.join(', ')})` : layer.op.name;
}

export function paramTypeText(type: ParamType): string {
  switch (type.kind) {
    case 'int':
      return type.min !== undefined ? `int ≥ ${type.min}` : 'int';
    case 'number':
      return 'number';
    case 'bool':
      return 'bool';
    case 'enum':
      return type.values.join(' | ');
    case 'activation':
      return 'activation';
    case 'init':
      return 'initializer';
    case 'ints':
      return 'ints';
    case 'pair':
      return 'int | [int, int]';
  }
}

/** `units` or `activation=linear`: one parameter as a signature shows it. */
export function paramLabel(param: ParamSpec): string {
  return param.default === undefined ? param.name : `${param.name}=${attrText(param.default)}`;
}

/** `dense(units, activation=linear)`; a name without parameters stands alone (`relu`, `flatten`). */
export function signature(name: string, params: readonly ParamSpec[]): string {
  return params.length === 0 ? name : `${name}(${params.map(paramLabel).join(', ')})`;
}

/** The documentation of one parameter: its type, default and words. */
export function paramDoc(param: ParamSpec): string {
  const fallback = param.default === undefined ? 'required' : `default \`${attrText(param.default)}\``;
  return `\`${param.name}\`: ${paramTypeText(param.type)}, ${fallback}. ${param.doc}`;
}

export function opDoc(op: OpDef): string {
  const lines = [op.doc.summary, '', `Shape: ${op.doc.shape}.`, '', ...op.params.map((p) => `- ${paramDoc(p)}`), '', `Example: \`${op.doc.example}\``];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** A weight with its initializer, and the variance it draws with when it is random. */
export function weightLine(weight: IRWeight): string {
  const init = registry.initializer(weight.init.name);
  const variance = init?.variance(weight.init, weight);
  const parts = [`\`${weight.name}\` ${formatShape(weight.shape)}: \`${attrText(weight.init)}\``];
  if (init) parts.push(init.formula);
  if (variance !== undefined) parts.push(`variance ${number(variance)} (n_in = ${weight.fanIn}, n_out = ${weight.fanOut})`);
  if (!weight.trainable) parts.push('not trained');
  return parts.join(', ');
}

export function paramCount(weights: readonly IRWeight[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
}

/** The predicted scale of the signal at a node: forward activations, backward gradients. */
export function signalText(row: SignalRow): string {
  const gain = Math.abs(row.forwardGain - row.forward) > 1e-9 * Math.max(1, row.forward) ? ` (×${number(row.forwardGain)} since its source)` : '';
  return `E[a²] = ${number(row.forward)} forward${gain}, E[g²] = ${number(row.backward)} backward`;
}

export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

export function code(text: string): string {
  return `\`\`\`nn\n${text}\n\`\`\``;
}
