import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createLanguageService } from '../../src/service/index.js';
import type { Position, TextEdit } from '../../src/service/types.js';
import { cursor } from './support/sources.js';

/** The service's features, each at the cursor `|` of a small source, as an editor asks for them. */

const URI = 'file:///m.nn';

function at(marked: string) {
  const { text, offset } = cursor(marked);
  const service = createLanguageService();
  service.open(URI, text, 1);
  const before = text.slice(0, offset).split('\n');
  const position: Position = { line: before.length - 1, character: before[before.length - 1]!.length };
  return { service, position, text };
}

const labels = (marked: string) => {
  const { service, position } = at(marked);
  return service.completions(URI, position).map((i) => i.label);
};

function apply(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)).reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

const residual = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'residual.nn'), 'utf8');

describe('completion', () => {
  test('after `->`: ops, blocks, shared layers and repeat; not tensors', () => {
    const items = labels('block B(n) {\n  input x\n  output y = x -> dense(n)\n}\nmodel M {\n  input x: [4]\n  layer enc = dense(4)\n  h = x -> de|\n  output y = h\n}\n');
    expect(items).toEqual(expect.arrayContaining(['dense', 'conv2d', 'relu', 'B', 'enc', 'repeat']));
    expect(items).not.toContain('x');
  });

  test('in a block, after `->`: its parameters too', () => {
    expect(labels('block B(n, act = relu) {\n  input x\n  output y = x -> |\n}\n')).toEqual(expect.arrayContaining(['act', 'n', 'dense']));
  });

  test('where a tensor goes: inputs, definitions and merge ops', () => {
    const items = labels('model M {\n  input wide: [4]\n  input deep: [4]\n  h = deep -> dense(4)\n  output y = |\n}\n');
    expect(items).toEqual(expect.arrayContaining(['wide', 'deep', 'h', 'concat', 'add']));
    expect(items).not.toContain('dense');
    expect(labels('model M {\n  input a: [4]\n  input b: [4]\n  output y = concat(a, |)\n}\n')).toEqual(expect.arrayContaining(['a', 'b', 'axis=']));
  });

  test('inside quotes, the words the position takes, replacing what is between the quotes', () => {
    const { service, position } = at('model M {\n  input x: [4]\n  output y = x -> dense(8, activation="re|lu")\n}\n');
    const items = service.completions(URI, position);
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['relu', 'tanh', 'leaky_relu']));
    expect(items.every((i) => !i.snippet && i.insertText === i.label)).toBe(true);
    expect(items[0]!.range).toEqual({ start: { line: 2, character: 39 }, end: { line: 2, character: 43 } });
    expect(labels('model M {\n  input x: [8, 8, 1]\n  output y = x -> conv2d(4, 3, padding="|")\n}\n')).toEqual(['valid', 'same']);
    expect(labels('model M {\n  input x: [4]\n  output y = x -> dense(8, init=\'|\n}\n')).toEqual(expect.arrayContaining(['he', 'xavier', 'auto']));
    expect(labels('model M {\n  input x: [4]\n  output y = x -> dense(1)\n  train {\n    loss = "|"\n  }\n}\n')).toEqual(expect.arrayContaining(['mse', 'binary_crossentropy']));
    expect(labels('model M {\n  input x: [4]\n  output y = x -> dense(1)\n  train {\n    loss = mse\n    metrics = ["|"]\n  }\n}\n')).toEqual(expect.arrayContaining(['mae', 'accuracy']));
    expect(labels('model M {\n  input x: [4]\n  output y = x -> dense(1)\n  train {\n    loss = mse\n    optimizer = "a|"\n  }\n}\n')).toEqual(expect.arrayContaining(['adam', 'sgd']));
  });

  test('arguments: the op\'s parameter names, and the values of the parameter at the cursor', () => {
    const first = labels('model M {\n  input x: [4]\n  output y = x -> dense(8, |)\n}\n');
    expect(first).toEqual(expect.arrayContaining(['relu', 'tanh', 'activation=', 'bias=', 'init=']));
    expect(first).not.toContain('units=');
    expect(labels('model M {\n  input x: [4]\n  output y = x -> dense(8, init=|)\n}\n')).toEqual(expect.arrayContaining(['he', 'xavier', 'auto', 'identity']));
    expect(labels('model M {\n  input x: [8, 8, 1]\n  output y = x -> conv2d(4, 3, padding=|)\n}\n')).toEqual(['valid', 'same']);
    expect(labels('model M {\n  input x: [4]\n  output y = x -> dense(8, activation=leaky_relu(|))\n}\n')).toEqual(['alpha=']);
    expect(labels(`${residual}`.replace('ResidualBlock(64)', 'ResidualBlock(64, |)'))).toEqual(expect.arrayContaining(['units=', 'rate=']));
  });

  test('statements, and in train: settings not yet given, their values, dictionary keys', () => {
    expect(labels('model M {\n  input x: [4]\n  |\n}\n')).toEqual(['input', 'output', 'layer', 'train']);
    expect(labels('block B() {\n  |\n}\n')).toEqual(['input', 'output', 'layer']);
    expect(labels('|')).toEqual(['model', 'block']);
    const settings = labels('model M {\n  input x: [4]\n  output y = x\n  train {\n    loss = mse\n    |\n  }\n}\n');
    expect(settings).toEqual(expect.arrayContaining(['optimizer', 'epochs', 'early_stopping']));
    expect(settings).not.toContain('loss');
    expect(labels('model M {\n  input x: [4]\n  output y = x\n  train {\n    loss = |\n  }\n}\n')).toEqual(expect.arrayContaining(['mse', 'categorical_crossentropy']));
    expect(labels('model M {\n  input x: [4]\n  output y = x\n  train {\n    optimizer = |\n  }\n}\n')).toEqual(expect.arrayContaining(['adam', 'sgd']));
    expect(labels('model M {\n  input x: [4]\n  output y = x\n  train {\n    optimizer = adam(|)\n  }\n}\n')).toEqual(expect.arrayContaining(['learning_rate=', 'clipnorm=']));
    expect(labels('model M {\n  input x: [4]\n  output y = x\n  train {\n    metrics = [|]\n  }\n}\n')).toEqual(expect.arrayContaining(['mae', 'accuracy']));
    expect(labels('model M {\n  input x: [4]\n  output a = x\n  output b = x\n  train {\n    loss = { a: mse, | }\n  }\n}\n')).toEqual(['a', 'b']);
    expect(labels('model M {\n  input x: [4]\n  output y = x\n  train {\n    loss = mse\n    early_stopping = { monitor: | }\n  }\n}\n')).toEqual(['val_loss', 'loss']);
    const perOutput = 'model M {\n  input x: [4]\n  output a = x -> dense(1)\n  output b = x -> dense(1)\n  train {\n    loss = mse\n    metrics = { a: [mae], |}\n  }\n}\n';
    expect(labels(perOutput)).toEqual(['a', 'b']);
    expect(labels(perOutput.replace('[mae], |}', '[mae], b: [|] }'))).toEqual(expect.arrayContaining(['mae', 'accuracy']));
    const monitored = perOutput.replace('metrics = { a: [mae], |}', 'metrics = { a: [mae] }\n    early_stopping = { monitor: | }');
    expect(labels(monitored)).toEqual(['val_loss', 'loss', 'val_a_loss', 'a_loss', 'val_b_loss', 'b_loss', 'val_a_mae', 'a_mae']);
  });

  test('the typed prefix is what the completion replaces', () => {
    const { service, position } = at('model M {\n  input x: [4]\n  output y = x -> den|se\n}\n');
    const dense = service.completions(URI, position).find((i) => i.label === 'dense')!;
    expect(dense.range).toEqual({ start: { line: 2, character: 18 }, end: { line: 2, character: 23 } });
    expect(dense.insertText).toBe('dense($1)');
  });
});

