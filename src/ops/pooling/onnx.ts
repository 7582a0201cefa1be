import { windowAttributes, reduce } from '../../onnx/window.js';
import type { OpOnnx } from '../../registry/onnx.js';
import { pair } from '../conv2d.js';

/** The pools in ONNX. Windowed pools run channels-first; global ones reduce whichever order holds the image. */

export function windowedOnnx(op: 'MaxPool' | 'AveragePool'): OpOnnx {
  const counting = op === 'AveragePool' ? ', dividing by the pixels inside the image (`count_include_pad=0`), as TF does' : '';
  return {
    doc: `\`${op}\` channels-first; TF's \`same\` as explicit \`pads\`${counting}`,
    lower(ctx) {
      const x = ctx.input(0, 'first');
      const window = pair(ctx.layer.attrs.pool!);
      const strides = ctx.layer.attrs.strides === null || ctx.layer.attrs.strides === undefined ? window : pair(ctx.layer.attrs.strides);
      return ctx.node(op, [x.name], windowAttributes(x.dims, window, strides, ctx.layer.attrs.padding as string), { layout: 'first' });
    },
  };
}

export function globalOnnx(op: 'ReduceMax' | 'ReduceMean'): OpOnnx {
  return {
    doc: `\`${op}\` over the spatial axes (axes an input from opset 18)`,
    lower(ctx) {
      const x = ctx.input(0, 'any');
      const axes = x.layout === 'first' ? [2, 3] : [1, 2];
      return reduce(ctx, op, x, axes, false, ctx.outputDims);
    },
  };
}
