import type { ActivationSpec, IRLayer } from '../ir/ir.js';
import type { ActivationMoments, OpSignal, SignalContext } from '../registry/op.js';

/**
 * The signal rule of a layer computing act(x·W + b) (dense, conv2d). With zero-mean kernel
 * entries independent of x, the pre-activation z has mean E[b] and variance
 * v = n_in·E[w²]·E[x²] + Var[b] (the mean of x does not matter: each w·x term has mean 0); the
 * output has E[act(z)²] for z ~ N(E[b], v), and backwards a gradient is scaled by
 * n_out·E[w²]·E[act'(z)²]. With the kernel's fans as Keras defines them (kh·kw·channels for a
 * convolution), the same formulas hold for both. A kernel initializer with a nonzero mean is
 * taken as centered.
 */
export const affineSignal: OpSignal = {
  forward: (inputs, layer, ctx) => moments(inputs[0]!, layer, ctx).forward,
  backward: (gradOutput, inputs, layer, ctx) => {
    const [kernel] = layer.weights;
    return [kernel!.fanOut * ctx.meanSquare(kernel!) * moments(inputs[0]!, layer, ctx).backward * gradOutput];
  },
  mean: (inputs, layer, ctx) => moments(inputs[0]!, layer, ctx).mean,
  // Each unit's mean over the batch is Σ w·m_x + b: offsets n_in·E[w²]·(the input's) + E[b²].
  offset: (inputs, layer, ctx) => {
    const [kernel, bias] = layer.weights;
    const gain = kernel!.fanIn * ctx.meanSquare(kernel!);
    const offset = gain * ctx.offsets[0]! + (bias ? ctx.meanSquare(bias) : 0);
    const { mean, variance } = preActivation(inputs[0]!, layer, ctx);
    const activation = activationOf(layer);
    if (activation.name === 'linear') return offset;
    return ctx.activationOffset(activation, mean, Math.max(offset - mean * mean, 0), Math.max(variance + mean * mean - offset, 0), units(layer));
  },
};

/** What the layer's activation does to its pre-activation, for an input of second moment `input`. */
export function moments(input: number, layer: IRLayer, ctx: SignalContext): ActivationMoments {
  const { mean, variance } = preActivation(input, layer, ctx);
  return ctx.activation(activationOf(layer), variance, units(layer), mean);
}

/** Units or filters: the last axis of the kernel, which a softmax activation normalizes over. */
export function units(layer: IRLayer): number {
  const kernel = layer.weights[0]!;
  return kernel.shape[kernel.shape.length - 1]!;
}

/** Mean and variance of the pre-activation of an affine layer. */
export function preActivation(input: number, layer: IRLayer, ctx: SignalContext): { mean: number; variance: number } {
  const [kernel, bias] = layer.weights;
  const mean = bias ? ctx.meanOf(bias) : 0;
  const biasVariance = bias ? Math.max(ctx.meanSquare(bias) - mean * mean, 0) : 0;
  return { mean, variance: kernel!.fanIn * ctx.meanSquare(kernel!) * input + biasVariance };
}

export function activationOf(layer: IRLayer): ActivationSpec {
  return (layer.attrs.activation as ActivationSpec | undefined) ?? { name: 'linear', params: {} };
}
