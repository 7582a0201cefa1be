import type { IRModel } from '../../../src/ir/ir.js';
import { act, adam, denseAttrs, initSpec, ModelBuilder, sgd } from './ir-builder.js';

/**
 * Hand-built IR models covering the generator's cases. Each is a function: tests get a fresh
 * model they may not share by accident.
 */

/** A classifier: one input, a hidden layer inside a pipeline, one output, a seeded train block. */
export function mlp(): IRModel {
  const b = new ModelBuilder('Mlp');
  b.input('x', [4]);
  b.chain('probs/dense_1', 'dense', denseAttrs(8, { activation: act('relu'), init: initSpec('he') }), ['x']);
  b.chain('probs', 'dense', denseAttrs(3, { activation: act('softmax', { axis: -1 }) }), ['probs/dense_1'], 'probs');
  b.output('probs', 'probs');
  return b
    .training({
      losses: [['probs', 'categorical_crossentropy', 1]],
      optimizer: adam,
      metrics: ['accuracy'],
      epochs: 5,
      batchSize: 16,
      validationSplit: 0.2,
      shuffle: true,
      seed: 7,
    })
    .build();
}

/**
 * A shared encoder (one layer applied twice, with an activation tfjs needs a second layer for),
 * a concat, a subtract (the Subtract runtime), four outputs of which one is the shared layer's
 * (so it needs an identity layer), weighted losses, and metrics given per output (one output has none).
 */
export function sharedEncoder(): IRModel {
  const b = new ModelBuilder('SharedEncoder');
  b.input('left', [3]);
  b.input('right', [3]);
  b.layer('encoder', 'dense', denseAttrs(4, { activation: act('leaky_relu', { alpha: 0.2 }), init: initSpec('he') }));
  const a = b.apply('encoder', ['left'], 'a');
  const c = b.apply('encoder', ['right'], 'b');
  b.chain('merged', 'concat', { axis: -1 }, [a, c], 'merged');
  b.chain('score', 'dense', denseAttrs(1, { activation: act('sigmoid') }), ['merged'], 'score');
  b.chain('cls', 'dense', denseAttrs(3, { activation: act('softmax', { axis: -1 }) }), ['merged'], 'cls');
  b.chain('gap', 'subtract', {}, [a, c], 'gap');
  b.output('score', 'score').output('cls', 'cls').output('gap', 'gap').output('emb', a);
  return b
    .training({
      losses: [
        ['score', 'binary_crossentropy', 1],
        ['cls', 'categorical_crossentropy', 1],
        ['gap', 'mse', 2],
        ['emb', 'mse', 0.5],
      ],
      optimizer: sgd(0.1),
      metrics: { score: ['accuracy'], cls: ['accuracy'], gap: ['mae'] },
      epochs: 3,
      batchSize: 8,
      validationSplit: 0,
      shuffle: false,
      seed: null,
    })
    .build();
}

/**
 * Name clashes: output `y` comes from a layer named `y` that lowers to two tfjs layers (dense and
 * leakyReLU), so the name moves to an identity layer; output `z` comes from a layer named
 * otherwise. No train block and no random initializer.
 */
export function collisions(): IRModel {
  const b = new ModelBuilder('Collisions');
  b.input('x', [2]);
  const zeros = initSpec('zeros');
  b.chain('y', 'dense', denseAttrs(2, { activation: act('leaky_relu', { alpha: 0.1 }), init: initSpec('ones'), biasInit: zeros }), ['x'], 'y');
  b.chain('z/dense_1', 'dense', denseAttrs(2, { bias: false, init: initSpec('identity', { gain: 2 }) }), ['y']);
  return b.output('y', 'y').output('z', 'z/dense_1').build();
}

/** User names that are JS keywords, prototype keys, quotes and comment terminators. */
export const unsafeFilename = 'we*/ird\n// name\u2028.nn';
export const unsafeNameList = ['class', 'constructor', '__proto__', 'await', 'x"y', 'a*/b', 'toString'];

/** A model using `names` (the unsafe ones by default) for its model, inputs, layers and outputs. */
export function unsafeNames(names: readonly string[] = unsafeNameList): IRModel {
  const [model, input1, input2, dense, concat, head, output3] = names as [string, string, string, string, string, string, string];
  const b = new ModelBuilder(model);
  b.input(input1, [2]);
  b.input(input2, [3]);
  b.chain(dense, 'dense', denseAttrs(3, { activation: act('tanh') }), [input1], dense);
  b.chain(concat, 'concat', { axis: -1 }, [dense, input2], concat);
  b.chain(head, 'dense', denseAttrs(1), [concat], head);
  const second = b.chain(`${model}/dense_1`, 'dense', denseAttrs(2), [dense]);
  const third = b.chain(`${input2}/dense_1`, 'dense', denseAttrs(2), [input2]);
  b.output(head, head).output(model, second).output(output3, third);
  return b
    .training({
      losses: [
        [head, 'mse', 1],
        [model, 'mae', 0.25],
        [output3, 'mse', 1],
      ],
      optimizer: sgd(0.05),
      metrics: ['mae'],
      epochs: 2,
      batchSize: 4,
      validationSplit: 0,
      shuffle: true,
      seed: 3,
    })
    .build();
}

/** The element-wise difference of two inputs, one of unknown length. */
export function subtractOnly(): IRModel {
  const b = new ModelBuilder('Difference');
  b.input('a', [null, 3]);
  b.input('b', [2, 3]);
  b.chain('diff', 'subtract', {}, ['a', 'b'], 'diff');
  return b.output('diff', 'diff').build();
}

