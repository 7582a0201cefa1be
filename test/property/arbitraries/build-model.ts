import { isFloat, isKnown, last, ModelBuilder, type BuildOptions, type Dim, type Tensor } from './model-builder.js';
import type { HeadChoice, InputChoice, Plan, StepChoice, StepKind, Task } from './plan.js';
import { activation, choose, denseText } from './spelling.js';
import { activationStep, concatStep, denseStep, dropoutStep, mergeStep, normStep, sharedStep } from './steps-core.js';
import { blockStep, repeatStep } from './steps-blocks.js';
import { convStep, embedStep, globalStep, poolStep, reshapeStep } from './steps-image.js';

/** A generated model: its source, and what the tests need to know about it without re-deriving it. */
export interface GeneratedModel {
  source: string;
  /** Output names with their loss, in declaration order. */
  outputs: Array<{ name: string; loss: string }>;
}

const STEPS: Record<StepKind, (b: ModelBuilder, s: StepChoice) => void> = {
  dense: denseStep,
  activation: activationStep,
  dropout: dropoutStep,
  merge: mergeStep,
  concat: concatStep,
  norm: normStep,
  shared: sharedStep,
  block: blockStep,
  repeat: repeatStep,
  conv: convStep,
  pool: poolStep,
  global: globalStep,
  reshape: reshapeStep,
  embed: embedStep,
};

function declareInput(b: ModelBuilder, choice: InputChoice, index: number): void {
  switch (choice.kind) {
    case 'vector':
      b.input(`v${index}`, [b.width(choice.a, 6)], 'float32');
      return;
    case 'image': {
      const hw: Dim[] = choice.unknown ? [null, null] : [2 + (choice.a % 5), 2 + (choice.b % 5)];
      b.input(`img${index}`, [...hw, b.width(choice.c, 3)], 'float32');
      return;
    }
    case 'ids':
      b.input(`ids${index}`, [1 + (choice.a % 4)], 'int32');
  }
}

/** A vector from any tensor: images are pooled (or flattened when small), ids embedded, matrices flattened. */
function vectorize(b: ModelBuilder, t: Tensor, variant: number): { text: string; size: number } {
  const name = b.use(t);
  if (t.dtype === 'int32') return { text: `${name} -> embedding(4, 2) -> flatten`, size: 2 * t.sizes[0]! };
  if (t.dims.length === 1) return { text: name, size: last(t) };
  const size = isKnown(t) ? t.sizes.reduce((p, d) => p * d, 1) : Infinity;
  if (t.dims.length === 3 && (size > 24 || variant % 2 === 0)) {
    return { text: `${name} -> ${variant % 4 < 2 ? 'global_avg_pool2d' : 'global_max_pool2d'}`, size: last(t) };
  }
  return { text: `${name} -> flatten`, size };
}

const REGRESSION_LOSSES = ['mse', 'mae', 'huber'] as const;

/** The last layer and loss of a head: linear for regression, sigmoid for binary, softmax for classes. */
function headLayer(b: ModelBuilder, h: HeadChoice): { text: string; loss: string } {
  const spell = (units: number, act: string): string => (h.spell % 3 === 2 && act === 'softmax' ? `dense(${units}) -> softmax` : denseText(units, act, h.spell % 3));
  const tasks: Record<Task, () => { text: string; loss: string }> = {
    regression: () => ({ text: spell(b.width(h.units, 3), 'linear'), loss: choose(REGRESSION_LOSSES, h.loss) }),
    binary: () => ({ text: spell(b.width(h.units, 2), 'sigmoid'), loss: 'binary_crossentropy' }),
    categorical: () => ({ text: spell(2 + (h.units % 3), 'softmax'), loss: 'categorical_crossentropy' }),
    sparse: () => ({ text: spell(2 + (h.units % 3), 'softmax'), loss: 'sparse_categorical_crossentropy' }),
  };
  return tasks[h.task]();
}

const LOSS_WEIGHTS = [1, 0.5, 2, 0.25, 1.5, 3] as const;
const OPTIMIZERS = ['sgd(learning_rate=0.01)', 'adam(learning_rate=0.001)', 'rmsprop', 'adam', 'sgd(learning_rate=0.05, momentum=0.9)'] as const;

function trainBlock(plan: Plan, outputs: GeneratedModel['outputs']): string[] {
  const losses = new Set(outputs.map((o) => o.loss));
  const loss = losses.size === 1 && plan.train % 2 === 0 ? [...losses][0]! : `{ ${outputs.map((o) => `${o.name}: ${o.loss}`).join(', ')} }`;
  const weights = plan.heads.map((h, i) => `${outputs[i]!.name}: ${choose(LOSS_WEIGHTS, h.weight)}`);
  return [
    'train {',
    `  loss = ${loss}`,
    ...(plan.weighted ? [`  loss_weights = { ${weights.join(', ')} }`] : []),
    `  optimizer = ${choose(OPTIMIZERS, plan.train)}`,
    ...(plan.train % 3 === 1 ? ['  epochs = 3', '  batch_size = 8'] : []),
    ...(plan.train % 4 === 2 ? ['  shuffle = false', '  seed = 1'] : []),
    '}',
  ];
}

/** Interprets a plan: inputs, steps (each skipped when nothing fits), heads, then the train block. */
export function buildModel(plan: Plan, options: BuildOptions = {}): GeneratedModel {
  const b = new ModelBuilder(options);
  plan.inputs.forEach((choice, i) => declareInput(b, choice, i + 1));
  for (const step of plan.steps) STEPS[step.kind](b, step);

  // Heads start from tensors nothing read yet, latest first, so that deep chains end in an output.
  const fresh = b.pool.filter((t) => t.uses === 0 && isFloat(t)).reverse();
  const sources = plan.heads.map((h) => (fresh.length ? choose(fresh, h.pick) : choose(b.pool.filter(isFloat), h.pick)) ?? b.pool[0]!);
  // Whatever no head reads (an input never used, a branch left open) joins the first head.
  const leftovers = b.pool.filter((t) => t.uses === 0 && !sources.includes(t));
  const outputs: GeneratedModel['outputs'] = [];
  const lines: string[] = [];
  plan.heads.forEach((h, i) => {
    const name = `y${i + 1}`;
    const parts = [sources[i]!, ...(i === 0 ? leftovers : [])].map((t) => vectorize(b, t, h.hidden));
    const joined = parts.length === 1 ? parts[0]!.text : `concat(${parts.map((p) => p.text).join(', ')})`;
    const hidden = h.hidden % 3 === 1 ? ` -> dense(4, ${activation(h.hidden + h.spell)})` : '';
    const last = headLayer(b, h);
    outputs.push({ name, loss: last.loss });
    const expr = `${joined}${hidden} -> ${last.text}`;
    if (h.bare) lines.push(`${name} = ${expr}`, `output ${name}`);
    else lines.push(`output ${name} = ${expr}`);
  });

  const indent = (l: string): string => (l ? `  ${l}` : l);
  const model = ['model Random {', ...b.inputs.map(indent), '', ...b.body.map(indent), ...lines.map(indent), '', ...trainBlock(plan, outputs).map(indent), '}'];
  const source = [...b.blocks.values(), model.join('\n')].join('\n\n') + '\n';
  return { source, outputs };
}
