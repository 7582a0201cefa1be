/**
 * How the generated source writes layers: the activation catalogue (softmax is kept for the
 * heads) and the several equivalent spellings of a call, so that random models exercise
 * positional and keyword arguments, lone numbers and pairs, defaults written out or left out.
 */

/** Index 0 is the simplest: shrinking goes there. */
export const ACTIVATIONS = [
  'linear',
  'relu',
  'tanh',
  'sigmoid',
  'elu',
  'elu(0.5)',
  'selu',
  'softplus',
  'leaky_relu',
  'leaky_relu(0.2)',
  'gelu',
  'swish',
] as const;

export const activation = (i: number): string => ACTIVATIONS[i % ACTIVATIONS.length]!;

/** Initializers that keep activations well scaled; `identity` needs square kernels and is left out. */
const INITS = ['he', 'xavier', 'lecun', 'he_uniform', 'xavier_uniform', 'lecun_uniform', 'orthogonal'] as const;

export const choose = <T>(options: readonly T[], i: number): T => options[i % options.length]!;

export function denseText(units: number, act: string, spell: number, bias = true): string {
  const noBias = bias ? '' : ', bias=false';
  switch (spell % 4) {
    case 0:
      return act === 'linear' ? `dense(${units}${noBias})` : `dense(${units}, ${act}${noBias})`;
    case 1:
      return `dense(${units}, activation=${act}${noBias})`;
    case 2:
      return `dense(units=${units}, activation=${act}${noBias})`;
    default:
      return `dense(${units}, ${act}${noBias}, init=${choose(INITS, spell >> 2)})`;
  }
}

/** `3` or `[3, 2]`: a pair with equal halves may be written as one number. */
export const pairText = (a: number, b: number, spell: number): string => (a === b && spell % 2 === 0 ? String(a) : `[${a}, ${b}]`);

export const DROPOUT_RATES = [0.1, 0.25, 0.5] as const;

export function dropoutText(i: number, spell: number): string {
  const rate = choose(DROPOUT_RATES, i);
  return spell % 2 === 0 ? `dropout(${rate})` : `dropout(rate=${rate})`;
}

export function layerNormText(spell: number): string {
  return spell % 3 === 2 ? 'layer_norm(epsilon=0.001)' : 'layer_norm';
}

export function batchNormText(spell: number): string {
  return choose(['batch_norm', 'batch_norm(momentum=0.9)', 'batch_norm(epsilon=0.001)'], spell);
}
