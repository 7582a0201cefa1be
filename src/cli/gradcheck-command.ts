import { integerFlag } from './integer-flag.js';
import { opsetFlag } from './onnx-flags.js';
import { renderReport } from '../diagnostics/render.js';
import { renderCrossCheckTable } from '../format/crosscheck-table.js';
import { renderGradcheckTable } from '../format/gradcheck-table.js';
import type { GradcheckMode } from '../reference/gradcheck.js';
import { colorEnabled } from './color.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { diagnosticJson, jsonText } from './json-output.js';
import { DataError, parseBatch } from './read-batch.js';
import { readSource } from './source.js';

export interface GradcheckFlags {
  model?: string;
  mode?: GradcheckMode;
  batch?: string;
  seed?: string;
  samples?: string;
  epsilon?: string;
  data?: string;
  against?: 'tfjs' | 'onnx' | 'torch';
  opset?: string;
  /** The Python interpreter for `--against torch` (default: NNC_PYTHON, else Debian's, else PATH's). */
  python?: string;
  json?: boolean;
  color?: boolean;
}

/** `nnc gradcheck`: analytic gradients against central differences, per tensor; exit 1 on a backprop bug or a tensor left unchecked. */
export async function runGradcheck(file: string, flags: GradcheckFlags, io: CliIO): Promise<number> {
  const batchSize = integerFlag(io, '--batch', flags.batch, 1);
  const seed = integerFlag(io, '--seed', flags.seed, 0);
  const samples = integerFlag(io, '--samples', flags.samples, 1);
  const epsilon = flags.epsilon === undefined ? undefined : Number(flags.epsilon);
  const opset = opsetFlag(io, flags.opset);
  if (batchSize === null || seed === null || samples === null || opset === null) return ExitCode.usage;
  if (flags.opset !== undefined && flags.against !== 'onnx') {
    io.stderr('error: --opset applies to `--against onnx`\n');
    return ExitCode.usage;
  }
  if (epsilon !== undefined && !(epsilon > 0 && epsilon < 1)) {
    io.stderr(`error: --epsilon takes a number between 0 and 1, found \`${flags.epsilon}\`\n`);
    return ExitCode.usage;
  }
  const source = await readSource(io, file);
  if (!source) return ExitCode.usage;
  const { checkSource, selectModel } = await import('../compile.js');
  const { gradcheckModel, gradcheckPassed, withLoss } = await import('../gradcheck.js');
  const checked = checkSource(source.text, { filename: source.filename, model: flags.model }, true);
  const selected = checked.ok ? selectModel(checked.ir, flags.model) : undefined;
  const color = colorEnabled(flags.color, io);
  if (!selected) {
    if (flags.json) io.stdout(jsonText({ ok: false, diagnostics: checked.diagnostics.map((d) => diagnosticJson(d, source.filename)) }));
    else io.stderr(renderReport(checked.diagnostics, source.text, source.filename, { color }));
    return ExitCode.errors;
  }
  if (!flags.json && checked.diagnostics.length > 0) io.stderr(renderReport(checked.diagnostics, source.text, source.filename, { color }));
  const model = withLoss(selected);

  let data;
  if (flags.data !== undefined) {
    try {
      data = parseBatch(await io.readFile(flags.data), flags.data, model);
    } catch (error) {
      io.stderr(error instanceof DataError ? `error: ${error.message}\n` : `error: cannot read \`${flags.data}\`: ${describeIoError(error)}\n`);
      return ExitCode.usage;
    }
  }
  const options = { mode: flags.mode, batch: batchSize, seed, samples, epsilon, data };
  const { UnknownSizesError } = await import('../reference/random-batch.js');
  let report;
  try {
    report = gradcheckModel(selected, options);
  } catch (error) {
    if (!(error instanceof UnknownSizesError)) throw error;
    io.stderr(`error: ${error.message}: give a batch of your own with \`--data FILE.json\`\n`);
    return ExitCode.usage;
  }
  let bug = !gradcheckPassed(report);

  let crossCheck;
  let torch;
  if (flags.against === 'tfjs') {
    crossCheck = await runCrossCheck(model, { seed: seed ?? 0, batch: batchSize ?? 4, data });
    bug ||= crossCheck.agreement === 'fail';
  } else if (flags.against === 'torch') {
    const { runTorchCrossCheck } = await import('./gradcheck-torch.js');
    const { PythonError } = await import('./python.js');
    try {
      torch = await runTorchCrossCheck(model, { seed: seed ?? 0, batch: batchSize ?? 4, data, python: flags.python, env: io.env });
    } catch (error) {
      if (!(error instanceof PythonError)) throw error;
      io.stderr(`error: ${error.message}\n`);
      return ExitCode.usage;
    }
    bug ||= torch.float64.agreement === 'fail' || torch.float32.agreement === 'fail';
  }
  const onnx = flags.against === 'onnx' ? await (await import('./gradcheck-onnx.js')).againstOnnx(selected, { seed: seed ?? 0, batch: batchSize ?? 4, data, opset }) : undefined;
  bug ||= onnx?.report.agreement === 'fail';
  if (flags.json) {
    io.stdout(jsonText({ ok: !bug, diagnostics: checked.diagnostics.map((d) => diagnosticJson(d, source.filename)), gradcheck: report, ...(crossCheck ? { tfjs: crossCheck } : {}), ...(onnx ? { onnx: onnx.report } : {}), ...(torch ? { torch } : {}) }));
  } else {
    io.stdout(`${renderGradcheckTable(report)}\n`);
    if (crossCheck) io.stdout(`\n${renderCrossCheckTable(crossCheck)}\n`);
    if (onnx) io.stdout(`\n${onnx.table}\n`);
    if (torch) io.stdout(`\n${renderCrossCheckTable(torch.float64)}\n\n${renderCrossCheckTable(torch.float32)}\n`);
  }
  return bug ? ExitCode.errors : ExitCode.ok;
}

async function runCrossCheck(
  model: import('../ir/ir.js').IRModel,
  options: { seed: number; batch: number; data: import('../reference/random-batch.js').Batch | undefined },
) {
  const tf = await import('@tensorflow/tfjs');
  const { generateTfjs } = await import('../codegen/tfjs/generate.js');
  const { loadGeneratedModule } = await import('./load-generated.js');
  const { crossCheckTfjs } = await import('../reference/crosscheck-tfjs.js');
  const { ReferenceModel } = await import('../reference/engine.js');
  const { randomBatch } = await import('../reference/random-batch.js');
  // The cpu backend computes in float32 like every backend, and is always there.
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  const generated = await loadGeneratedModule(await generateTfjs(model, { format: 'js', filename: model.name }));
  const reference = new ReferenceModel(model, options.seed);
  const batch = options.data ?? randomBatch(model, options.batch, options.seed);
  return crossCheckTfjs(tf, generated, model, reference, batch);
}
