import { describe, expect, test } from 'vitest';
import { alignCurves } from '../../src/train/curves/align.js';
import { diagnoseCurves } from '../../src/train/curves/diagnose.js';
import { logTicks } from '../../src/train/curves/scale.js';
import { curvesSpec } from '../../src/train/curves/spec.js';
import { batchesCsv, epochsCsv } from '../../src/train/history-files.js';
import type { TrainHistory } from '../../src/train/loop/history.js';

/** A history of `loss`/`val_loss` pairs, two batches per epoch, starting from `initial` validation loss. */
function history(pairs: Array<[number, number]>, initial: number | null = 2): TrainHistory {
  return {
    names: ['loss', 'accuracy'],
    initial: initial === null ? null : { loss: initial, accuracy: 0.1 },
    epochs: pairs.map(([loss, val], i) => ({ epoch: i + 1, logs: { loss, accuracy: 0.5, val_loss: val, val_accuracy: 0.4 }, seconds: 1, samplesPerSecond: 10 })),
    batches: pairs.flatMap(([loss], i) => [1, 2].map((batch) => ({ epoch: i + 1, batch, batches: 2, loss: loss + (batch === 1 ? 0.1 : -0.1) }))),
  };
}

describe('curve alignment', () => {
  const h = history([[1, 0.9], [0.8, 0.7]]);

  test('training means sit at epoch − 0.5, validation at the epoch (and at 0 before training), batches where their step ends', () => {
    const points = alignCurves(h).points.filter((p) => p.metric === 'loss');
    expect(points.filter((p) => p.series === 'training').map((p) => [p.x, p.value])).toEqual([[0.5, 1], [1.5, 0.8]]);
    expect(points.filter((p) => p.series === 'validation').map((p) => [p.x, p.value])).toEqual([[0, 2], [1, 0.9], [2, 0.7]]);
    expect(points.filter((p) => p.series === 'batch').map((p) => p.x)).toEqual([0.5, 1, 1.5, 2]);
  });

  test('the shift is configurable', () => {
    expect(alignCurves(h, 0).points.filter((p) => p.series === 'training' && p.metric === 'loss').map((p) => p.x)).toEqual([1, 2]);
  });

  test('the history files carry the x of every point', () => {
    expect(epochsCsv(h)).toBe(
      'epoch,training_x,validation_x,loss,accuracy,val_loss,val_accuracy,seconds,samples_per_second\n' +
        '0,,0,,,2,0.1,,\n' +
        '1,0.5,1,1,0.5,0.9,0.4,1,10\n' +
        '2,1.5,2,0.8,0.5,0.7,0.4,1,10\n',
    );
    expect(epochsCsv(h, 0.25).split('\n')[2]).toMatch(/^1,0\.75,1,/);
    expect(batchesCsv(h).split('\n').slice(0, 3)).toEqual(['epoch,batch,batches,x,loss', '1,1,2,0.5,1.1', '1,2,2,1,0.9']);
  });

  test('the Vega-Lite spec draws every series with a legend that gives the reason for the shift', () => {
    const spec = curvesSpec(alignCurves(h), { title: 'T' }) as unknown as Spec;
    expect(spec.vconcat).toHaveLength(2);
    const legend = spec.vconcat[0]!.layer[0]!.encoding!.color.scale.domain;
    expect(legend).toContain('training: mean over the epoch, drawn at epoch − 0.5 (the model half-way through it)');
    expect(legend).toContain('validation: the model at the end of the epoch');
    expect(spec.data.values.find((v) => v.series === 'training')!.x).toBe(0.5);
  });
});

interface Layer {
  mark: { type: string } | string;
  encoding?: { x: { scale: { domain: number[] } }; y: { scale: { type: string; domain: [number, number] }; axis?: { values: number[] }; title: string }; color: { scale: { domain: string[] } } };
  data?: { values: Array<{ x: number; text: string }> };
}
interface Spec {
  vconcat: Array<{ layer: Layer[] }>;
  data: { values: Array<{ x: number; series: string; label: string; metric: string; value: number }> };
}

