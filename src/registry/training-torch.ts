import { pyFloat, pyNumber } from '../codegen/torch/python.js';
import type { PyDefinition } from './op.js';

/**
 * The PyTorch side of the losses, metrics and optimizers (training.ts holds the rest of their
 * definitions). Each loss and metric is a function `(y_true, y_pred) -> rows` that reduces the
 * last axis exactly as tfjs-layers does; train.py averages the rows of each sample, then the samples.
 */

const def = (name: string, source: string, ...requires: PyDefinition[]): PyDefinition => ({ name, source: source.trim(), requires });

const rowMean = def(
  'row_mean',
  `
def row_mean(x):
    """The mean over the last axis, as tfjs's losses take it; one number per sample has no axis to reduce."""
    return x.mean(dim=-1) if x.dim() > 1 else x
`,
);

/** tfjs-layers clips probabilities to [epsilon, 1 - epsilon] with epsilon 1e-7, in float32: these are the bounds that apply. */
const clip = def(
  'CLIP',
  `
# tfjs-layers clips probabilities to [1e-7, 1 - 1e-7] in float32: these are the bounds it really applies.
CLIP = (${pyNumber(Math.fround(1e-7))}, ${pyNumber(Math.fround(1 - 1e-7))})
`,
);

export const torchLosses = {
  mse: def(
    'mean_squared_error',
    `
def mean_squared_error(y_true, y_pred):
    return row_mean((y_pred - y_true) ** 2)
`,
    rowMean,
  ),
  mae: def(
    'mean_absolute_error',
    `
def mean_absolute_error(y_true, y_pred):
    return row_mean((y_pred - y_true).abs())
`,
    rowMean,
  ),
  huber: def(
    'huber',
    `
def huber(y_true, y_pred):
    """Huber with delta 1, as tf.losses.huberLoss builds it: 0.5 min(e, 1)^2 + (e - min(e, 1))."""
    error = (y_pred - y_true).abs()
    quadratic = error.clamp(max=1.0)
    return row_mean(0.5 * quadratic * quadratic + (error - quadratic))
`,
    rowMean,
  ),
  binary_crossentropy: def(
    'binary_crossentropy',
    `
def binary_crossentropy(y_true, y_pred):
    """tfjs's: clip the probabilities, take their logits, then sigmoid cross-entropy with logits."""
    p = y_pred.clamp(*CLIP)
    return row_mean(F.binary_cross_entropy_with_logits(torch.log(p / (1 - p)), y_true, reduction="none"))
`,
    rowMean,
    clip,
  ),
  categorical_crossentropy: def(
    'categorical_crossentropy',
    `
def categorical_crossentropy(y_true, y_pred):
    """tfjs's: the rows rescaled to sum 1, clipped, then -sum(t log q) over the last axis (a sum, not a mean)."""
    q = y_pred / y_pred.sum(dim=-1, keepdim=True)
    return -(y_true * torch.log(q.clamp(*CLIP))).sum(dim=-1)
`,
    clip,
  ),
};

const binaryAccuracy = def(
  'binary_accuracy',
  `
def binary_accuracy(y_true, y_pred):
    return row_mean((y_true == (y_pred > 0.5).to(y_true.dtype)).to(y_pred.dtype))
`,
  rowMean,
);

/** On one-hot targets, which is how sparse outputs arrive, sparse accuracy is categorical accuracy. */
const categoricalAccuracy = def(
  'categorical_accuracy',
  `
def categorical_accuracy(y_true, y_pred):
    """Whether the arg-max of the prediction is the target's class (the first maximum on ties, as tfjs's argMax)."""
    return (y_true.argmax(dim=-1) == y_pred.argmax(dim=-1)).to(y_pred.dtype)
`,
);

export const torchMetrics = {
  mae: torchLosses.mae,
  mse: torchLosses.mse,
  binaryAccuracy,
  categoricalAccuracy,
};

const rmsprop = def(
  'RMSprop',
  `
class RMSprop(torch.optim.Optimizer):
    """RMSprop stepping as TensorFlow.js does (torch's adds eps outside the square root, tfjs inside):
    ms = rho ms + (1 - rho) g^2;  m = momentum m + lr g / sqrt(ms + eps);  w -= m."""

    def __init__(self, params, lr, rho, momentum, eps):
        super().__init__(params, dict(lr=lr, rho=rho, momentum=momentum, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["square_avg"] = torch.zeros_like(p)
                    state["momentum"] = torch.zeros_like(p)
                square_avg, moment = state["square_avg"], state["momentum"]
                square_avg.mul_(group["rho"]).addcmul_(p.grad, p.grad, value=1 - group["rho"])
                moment.mul_(group["momentum"]).add_(p.grad * group["lr"] / (square_avg + group["eps"]).sqrt())
                p.sub_(moment)
`,
);

const adagrad = def(
  'Adagrad',
  `
class Adagrad(torch.optim.Optimizer):
    """Adagrad stepping as TensorFlow.js does: the accumulators start at 0.1 and
    w -= lr g / sqrt(acc + 1e-7) (torch adds its eps, 1e-10, outside the square root)."""

    def __init__(self, params, lr):
        super().__init__(params, dict(lr=lr))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["sum"] = torch.full_like(p, 0.1)
                state["sum"].addcmul_(p.grad, p.grad)
                p.sub_(p.grad / (state["sum"] + 1e-7).sqrt() * group["lr"])
`,
);

type Emit = (p: Record<string, number>, parameters: string) => { expression: string; requires: PyDefinition[] };

/** torch.optim's SGD and Adam step exactly as tfjs's momentum, sgd and adam optimizers (Adam with the train block's epsilon). */
export const torchOptimizers: Record<'sgd' | 'adam' | 'rmsprop' | 'adagrad', Emit> = {
  sgd: (p, parameters) => ({
    expression: `torch.optim.SGD(${parameters}, lr=${pyFloat(p.learning_rate!)}${p.momentum! > 0 ? `, momentum=${pyFloat(p.momentum!)}` : ''})`,
    requires: [],
  }),
  adam: (p, parameters) => ({
    expression: `torch.optim.Adam(${parameters}, lr=${pyFloat(p.learning_rate!)}, betas=(${pyFloat(p.beta1!)}, ${pyFloat(p.beta2!)}), eps=${pyFloat(p.epsilon!)})`,
    requires: [],
  }),
  rmsprop: (p, parameters) => ({
    expression: `RMSprop(${parameters}, lr=${pyFloat(p.learning_rate!)}, rho=${pyFloat(p.rho!)}, momentum=${pyFloat(p.momentum!)}, eps=${pyFloat(p.epsilon!)})`,
    requires: [rmsprop],
  }),
  adagrad: (p, parameters) => ({ expression: `Adagrad(${parameters}, lr=${pyFloat(p.learning_rate!)})`, requires: [adagrad] }),
};
