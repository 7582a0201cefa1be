import { describe, expect, test } from 'vitest';
import { formatCount, renderSummaryTable } from '../../src/format/summary-table.js';
import type { ModelSummary } from '../../src/summary.js';

const wideDeep: ModelSummary = {
  model: 'WideDeep',
  rows: [
    { layer: 'wide', op: 'input', outputShape: '[?, 5]', params: 0, init: '', line: 3 },
    { layer: 'deep', op: 'input', outputShape: '[?, 6]', params: 0, init: '', line: 4 },
    { layer: 'hidden/dense_1', op: 'dense', outputShape: '[?, 30]', params: 210, init: 'glorot_uniform (auto), zeros (auto)', line: 5 },
    { layer: 'hidden/dense_2', op: 'dense', outputShape: '[?, 30]', params: 930, init: 'glorot_uniform (auto), zeros (auto)', line: 5 },
    { layer: 'merged', op: 'concat', outputShape: '[?, 35]', params: 0, init: '', line: 6 },
    { layer: 'price/dense', op: 'dense', outputShape: '[?, 1]', params: 36, init: 'glorot_uniform (auto), zeros (auto)', line: 7 },
    { layer: 'aux/dense', op: 'dense', outputShape: '[?, 1]', params: 865, init: 'he', line: 8 },
  ],
  totalParams: 2041,
  trainableParams: 2041,
  nonTrainableParams: 0,
};

describe('renderSummaryTable', () => {
  test('aligns columns, right-aligns params and prints the totals', () => {
    expect(renderSummaryTable(wideDeep)).toBe(
      [
        'Model: WideDeep',
        'Layer           Op      Output shape  Params  Init',
        '='.repeat(81),
        'wide            input   [?, 5]             0',
        'deep            input   [?, 6]             0',
        'hidden/dense_1  dense   [?, 30]          210  glorot_uniform (auto), zeros (auto)',
        'hidden/dense_2  dense   [?, 30]          930  glorot_uniform (auto), zeros (auto)',
        'merged          concat  [?, 35]            0',
        'price/dense     dense   [?, 1]            36  glorot_uniform (auto), zeros (auto)',
        'aux/dense       dense   [?, 1]           865  he',
        '-'.repeat(81),
        'Total params: 2,041 (trainable 2,041, non-trainable 0)',
      ].join('\n'),
    );
  });

  test('shared layers list every shape they produce; big counts get separators', () => {
    const table = renderSummaryTable({
      model: 'Siamese',
      rows: [
        { layer: 'encoder', op: 'dense', outputShape: '[?, 32] | [?, 32, 2]', params: 1_234_567, init: 'he', line: 4 },
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
    const table = renderSummaryTable({ model: 'Empty', rows: [], totalParams: 0, trainableParams: 0, nonTrainableParams: 0 });
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