describe('hover', () => {
  const hover = (marked: string) => {
    const { service, position } = at(marked);
    return service.hover(URI, position)?.contents;
  };

  test('a block use shows the block\'s signature and the shapes of its instances', () => {
    const text = hover(residual.replace('ResidualBlock(64)', 'Residual|Block(64)'))!;
    expect(text).toContain('block ResidualBlock(units, rate = 0.1)');
    expect(text).toContain('4 instances (`trunk/residualblock_1` … `trunk/residualblock_4`) with units=64, rate=0.1: **[?, 64] float32 → [?, 64] float32**');
  });

  test('a stage inside a block shows the layer of every instance', () => {
    const text = hover(residual.replace('dense(units, gelu)', 'de|nse(units, gelu)'))!;
    expect(text).toContain('4 layers (`trunk/residualblock_1/h/dense_1` … `trunk/residualblock_4/h/dense_1`)');
    expect(text).toContain('dense(units=64, activation=gelu, bias=true, init=he (auto), bias_init=zeros)');
  });

  test('a block parameter shows what it is bound to', () => {
    expect(hover(residual.replace('dropout(rate)', 'dropout(ra|te)'))).toContain('Bound to `0.1`.');
  });

  test('activations, initializers, losses, settings and argument names have their documentation', () => {
    const model = (inner: string) => `model M {\n  input x: [4]\n  output y = x -> ${inner}\n  train {\n    loss = mse\n    epochs = 3\n  }\n}\n`;
    expect(hover(model('dense(1, rel|u)'))).toContain('Rectified linear unit');
    expect(hover(model('dense(1, init=h|e)'))).toContain('Initializer: N(0, 2/n_in)');
    expect(hover(model('dense(1, bi|as=false)'))).toContain('`bias`: bool, default `true`');
    expect(hover(model('dense(1)').replace('loss = mse', 'loss = m|se'))).toContain('Loss. Mean squared error');
    expect(hover(model('dense(1)').replace('epochs', 'epo|chs'))).toContain('Training setting: integer ≥ 1. Passes over the training data. Default: 10.');
  });

  test('quoted words (`activation="relu"`, `loss = "mse"`) have the documentation of the bare ones', () => {
    const model = (inner: string, train = 'loss = "mse"') => `model M {\n  input x: [8, 8, 1]\n  output y = x -> ${inner}\n  train {\n    ${train}\n  }\n}\n`;
    expect(hover(model('flatten -> dense(1, activation="rel|u")'))).toContain('Rectified linear unit');
    expect(hover(model("flatten -> dense(1, 'tanh', init=\"h|e\")"))).toContain('Initializer: N(0, 2/n_in)');
    expect(hover(model('conv2d(1, 3, padding="sa|me") -> flatten'))).toContain('`padding`');
    expect(hover(model('flatten -> dense(1)', 'loss = "m|se"'))).toContain('Loss. Mean squared error');
    expect(hover(model('flatten -> dense(1)', 'loss = mse  optimizer = "ad|am"'))).toContain('Optimizer.');
    expect(hover(model('flatten -> dense(1)', 'loss = mse  metrics = ["m|ae"]'))).toContain('Metric.');
  });

  test('a model shows its inputs, outputs and parameter count', () => {
    expect(hover(residual.replace('model ResNetMLP', 'model ResNet|MLP'))).toContain('Inputs: `x` [?, 32] float32');
  });

  test('a name in a model with errors still has its type if it was inferred', () => {
    const text = hover('model M {\n  input x: [4]\n  h = x -> dense(8)\n  output y = h| -> nope\n}\n')!;
    expect(text).toContain('h: [?, 8] float32');
  });
});

