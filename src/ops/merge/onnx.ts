import { graphAxis } from '../../onnx/layout.js';
import type { OnnxContext, OnnxValue, OpOnnx } from '../../registry/onnx.js';

/**
 * The merges in ONNX. They work in either axis order, so they take their inputs in the order
 * most of them are held in (a residual add of two channels-first tensors needs no transpose).
 */

function inputs(ctx: OnnxContext): OnnxValue[] {
  const layout = ctx.commonLayout();
  return Array.from({ length: ctx.arity }, (_, i) => ctx.input(i, layout));
}

/** One variadic operator (Sum, Mean, Max, Min), or the binary one when there are two inputs. */
function variadic(op: string, binary: string = op): OpOnnx {
  return {
    doc: op === binary ? `\`${op}\`` : `\`${binary}\`; \`${op}\` for more than two`,
    dims: 'same',
    lower(ctx) {
      const xs = inputs(ctx);
      return ctx.node(xs.length === 2 ? binary : op, xs.map((x) => x.name), {}, { layout: xs[0]!.layout });
    },
  };
}

/** A binary operator folded left to right over the inputs. */
function folded(op: string): OpOnnx {
  return {
    doc: `\`${op}\`, folded left to right`,
    dims: 'same',
    lower(ctx) {
      const [first, ...rest] = inputs(ctx);
      return rest.reduce((acc, x) => ctx.node(op, [acc.name, x.name], {}, { layout: first!.layout }), first!);
    },
  };
}

export const mergeOnnx = {
  add: variadic('Sum', 'Add'),
  subtract: variadic('Sub'),
  multiply: folded('Mul'),
  average: variadic('Mean'),
  maximum: variadic('Max'),
  minimum: variadic('Min'),
  concat: {
    doc: '`Concat` on the axis, in whichever order the inputs are held',
    // Every axis but the joined one is the same in all inputs.
    dims: (axis, rank, layer) => axis !== ((layer.attrs.axis as number) + rank) % rank,
    lower(ctx) {
      const xs = inputs(ctx);
      const axis = graphAxis(ctx.layer.attrs.axis as number, xs[0]!.dims.length, xs[0]!.layout);
      return ctx.node('Concat', xs.map((x) => x.name), { axis: { int: axis } }, { layout: xs[0]!.layout, dtype: xs[0]!.dtype });
    },
  },
} satisfies Record<string, OpOnnx>;
