import { join } from 'node:path';
import { renderReport } from '../diagnostics/render.js';
import type { IRModel } from '../ir/ir.js';
import { colorEnabled } from './color.js';
import { integerFlag } from './integer-flag.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { diagnosticJson, jsonText } from './json-output.js';
import { BINARY_TO_STDOUT, opsetFlag, plural } from './onnx-flags.js';
import { packageVersion } from './package-root.js';
import { nodeExportEnvironment, readRunFolder, RunFolderError, runSource, type ExportEnvironment, type RunFolder } from './run-folder.js';
import { STDIN } from './source.js';

export interface ExportFlags {
  output?: string;
  source?: string;
  model?: string;
  opset?: string;
  emit: 'onnx' | 'onnxtxt';
  verify?: boolean;
  batch?: string;
  seed?: string;
  json?: boolean;
  color?: boolean;
}

/** Metadata that travels with the trained weights: where they come from, and the class names. */
function runMetadata(folder: RunFolder, model: IRModel): Record<string, string> {
  const metadata: Record<string, string> = { 'nnc.weights': `trained: ${folder.modelJson}` };
  for (const output of model.outputs) {
    const names = folder.classes?.[output.name];
    if (Array.isArray(names)) metadata[`nnc.classes.${output.name}`] = JSON.stringify(names);
  }
  return metadata;
}

/**
 * `nnc export RUN`: the trained model of a run folder (or of a TensorFlow.js model saved by the
 * generated code) as ONNX, after checking that its weights are exactly the model's; with
 * `--verify`, the written model is run in onnxruntime against the float64 reference.
 */
export async function runExport(run: string, flags: ExportFlags, io: CliIO, env: ExportEnvironment = nodeExportEnvironment): Promise<number> {
  const opset = opsetFlag(io, flags.opset);
  const batchSize = integerFlag(io, '--batch', flags.batch, 1);
  const seed = integerFlag(io, '--seed', flags.seed, 0);
  if (opset === null || batchSize === null || seed === null) return ExitCode.usage;
  const text = flags.emit === 'onnxtxt';
  const output = flags.output ?? join(run.endsWith('.json') ? join(run, '..') : run, text ? 'model.onnxtxt' : 'model.onnx');
  if (!text && output === STDIN) {
    io.stderr(BINARY_TO_STDOUT);
    return ExitCode.usage;
  }
  let folder: RunFolder;
  let source;
  try {
    folder = await readRunFolder(run, io, env);
    source = await runSource(folder, flags.source, io);
  } catch (error) {
    if (!(error instanceof RunFolderError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return ExitCode.usage;
  }

  if (output !== STDIN) {
    const inputs = [folder.modelJson, source.filename, ...folder.groups.flatMap((g) => g.paths.map((p) => join(folder.dir, p)))];
    for (const input of inputs) {
      if (await io.sameFile(input, output)) {
        io.stderr(`error: \`-o ${output}\` is one of the files exported from; nnc will not write over it\nhelp: write to another file, such as \`-o ${join(folder.dir, 'model.onnx')}\`\n`);
        return ExitCode.usage;
      }
    }
  }
  const { checkSource, selectModel } = await import('../compile.js');
  const name = flags.model ?? folder.history?.model ?? folder.savedName;
  const checked = checkSource(source.text, { filename: source.filename, model: name }, true);
  const model = checked.ok ? selectModel(checked.ir, name) : undefined;
  const diagnostics = checked.diagnostics.map((d) => diagnosticJson(d, source.filename));
  if (!flags.json) io.stderr(renderReport(checked.diagnostics, source.text, source.filename, { color: colorEnabled(flags.color, io) }));
  if (!model) {
    if (flags.json) io.stdout(jsonText({ ok: false, diagnostics }));
    return ExitCode.errors;
  }
  const { weightsFromTfjs } = await import('../onnx/tfjs-weights.js');
  const matched = weightsFromTfjs(model, folder.groups, folder.data, folder.modelJson);
  if (!matched.ok) {
    const shown = matched.problems.slice(0, 8).map((p) => `  - ${p}\n`).join('');
    const more = matched.problems.length > 8 ? `  - and ${matched.problems.length - 8} more\n` : '';
    io.stderr(`error: the weights in \`${folder.modelJson}\` are not those of \`${model.name}\` in \`${source.filename}\`:\n${shown}${more}` +
      'note: export the run with the .nn file it was trained from (`--source FILE`), or train the model again\n');
    return ExitCode.usage;
  }

  const { buildOnnxModel, encodeOnnx } = await import('../onnx/export-model.js');
  const { modelText } = await import('../onnx/text.js');
  const proto = buildOnnxModel(model, {
    opset,
    weights: matched.weights,
    source: { filename: source.origin, text: source.text },
    producerVersion: packageVersion(),
    metadata: runMetadata(folder, model),
  });
  const bytes = encodeOnnx(proto);
  try {
    if (output === STDIN) io.stdout(modelText(proto));
    else await io.writeFileAtomic(output, text ? modelText(proto) : bytes);
  } catch (error) {
    io.stderr(`error: cannot write \`${output}\`: ${describeIoError(error)}\n`);
    return ExitCode.usage;
  }
  const nodes = proto.graph!.node!.length;
  const params = model.layers.reduce((total, layer) => total + layer.paramCount, 0);
  if (!flags.json) io.stderr(`exported ${model.name} (${plural(params, 'param')}, trained in ${folder.dir}) -> ${output === STDIN ? '<stdout>' : output} (ONNX opset ${opset}, ${plural(nodes, 'node')})\n`);

  let verification;
  if (flags.verify) {
    const { verifyOnnx } = await import('./onnx-runtime.js');
    const { randomBatch } = await import('../reference/random-batch.js');
    verification = await verifyOnnx(bytes, model, matched.weights, randomBatch(model, batchSize ?? 8, seed ?? 0), opset);
    if (!flags.json) {
      const { renderOnnxCheckTable } = await import('../format/onnx-check-table.js');
      io.stdout(`${renderOnnxCheckTable(verification)}\n`);
    }
  }
  const failed = verification?.agreement === 'fail';
  if (flags.json) io.stdout(jsonText({ ok: !failed, diagnostics, model: model.name, opset, nodes, output, ...(verification ? { verification } : {}) }));
  return failed ? ExitCode.errors : ExitCode.ok;
}
