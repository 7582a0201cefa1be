import { hasErrors } from '../diagnostics/diagnostic.js';
import { renderReport } from '../diagnostics/render.js';
import { colorEnabled } from './color.js';
import type { CompileFlags } from './compile-command.js';
import { integerFlag } from './integer-flag.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { diagnosticJson, jsonText } from './json-output.js';
import { BINARY_TO_STDOUT, opsetFlag, plural } from './onnx-flags.js';
import { packageVersion } from './package-root.js';
import { readSource, STDIN } from './source.js';

/**
 * The target of `nnc compile`: as given, else ONNX when the output is a .onnx or .onnxtxt file or
 * the ONNX text is asked for; null after reporting flags that do not fit the target.
 */
export function compileTarget(flags: CompileFlags, io: CliIO): 'tfjs' | 'onnx' | 'torch' | null {
  const onnxOutput = flags.output !== undefined && /\.onnx(txt)?$/i.test(flags.output);
  const target = flags.target ?? (onnxOutput || flags.emit === 'onnxtxt' ? 'onnx' : 'tfjs');
  if (target !== 'onnx') {
    const misplaced = flags.emit === 'onnxtxt' ? '--emit onnxtxt' : flags.opset !== undefined ? '--opset' : flags.seed !== undefined ? '--seed' : undefined;
    if (misplaced) {
      io.stderr(`error: ${misplaced} applies to \`--target onnx\`\n`);
      return null;
    }
  }
  return target;
}

/**
 * `nnc compile --target onnx`: the model with its seeded initial weights as an .onnx file, or
 * (`--emit onnxtxt`) in ONNX's textual syntax, written only when the source has no errors.
 */
export async function runCompileOnnx(file: string, flags: CompileFlags, io: CliIO): Promise<number> {
  const opset = opsetFlag(io, flags.opset);
  const seed = integerFlag(io, '--seed', flags.seed, 0);
  if (opset === null || seed === null) return ExitCode.usage;
  if (flags.js) {
    io.stderr('error: --js applies to the tfjs target; an ONNX model is not code\n');
    return ExitCode.usage;
  }
  const text = flags.emit === 'onnxtxt';
  const toFile = flags.output !== undefined && flags.output !== STDIN;
  if (!text && !toFile) {
    io.stderr(BINARY_TO_STDOUT);
    return ExitCode.usage;
  }
  const source = await readSource(io, file);
  if (!source) return ExitCode.usage;
  const { compileOnnx, onnxSeed } = await import('../compile-onnx.js');
  const result = compileOnnx(source.text, { filename: source.filename, model: flags.model, opset, ...(seed !== undefined ? { seed } : {}), producerVersion: packageVersion(), text });
  const summary = result.summary.filter((s) => result.model === null || s.model === result.model);
  const json = { ok: result.model !== null, diagnostics: result.diagnostics.map((d) => diagnosticJson(d, source.filename)), summary };
  if (!flags.json) io.stderr(renderReport(result.diagnostics, source.text, source.filename, { color: colorEnabled(flags.color, io) }));
  if (result.model === null || result.onnx === null) {
    if (!hasErrors(result.diagnostics)) io.stderr('error: nothing to compile\n');
    if (flags.json) io.stdout(jsonText(json));
    return ExitCode.errors;
  }
  const content = text ? result.text! : result.onnx;
  if (toFile) {
    try {
      await io.writeFileAtomic(flags.output!, content);
    } catch (error) {
      io.stderr(`error: cannot write \`${flags.output}\`: ${describeIoError(error)}\n`);
      return ExitCode.usage;
    }
  }
  const nodes = result.proto!.graph!.node!.length;
  if (flags.json) {
    io.stdout(jsonText({ ...json, model: result.model, opset, nodes, ...(toFile ? { output: flags.output } : { onnxtxt: content }) }));
    return ExitCode.ok;
  }
  if (!toFile) io.stdout(content as string);
  const model = result.ir!.models.find((m) => m.name === result.model)!;
  const params = model.layers.reduce((total, layer) => total + layer.paramCount, 0);
  const weights = `initial weights of seed ${onnxSeed(model, seed)}`;
  io.stderr(`compiled ${model.name} (${plural(model.layers.length, 'layer')}, ${plural(params, 'param')}) -> ${toFile ? flags.output : '<stdout>'} (ONNX opset ${opset}, ${plural(nodes, 'node')}, ${weights})\n`);
  return ExitCode.ok;
}