/** Two independent regression heads on one input: what loss weights scale is easy to see. */
export function twoHeads(weightOfB: number): IRModel {
  const b = new ModelBuilder('TwoHeads');
  b.input('x', [3]);
  b.chain('a', 'dense', denseAttrs(1), ['x'], 'a');
  b.chain('b', 'dense', denseAttrs(1), ['x'], 'b');
  b.output('a', 'a').output('b', 'b');
  return b
    .training({
      losses: [
        ['a', 'mse', 1],
        ['b', 'mse', weightOfB],
      ],
      optimizer: sgd(0.1),
      metrics: [],
      epochs: 1,
      batchSize: 4,
      validationSplit: 0,
      shuffle: false,
      seed: 11,
    })
    .build();
}

/** A chain of `n` small dense layers, like `repeat(n, dense(2, linear, bias=false, init=identity(1.5)))`. */
export function deepChain(n: number): IRModel {
  const b = new ModelBuilder('DeepChain');
  let node = b.input('x', [2]);
  for (let i = 1; i <= n; i++) {
    const id = i === n ? 'y' : `y/dense_${i}`;
    node = b.chain(id, 'dense', denseAttrs(2, { bias: false, init: initSpec('identity', { gain: 1.5 }) }), [node], i === n ? 'y' : undefined);
  }
  return b.output('y', node).build();
}

/** Class ids as targets (a sparse loss, weighted) beside a regression output; a sequence of unknown length. */
export function sparseClassifier(): IRModel {
  const b = new ModelBuilder('Sparse');
  b.input('x', [4]);
  b.input('steps', [null, 2]);
  b.chain('digit', 'dense', denseAttrs(5, { activation: act('softmax', { axis: -1 }) }), ['x'], 'digit');
  b.chain('tags', 'dense', denseAttrs(3, { activation: act('softmax', { axis: -1 }) }), ['steps'], 'tags');
  b.chain('level', 'dense', denseAttrs(1), ['x'], 'level');
  b.output('digit', 'digit').output('tags', 'tags').output('level', 'level');
  return b
    .training({
      losses: [
        ['digit', 'sparse_categorical_crossentropy', 0.5],
        ['tags', 'sparse_categorical_crossentropy', 1],
        ['level', 'huber', 1],
      ],
      optimizer: adam,
      metrics: { digit: ['accuracy'], tags: ['accuracy'], level: ['mae'] },
      epochs: 2,
      batchSize: 4,
      validationSplit: 0,
      shuffle: true,
      seed: 5,
    })
    .build();
}

/**
 * Tensors read more than once by one layer (`add(h, h)`, `concat(x, h, x)`) and also elsewhere,
 * two outputs of one tensor, and an output that is an input.
 */
export function repeatedInputs(): IRModel {
  const b = new ModelBuilder('Repeated');
  b.input('x', [3]);
  b.chain('h', 'dense', denseAttrs(3, { activation: act('tanh') }), ['x'], 'h');
  b.chain('sum/add_1', 'add', {}, ['h', 'h']);
  b.chain('sum', 'dense', denseAttrs(2), ['sum/add_1'], 'sum');
  b.chain('wide', 'concat', { axis: -1 }, ['x', 'h', 'x'], 'wide');
  b.output('sum', 'sum').output('wide', 'wide').output('first', 'h').output('second', 'h').output('raw', 'x');
  return b.build();
}

/** A residual chain of `blocks` blocks (dense, dense, add), for models built in parts. */
export function residualChain(blocks: number): IRModel {
  const b = new ModelBuilder('Residual');
  let trunk = b.input('x', [2]);
  for (let i = 1; i <= blocks; i++) {
    const h = b.chain(`b${i}/dense_1`, 'dense', denseAttrs(2, { activation: act('tanh') }), [trunk]);
    const g = b.chain(`b${i}/dense_2`, 'dense', denseAttrs(2), [h]);
    trunk = b.chain(`b${i}`, 'add', {}, [trunk, g], `b${i}`);
  }
  b.chain('y', 'dense', denseAttrs(1), [trunk], 'y');
  return b
    .output('y', 'y')
    .training({ losses: [['y', 'mse', 1]], optimizer: sgd(0.01), metrics: [], epochs: 1, batchSize: 4, validationSplit: 0, shuffle: false, seed: 1 })
    .build();
}

/** Partition sizes that build a small model in parts, as a model of thousands of layers is built. */
export const smallParts = { flat: 8, part: 5, limit: 9, minimum: 2 };

/** The hand-built cases with golden outputs, by fixture folder name. */
export const goldenCases: Record<string, { model: () => IRModel; filename: string; partition?: typeof smallParts }> = {
  mlp: { model: mlp, filename: 'mlp.nn' },
  'shared-encoder': { model: sharedEncoder, filename: 'shared.nn' },
  collisions: { model: collisions, filename: 'collisions.nn' },
  'unsafe-names': { model: () => unsafeNames(), filename: unsafeFilename },
  subtract: { model: subtractOnly, filename: 'subtract.nn' },
  'sparse-targets': { model: sparseClassifier, filename: 'sparse.nn' },
  'repeated-inputs': { model: repeatedInputs, filename: 'repeated.nn' },
  parts: { model: () => residualChain(5), filename: 'residual.nn', partition: smallParts },
};
