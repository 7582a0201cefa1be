import type { TopLevelSpec } from 'vega-lite';
import type { ProbeReport, ProbeRow } from '../analysis/probe.js';

/** The chart's panels, top to bottom. */
export const PROBE_PANELS = ['Activation RMS', 'Gradient RMS, dL/d(output)', 'Weight gradient RMS, dL/dW'] as const;
type PanelName = (typeof PROBE_PANELS)[number];

/**
 * One datum of the chart: a measured point, or a predicted value. Predicted activations and
 * gradients are drawn as segments along the graph's edges (from each input to the node reading
 * it), so that branches and skips stay apart; predicted weight gradients as hollow marks.
 */
export interface ProbeDatum {
  panel: PanelName;
  series: 'measured' | 'predicted';
  node: string;
  depth: number;
  value: number;
  log10: number;
  /** `from->to` for the two ends of a predicted segment. */
  segment?: string;
}

const plottable = (x: number | null | undefined): x is number => typeof x === 'number' && x > 0 && Number.isFinite(x);

function valuesOf(row: ProbeRow, panel: PanelName): { measured: number | null; predicted: number | null } {
  if (panel === PROBE_PANELS[0]) return row.activation;
  if (panel === PROBE_PANELS[1]) return row.gradient;
  return row.weightGradient ?? { measured: null, predicted: null };
}

/** The edges along which a panel draws its prediction: every input to the node reading it. */
function edges(report: ProbeReport): Array<[ProbeRow, ProbeRow]> {
  const rows = new Map(report.rows.map((r) => [r.node, r]));
  return report.rows.flatMap((r) => r.inputs.map((id): [ProbeRow, ProbeRow] => [rows.get(id)!, r]));
}

export function probeChartData(report: ProbeReport): ProbeDatum[] {
  const data: ProbeDatum[] = [];
  const datum = (panel: PanelName, series: ProbeDatum['series'], row: ProbeRow, value: number, segment?: string): ProbeDatum => ({
    panel,
    series,
    node: row.node,
    depth: row.depth,
    value,
    log10: Math.log10(value),
    ...(segment ? { segment } : {}),
  });
  for (const panel of PROBE_PANELS) {
    for (const row of report.rows) {
      const { measured } = valuesOf(row, panel);
      if (plottable(measured)) data.push(datum(panel, 'measured', row, measured));
    }
    if (panel === PROBE_PANELS[2]) {
      // A weight gradient belongs to its layer, not to an edge: each prediction is a mark of its own.
      for (const row of report.rows) {
        const predicted = row.weightGradient?.predicted;
        if (plottable(predicted)) data.push(datum(panel, 'predicted', row, predicted));
      }
      continue;
    }
    for (const [from, to] of edges(report)) {
      const [a, b] = [valuesOf(from, panel).predicted, valuesOf(to, panel).predicted];
      if (!plottable(a) || !plottable(b)) continue;
      const segment = `${from.node}->${to.node}`;
      data.push(datum(panel, 'predicted', from, a, segment), datum(panel, 'predicted', to, b, segment));
    }
  }
  return data;
}

const axisX = { field: 'depth', type: 'quantitative', title: 'depth (weight layers from the input)', axis: { tickMinStep: 1 } } as const;
const color = {
  field: 'series',
  type: 'nominal',
  title: null,
  scale: { domain: ['measured', 'predicted'], range: ['#d62728', '#1f77b4'] },
} as const;

/** Whole decades around the values, at least one: agreement to a few percent should look like it. */
function decades(data: readonly ProbeDatum[]): [number, number] {
  const logs = data.map((d) => d.log10);
  // Reduced, not spread into Math.min: a probe has a datum per layer.
  const low = Math.floor(logs.reduce((a, b) => Math.min(a, b), Infinity) - 0.05);
  const high = Math.ceil(logs.reduce((a, b) => Math.max(a, b), -Infinity) + 0.05);
  return [low, Math.max(high, low + 1)];
}

type Panel = Extract<TopLevelSpec, { vconcat: unknown }>['vconcat'][number];

function panelSpec(panel: PanelName, data: readonly ProbeDatum[]): Panel {
  const y = { field: 'log10', type: 'quantitative', title: 'log10 RMS', scale: { domain: decades(data), nice: false } } as const;
  return {
    title: { text: panel, anchor: 'start', fontSize: 12 },
    width: 520,
    height: 170,
    transform: [{ filter: { field: 'panel', equal: panel } }],
    layer: [
      {
        transform: [{ filter: 'isValid(datum.segment)' }],
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: { x: axisX, y, detail: { field: 'segment', type: 'nominal' }, color },
      },
      {
        transform: [{ filter: "datum.series === 'predicted' && !datum.segment" }],
        mark: { type: 'point', filled: false, size: 60, strokeWidth: 1.5 },
        encoding: { x: axisX, y, color },
      },
      {
        transform: [{ filter: { field: 'series', equal: 'measured' } }],
        mark: { type: 'point', filled: true, size: 28, opacity: 0.85 },
        encoding: {
          x: axisX,
          y,
          color,
          tooltip: [
            { field: 'node', type: 'nominal' },
            { field: 'value', type: 'quantitative', format: '.3e' },
          ],
        },
      },
    ],
  };
}

/**
 * A Vega-Lite spec of the probe: one panel per quantity, log10 of the RMS against depth, the
 * measurement as points and the prediction as lines along the graph's edges (hollow marks for
 * weight gradients).
 * Pure data, browser-safe; render it with renderProbeSvg or any Vega-Lite viewer.
 */
export function probeChartSpec(report: ProbeReport): TopLevelSpec {
  const data = probeChartData(report);
  const panels = PROBE_PANELS.filter((panel) => data.some((d) => d.panel === panel));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${report.model}: measured and predicted signal at initialization`,
      subtitle: `float64 reference engine, batch ${report.batch}, seed ${report.seed}, N(0, 1) inputs and output gradients`,
      anchor: 'start',
    },
    data: { values: data },
    vconcat: panels.map((panel) => panelSpec(panel, data.filter((d) => d.panel === panel))),
    config: { font: 'sans-serif' },
  };
}

/**
 * The chart as an SVG document. Vega renders headless (no canvas needed for SVG) in Node and
 * in browsers alike; both libraries are loaded only when a chart is asked for.
 */
export async function renderProbeSvg(report: ProbeReport): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(probeChartSpec(report)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
