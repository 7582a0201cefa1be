import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { registry } from '../../src/registry/registry.js';

/**
 * The sources the fuzz suite feeds nnc: mutated examples, token soup, grammar-aware random
 * programs and adversarial cases. Each is an fc.Arbitrary<string>; fuzz.test.ts runs a few
 * thousand in `npm test`, scripts/fuzz.ts any number.
 */

const examplesDir = join(import.meta.dirname, '../../examples');
export const examples: readonly string[] = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.nn'))
  .sort()
  .map((f) => readFileSync(join(examplesDir, f), 'utf8'));

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);

/** Numbers as a user (or a corrupted file) might write them, the extreme ones included. */
const numberText = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 64 }).map(String) },
  { weight: 2, arbitrary: pick(['0.5', '.5', '1e-3', '2.5E+2', '0.0', '-0.1', '1.', '0x10']) },
  { weight: 1, arbitrary: pick(['1e400', '-1e309', '1e308', '1e-400', '99999999999', '1e20', '4294967296', '9007199254740993', '1e6', '500001']) },
);

const word = fc.stringMatching(/^[a-z_][a-z0-9_]{0,7}$/);

const hostileString = pick(['"relu"', '"same"', "'mse'", '"a\\nb"', '"\u001b[31m"', '"\u0000"', '"', "'", '"unterminated', '""', '"\u202e"']);

/** Every kind of token the lexer knows, and some it does not. */
const token = fc.oneof(
  { weight: 4, arbitrary: pick(['model', 'block', 'input', 'output', 'layer', 'train', 'true', 'false', 'repeat', 'int32', 'float32']) },
  { weight: 4, arbitrary: pick([...registry.opNames(), ...registry.lossNames(), ...registry.optimizerNames(), ...registry.initializerNames()]) },
  { weight: 6, arbitrary: pick(['{', '}', '(', ')', '[', ']', ',', '=', ':', '->', '?', '-', '.', '#']) },
  { weight: 3, arbitrary: numberText },
  { weight: 3, arbitrary: word },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: pick(['\n', '\t', '\r\n', '\r', '\u0000', '\u001b[2J', '\ufffd', '$', '@', '`', '\u00e9', '\u{1f600}', '\\']) },
);

export const tokenSoup: fc.Arbitrary<string> = fc
  .array(fc.tuple(token, pick([' ', ' ', '\n', ''])), { maxLength: 80 })
  .map((parts) => parts.map(([t, sep]) => t + sep).join(''));

/** An example cut, with text inserted, lines swapped or duplicated, or a number made extreme. */
export const mutatedExample: fc.Arbitrary<string> = fc
  .record({
    example: fc.nat(examples.length - 1),
    edits: fc.array(
      fc.record({
        kind: pick(['splice', 'swap-lines', 'duplicate-line', 'drop-line', 'number']),
        at: fc.nat(),
        length: fc.nat(16),
        insert: fc.oneof(token, pick(['', ')', '(', '->', '=', ',', 'output', 'repeat(2,', 'repeat(1000, repeat(1000,', '[]', '1e400'])),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ example, edits }) => {
    let source = examples[example]!;
    for (const edit of edits) source = applyEdit(source, edit);
    return source;
  });

interface Edit {
  kind: string;
  at: number;
  length: number;
  insert: string;
}

function applyEdit(source: string, edit: Edit): string {
  const lines = source.split('\n');
  const line = edit.at % Math.max(1, lines.length);
  switch (edit.kind) {
    case 'swap-lines': {
      const other = (line + 1 + (edit.length % 5)) % lines.length;
      [lines[line], lines[other]] = [lines[other]!, lines[line]!];
      return lines.join('\n');
    }
    case 'duplicate-line':
      lines.splice(line, 0, lines[line]!);
      return lines.join('\n');
    case 'drop-line':
      lines.splice(line, 1);
      return lines.join('\n');
    case 'number': {
      // Replace the n-th number of the source by an extreme or odd one.
      const numbers = [...source.matchAll(/\d+(\.\d+)?/g)];
      const match = numbers[edit.at % Math.max(1, numbers.length)];
      if (!match) return source;
      const replacement = ['0', '-1', '1e400', '99999999999', '500001', '0.5', '1e-9', '64'][edit.length % 8]!;
      return source.slice(0, match.index) + replacement + source.slice(match.index! + match[0].length);
    }
    default: {
      const position = edit.at % (source.length + 1);
      return source.slice(0, position) + edit.insert + source.slice(position + edit.length);
    }
  }
}

// ---- grammar-aware random programs ----

const activations = registry.activationNames();
const units = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 16 }) }, { weight: 1, arbitrary: pick([0, -2, 1e400, 99999999999]) });

