import type { IRLayer, Shape } from '../ir/ir.js';
import type { OnnxDim, OpOnnx } from '../registry/onnx.js';

/**
 * Names for unknown dimensions. An input's `?` on axis i is `NAME_dimI`; an op's unknown
 * output dimension takes the name of the input dimension it equals, when the op says which
 * (`same`, `leading`), and otherwise a name of its own, after the tensor.
 */

export function inputDims(name: string, shape: Shape): OnnxDim[] {
  return shape.map((d, i) => d ?? `${name}_dim${i}`);
}

export function outputDims(tensor: string, shape: Shape, inputs: ReadonlyArray<readonly OnnxDim[]>, rule: OpOnnx['dims'], layer: IRLayer): OnnxDim[] {
  return shape.map((d, axis) => {
    if (d !== null) return d;
    const carried = rule === 'same' || (rule === 'leading' && axis < shape.length - 1) || (typeof rule === 'function' && rule(axis, shape.length, layer));
    if (carried) {
      // Merges require equal sizes: a known size among the inputs is the size.
      const candidates = rule === 'leading' ? inputs.slice(0, 1) : inputs.filter((dims) => dims.length === shape.length);
      const known = candidates.map((dims) => dims[axis]).find((x) => typeof x === 'number');
      const named = candidates.map((dims) => dims[axis]).find((x) => typeof x === 'string');
      if (known !== undefined || named !== undefined) return (known ?? named)!;
    }
    return `${tensor}_dim${axis}`;
  });
}
