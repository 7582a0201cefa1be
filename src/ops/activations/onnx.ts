import type { ActivationSpec } from '../../ir/ir.js';
import type { ActivationOnnx, OnnxContext, OnnxValue } from '../../registry/onnx.js';

/**
 * The activations in ONNX. Each node keeps its input's dims and layout. Constants follow
 * tfjs's, so that the exported model computes what the generated code does: selu's alpha and
 * scale are tfjs's SELU_SCALEALPHA / SELU_SCALE and SELU_SCALE, gelu is the exact erf form.
 */

const param = (spec: ActivationSpec, name: string, fallback: number): number => spec.params[name] ?? fallback;

function unary(op: string, attrs: (spec: ActivationSpec) => Parameters<OnnxContext['node']>[2] = () => ({})) {
  return (spec: ActivationSpec, x: OnnxValue, ctx: OnnxContext): OnnxValue => ctx.node(op, [x.name], attrs(spec), { dims: x.dims, layout: x.layout });
}

const like = (x: OnnxValue) => ({ dims: x.dims, layout: x.layout });

const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.7580993408473769 / SELU_SCALE;

/** gelu(x) = x · Φ(x) = x · (1 + erf(x / √2)) / 2; ONNX has a Gelu operator from opset 20. */
function gelu(_spec: ActivationSpec, x: OnnxValue, ctx: OnnxContext): OnnxValue {
  if (ctx.opset >= 20) return ctx.node('Gelu', [x.name], {}, like(x));
  const scaled = ctx.node('Mul', [x.name, ctx.float(Math.SQRT1_2, 'one_over_sqrt2')], {}, like(x));
  const erf = ctx.node('Erf', [scaled.name], {}, like(x));
  const plusOne = ctx.node('Add', [erf.name, ctx.float(1, 'one')], {}, like(x));
  const product = ctx.node('Mul', [x.name, plusOne.name], {}, like(x));
  return ctx.node('Mul', [product.name, ctx.float(0.5, 'half')], {}, like(x));
}

function swish(_spec: ActivationSpec, x: OnnxValue, ctx: OnnxContext): OnnxValue {
  const gate = ctx.node('Sigmoid', [x.name], {}, like(x));
  return ctx.node('Mul', [x.name, gate.name], {}, like(x));
}

/** Softmax over the channels: the last axis, or axis 1 of a channels-first tensor. */
function softmax(_spec: ActivationSpec, x: OnnxValue, ctx: OnnxContext): OnnxValue {
  const axis = x.layout === 'first' && x.dims.length >= 2 ? 1 : -1;
  return ctx.node('Softmax', [x.name], { axis: { int: axis } }, like(x));
}

export const activationOnnx: Record<string, ActivationOnnx> = {
  linear: { doc: 'nothing (the identity)', lower: (_spec, x) => x },
  relu: { doc: '`Relu`', lower: unary('Relu') },
  tanh: { doc: '`Tanh`', lower: unary('Tanh') },
  sigmoid: { doc: '`Sigmoid`', lower: unary('Sigmoid') },
  selu: { doc: '`Selu` with tfjs\'s alpha and gamma', lower: unary('Selu', () => ({ alpha: { float: SELU_ALPHA }, gamma: { float: SELU_SCALE } })) },
  softplus: { doc: '`Softplus`', lower: unary('Softplus') },
  gelu: { doc: '`Gelu` from opset 20; before, `x · (1 + Erf(x / √2)) / 2`', lower: gelu },
  swish: { doc: '`x · Sigmoid(x)`', lower: swish },
  softmax: { doc: '`Softmax` over the channel axis', lower: softmax },
  elu: { doc: '`Elu(alpha)`', lower: unary('Elu', (spec) => ({ alpha: { float: param(spec, 'alpha', 1) } })) },
  leaky_relu: { doc: '`LeakyRelu(alpha)`', lower: unary('LeakyRelu', (spec) => ({ alpha: { float: param(spec, 'alpha', 0.3) } })) },
};
