import type { IRLayer } from '../../ir/ir.js';
import type { OpTorch, PyDefinition } from '../../registry/op.js';
import { pair, samePadding } from '../conv2d.js';

/**
 * The PyTorch lowering of pooling, on channels-last images (permuted views, as for conv2d).
 * torch's pools pad symmetrically and at most half a window: TensorFlow's `same` padding is
 * spelt out with F.pad instead, with -inf for a max (padding never wins) and, for an average, a
 * count of the pixels inside the image (TensorFlow's average leaves the padding out).
 */

const maxPool: PyDefinition = {
  name: 'max_pool2d',
  requires: [samePadding],
  source: String.raw`
def max_pool2d(x, pool, strides, padding):
    """The maximum of each window of a channels-last image, channel by channel. The gradient goes to
    the first maximum of a window in row-major order, as in tfjs; "same" pads with -inf."""
    x = x.permute(0, 3, 1, 2)
    if padding == "same":
        x = F.pad(x, same_padding(x.shape[2:], pool, strides), value=float("-inf"))
    return F.max_pool2d(x, pool, strides).permute(0, 2, 3, 1)`.trim(),
};

const avgPool: PyDefinition = {
  name: 'avg_pool2d',
  requires: [samePadding],
  source: String.raw`
def avg_pool2d(x, pool, strides, padding):
    """The mean of each window of a channels-last image, channel by channel; with "same", over the
    window's pixels inside the image only, as TensorFlow averages."""
    x = x.permute(0, 3, 1, 2)
    if padding != "same":
        return F.avg_pool2d(x, pool, strides).permute(0, 2, 3, 1)
    pads = same_padding(x.shape[2:], pool, strides)
    total = F.avg_pool2d(F.pad(x, pads), pool, strides)
    inside = F.avg_pool2d(F.pad(torch.ones_like(x[:1, :1]), pads), pool, strides)
    return (total / inside).permute(0, 2, 3, 1)`.trim(),
};

const globalMax: PyDefinition = {
  name: 'global_max_pool2d',
  source: String.raw`
class GlobalMaxPool2d(torch.autograd.Function):
    """The maximum of each channel over a channels-last image [B, H, W, C] -> [B, C]. On ties every
    maximal pixel gets the whole gradient, as in TensorFlow's max reduction (torch's amax splits it)."""

    @staticmethod
    def forward(ctx, x):
        top = x.amax(dim=(1, 2), keepdim=True)
        ctx.save_for_backward(x, top)
        return top.flatten(1)

    @staticmethod
    def backward(ctx, grad):
        x, top = ctx.saved_tensors
        return (x == top).to(grad.dtype) * grad[:, None, None, :]


global_max_pool2d = GlobalMaxPool2d.apply`.trim(),
};

function windowArgs(layer: IRLayer): string {
  const window = pair(layer.attrs.pool!);
  const strides = layer.attrs.strides === null || layer.attrs.strides === undefined ? window : pair(layer.attrs.strides);
  return `(${window.join(', ')}), (${strides.join(', ')}), "${layer.attrs.padding}"`;
}

export const poolingTorch: Record<string, OpTorch> = {
  max_pool2d: { forward: (layer, [x], ctx) => `${ctx.use(maxPool)}(${x}, ${windowArgs(layer)})` },
  avg_pool2d: {
    forward: (layer, [x], ctx) => `${ctx.use(avgPool)}(${x}, ${windowArgs(layer)})`,
    differences:
      "With `padding=same`, where windows reach into the padding, torch's gradient is the true one (each pixel gets its windows' gradients divided by their counts of pixels inside the image); tfjs divides the gradient by the whole window size (warning W4008).",
  },
  global_max_pool2d: { forward: (_layer, [x], ctx) => `${ctx.use(globalMax)}(${x})` },
  global_avg_pool2d: { forward: (_layer, [x]) => `${x}.mean(dim=(1, 2))` },
};
