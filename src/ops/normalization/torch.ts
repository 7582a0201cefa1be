import type { OpTorch, PyDefinition } from '../../registry/op.js';

/**
 * The PyTorch lowering of the normalizations. layer_norm is nn.LayerNorm (biased variance, epsilon
 * inside the square root, as tfjs). batch_norm is a module of its own: torch's BatchNorm layers put
 * channels first, keep the unbiased variance in their running average and count momentum the other
 * way round; this one is Keras's, over the last axis, and can share its statistics across processes.
 */

const batchMoments: PyDefinition = {
  name: 'batch_moments',
  source: String.raw`
def batch_moments(x, dims, sync):
    """The mean and biased variance over dims (tf.moments); with sync, over every process's batch,
    through differentiable all-reduces (SyncBatchNorm's semantics with Keras's statistics)."""
    if not (sync and torch.distributed.is_available() and torch.distributed.is_initialized()):
        mean = x.mean(dim=dims)
        return mean, ((x - mean) ** 2).mean(dim=dims)
    from torch.distributed.nn.functional import all_reduce

    count = torch.tensor([x.numel() / x.shape[-1]], dtype=x.dtype, device=x.device)
    sums = all_reduce(torch.cat([x.sum(dim=dims), count]))
    mean = sums[:-1] / sums[-1]
    return mean, all_reduce(((x - mean) ** 2).sum(dim=dims)) / sums[-1]`.trim(),
};

const batchNormModule: PyDefinition = {
  name: 'BatchNorm',
  requires: [batchMoments],
  source: String.raw`
class BatchNorm(nn.Module):
    """Keras's BatchNormalization over the last axis: in training, batch statistics (biased variance),
    and moving averages updated as moving -= (moving - batch) (1 - momentum); at inference, the
    moving averages. sync = True (train.py's --sync-bn) takes the statistics over all processes."""

    def __init__(self, features, momentum, epsilon):
        super().__init__()
        self.momentum = momentum
        self.epsilon = epsilon
        self.sync = False
        self.weight = nn.Parameter(torch.ones(features))
        self.bias = nn.Parameter(torch.zeros(features))
        self.register_buffer("running_mean", torch.zeros(features))
        self.register_buffer("running_var", torch.ones(features))

    def forward(self, x):
        if x.dtype in (torch.float16, torch.bfloat16):
            return self.forward(x.float()).to(x.dtype)
        if not self.training:
            mean, var = self.running_mean, self.running_var
        else:
            mean, var = batch_moments(x, tuple(range(x.dim() - 1)), self.sync)
            with torch.no_grad():
                self.running_mean.sub_((self.running_mean - mean) * (1 - self.momentum))
                self.running_var.sub_((self.running_var - var) * (1 - self.momentum))
        return (x - mean) * torch.rsqrt(var + self.epsilon) * self.weight + self.bias

    def extra_repr(self):
        return f"{self.weight.shape[0]}, momentum={self.momentum} (Keras's), epsilon={self.epsilon}, sync={self.sync}"`.trim(),
};

export const batchNormTorch: OpTorch = {
  module: (layer, ctx) =>
    `${ctx.use(batchNormModule)}(${layer.weights[0]!.shape[0]}, momentum=${ctx.number(layer.attrs.momentum as number)}, epsilon=${ctx.number(layer.attrs.epsilon as number)})`,
  weights: () => [
    { attr: 'weight', layout: 'same' },
    { attr: 'bias', layout: 'same' },
    { attr: 'running_mean', layout: 'same' },
    { attr: 'running_var', layout: 'same' },
  ],
  forward: (_layer, [x], ctx) => `${ctx.module}(${x})`,
};

export const layerNormTorch: OpTorch = {
  module: (layer, ctx) => `nn.LayerNorm(${layer.weights[0]!.shape[0]}, eps=${ctx.number(layer.attrs.epsilon as number)})`,
  weights: () => [
    { attr: 'weight', layout: 'same' },
    { attr: 'bias', layout: 'same' },
  ],
  forward: (_layer, [x], ctx) => `${ctx.module}(${x})`,
};
