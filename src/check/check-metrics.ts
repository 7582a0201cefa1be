import type { Reporter } from '../diagnostics/reporter.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { IRLoss, IRPort, IRTrain } from '../ir/ir.js';
import type { Expr, TrainSetting } from '../parse/ast.js';
import { fixedWord } from '../parse/fixed-word.js';
import { registry } from '../registry/registry.js';
import type { MetricDef } from '../registry/tables.js';
import { describeExpr } from './env.js';

interface MetricsContext {
  outputs: readonly IRPort[];
  reporter: Reporter;
}

interface Written {
  def: MetricDef;
  expr: Expr;
}

/**
 * `metrics = [mae]` gives every output the same metrics (as in Keras); `metrics = { score: [mae],
 * kind: [accuracy] }` gives each output its own, and outputs left out get none. Names may be
 * quoted (`"mae"`), as Keras users write them. A metric that means nothing for an output's loss
 * (accuracy of a regression) is W5008; `losses` is undefined when they had errors.
 */
export function checkMetrics(setting: TrainSetting | undefined, losses: Record<string, IRLoss> | undefined, ctx: MetricsContext): IRTrain['metrics'] {
  const metrics: IRTrain['metrics'] = Object.create(null);
  for (const output of ctx.outputs) metrics[output.name] = [];
  if (!setting) return metrics;
  const value = setting.value;
  const written = new Map<string, Written[]>();
  if (value.kind === 'Dict') {
    for (const entry of value.entries) {
      const output = ctx.outputs.find((o) => o.name === entry.key.name);
      if (!output) {
        const help = didYouMean(entry.key.name, ctx.outputs.map((o) => o.name));
        ctx.reporter.report('metricsForUnknownOutput', entry.key.span, { name: entry.key.name }, help ? { help } : {});
        continue;
      }
      written.set(output.name, [...(written.get(output.name) ?? []), ...metricList(entry.value, ctx)]);
    }
  } else {
    const list = metricList(value, ctx);
    for (const output of ctx.outputs) written.set(output.name, list);
  }
  for (const [output, list] of written) {
    for (const { def } of list) if (!metrics[output]!.includes(def.name)) metrics[output]!.push(def.name);
  }
  if (losses) reportMisfits(written, losses, value.kind === 'Dict', ctx);
  return metrics;
}

/** `mae`, `"mae"` or a list of them; anything else is E5004, an unknown name E2009. */
function metricList(value: Expr, ctx: MetricsContext): Written[] {
  const items = value.kind === 'List' ? value.items : [value];
  const list: Written[] = [];
  for (const item of items) {
    const name = fixedWord(item)?.name;
    if (name === undefined) {
      ctx.reporter.report('invalidTrainSetting', item.span, { name: 'metrics', reason: `takes metric names, or \`{ output: [metric, ...] }\`, found ${describeExpr(item)}` });
      continue;
    }
    const def = registry.metric(name);
    if (!def) {
      const help = didYouMean(name, registry.metricNames());
      ctx.reporter.report('unknownMetric', item.span, { name }, help ? { help } : {});
      continue;
    }
    list.push({ def, expr: item });
  }
  return list;
}

const fits = (def: MetricDef, loss: IRLoss): boolean => def.fits === undefined || def.fits.losses.includes(loss.name);

function reportMisfits(written: ReadonlyMap<string, Written[]>, losses: Record<string, IRLoss>, perOutput: boolean, ctx: MetricsContext): void {
  const help = perOutput ? undefined : suggestion(written, losses);
  for (const [output, list] of written) {
    const loss = losses[output];
    if (!loss) continue;
    for (const { def, expr } of list) {
      if (fits(def, loss)) continue;
      const regression = !['binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy'].includes(loss.name);
      const fix = help ?? (regression ? `for a regression use \`mae\` or \`mse\`${perOutput ? '' : ', or drop it'}` : 'use `accuracy`: it takes the form of accuracy that fits the output\'s loss');
      ctx.reporter.report('metricLossMismatch', expr.span, { metric: def.name, output, loss: loss.name, detail: def.fits!.detail }, {
        labels: [{ span: loss.span, message: `\`${output}\` is trained with \`${loss.name}\` here` }],
        help: fix,
      });
    }
  }
}

/** For one list shared by several outputs: the per-output form keeping, for each output, the metrics that fit it. */
function suggestion(written: ReadonlyMap<string, Written[]>, losses: Record<string, IRLoss>): string | undefined {
  if (written.size < 2) return undefined;
  const entries = [...written].flatMap(([output, list]) => {
    const kept = list.filter(({ def }) => losses[output] !== undefined && fits(def, losses[output]!)).map(({ def }) => def.name);
    return kept.length > 0 ? [`${output}: [${kept.join(', ')}]`] : [];
  });
  if (entries.length === 0) return undefined;
  return `give each output its own metrics: \`metrics = { ${entries.join(', ')} }\``;
}