describe('navigation and rename', () => {
  test('references of a shared layer, and rename of an output that train settings name', () => {
    const source = 'model M {\n  input a: [4]\n  input b: [4]\n  layer enc = dense(4)\n  output ya = a -> enc\n  output yb = b -> enc\n  train {\n    loss = { ya: mse, yb: mse }\n    loss_weights = { ya: 1, "yb": 2 }\n  }\n}\n';
    const { service } = at(`|${source}`);
    expect(service.references(URI, { line: 3, character: 9 }, false)).toHaveLength(2);
    const renamed = service.rename(URI, { line: 5, character: 10 }, 'second');
    expect(renamed.ok).toBe(true);
    const after = apply(source, renamed.ok ? renamed.edits : []);
    expect(after).toContain('output second = b -> enc');
    expect(after).toContain('loss = { ya: mse, second: mse }');
    expect(after).toContain('loss_weights = { ya: 1, "second": 2 }');
  });

  test('rename of a block parameter renames its keyword arguments at every use', () => {
    const { service, text } = at(residual.replace('dropout(rate)', 'dropout(ra|te)'));
    const renamed = service.rename(URI, service.definition(URI, { line: 3, character: 58 })[0]!.range.start, 'p');
    expect(renamed.ok).toBe(true);
    expect(apply(text, renamed.ok ? renamed.edits : [])).toContain('block ResidualBlock(units, p = 0.1)');
  });

  test('rename refuses what would change the meaning, with the reason', () => {
    const { service, position } = at(residual.replace('stem = x', 'st|em = x'));
    const reason = (name: string) => {
      const result = service.rename(URI, position, name);
      return result.ok ? 'renamed' : result.reason;
    };
    expect(reason('trunk')).toBe('cannot rename `stem` to `trunk`: definition `trunk` is already declared in `ResNetMLP`');
    expect(reason('x')).toBe('cannot rename `stem` to `x`: input `x` is already declared in `ResNetMLP`');
    expect(reason('train')).toBe('cannot rename `stem` to `train`: `train` is a keyword');
    expect(reason('2x')).toBe('cannot rename `stem` to `2x`: a name is ASCII letters, digits and `_`, not starting with a digit');
    expect(reason('base')).toBe('renamed');
    const block = service.rename(URI, { line: 1, character: 8 }, 'dense');
    expect(block).toEqual({ ok: false, reason: 'cannot rename `ResidualBlock` to `dense`: `dense` is an op: the block would hide it in every stage' });
    expect(service.prepareRename(URI, { line: 3, character: 14 })).toEqual({ ok: false, reason: 'cannot rename `layer_norm`: `layer_norm` is built in (op)' });
  });
});