const initializer = fc.oneof(
  pick(['auto', 'he', 'xavier', 'lecun', 'zeros', 'ones', 'glorot_uniform', 'orthogonal', 'identity']),
  fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 0, max: 20 })).map(([m, s]) => `normal(${m / 10}, ${s / 10})`),
  fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })).map(([a, b]) => `uniform(${a}, ${b})`),
  fc.integer({ min: -3, max: 3 }).map((v) => `constant(${v})`),
);

/** One `-> stage` of a pipeline, mostly well-formed, sometimes wrong in one argument. */
const stage: fc.Arbitrary<string> = fc.letrec((tie) => ({
  stage: fc.oneof(
    { weight: 6, arbitrary: fc.tuple(units, pick(activations), fc.boolean(), initializer).map(([u, a, bias, init]) => `dense(${u}, ${a}${bias ? '' : ', bias=false'}${init === 'auto' ? '' : `, init=${init}`})`) },
    { weight: 4, arbitrary: pick(activations) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 10 }).map((r) => `dropout(${r / 10})`) },
    { weight: 2, arbitrary: pick(['layer_norm', 'batch_norm', 'flatten', 'leaky_relu(0.2)', 'softmax', 'elu(1.0)']) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), pick(['same', 'valid']), fc.integer({ min: 0, max: 2 })).map(([f, k, p, s]) => `conv2d(${f}, ${k}, padding=${p}${s === 1 ? '' : `, strides=${s}`})`) },
    { weight: 1, arbitrary: pick(['max_pool2d(2)', 'avg_pool2d(2, padding=same)', 'global_avg_pool2d', 'global_max_pool2d']) },
    { weight: 1, arbitrary: pick(['reshape([2, -1])', 'reshape([-1])', 'reshape([4, 2])', 'reshape([0, 4])']) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 4 })).map(([v, d]) => `embedding(${v}, ${d})`) },
    { weight: 1, arbitrary: fc.tuple(pick([1, 2, 3, 0, 1e20, 600000]), tie('stage')).map(([n, s]) => `repeat(${n}, ${s})`) },
  ),
})).stage;

const shape = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 3 }).map((d) => `[${d.join(', ')}]`) },
  { weight: 2, arbitrary: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 3, maxLength: 3 }).map((d) => `[${d[0]! + 3}, ${d[1]! + 3}, ${d[2]}]`) },
  { weight: 1, arbitrary: pick(['[?, 3]', '[]', 'int32[5]', 'int32[?]', '[0]', '[1e400]', '[4, ?]']) },
);

const merge = pick(['add', 'subtract', 'multiply', 'average', 'maximum', 'minimum', 'concat']);

const trainBlock = fc
  .record({
    loss: pick([...registry.lossNames(), 'nope', '"mse"']),
    optimizer: pick(['adam', 'sgd(learning_rate=0.1)', 'adam(learning_rate=1e-3, clipnorm=1.0)', 'rmsprop', 'adam(learning_rate=1e400)', 'adagrad(clipnorm=0)']),
    epochs: pick(['3', '0', '1e6', '-1', '2.5']),
    metrics: pick(['', 'metrics = [mae]', 'metrics = [accuracy]', 'metrics = [nope]']),
    extra: pick(['', 'batch_size = 4', 'validation_split = 0.2', 'seed = 7', 'shuffle = false', 'early_stopping = { patience: 2 }', 'columns = { x: [] }']),
  })
  .map((t) => `  train {\n    loss = ${t.loss}\n    optimizer = ${t.optimizer}\n    epochs = ${t.epochs}\n    ${t.metrics}\n    ${t.extra}\n  }\n`);

