import type { Reporter } from '../diagnostics/reporter.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { IRLoss, IROptimizer, IRPort, IRTrain } from '../ir/ir.js';
import type { Expr, Identifier, TrainSetting, TrainStatement } from '../parse/ast.js';
import { formatType } from '../registry/op.js';
import { registry } from '../registry/registry.js';
import { higherIsBetter, logNames } from '../train/log-names.js';
import { checkMetrics } from './check-metrics.js';
import { EMPTY_ENV, describeExpr } from './env.js';
import { resolveArgs } from './resolve-args.js';

export const SETTINGS = ['loss', 'loss_weights', 'optimizer', 'metrics', 'epochs', 'batch_size', 'validation_split', 'shuffle', 'seed', 'columns', 'early_stopping'] as const;

export interface TrainContext {
  /** Input names, for `columns`. */
  inputs: readonly string[];
  outputs: readonly IRPort[];
  /** The activation an output ends with, if any (for loss-fit warnings). */
  outputActivation(name: string): string | undefined;
  reporter: Reporter;
}

/** Validates a `train { }` block against the model's outputs; undefined after any error. */
export function checkTrain(statement: TrainStatement, ctx: TrainContext): IRTrain | undefined {
  const { reporter } = ctx;
  const errorsBefore = reporter.errorCount;
  const settings = new Map<string, TrainSetting>();
  for (const setting of statement.settings) {
    const key = setting.key.name;
    if (!(SETTINGS as readonly string[]).includes(key)) {
      const help = didYouMean(key, SETTINGS);
      reporter.report('unknownTrainSetting', setting.key.span, { name: key }, help ? { help } : {});
    } else if (settings.has(key)) {
      reporter.report('duplicateDefinition', setting.key.span, { name: key }, { labels: [{ span: settings.get(key)!.key.span, message: 'first set here' }] });
    } else {
      settings.set(key, setting);
    }
  }
  const losses = checkLosses(settings.get('loss'), statement, ctx);
  applyLossWeights(settings.get('loss_weights'), losses, ctx);
  const optimizer = checkOptimizer(settings.get('optimizer'), statement, ctx);
  const metrics = checkMetrics(settings.get('metrics'), losses, ctx);
  const epochs = integerSetting(settings.get('epochs'), 10, 1, ctx);
  const batchSize = integerSetting(settings.get('batch_size'), 32, 1, ctx);
  const seed = integerSetting(settings.get('seed'), null, 0, ctx);
  const validationSplit = numberSetting(settings.get('validation_split'), 0, ctx);
  const shuffle = booleanSetting(settings.get('shuffle'), true, ctx);
  const columns = checkColumns(settings.get('columns'), ctx);
  const logs = losses && logNames(ctx.outputs.map((o) => o.name), { losses, metrics });
  if (logs) reportLogClashes(logs, ctx);
  const earlyStopping = checkEarlyStopping(settings.get('early_stopping'), logs, validationSplit, ctx);
  if (reporter.errorCount > errorsBefore || !losses || !optimizer) return undefined;
  return {
    losses, optimizer, metrics, epochs: epochs!, batchSize: batchSize!, validationSplit, shuffle, seed: seed ?? null,
    columns, earlyStopping, span: statement.span,
  };
}

