import type { IRModel } from '../ir/ir.js';
import { diagnoseCurves } from '../train/curves/diagnose.js';
import { explainDivergence } from '../train/loop/divergence.js';
import type { FitResult } from '../train/loop/fit.js';
import type { PreparedData } from '../train/prepare.js';
import { formatLogs } from './train-progress.js';

const HOW: Record<string, string> = {
  setting: 'the train block\'s `columns`',
  option: '`--columns`',
  name: 'named like it',
  indexed: 'NAME_0, NAME_1, ...',
  rest: 'the other columns',
};

/** Which columns feed each input and output, and the class ids of text labels. */
export function describeColumns(prepared: PreparedData): string {
  const plans = prepared.plans;
  const width = Math.max(...plans.map((p) => p.binding.port.name.length));
  const lines = plans.map((plan) => {
    const { port, columns } = plan.binding;
    const names = columns.map((c) => prepared.columnNames[c]!);
    const shown = names.length > 6 ? `${names.slice(0, 3).join(', ')}, ... ${names.at(-1)} (${names.length} columns)` : names.join(', ');
    const classes = prepared.classNames[port.name];
    const labels = classes ? `; classes ${classes.map((c, i) => `${c} = ${i}`).join(', ')}` : plan.labels ? `; class ids 0 to ${plan.labels.classes - 1}` : '';
    return `  ${port.name.padEnd(width)} <- ${shown} (${HOW[plan.binding.source]})${labels}\n`;
  });
  return `columns:\n${lines.join('')}`;
}

/** The closing report: how training ended, the final values and what the curves say; or the divergence. */
export function describeEnd(result: FitResult, model: IRModel, shift: number): { text: string; error?: string } {
  const { history } = result;
  if (result.status === 'diverged') {
    const { headline, notes, help } = explainDivergence(result.divergence!, model);
    const error = [`error: ${headline}`, ...notes.map((n) => `  = note: ${n}`), '  = help: try', ...help.map((h) => `      - ${h}`)].join('\n');
    return { text: '', error: `${error}\n` };
  }
  const lines: string[] = [];
  const last = history.epochs.at(-1);
  const names = [...history.names, ...history.names.map((n) => `val_${n}`)];
  const stopping = model.train!.earlyStopping;
  const best = history.epochs.find((e) => e.epoch === result.bestEpoch);
  if (result.status === 'interrupted') {
    const step = history.batches.at(-1);
    const where = !step ? 'before the first step' : last && step.epoch === last.epoch ? `after epoch ${last.epoch}` : `in epoch ${step.epoch}, after batch ${step.batch} of ${step.batches}`;
    if (!result.hasWeights) return { text: `interrupted ${where}, before any epoch finished: no model was written, only the history\n` };
    lines.push(`interrupted ${where}`);
    if (best) lines.push(`kept the weights of epoch ${best.epoch}, the best ${result.monitor}: ${formatLogs(best.logs, names)}`);
  } else if (result.status === 'stopped-early' && stopping && last) {
    lines.push(`stopped early after epoch ${last.epoch}: ${stopping.monitor} did not improve on epoch ${result.bestEpoch} for ${last.epoch - result.bestEpoch!} epochs`);
  } else if (last) {
    lines.push(`trained ${last.epoch} epochs (${Math.round(result.samplesPerSecond).toLocaleString('en-US')} samples/s)`);
  }
  if (result.status !== 'interrupted') {
    if (result.restored && best) lines.push(`restored the weights of epoch ${best.epoch}, the best ${stopping!.monitor}: ${formatLogs(best.logs, names)}`);
    else if (last) lines.push(`final: ${formatLogs(last.logs, names)}`);
  }
  const trainingOnlyLayers = model.layers.filter((l) => l.op === 'dropout').map((l) => l.id);
  lines.push(...diagnoseCurves(history, { shift, trainingOnlyLayers }).lines);
  return { text: lines.map((l) => `${l}\n`).join('') };
}
