import type { OpTorch, PyDefinition } from '../../registry/op.js';

/**
 * The PyTorch lowering of the merges. maximum and minimum fold left to right with a strict
 * comparison, so that on ties the first input wins and takes the whole gradient, as in tfjs and
 * the float64 engine (torch.maximum would split a tie's gradient in halves).
 */

const extreme = (name: 'maximum' | 'minimum', op: '>' | '<'): PyDefinition => ({
  name,
  source: `
def ${name}(first, *rest):
    """The elementwise ${name}, folded left to right: on ties the earlier input wins and gets the gradient."""
    result = first
    for x in rest:
        result = torch.where(x ${op} result, x, result)
    return result`.trim(),
});

const maximum = extreme('maximum', '>');
const minimum = extreme('minimum', '<');

export const torchMerges: Record<string, OpTorch> = {
  add: { forward: (_layer, xs) => xs.join(' + ') },
  subtract: { forward: (_layer, [a, b]) => `${a} - ${b}` },
  multiply: { forward: (_layer, xs) => xs.join(' * ') },
  average: { forward: (_layer, xs) => `(${xs.join(' + ')}) / ${xs.length}` },
  maximum: { forward: (_layer, xs, ctx) => `${ctx.use(maximum)}(${xs.join(', ')})` },
  minimum: { forward: (_layer, xs, ctx) => `${ctx.use(minimum)}(${xs.join(', ')})` },
  // The language counts axes without the batch: 0 is torch's 1; negative axes count from the end in both.
  concat: {
    forward: (layer, xs) => {
      const axis = layer.attrs.axis as number;
      return `torch.cat([${xs.join(', ')}], dim=${axis < 0 ? axis : axis + 1})`;
    },
  },
};
