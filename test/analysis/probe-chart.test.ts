import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { probeModel } from '../../src/analysis/probe.js';
import { PROBE_PANELS, probeChartData, probeChartSpec, renderProbeSvg } from '../../src/format/probe-chart.js';
import { renderProbeTable } from '../../src/format/probe-table.js';
import { modelOf } from './support/stacks.js';

const examples = join(import.meta.dirname, '../../examples');
const wideDeep = probeModel(modelOf(readFileSync(join(examples, 'wide_deep.nn'), 'utf8')), { batch: 64, seed: 0 });

describe('the probe chart', () => {
  test('plots every measurement as a point, and each prediction along the graph\'s edges', () => {
    const data = probeChartData(wideDeep);
    const measured = data.filter((d) => d.series === 'measured');
    // 7 nodes × (activation, gradient) + 4 weight layers.
    expect(measured).toHaveLength(7 * 2 + 4);
    for (const d of measured) expect(d.log10).toBeCloseTo(Math.log10(d.value), 12);
    const segments = new Set(data.filter((d) => d.panel === PROBE_PANELS[0] && d.segment).map((d) => d.segment));
    expect([...segments].sort()).toEqual(
      ['deep->hidden/dense_1', 'hidden/dense_1->hidden', 'wide->merged', 'hidden->merged', 'merged->price', 'hidden->aux'].sort(),
    );
    // Each segment has its two ends, at the two nodes' depths and predicted values.
    const ends = data.filter((d) => d.panel === PROBE_PANELS[0] && d.segment === 'wide->merged');
    expect(ends.map((d) => [d.node, d.depth])).toEqual([['wide', 0], ['merged', 2]]);
    expect(ends[1]!.value).toBe(wideDeep.rows.find((r) => r.node === 'merged')!.activation.predicted);
    // Weight gradients: one predicted mark per layer, no segments.
    const weights = data.filter((d) => d.panel === PROBE_PANELS[2] && d.series === 'predicted');
    expect(weights.map((d) => d.node)).toEqual(['hidden/dense_1', 'hidden', 'price', 'aux']);
    expect(weights.every((d) => d.segment === undefined)).toBe(true);
  });

  test('leaves out what a log scale cannot show, and panels with nothing in them', () => {
    const report = probeModel(modelOf('model E {\n  input ids: int32[4]\n  output y = ids -> embedding(10, 3) -> relu\n}\n'), { batch: 8 });
    const data = probeChartData(report);
    // The ids' zero gradient and missing predictions are not plotted; the embedding has no weight prediction.
    expect(data.filter((d) => d.node === 'ids').map((d) => [d.panel, d.series])).toEqual([[PROBE_PANELS[0], 'measured']]);
    expect(data.every((d) => d.value > 0 && Number.isFinite(d.log10))).toBe(true);
    const noWeights = probeModel(modelOf('model R {\n  input x: [4]\n  output y = x -> relu\n}\n'), { batch: 8 });
    const spec = probeChartSpec(noWeights) as { vconcat: Array<{ title: { text: string } }> };
    expect(spec.vconcat.map((p) => p.title.text)).toEqual([PROBE_PANELS[0], PROBE_PANELS[1]]);
  });

  test('each panel spans whole decades, at least one', () => {
    const spec = probeChartSpec(wideDeep) as { vconcat: Array<{ layer: Array<{ encoding: { y: { scale: { domain: number[] } } } }> }> };
    for (const panel of spec.vconcat) {
      const [low, high] = panel.layer[0]!.encoding.y.scale.domain;
      expect(Number.isInteger(low) && Number.isInteger(high)).toBe(true);
      expect(high! - low!).toBeGreaterThanOrEqual(1);
    }
  });

  test('renders to a standalone SVG with a mark per measurement, the same every time', async () => {
    const svg = await renderProbeSvg(wideDeep);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('WideDeep: measured and predicted signal at initialization');
    for (const panel of PROBE_PANELS) expect(svg).toContain(`>${panel.replace('>', '&gt;')}<`);
    expect(svg.match(/series: measured/g)).toHaveLength(7 * 2 + 4);
    expect(await renderProbeSvg(wideDeep)).toBe(svg);
  });
});

describe('the probe table', () => {
  test('has one line per node, with measured, predicted and their ratio', () => {
    const lines = renderProbeTable(wideDeep).split('\n');
    expect(lines[0]).toBe('Probe of WideDeep at initialization (float64, batch 64, seed 0): measured vs predicted RMS');
    expect(lines[1]).toMatch(/^Layer +Op +Depth +Activation +Predicted +Ratio +Gradient +Predicted +Ratio +Weight grad +Predicted +Ratio$/);
    expect(lines).toHaveLength(2 + 7 + 2);
    const hidden = wideDeep.rows.find((r) => r.node === 'hidden')!;
    const cells = lines.find((l) => l.startsWith('hidden '))!.split(/ +/);
    expect(cells).toEqual([
      'hidden',
      'dense',
      '2',
      hidden.activation.measured.toExponential(2),
      '1.00e+0',
      hidden.activation.ratio!.toFixed(2),
      hidden.gradient.measured.toExponential(2),
      hidden.gradient.predicted!.toExponential(2),
      hidden.gradient.ratio!.toFixed(2),
      hidden.weightGradient!.measured.toExponential(2),
      hidden.weightGradient!.predicted!.toExponential(2),
      hidden.weightGradient!.ratio!.toFixed(2),
    ]);
    // Inputs have no weight gradient: their line ends after the gradient's ratio.
    expect(lines.find((l) => l.startsWith('wide '))!.split(/ +/)).toHaveLength(9);
    expect(lines.at(-1)).toMatch(/^Largest deviations from the prediction: activation ×\S+ at `\S+`, gradient ×\S+ at `\S+`, weight gradient ×\S+ at `\S+`$/);
  });

  test('shows a dash where nothing is predicted, and powers of ten for ratios far from 1', () => {
    const report = probeModel(modelOf('model E {\n  input ids: int32[4]\n  output y = ids -> embedding(10, 3)\n}\n'), { batch: 8 });
    const ids = renderProbeTable(report).split('\n').find((l) => l.startsWith('ids '))!;
    expect(ids.split(/ +/).slice(3)).toEqual([report.rows[0]!.activation.measured.toExponential(2), '—', '—', '0', '—', '—']);
    const far = { ...report, rows: [{ ...report.rows[1]!, activation: { measured: 5e-6, predicted: 1, ratio: 5e-6 } }] };
    expect(renderProbeTable(far).split('\n')[2]).toContain('5.0e-6');
  });
});
