import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { registry } from '../../src/registry/registry.js';
import { validModel } from './arbitraries/models.js';
import { assertProperty, checkedModel, propertyRuns, timeoutFor } from './support/run-property.js';

/**
 * The arbitrary itself: every model it generates checks (no error, no warning beyond the
 * signal analysis), and together its models cover the whole op catalogue, every loss and the
 * language's constructs, so that the properties over them mean something.
 */

const runs = propertyRuns(500);

describe.each([
  ['all models', {}],
  ['models for the tfjs properties', { avoidKnownTfjsIssues: true }],
])('%s', (name, options) => {
  test(
    `generated models check cleanly (${runs} random models)`,
    async () => {
      await assertProperty(
        validModel(options).map((model) => ({ model })),
        ({ model }) => {
          const ir = checkedModel(model.source);
          expect(ir.outputs.map((o) => ({ name: o.name, loss: ir.train?.losses[o.name]?.name }))).toEqual(model.outputs);
        },
        { name: `valid-models ${name}`, runs },
      );
    },
    timeoutFor(runs, 10),
  );
});

test('a few hundred models cover every op, every loss and every construct', () => {
  const models = fc.sample(validModel(), { numRuns: 400, seed: 42 });
  const ops = new Set<string>();
  const losses = new Set<string>();
  for (const { source } of models) {
    const ir = checkedModel(source);
    for (const layer of ir.layers) ops.add(layer.op);
    for (const loss of Object.values(ir.train!.losses)) losses.add(loss.name);
  }
  expect([...registry.opNames()].filter((op) => !ops.has(op))).toEqual([]);
  expect([...new Set(registry.lossNames().map((n) => registry.loss(n)!.name))].filter((l) => !losses.has(l))).toEqual([]);
  const constructs: Record<string, RegExp> = {
    'a block with a shaped input': /block Residual/,
    'a block with two inputs': /-> Gate\(/,
    'a block with two outputs': /-> Split\(/,
    'repeat of an op': /repeat\(\d, dense/,
    'repeat of a block': /repeat\(\d, Residual/,
    'a shared layer': /^ {2}layer shared\d+ = /m,
    'a shared layer applied twice in a row': /-> (shared\d+) -> \1\b/,
    'an unknown dimension': /\[\?, \?, \d\]/,
    'integer ids': /int32\[/,
    'several inputs': /input \w+: .*\n {2}input /,
    'several outputs': /output y2/,
    'a bare output': /^ {2}output y\d$/m,
    'a tuple into a merge': /\) -> (add|subtract|multiply|average|maximum|minimum)\b/,
    'a merge call': /= (add|subtract|multiply|average|maximum|minimum)\(/,
    'concat on an inner axis': /concat\(.*axis=(0|1|-2|-3)\)/,
    'a reshape with -1': /reshape\(\[[^\]]*-1/,
    'a pair kernel': /kernel=\[\d, \d\]|conv2d\(\d, \[\d, \d\]/,
    'strides': /strides=/,
    'same padding': /padding=same/,
    'an activation with a parameter': /(elu|leaky_relu)\(0\.\d\)/,
    'keyword arguments only': /dense\(units=\d/,
    'an explicit initializer': /init=(he|xavier|lecun|orthogonal)/,
    'a layer without bias': /bias=false/,
    'loss weights': /loss_weights = \{/,
    'a loss per output': /loss = \{/,
    'one loss for all outputs': /loss = \w+\n/,
  };
  const sources = models.map((m) => m.source);
  const missing = Object.entries(constructs)
    .filter(([, pattern]) => !sources.some((s) => pattern.test(s)))
    .map(([what]) => what);
  expect(missing).toEqual([]);
});

test('generated models stay small', () => {
  for (const { source } of fc.sample(validModel(), { numRuns: 300, seed: 7 })) {
    const ir = checkedModel(source);
    const params = ir.layers.reduce((n, l) => n + l.paramCount, 0);
    expect(params, source).toBeLessThanOrEqual(2500);
    const images = ir.nodes.filter((n) => n.type.shape.length === 3);
    for (const node of images) for (const d of node.type.shape.slice(0, 2)) expect(d ?? 0, source).toBeLessThanOrEqual(8);
  }
});
