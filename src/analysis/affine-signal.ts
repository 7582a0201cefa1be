import type { ActivationSpec, IRLayer } from '../ir/ir.js';
import type { OpSignal } from '../registry/op.js';

/**
 * The signal rule of a layer computing act(x·W + b) (dense, conv2d): the pre-activation has
 * variance v = n_in·E[w²]·E[x²] + E[b²], the output E[act(z)²] for z ~ N(0, v); backwards a
 * gradient is scaled by n_out·E[w²]·E[act'(z)²]. With the kernel's fans as Keras defines them
 * (kh·kw·channels for a convolution), the same formulas hold for both.
 */
export const affineSignal: OpSignal = {
  forward: (inputs, layer, ctx) => ctx.activation(activationOf(layer), preActivation(inputs[0]!, layer, ctx), units(layer)).forward,
  backward: (gradOutput, inputs, layer, ctx) => {
    const [kernel] = layer.weights;
    const slope = ctx.activation(activationOf(layer), preActivation(inputs[0]!, layer, ctx), units(layer)).backward;
    return [kernel!.fanOut * ctx.meanSquare(kernel!) * slope * gradOutput];
  },
};

/** Units or filters: the last axis of the kernel, which a softmax activation normalizes over. */
export function units(layer: IRLayer): number {
  const kernel = layer.weights[0]!;
  return kernel.shape[kernel.shape.length - 1]!;
}

/** Variance of the pre-activation of an affine layer. */
export function preActivation(input: number, layer: IRLayer, ctx: Parameters<OpSignal['forward']>[2]): number {
  const [kernel, bias] = layer.weights;
  return kernel!.fanIn * ctx.meanSquare(kernel!) * input + (bias ? ctx.meanSquare(bias) : 0);
}

export function activationOf(layer: IRLayer): ActivationSpec {
  return (layer.attrs.activation as ActivationSpec | undefined) ?? { name: 'linear', params: {} };
}