/** A model of a few inputs and definitions, each a pipeline from earlier names or a merge of them. */
export const randomProgram: fc.Arbitrary<string> = fc
  .record({
    inputs: fc.array(shape, { minLength: 1, maxLength: 3 }),
    definitions: fc.array(
      fc.record({ from: fc.nat(), other: fc.nat(), stages: fc.array(stage, { maxLength: 4 }), merge: fc.option(merge, { freq: 3 }), output: fc.boolean() }),
      { minLength: 1, maxLength: 6 },
    ),
    train: fc.option(trainBlock, { freq: 2 }),
    block: fc.option(fc.tuple(fc.array(stage, { minLength: 1, maxLength: 3 }), pick(['', 'nope'])), { freq: 4 }),
  })
  .map(({ inputs, definitions, train, block }) => {
    const names = inputs.map((_, i) => `x${i}`);
    const lines: string[] = [];
    if (block) lines.push(`block B(n = 2) {\n  input x\n  h = x -> ${block[0].join(' -> ')}\n  output ${block[1] || 'y = h -> repeat(n, relu)'}\n}\n`);
    lines.push('model M {');
    inputs.forEach((s, i) => lines.push(`  input ${names[i]}: ${s}`));
    let outputs = 0;
    definitions.forEach((d, i) => {
      const from = names[d.from % names.length]!;
      const other = names[d.other % names.length]!;
      const source = d.merge ? `${d.merge}(${from}, ${other})` : from;
      const stages = [...d.stages, ...(block && i === 0 ? ['B'] : [])];
      const expr = stages.length > 0 ? `${source} -> ${stages.join(' -> ')}` : source;
      const name = `h${i}`;
      const isOutput = d.output || i === definitions.length - 1;
      if (isOutput) outputs++;
      lines.push(`  ${isOutput ? 'output ' : ''}${name} = ${expr}`);
      names.push(name);
    });
    if (outputs === 0) lines.push(`  output y = ${names[names.length - 1]}`);
    if (train) lines.push(train);
    lines.push('}');
    return lines.join('\n') + '\n';
  });

/**
 * Programs that mostly check: shapes are tracked while the model is written, so that layers get
 * the ranks they take and merges tensors of one shape. Vectors go through dense, activations,
 * normalization, dropout, repeats and blocks; images through convolutions and pooling with
 * `padding=same`, then a global pool or flatten. Their modules are what the compile and tfjs
 * properties need.
 */
type Tracked = { name: string; rank: 'vector'; width: number } | { name: string; rank: 'image'; h: number; w: number; c: number };

const vectorStage = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.integer({ min: 1, max: 12 }), pick(activations), fc.boolean(), initializer).map(([u, a, bias, init]) => ({ text: `dense(${u}, ${a}${bias ? '' : ', bias=false'}${init === 'auto' || init.startsWith('identity') ? '' : `, init=${init.replace(/uniform\((-?\d+), (-?\d+)\)/, (_, a: string, b: string) => `uniform(${Math.min(+a, +b) - 1}, ${Math.max(+a, +b)})`)}`})`, width: u })) },
  { weight: 3, arbitrary: pick(activations.filter((a) => a !== 'softmax')).map((a) => ({ text: a, width: undefined })) },
  { weight: 2, arbitrary: pick(['layer_norm', 'batch_norm', 'dropout(0.1)', 'softmax', 'leaky_relu(0.2)']).map((t) => ({ text: t, width: undefined })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }), pick(['relu', 'tanh'])).map(([n, u, a]) => ({ text: `repeat(${n}, dense(${u}, ${a}))`, width: u })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((n) => ({ text: `Res(${n})`, width: undefined })) },
);

const imageStage = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), pick(activations.filter((a) => a !== 'softmax'))).map(([f, k, a]) => ({ text: `conv2d(${f}, ${k}, padding=same, activation=${a})`, c: f, pool: false })),
  pick(['max_pool2d(2, padding=same)', 'avg_pool2d(2, padding=same)']).map((t) => ({ text: t, c: undefined, pool: true })),
  pick(['relu', 'batch_norm', 'dropout(0.2)']).map((t) => ({ text: t, c: undefined, pool: false })),
);

