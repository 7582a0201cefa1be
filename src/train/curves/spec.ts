import type { AlignedCurves, Series } from './align.js';

/** The legend text of each series: it says where the points are drawn and why. */
export function seriesLabels(shift: number): Record<Series, string> {
  return {
    batch: 'training loss of each batch, at the end of its step',
    training: `training: mean over the epoch, drawn at epoch − ${shift} (the model half-way through it)`,
    validation: 'validation: the model at the end of the epoch',
  };
}

const COLORS: Record<Series, string> = { batch: '#a6c8e6', training: '#1f77b4', validation: '#e6550d' };

export interface CurvesSpecOptions {
  title?: string;
  /** Of each chart, in pixels. */
  width?: number;
  height?: number;
}

/**
 * A Vega-Lite (v6) specification of the training curves: one chart per metric, stacked, with
 * the data inline. `nnc train` renders it to SVG; the playground embeds the same object.
 * Losses spanning more than a factor of 20 get a log scale.
 */
export function curvesSpec(curves: AlignedCurves, options: CurvesSpecOptions = {}): Record<string, unknown> {
  const labels = seriesLabels(curves.shift);
  const series: Series[] = ['batch', 'training', 'validation'];
  const present = series.filter((s) => curves.points.some((p) => p.series === s));
  const values = curves.points.map((p) => ({ ...p, label: labels[p.series] }));
  const color = {
    field: 'label',
    type: 'nominal',
    scale: { domain: present.map((s) => labels[s]), range: present.map((s) => COLORS[s]) },
    legend: { title: null, orient: 'bottom', direction: 'vertical', labelLimit: 1000 },
  };
  const charts = curves.metrics.map((metric) => {
    // The axis fits the epoch values; single batches, much noisier, may run off it (and are clipped).
    const ys = curves.points.filter((p) => p.metric === metric && p.series !== 'batch').map((p) => p.value);
    const log = metric.endsWith('loss') && ys.length > 0 && ys.every((y) => y > 0) && Math.max(...ys) / Math.min(...ys) > 20;
    const [low, high] = ys.length > 0 ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
    const pad = (high - low) * 0.05 || Math.abs(high) * 0.05 || 1;
    const domain = log ? [low / 1.25, high * 1.25] : [low - pad, high + pad];
    const encoding = {
      x: { field: 'x', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: log ? `${metric} (log scale)` : metric, scale: { type: log ? 'log' : 'linear', domain, nice: false } },
      color,
      tooltip: [
        { field: 'label', title: 'series' },
        { field: 'epoch', type: 'quantitative' },
        { field: 'value', type: 'quantitative', format: '.4g' },
      ],
    };
    return {
      width: options.width ?? 560,
      height: options.height ?? 260,
      transform: [{ filter: { field: 'metric', equal: metric } }],
      encoding,
      layer: [
        { transform: [{ filter: { field: 'series', equal: 'batch' } }], mark: { type: 'line', strokeWidth: 1, opacity: 0.8, clip: true } },
        { transform: [{ filter: { field: 'series', oneOf: ['training', 'validation'] } }], mark: { type: 'line', point: true, strokeWidth: 2 } },
      ],
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    data: { values },
    vconcat: charts,
    config: { font: 'sans-serif', view: { stroke: null } },
  };
}
