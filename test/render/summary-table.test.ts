import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import { formatCount, renderSummaryTable } from '../../src/format/summary-table.js';
import type { ModelSummary } from '../../src/summary.js';

const wideDeep: ModelSummary = {
  model: 'WideDeep',
  chain: false,
  rows: [
    { layer: 'wide', op: 'input', outputShape: '[?, 5]', params: 0, init: '', line: 3, connectedTo: [] },
    { layer: 'deep', op: 'input', outputShape: '[?, 6]', params: 0, init: '', line: 4, connectedTo: [] },
    { layer: 'hidden/dense_1', op: 'dense', outputShape: '[?, 30]', params: 210, init: 'glorot_uniform (auto), zeros (auto)', line: 5, connectedTo: ['deep[0][0]'] },
    { layer: 'hidden/dense_2', op: 'dense', outputShape: '[?, 30]', params: 930, init: 'glorot_uniform (auto), zeros (auto)', line: 5, connectedTo: ['hidden/dense_1[0][0]'] },
    { layer: 'merged', op: 'concat', outputShape: '[?, 35]', params: 0, init: '', line: 6, connectedTo: ['wide[0][0]', 'hidden/dense_2[0][0]'] },
    { layer: 'price/dense', op: 'dense', outputShape: '[?, 1]', params: 36, init: 'glorot_uniform (auto), zeros (auto)', line: 7, connectedTo: ['merged[0][0]'] },
    { layer: 'aux/dense', op: 'dense', outputShape: '[?, 1]', params: 865, init: 'he', line: 8, connectedTo: ['hidden/dense_2[0][0]'] },
  ],
  totalParams: 2041,
  trainableParams: 2041,
  nonTrainableParams: 0,
};

describe('renderSummaryTable', () => {
  test('aligns columns, right-aligns params and prints the totals; a graph that is not a chain is connected as in Keras', () => {
    expect(renderSummaryTable(wideDeep)).toBe(
      [
        'Model: WideDeep',
        'Layer           Op      Output shape  Params  Init                                 Connected to',
        '='.repeat(115),
        'wide            input   [?, 5]             0                                       -',
        'deep            input   [?, 6]             0                                       -',
        'hidden/dense_1  dense   [?, 30]          210  glorot_uniform (auto), zeros (auto)  deep[0][0]',
        'hidden/dense_2  dense   [?, 30]          930  glorot_uniform (auto), zeros (auto)  hidden/dense_1[0][0]',
        'merged          concat  [?, 35]            0                                       wide[0][0], hidden/dense_2[0][0]',
        'price/dense     dense   [?, 1]            36  glorot_uniform (auto), zeros (auto)  merged[0][0]',
        'aux/dense       dense   [?, 1]           865  he                                   hidden/dense_2[0][0]',
        '-'.repeat(115),
        'Total params: 2,041 (trainable 2,041, non-trainable 0)',
      ].join('\n'),
    );
  });

  test('a plain chain has no "Connected to" column, as in Keras', () => {
    const chain = renderSummaryTable({ ...wideDeep, chain: true, rows: wideDeep.rows.slice(1, 4) });
    expect(chain.split('\n')[1]).toBe('Layer           Op     Output shape  Params  Init');
    expect(chain).not.toContain('deep[0][0]');
  });

  test('shared layers list every shape they produce; big counts get separators', () => {
    const table = renderSummaryTable({
      model: 'Siamese',
      chain: true,
      rows: [
        { layer: 'encoder', op: 'dense', outputShape: '[?, 32] | [?, 32, 2]', params: 1_234_567, init: 'he', line: 4, connectedTo: [] },
      ],
      totalParams: 1_234_567,
      trainableParams: 1_000_000,
      nonTrainableParams: 234_567,
    });
    expect(table.split('\n')).toEqual([
      'Model: Siamese',
      'Layer    Op     Output shape             Params  Init',
      '=====================================================',
      'encoder  dense  [?, 32] | [?, 32, 2]  1,234,567  he',
      '-----------------------------------------------------',
      'Total params: 1,234,567 (trainable 1,000,000, non-trainable 234,567)',
    ]);
  });

  test('a model without rows still has its header and totals', () => {
    const table = renderSummaryTable({ model: 'Empty', chain: true, rows: [], totalParams: 0, trainableParams: 0, nonTrainableParams: 0 });
    expect(table).toContain('Layer  Op  Output shape  Params  Init');
    expect(table).toContain('Total params: 0 (trainable 0, non-trainable 0)');
  });
});

describe('formatCount', () => {
  test.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [2041, '2,041'],
    [123456789, '123,456,789'],
  ])('%d → %s', (n, expected) => expect(formatCount(n)).toBe(expected));
});

describe('the summary of a checked model', () => {
  const summaryOf = (file: string) => {
    const source = readFileSync(join(import.meta.dirname, '../../examples', file), 'utf8');
    return check(source, { filename: file }).summary[0]!;
  };

  test('a plain chain (iris) is a chain: no "Connected to" column', () => {
    const summary = summaryOf('iris.nn');
    expect(summary.chain).toBe(true);
    expect(renderSummaryTable(summary)).not.toContain('Connected to');
  });

  test('several inputs and a merge (wide_deep), or a shared layer (siamese), are not: each row names what it is applied to', () => {
    const wide = summaryOf('wide_deep.nn');
    expect(wide.chain).toBe(false);
    expect(wide.rows.find((r) => r.layer === 'merged')!.connectedTo).toEqual(['wide[0][0]', 'hidden[0][0]']);
    const siamese = summaryOf('siamese.nn');
    expect(siamese.rows.find((r) => r.layer === 'encoder')!.connectedTo).toEqual(['left[0][0]', 'right[0][0]']);
    expect(siamese.rows.find((r) => r.op === 'concat')!.connectedTo).toEqual(['encoder[0][0]', 'encoder[1][0]']);
    expect(renderSummaryTable(siamese)).toMatch(/\nleft +input +\[\?, 64\] +0 +-\n/);
  });
});