function checkLosses(setting: TrainSetting | undefined, statement: TrainStatement, ctx: TrainContext): Record<string, IRLoss> | undefined {
  const { reporter, outputs } = ctx;
  if (!setting) {
    const help = outputs.length === 1 ? 'add `loss = mse` (or the loss that fits the task)' : `add \`loss = { ${outputs.map((o) => `${o.name}: mse`).join(', ')} }\``;
    for (const output of outputs) reporter.report('missingLoss', statement.span, { name: output.name }, { help });
    return undefined;
  }
  const losses: Record<string, IRLoss> = Object.create(null);
  const assign = (output: IRPort, id: Identifier): void => {
    const def = registry.loss(id.name);
    if (!def) {
      const help = didYouMean(id.name, registry.lossNames());
      reporter.report('unknownLoss', id.span, { name: id.name }, help ? { help } : {});
      return;
    }
    losses[output.name] = { name: def.name, weight: 1, span: id.span };
    const activation = ctx.outputActivation(output.name);
    if (def.expects && activation !== undefined && !def.expects.activations.includes(activation)) {
      reporter.report('lossActivationMismatch', id.span, { loss: def.name, activation, output: output.name, detail: def.expects.detail }, {
        labels: [{ span: output.span, message: `\`${output.name}\` is defined here` }],
      });
    }
    const last = output.type.shape[output.type.shape.length - 1];
    if ((def.name === 'categorical_crossentropy' || def.sparse) && last === 1) {
      reporter.report('lossShapeMismatch', id.span, { loss: def.name, output: output.name, shape: formatType(output.type), detail: 'it needs one probability per class, so a last dimension of at least 2' }, {
        help: 'for two classes with one output unit use `binary_crossentropy` and `sigmoid`',
      });
    }
  };
  const value = setting.value;
  if (value.kind === 'Identifier') {
    for (const output of outputs) assign(output, value);
  } else if (value.kind === 'Dict') {
    for (const entry of value.entries) {
      const output = outputs.find((o) => o.name === entry.key.name);
      if (!output) {
        const help = didYouMean(entry.key.name, outputs.map((o) => o.name));
        reporter.report('lossForUnknownOutput', entry.key.span, { name: entry.key.name }, help ? { help } : {});
      } else if (entry.value.kind !== 'Identifier') {
        reporter.report('invalidTrainSetting', entry.value.span, { name: 'loss', reason: `takes loss names, found ${describeExpr(entry.value)}` });
      } else {
        assign(output, entry.value);
      }
    }
    const missing = outputs.filter((o) => !(o.name in losses) && !value.entries.some((e) => e.key.name === o.name));
    for (const output of missing) {
      reporter.report('missingLoss', value.span, { name: output.name }, { help: `add \`${output.name}: mse\` (or the loss that fits it)` });
    }
  } else {
    reporter.report('invalidTrainSetting', value.span, { name: 'loss', reason: `must be a loss name or \`{ output: loss }\`, found ${describeExpr(value)}` });
  }
  return losses;
}

function applyLossWeights(setting: TrainSetting | undefined, losses: Record<string, IRLoss> | undefined, ctx: TrainContext): void {
  if (!setting) return;
  const { reporter, outputs } = ctx;
  const value = setting.value;
  if (value.kind !== 'Dict') {
    reporter.report('invalidTrainSetting', value.span, { name: 'loss_weights', reason: `must be \`{ output: weight }\`, found ${describeExpr(value)}` });
    return;
  }
  for (const entry of value.entries) {
    if (!outputs.some((o) => o.name === entry.key.name)) {
      const help = didYouMean(entry.key.name, outputs.map((o) => o.name));
      reporter.report('lossForUnknownOutput', entry.key.span, { name: entry.key.name }, help ? { help } : {});
      continue;
    }
    if (entry.value.kind !== 'Number' || entry.value.value < 0) {
      reporter.report('invalidTrainSetting', entry.value.span, { name: 'loss_weights', reason: `takes non-negative numbers, found ${describeExpr(entry.value)}` });
      continue;
    }
    const loss = losses?.[entry.key.name];
    if (loss) loss.weight = entry.value.value;
  }
}

