import { pyFloat } from '../../codegen/torch/python.js';
import type { ActivationSpec } from '../../ir/ir.js';

/**
 * The PyTorch lowering of every activation, as an expression of the Python expression `x`.
 * torch's choices at the kinks are tfjs's: relu'(0) = 0, leaky_relu'(0) = alpha, elu'(0) and
 * selu'(0) take the branch below 0; torch's selu constants are tfjs's to the last digit.
 */
export interface TorchActivation {
  apply(spec: ActivationSpec, x: string): string;
  differences?: string;
}

const num = (spec: ActivationSpec, name: string, fallback: number): number => {
  const value = spec.params[name];
  return typeof value === 'number' ? value : fallback;
};

export const torchActivations: Record<string, TorchActivation> = {
  linear: { apply: (_spec, x) => x },
  relu: { apply: (_spec, x) => `F.relu(${x})` },
  tanh: { apply: (_spec, x) => `torch.tanh(${x})` },
  sigmoid: { apply: (_spec, x) => `torch.sigmoid(${x})` },
  selu: { apply: (_spec, x) => `F.selu(${x})` },
  // torch's softplus returns x beyond `threshold` (20 by default), 2e-9 from log(1 + eˣ) there in
  // float64; at 40 the difference is below float64's rounding, and eˣ is still finite in float32.
  softplus: { apply: (_spec, x) => `F.softplus(${x}, threshold=40.0)` },
  gelu: {
    apply: (_spec, x) => `F.gelu(${x})`,
    differences:
      "torch evaluates the erf exactly, as the float64 engine does; tfjs's float32 kernel uses the Abramowitz-Stegun approximation of erf (error up to 1.5e-7).",
  },
  swish: { apply: (_spec, x) => `F.silu(${x})` },
  softmax: { apply: (_spec, x) => `F.softmax(${x}, dim=-1)` },
  elu: { apply: (spec, x) => (num(spec, 'alpha', 1) === 1 ? `F.elu(${x})` : `F.elu(${x}, alpha=${pyFloat(num(spec, 'alpha', 1))})`) },
  leaky_relu: { apply: (spec, x) => `F.leaky_relu(${x}, ${pyFloat(num(spec, 'alpha', 0.3))})` },
};