describe('symbols and semantic tokens', () => {
  test('the outline has the declarations and their statements with types', () => {
    const { service } = at(`|${residual}`);
    const model = service.documentSymbols(URI).find((s) => s.name === 'ResNetMLP')!;
    expect(model.children.map((c) => `${c.kind} ${c.name}${c.detail ? `: ${c.detail}` : ''}`)).toEqual([
      'input x: [?, 32] float32',
      'definition stem: [?, 64] float32',
      'definition trunk: [?, 64] float32',
      'definition side: [?, 64] float32',
      'definition gated: [?, 64] float32',
      'definition diff: [?, 64] float32',
      'output y: [?, 10] float32',
      'train train',
    ]);
  });

  test('tokens tell tensors, shared layers, parameters and built-in ops apart', () => {
    const { service, text } = at('|block B(f) {\n  input x\n  output y = x -> f\n}\nmodel M {\n  input x: int32[4]  # ids\n  layer enc = dense(4)\n  output y = x -> embedding(10, 4) -> flatten -> enc -> B(relu)\n}\n');
    const lines = text.split('\n');
    const tokens = service.semanticTokens(URI).map((t) => `${lines[t.line]!.slice(t.character, t.character + t.length)}:${t.type}${t.modifiers.length ? `.${t.modifiers.join('.')}` : ''}`);
    expect(tokens).toEqual(expect.arrayContaining(['B:class.declaration', 'f:parameter.declaration', 'f:parameter', 'int32:type.defaultLibrary', '# ids:comment', 'enc:function', 'embedding:function.defaultLibrary', 'relu:function.defaultLibrary', '->:operator', 'x:variable']));
  });
});