export const validProgram: fc.Arbitrary<string> = fc
  .record({
    inputs: fc.array(fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 8 }).map((w) => [w]) }, { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 3 })).map(([s, c]) => [s, s, c]) }), { minLength: 1, maxLength: 3 }),
    steps: fc.array(
      fc.record({ from: fc.nat(), other: fc.nat(), vector: fc.array(vectorStage, { maxLength: 3 }), image: fc.array(imageStage, { maxLength: 3 }), merge: fc.option(pick(['add', 'multiply', 'average', 'maximum', 'subtract', 'concat']), { freq: 3 }), output: fc.boolean(), shared: fc.boolean() }),
      { minLength: 1, maxLength: 6 },
    ),
    train: fc.option(fc.record({ loss: pick(['mse', 'mae', 'huber']), optimizer: pick(['adam', 'sgd(learning_rate=0.05, momentum=0.9)', 'rmsprop(clipnorm=1.0)']), epochs: fc.integer({ min: 1, max: 5 }) }), { freq: 2 }),
  })
  .map(({ inputs, steps, train }) => {
    const known: Tracked[] = inputs.map((dims, i) => (dims.length === 1 ? { name: `x${i}`, rank: 'vector', width: dims[0]! } : { name: `x${i}`, rank: 'image', h: dims[0]!, w: dims[1]!, c: dims[2]! }));
    const lines = ['block Res(depth = 1) {', '  input x', '  h = x -> repeat(depth, layer_norm) -> relu', '  output y = add(x, h)', '}', '', 'model M {'];
    inputs.forEach((dims, i) => lines.push(`  input x${i}: [${dims.join(', ')}]`));
    lines.push('  layer shared = dense(4, tanh)');
    const outputs: string[] = [];
    steps.forEach((step, i) => {
      let current = known[step.from % known.length]!;
      const parts: string[] = [];
      let source = current.name;
      const other = known[step.other % known.length]!;
      if (step.merge && sameShape(current, other)) {
        source = `${step.merge}(${current.name}, ${other.name})`;
        if (step.merge === 'concat') current = current.rank === 'vector' ? { ...current, width: current.width * 2 } : { ...current, c: current.c * 2 };
      }
      if (current.rank === 'image') {
        for (const s of step.image) {
          parts.push(s.text);
          if (s.c !== undefined) current = { ...current, c: s.c };
          if (s.pool) current = { ...current, h: Math.ceil(current.h / 2), w: Math.ceil(current.w / 2) };
        }
        if (step.vector.length > 0 || step.output) {
          parts.push(step.shared ? 'global_avg_pool2d' : 'flatten');
          current = { name: '', rank: 'vector', width: step.shared ? current.c : current.h * current.w * current.c };
        }
      }
      if (current.rank === 'vector') {
        for (const s of step.vector) {
          parts.push(s.text);
          if (s.width !== undefined) current = { ...current, width: s.width };
        }
        if (step.shared && !step.merge) {
          parts.push('dense(4)', 'shared');
          current = { ...current, width: 4 };
        }
      }
      const name = `h${i}`;
      const expr = parts.length > 0 ? `${source} -> ${parts.join(' -> ')}` : source;
      const isOutput = step.output || i === steps.length - 1;
      lines.push(`  ${isOutput ? 'output ' : ''}${name} = ${expr}`);
      if (isOutput) outputs.push(name);
      known.push({ ...current, name });
    });
    if (train) {
      lines.push('  train {', `    loss = ${train.loss}`, `    optimizer = ${train.optimizer}`, `    epochs = ${train.epochs}`, '  }');
    }
    lines.push('}', '');
    return lines.join('\n');
  });

function sameShape(a: Tracked, b: Tracked): boolean {
  if (a.rank === 'vector' && b.rank === 'vector') return a.width === b.width;
  if (a.rank === 'image' && b.rank === 'image') return a.h === b.h && a.w === b.w && a.c === b.c;
  return false;
}

