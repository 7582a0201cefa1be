import fc from 'fast-check';

/**
 * A random model as a list of small choices. The interpreter (build-model.ts) turns any plan
 * into a valid model: a step that does not fit the tensors at hand is left out, and every
 * number picks among what fits. So fast-check can shrink a plan freely (drop steps, lower
 * numbers towards the simplest option) and every shrunk plan is still a valid model.
 */

export const STEP_KINDS = [
  'dense',
  'activation',
  'dropout',
  'merge',
  'concat',
  'norm',
  'shared',
  'block',
  'repeat',
  'conv',
  'pool',
  'global',
  'reshape',
  'embed',
] as const;

export type StepKind = (typeof STEP_KINDS)[number];

/** One statement's worth of model. Each number is read modulo the options the step has. */
export interface StepChoice {
  kind: StepKind;
  /** Which tensor to start from, among those that fit. */
  pick: number;
  /** Which second tensor, for steps that combine two. */
  partner: number;
  /** Units, filters, window or factor. */
  size: number;
  /** Which form of the step. */
  variant: number;
  /** Which activation. */
  act: number;
  /** How the source spells it (positional or keyword arguments, tuple or call...). */
  spell: number;
}

export interface InputChoice {
  kind: 'vector' | 'image' | 'ids';
  a: number;
  b: number;
  c: number;
  /** Images only: height and width written `?`. */
  unknown: boolean;
}

export type Task = 'regression' | 'binary' | 'categorical' | 'sparse';

export interface HeadChoice {
  pick: number;
  task: Task;
  units: number;
  /** Which regression loss. */
  loss: number;
  /** Index into the loss weights. */
  weight: number;
  /** A hidden dense layer before the last one, and its activation. */
  hidden: number;
  /** `y = expr` then `output y`, instead of `output y = expr`. */
  bare: boolean;
  spell: number;
}

export interface Plan {
  inputs: InputChoice[];
  steps: StepChoice[];
  heads: HeadChoice[];
  /** The optimizer and the other training settings. */
  train: number;
  /** Whether the train block sets loss weights. */
  weighted: boolean;
}

const small = fc.nat({ max: 11 });

const step: fc.Arbitrary<StepChoice> = fc.record({
  kind: fc.constantFrom(...STEP_KINDS),
  pick: small,
  partner: small,
  size: small,
  variant: small,
  act: small,
  spell: small,
});

const input: fc.Arbitrary<InputChoice> = fc.record({
  // Ids only feed embeddings: fewer of them leaves more room for the rest.
  kind: fc.constantFrom('vector', 'image', 'vector', 'image', 'ids'),
  a: small,
  b: small,
  c: small,
  unknown: fc.boolean(),
});

const head: fc.Arbitrary<HeadChoice> = fc.record({
  pick: small,
  task: fc.constantFrom<Task>('regression', 'binary', 'categorical', 'sparse'),
  units: small,
  loss: small,
  weight: small,
  hidden: small,
  bare: fc.boolean(),
  spell: small,
});

export function planArbitrary(options: { maxSteps?: number } = {}): fc.Arbitrary<Plan> {
  return fc.record({
    inputs: fc.array(input, { minLength: 1, maxLength: 3 }),
    steps: fc.array(step, { maxLength: options.maxSteps ?? 7 }),
    heads: fc.array(head, { minLength: 1, maxLength: 3 }),
    train: small,
    weighted: fc.boolean(),
  });
}