describe('code actions', () => {
  const fix = (marked: string, title?: string) => {
    const { service, text } = at(marked);
    const actions = service.codeActions(URI, { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } });
    const chosen = title ? actions.find((a) => a.title === title) : actions[0];
    return { actions, after: chosen && apply(text, chosen.edits) };
  };

  test.each([
    ['E2001', 'model M {\n  input x: [4]\n  h = x -> dense(4)\n  output y = hh -> dense(1)\n}\n', 'output y = h -> dense(1)'],
    ['E2003', 'model M {\n  input x: [4]\n  output y = x -> dens(1)\n}\n', 'x -> dense(1)'],
    ['E2004', 'model M {\n  input x: [4]\n  output y = x -> dense(1, activaton=relu)\n}\n', 'dense(1, activation=relu)'],
    ['E2005', 'model M {\n  input x: [4]\n  output y = x -> dense(1, rellu)\n}\n', 'dense(1, relu)'],
    ['E2014', 'model M {\n  input x: [8, 8, 1]\n  output y = x -> conv2d(4, 3, padding="sme") -> flatten\n}\n', 'padding="same"'],
    ['E2019', 'model M {\n  input x: [4]\n  output y = x\n  train {\n    loss = mse\n    epoch = 3\n  }\n}\n', 'epochs = 3'],
    ['E2007', 'model M {\n  input x: [4]\n  output y = x\n  train {\n    loss = msee\n  }\n}\n', 'loss = mse'],
  ])('a did-you-mean of %s is a quick fix', (code, source, expected) => {
    const { actions, after } = fix(`|${source}`);
    expect(actions[0]).toMatchObject({ kind: 'quickfix', diagnostic: { code }, preferred: true });
    expect(after).toContain(expected);
  });

  test('a vanishing relu stack gets `init=he`', () => {
    const { actions, after } = fix('|model M {\n  input x: [16]\n  output y = x -> repeat(30, dense(16, relu, init=xavier)) -> dense(1)\n}\n');
    expect(actions.map((a) => a.title)).toContain('Use `init=he` in `dense`');
    expect(after).toContain('repeat(30, dense(16, relu, init=he))');
  });

  test('a dense layer on an image is offered a `flatten` before it', () => {
    const { after } = fix('|model M {\n  input image: [8, 8, 1]\n  output y = image -> conv2d(4, 3) -> dense(10, softmax)\n}\n', 'Insert `-> flatten` before `dense` (it acts on each pixel of an image)');
    expect(after).toContain('conv2d(4, 3) -> flatten -> dense(10, softmax)');
  });

  test('an unused definition can become an output; a missing loss can be added', () => {
    expect(fix('|model M {\n  input x: [4]\n  h = x -> dense(2)\n  output y = x -> dense(1)\n}\n', 'Make `h` an output').after).toContain('output h = x -> dense(2)');
    expect(fix('|model M {\n  input x: [4]\n  output y = x -> dense(1)\n  train {\n    epochs = 2\n  }\n}\n', 'Add `loss = mse`').after).toContain('train {\n    loss = mse\n    epochs = 2');
  });
});

describe('formatting', () => {
  test('range formatting changes only the lines in the range', () => {
    const source = 'model M {\n  input x:[4]\n  h = x->dense(4)\n  output y=h\n}\n';
    const { service } = at(`|${source}`);
    expect(apply(source, service.format(URI))).toBe('model M {\n  input x: [4]\n  h = x -> dense(4)\n  output y = h\n}\n');
    expect(apply(source, service.formatRange(URI, { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } }))).toBe('model M {\n  input x:[4]\n  h = x -> dense(4)\n  output y=h\n}\n');
  });
});