function checkOptimizer(setting: TrainSetting | undefined, statement: TrainStatement, ctx: TrainContext): IROptimizer | undefined {
  const value: Expr | undefined = setting?.value;
  const callee = value?.kind === 'Call' ? value.callee : value?.kind === 'Identifier' ? value : undefined;
  if (value && !callee) {
    ctx.reporter.report('invalidTrainSetting', value.span, { name: 'optimizer', reason: `must be an optimizer such as \`adam(learning_rate=0.001)\`, found ${describeExpr(value)}` });
    return undefined;
  }
  const name = callee?.name ?? 'adam';
  const def = registry.optimizer(name);
  if (!def) {
    const help = didYouMean(name, registry.optimizerNames());
    ctx.reporter.report('unknownOptimizer', callee!.span, { name }, help ? { help } : {});
    return undefined;
  }
  const args = value?.kind === 'Call' ? value.args : [];
  const params = resolveArgs({ callee: def.name, span: value?.span ?? statement.span, args, env: EMPTY_ENV }, def.params, ctx.reporter);
  return params && { name: def.name, params: params as Record<string, number>, span: value?.span ?? statement.span };
}

function integerSetting<D extends number | null>(setting: TrainSetting | undefined, fallback: D, min: number, ctx: TrainContext): number | D | undefined {
  if (!setting) return fallback;
  const value = setting.value;
  if (value.kind !== 'Number' || !Number.isInteger(value.value) || value.value < min) {
    ctx.reporter.report('invalidTrainSetting', value.span, { name: setting.key.name, reason: `must be an integer of at least ${min}, found ${describeExpr(value)}` });
    return undefined;
  }
  return value.value;
}

function numberSetting(setting: TrainSetting | undefined, fallback: number, ctx: TrainContext): number {
  if (!setting) return fallback;
  const value = setting.value;
  if (value.kind !== 'Number' || value.value < 0 || value.value >= 1) {
    ctx.reporter.report('invalidTrainSetting', value.span, { name: setting.key.name, reason: `must be a fraction in [0, 1), found ${describeExpr(value)}` });
    return fallback;
  }
  return value.value;
}

function booleanSetting(setting: TrainSetting | undefined, fallback: boolean, ctx: TrainContext): boolean {
  if (!setting) return fallback;
  if (setting.value.kind !== 'Boolean') {
    ctx.reporter.report('invalidTrainSetting', setting.value.span, { name: setting.key.name, reason: `must be \`true\` or \`false\`, found ${describeExpr(setting.value)}` });
    return fallback;
  }
  return setting.value.value;
}

/** `columns = { features: ["sepal_*", "petal_*"], species: "species" }` */
function checkColumns(setting: TrainSetting | undefined, ctx: TrainContext): Record<string, string[]> {
  const columns: Record<string, string[]> = Object.create(null);
  if (!setting) return columns;
  const value = setting.value;
  if (value.kind !== 'Dict') {
    ctx.reporter.report('invalidTrainSetting', value.span, { name: 'columns', reason: `must be \`{ name: "column" or ["prefix_*", ...] }\`, found ${describeExpr(value)}` });
    return columns;
  }
  const names = [...ctx.inputs, ...ctx.outputs.map((o) => o.name)];
  for (const entry of value.entries) {
    if (!names.includes(entry.key.name)) {
      const help = didYouMean(entry.key.name, names);
      ctx.reporter.report('invalidTrainSetting', entry.key.span, { name: 'columns', reason: `names \`${entry.key.name}\`, which is neither an input nor an output` }, help ? { help } : {});
      continue;
    }
    const items = entry.value.kind === 'List' ? entry.value.items : [entry.value];
    const patterns: string[] = [];
    for (const item of items) {
      if (item.kind === 'String' && item.value.length > 0) patterns.push(item.value);
      else ctx.reporter.report('invalidTrainSetting', item.span, { name: 'columns', reason: `takes column names or patterns as strings, found ${describeExpr(item)}` }, { help: 'write `"price"` for one column or `"feature_*"` for every column with that prefix' });
    }
    columns[entry.key.name] = patterns;
  }
  return columns;
}

/**
 * Validation logs are the training logs with `val_` in front, so an output named `val_x` beside an
 * output `x` would log `val_x_loss` twice, and the history would keep only one of them.
 */