describe('the charts', () => {
  /** Two outputs over 10 epochs of 4 batches; the batches swing far below and above the epoch means. */
  function twoOutputs(): TrainHistory {
    const epochs = Array.from({ length: 10 }, (_, i) => {
      const loss = 2 / (i + 1);
      return { epoch: i + 1, logs: { loss, a_loss: loss / 2, b_loss: loss, a_mae: loss / 3, b_accuracy: 0.5 + i / 25, val_loss: loss * 1.1, val_a_loss: loss / 1.8, val_b_loss: loss * 1.05, val_a_mae: loss / 2.9, val_b_accuracy: 0.5 + i / 30 }, seconds: 1, samplesPerSecond: 1 };
    });
    const batches = epochs.flatMap((e) => [1, 2, 3, 4].map((batch) => ({ epoch: e.epoch, batch, batches: 4, loss: e.logs.loss * (batch === 2 ? 0.02 : batch === 3 ? 6 : 1) })));
    return { names: ['loss', 'a_loss', 'b_loss', 'a_mae', 'b_accuracy'], initial: { loss: 2.5, a_loss: 1.2, b_loss: 2.4, a_mae: 0.9, b_accuracy: 0.3 }, epochs, batches };
  }
  const spec = curvesSpec(alignCurves(twoOutputs()), { best: { epoch: 7, monitor: 'val_loss' } }) as unknown as Spec;
  const charts = spec.vconcat.map((chart) => chart.layer[0]!.encoding!);

  test('one chart per log: the total loss, each output\'s own loss and each metric', () => {
    // Only the total loss, with its single batches, spans more than a factor of 20.
    expect(charts.map((e) => e.y.title)).toEqual(['loss (weighted total), log scale', 'a_loss (unweighted)', 'b_loss (unweighted)', 'a_mae', 'b_accuracy']);
  });

  test('every chart spans the same epochs', () => {
    expect(new Set(charts.map((e) => JSON.stringify(e.x.scale.domain)))).toEqual(new Set(['[0,10]']));
  });

  test('the y axis holds every point drawn, single batches below and above the epoch means included', () => {
    for (const [i, metric] of ['loss', 'a_loss', 'b_loss', 'a_mae', 'b_accuracy'].entries()) {
      const [low, high] = charts[i]!.y.scale.domain;
      const values = spec.data.values.filter((v) => v.metric === metric).map((v) => v.value);
      expect(Math.min(...values), metric).toBeGreaterThanOrEqual(low);
      expect(Math.max(...values), metric).toBeLessThanOrEqual(high);
    }
    const batches = spec.data.values.filter((v) => v.series === 'batch').map((v) => v.value);
    expect(Math.min(...batches)).toBeLessThan(Math.min(...spec.data.values.filter((v) => v.metric === 'loss' && v.series !== 'batch').map((v) => v.value)));
  });

  test('a log axis has labelled ticks, 1, 2 and 5 times powers of ten within its domain', () => {
    const loss = charts[0]!.y;
    expect(loss.scale.type).toBe('log');
    const ticks = loss.axis!.values;
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    for (const t of ticks) expect(t).toBeGreaterThanOrEqual(loss.scale.domain[0]);
    expect(ticks).toEqual(expect.arrayContaining([0.1, 0.2, 0.5, 1, 2]));
    expect(logTicks([0.15, 0.9])).toEqual([0.2, 0.5]);
  });

  test('the epoch whose weights the model keeps is marked on every chart, and labelled on the first', () => {
    for (const chart of spec.vconcat) {
      const rule = chart.layer.find((l) => (l.mark as { type: string }).type === 'rule')!;
      expect(rule.data!.values[0]!.x).toBe(7);
    }
    const label = spec.vconcat[0]!.layer.find((l) => (l.mark as { type: string }).type === 'text')!;
    expect(label.data!.values[0]!.text).toBe('saved model: epoch 7, the best val_loss');
    expect(spec.vconcat[1]!.layer.some((l) => (l.mark as { type: string }).type === 'text')).toBe(false);
    expect((curvesSpec(alignCurves(twoOutputs())) as unknown as Spec).vconcat[0]!.layer).toHaveLength(2);
  });
});

describe('diagnosis from the aligned curves', () => {
  test('curves that overlap: generalising well', () => {
    const d = diagnoseCurves(history([[1.9, 1.5], [1.2, 1.0], [0.9, 0.8], [0.75, 0.7], [0.68, 0.65], [0.63, 0.6]]));
    expect(d.verdict).toBe('overlap');
    expect(d.lines.at(-1)).toBe('  epochs 1–6: the curves overlap: the model generalises well');
  });

  test('shifted, a steadily falling loss overlaps; unshifted it would look like training above validation', () => {
    // Each epoch the loss falls by 0.1 per half epoch: the mean over epoch e equals the snapshot at e − 0.5.
    const falling = Array.from({ length: 8 }, (_, i): [number, number] => [2 - 0.2 * i - 0.1, 2 - 0.2 * (i + 1)]);
    expect(diagnoseCurves(history(falling, 2)).verdict).toBe('overlap');
    expect(diagnoseCurves(history(falling, 2), { shift: 0 }).verdict).toBe('above');
  });

  test('training below validation: overfitting, from the epoch it starts', () => {
    const pairs: Array<[number, number]> = [[1.5, 1.2], [1.0, 0.95], [0.8, 0.8], [0.7, 0.75], [0.5, 0.8], [0.4, 0.85], [0.3, 0.9], [0.2, 1.0], [0.15, 1.1], [0.1, 1.2]];
    const d = diagnoseCurves(history(pairs, 1.6));
    expect(d.verdict).toBe('below');
    const below = d.phases.at(-1)!;
    expect(below.from).toBeGreaterThanOrEqual(4);
    expect(below.from).toBeLessThanOrEqual(5);
    expect(d.lines).toContain(`  from epoch ${below.from}: training below validation: the model is overfitting (it fits the training data better than data it has not seen)`);
    expect(d.lines.at(-1)).toMatch(/^ {2}validation loss has risen \d+% since around epoch \d while training loss kept falling$/);
  });

  test('training above validation names the layers active only in training', () => {
    const d = diagnoseCurves(history([[2, 1.2], [1.5, 0.9], [1.3, 0.8], [1.2, 0.75]]), { trainingOnlyLayers: ['hidden/dropout_1'] });
    expect(d.verdict).toBe('above');
    expect(d.lines.at(-1)).toBe('  epochs 1–4: training above validation: typical early in training, and with dropout or other regularisation active only in training, as with `hidden/dropout_1` here');
  });

  test('without validation data there is nothing to compare', () => {
    const h = history([[1, 1]], null);
    h.epochs = h.epochs.map((e) => ({ ...e, logs: { loss: 1 } }));
    expect(diagnoseCurves(h)).toMatchObject({ verdict: 'none', lines: [expect.stringContaining('no validation data')] });
  });
});

describe('a long run', () => {
  test('the y scale of 300,000 batch losses (more than a call takes arguments)', async () => {
    const { yScale } = await import('../../src/train/curves/scale.js');
    const losses = Array.from({ length: 300_000 }, (_, i) => 1 + (i % 7));
    expect(yScale(losses, 'loss')).toEqual({ type: 'linear', domain: [1 - 0.3, 7 + 0.3] });
  });
});
