import type { AlignedCurves, Series } from './align.js';
import { logTicks, yScale } from './scale.js';

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
  /** The epoch whose weights the saved model holds, when training put the best epoch's back: marked on every chart. */
  best?: { epoch: number; monitor: string };
}

/** `price_loss` is output price's own loss, unweighted; the title says so, as `loss` is the weighted total. */
function axisTitle(metric: string, log: boolean, perOutputLoss: boolean): string {
  const what = metric === 'loss' && perOutputLoss ? 'loss (weighted total)' : perOutputLoss && metric.endsWith('_loss') ? `${metric} (unweighted)` : metric;
  return log ? `${what}, log scale` : what;
}

/**
 * A Vega-Lite (v6) specification of the training curves: one chart per log (the loss, each
 * output's own loss, each metric), stacked, with the data inline; `nnc train` renders it to SVG
 * and the playground embeds the same object. Every chart spans the same epochs, its y axis holds
 * every point it draws (single batches included), and values spanning more than a factor of 20
 * get a log scale with labelled ticks. The best epoch, when its weights were put back, is a rule.
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
  const perOutputLoss = curves.metrics.some((m) => m !== 'loss' && m.endsWith('_loss'));
  const x = { field: 'x', type: 'quantitative', title: 'epoch', scale: { domain: [0, curves.lastX], nice: false }, axis: { tickMinStep: 1 } };
  const height = options.height ?? (curves.metrics.length > 3 ? 200 : 260);
  const charts = curves.metrics.map((metric, index) => {
    const scale = yScale(curves.points.filter((p) => p.metric === metric).map((p) => p.value), metric);
    const y = {
      field: 'value',
      type: 'quantitative',
      title: axisTitle(metric, scale.type === 'log', perOutputLoss),
      scale: { type: scale.type, domain: scale.domain, nice: false, ...(scale.type === 'linear' ? { zero: false } : {}) },
      ...(scale.type === 'log' ? { axis: { values: logTicks(scale.domain), format: '~g' } } : {}),
    };
    const encoding = {
      x,
      y,
      color,
      tooltip: [
        { field: 'label', title: 'series' },
        { field: 'epoch', type: 'quantitative' },
        { field: 'value', type: 'quantitative', format: '.4g' },
      ],
    };
    const own = (filter: Record<string, unknown>) => [{ filter: { field: 'metric', equal: metric } }, { filter }];
    const layer: Array<Record<string, unknown>> = [
      { transform: own({ field: 'series', equal: 'batch' }), mark: { type: 'line', strokeWidth: 1, opacity: 0.8 }, encoding },
      { transform: own({ field: 'series', oneOf: ['training', 'validation'] }), mark: { type: 'line', point: true, strokeWidth: 2 }, encoding },
    ];
    if (options.best) layer.push(...bestMarker(options.best, x, curves.lastX, index === 0));
    return { width: options.width ?? 560, height, layer };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    data: { values },
    vconcat: charts,
    resolve: { scale: { x: 'shared' } },
    config: { font: 'sans-serif', view: { stroke: null } },
  };
}

/** A dashed rule at the best epoch on every chart, and on the first one a label saying what it marks. */
function bestMarker(best: NonNullable<CurvesSpecOptions['best']>, x: Record<string, unknown>, lastX: number, labelled: boolean): Array<Record<string, unknown>> {
  const data = { values: [{ x: best.epoch, text: `saved model: epoch ${best.epoch}, the best ${best.monitor}` }] };
  const rule = { data, mark: { type: 'rule', strokeDash: [5, 4], color: '#555', strokeWidth: 1.5 }, encoding: { x } };
  if (!labelled) return [rule];
  // Beside the rule, on the side with room for it.
  const left = best.epoch < lastX * 0.6;
  const mark = { type: 'text', align: left ? 'left' : 'right', baseline: 'top', dx: left ? 4 : -4, dy: 4, color: '#333', fontSize: 11 };
  const text = { data, mark, encoding: { x, y: { value: 0 }, text: { field: 'text' } } };
  return [rule, text];
}
