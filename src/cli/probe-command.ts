import { integerFlag } from './integer-flag.js';
import { renderReport } from '../diagnostics/render.js';
import { colorEnabled } from './color.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { diagnosticJson, jsonText } from './json-output.js';
import { overwritesInput } from './compile-command.js';
import { readSource } from './source.js';

export interface ProbeFlags {
  model?: string;
  batch?: string;
  seed?: string;
  svg?: string;
  json?: boolean;
  color?: boolean;
}

/**
 * `nnc probe`: runs the model at initialization in the float64 reference engine and prints the
 * measured scale of the activations and gradients beside the depth analysis' prediction; with
 * --svg, also writes the chart. Exit 0 whatever the numbers: it measures, it does not judge.
 */
export async function runProbe(file: string, flags: ProbeFlags, io: CliIO): Promise<number> {
  const batch = integerFlag(io, '--batch', flags.batch, 1);
  const seed = integerFlag(io, '--seed', flags.seed, 0);
  if (batch === null || seed === null) return ExitCode.usage;
  if (flags.svg === '') {
    io.stderr('error: --svg takes a file name\n');
    return ExitCode.usage;
  }
  if (flags.svg !== undefined && (await overwritesInput(io, file, flags.svg, '--svg'))) return ExitCode.usage;
  const source = await readSource(io, file);
  if (!source) return ExitCode.usage;
  const { checkSource, selectModel } = await import('../compile.js');
  const { probeModel } = await import('../analysis/probe.js');
  const checked = checkSource(source.text, { filename: source.filename, model: flags.model }, true);
  const model = checked.ok ? selectModel(checked.ir, flags.model) : undefined;
  const color = colorEnabled(flags.color, io);
  if (!model) {
    if (flags.json) io.stdout(jsonText({ ok: false, diagnostics: checked.diagnostics.map((d) => diagnosticJson(d, source.filename)) }));
    else io.stderr(renderReport(checked.diagnostics, source.text, source.filename, { color }));
    return ExitCode.errors;
  }
  if (!flags.json && checked.diagnostics.length > 0) io.stderr(renderReport(checked.diagnostics, source.text, source.filename, { color }));

  const { UnknownSizesError } = await import('../reference/random-batch.js');
  let report;
  try {
    report = probeModel(model, { batch, seed });
  } catch (error) {
    if (!(error instanceof UnknownSizesError)) throw error;
    io.stderr(`error: ${error.message}: declare the sizes in the input's shape to probe it\n`);
    return ExitCode.errors;
  }
  if (flags.svg !== undefined) {
    const { renderProbeSvg } = await import('../format/probe-chart.js');
    try {
      await io.writeFileAtomic(flags.svg, await renderProbeSvg(report));
    } catch (error) {
      io.stderr(`error: cannot write \`${flags.svg}\`: ${describeIoError(error)}\n`);
      return ExitCode.usage;
    }
  }
  if (flags.json) {
    const diagnostics = checked.diagnostics.map((d) => diagnosticJson(d, source.filename));
    io.stdout(jsonText({ ok: true, diagnostics, probe: report, ...(flags.svg !== undefined ? { svg: flags.svg } : {}) }));
  } else {
    const { renderProbeTable } = await import('../format/probe-table.js');
    io.stdout(`${renderProbeTable(report)}\n`);
    if (flags.svg !== undefined) io.stderr(`wrote the chart to ${flags.svg}\n`);
  }
  return ExitCode.ok;
}