/** The inputs of issue 9, section 2, and their neighbours. */
export const adversarialCases: readonly string[] = [
  'model M {\n  input x: [4]\n  output y = x -> dense(1)\n  train { loss = mse\n optimizer = adam(learning_rate=1e400) }\n}',
  'model M {\n  input x: [4]\n  output y = x -> dense(1)\n  train { loss = mse\n optimizer = adam(clipnorm=1e309) }\n}',
  'model M {\n  input x: [4]\n  output y = x -> dense(1)\n  train { loss = mse\n loss_weights = { y: 1e309 } }\n}',
  'model M {\n  input x: [4]\n  output y = x -> dense(1, init=normal(std=1e309))\n}',
  'model M {\n  input x: [4]\n  output y = x -> dense(1, init=constant(1e309))\n}',
  'model M {\n  input x: [4]\n  output y = x -> repeat(1e20, dense(4))\n}',
  'model M {\n  input x: [4]\n  output y = x -> repeat(1000, repeat(1000, relu))\n}',
  'model M {\n  input x: [4]\n  output y = x -> repeat(500000, repeat(500000, repeat(500000, relu)))\n}',
  'block B(n) {\n  input x\n  output y = x -> repeat(n, relu)\n}\nmodel M {\n  input x: [4]\n  output y = x -> repeat(1000, B(1000))\n}',
  'model M {\n  input x: [4]\n  output y = x -> dense(99999999999)\n}',
  'model M {\n  input x: [4]\n  output y = x -> dense(99999999999) -> dense(99999999999)\n}',
  'block B() {\n  input x\n  h = x -> relu\n  output nope\n}\nmodel M {\n  input x: [4]\n  output y = x -> B -> dense(1)\n}',
  'model M {\n  input x: []\n  output y = x -> dense(1)\n}',
  'model M {\n  input x: [4]\n  output y = x -> dense(1, init=uniform(1, -1))\n}',
  'model M {\n  input x: [4]\n  output y = x -> dense(1, bias=false, bias_init=ones)\n}',
  'model M {\n  input x: [4]\n  output y = x -> dense(1)\n  train { loss = mse\n columns = { x: [] } }\n}',
  'model M {\n  input x: [4]\n  output y = x -> reshape([0, 4]) -> flatten -> dense(1)\n}',
  'model M {\n  input x: [8, 8, 1]\n  output y = x -> conv2d(4, 3, strides=0) -> flatten -> dense(1)\n}',
  'model M {\n  input x: [3]\n  h = x -> dense(4, tanh)\n  output a = add(h, h) -> dense(2)\n  output b = h -> dense(1)\n}',
  'model M {\n  input x: [3]\n  h = x -> dense(4, tanh)\n  output a = concat(h, h)\n  output m = multiply(h, h)\n  output b = h -> dense(1)\n}',
  'model M {\n  input x: [4]\u0000\u001b[31m\n  output y = x -> dense(1)\n}',
  '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\ufffd\ufffd',
  '\ufffd\ufffd\ufffd',
  '\u0000'.repeat(1000),
  'model M {\n  input x: [4]\n  output y = x -> dense(1)\n  train { loss = "m\u001b[2Jse" }\n}',
  'model M {\n  input x: [4]\n  output y = x -> dense(1)\n}\n'.repeat(200),
  `model M {\n  input x: [4]\n  output y = ${'('.repeat(5000)}x${')'.repeat(5000)}\n}`,
  `model M {\n  input x: [4]\n  output y = x${' -> relu'.repeat(5000)}\n}`,
  `model M {\n  input x: [${'9'.repeat(400)}]\n  output y = x -> dense(1)\n}`,
  `model M {\n  input x: [4]\n  output y = x -> dense(${'9'.repeat(400)})\n}`,
  'model M {\n  input x: [4]\n  output y = x -> dense(1e-400)\n}',
  '',
  '\uFEFFmodel M {\n  input x: [4]\n  output y = x -> dense(1)\n}',
  'model M {\r\n  input x: [4]\r\n  output y = x -> dense(1)\r\n}\r\n',
];

export const adversarial: fc.Arbitrary<string> = fc.oneof(
  pick(adversarialCases),
  // A literal of an adversarial case replaced by a token, or two cases glued together.
  fc.tuple(pick(adversarialCases), fc.nat(), token).map(([s, at, t]) => s.slice(0, at % (s.length + 1)) + t + s.slice(at % (s.length + 1))),
  fc.tuple(pick(adversarialCases), pick(adversarialCases)).map(([a, b]) => `${a}\n${b}`),
);

export const generators = { mutatedExample, tokenSoup, randomProgram, validProgram, adversarial } as const;
export type GeneratorName = keyof typeof generators;