function reportLogClashes(logs: readonly string[], ctx: TrainContext): void {
  const names = new Set(logs);
  const reported = new Set<string>();
  for (const log of logs) {
    if (!log.startsWith('val_') || !names.has(log.slice(4))) continue;
    const output = ctx.outputs.find((o) => log.startsWith(`${o.name}_`) && o.name.startsWith('val_'));
    if (!output || reported.has(output.name)) continue;
    reported.add(output.name);
    ctx.reporter.report('logNameClash', output.span, { output: output.name, log, other: log.slice(4) }, { help: `rename \`${output.name}\`: names that start with \`val_\` are those of the validation logs` });
  }
}

export const STOPPING_KEYS = ['monitor', 'patience', 'min_delta', 'restore_best'] as const;

/** `early_stopping = { monitor: val_loss, patience: 5, min_delta: 0, restore_best: true }` */
/** `logs`: the run's log names (undefined when the losses had errors), which `monitor` must be one of, with or without `val_`. */
function checkEarlyStopping(setting: TrainSetting | undefined, logs: readonly string[] | undefined, validationSplit: number, ctx: TrainContext): IRTrain['earlyStopping'] {
  if (!setting) return null;
  const value = setting.value;
  if (value.kind !== 'Dict') {
    ctx.reporter.report('invalidTrainSetting', value.span, { name: 'early_stopping', reason: `must be \`{ monitor: val_loss, patience: 5 }\`, found ${describeExpr(value)}` });
    return null;
  }
  const result: NonNullable<IRTrain['earlyStopping']> = { monitor: validationSplit > 0 ? 'val_loss' : 'loss', patience: 5, minDelta: 0, restoreBest: true, mode: 'min', span: value.span };
  for (const entry of value.entries) {
    const key = entry.key.name;
    const v = entry.value;
    const bad = (expected: string) => ctx.reporter.report('invalidTrainSetting', v.span, { name: `early_stopping.${key}`, reason: `must be ${expected}, found ${describeExpr(v)}` });
    if (key === 'monitor') {
      const name = v.kind === 'Identifier' ? v.name : v.kind === 'String' ? v.value : undefined;
      const base = name?.replace(/^val_/, '');
      if (!logs) continue;
      if (!name || !base || !logs.includes(base)) {
        const known = logs.flatMap((m) => [m, `val_${m}`]);
        // With several outputs a metric is logged per output: `val_mae` is `val_score_mae`.
        const prefix = name?.startsWith('val_') ? 'val_' : '';
        const perOutput = base ? logs.filter((l) => l.endsWith(`_${base}`)).map((l) => `\`${prefix}${l}\``) : [];
        const help = perOutput.length > 0 ? `with several outputs each logs its own: ${perOutput.join(', ')}` : name ? didYouMean(name, known) : undefined;
        ctx.reporter.report('invalidTrainSetting', v.span, { name: 'early_stopping.monitor', reason: `must be a log of this model (${known.map((k) => `\`${k}\``).join(', ')}), found ${describeExpr(v)}` }, help ? { help } : {});
        continue;
      }
      result.monitor = name;
      result.mode = higherIsBetter(name) ? 'max' : 'min';
    } else if (key === 'patience') {
      if (v.kind === 'Number' && Number.isInteger(v.value) && v.value >= 0) result.patience = v.value;
      else bad('a whole number of epochs');
    } else if (key === 'min_delta') {
      if (v.kind === 'Number' && v.value >= 0) result.minDelta = v.value;
      else bad('a non-negative number');
    } else if (key === 'restore_best') {
      if (v.kind === 'Boolean') result.restoreBest = v.value;
      else bad('`true` or `false`');
    } else {
      const help = didYouMean(key, STOPPING_KEYS);
      ctx.reporter.report('invalidTrainSetting', entry.key.span, { name: 'early_stopping', reason: `has no setting \`${key}\` (it takes ${STOPPING_KEYS.map((k) => `\`${k}\``).join(', ')})` }, help ? { help } : {});
    }
  }
  return result;
}
