import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { renderReport } from '../diagnostics/render.js';
import { formatCount } from '../format/summary-table.js';
import type { IRModel, IRProgram } from '../ir/ir.js';
import type { ModelSummary } from '../summary.js';
import { colorEnabled } from './color.js';
import { compileTarget, runCompileOnnx } from './compile-onnx.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { diagnosticJson, jsonText } from './json-output.js';
import { readSource, STDIN } from './source.js';

export interface CompileFlags {
  output?: string;
  model?: string;
  js?: boolean;
  /** Absent: inferred from the output's extension (see compileTarget); `torch` writes model.py and train.py into the folder -o names. */
  target?: 'tfjs' | 'onnx' | 'torch';
  emit: 'code' | 'ir' | 'onnxtxt';
  opset?: string;
  seed?: string;
  json?: boolean;
  color?: boolean;
}

function count(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** `.js`/`.mjs` outputs get JavaScript, anything else (or stdout) TypeScript. */
export function formatFor(output: string | undefined, js: boolean | undefined): 'ts' | 'js' {
  if (js) return 'js';
  return output !== undefined && /\.m?js$/i.test(output) ? 'js' : 'ts';
}

interface Outcome {
  diagnostics: Diagnostic[];
  summary: ModelSummary[];
  model: IRModel | undefined;
  /** The text to write: generated code or the IR; undefined when there are errors. */
  content: string | undefined;
  /** With `--emit ir`, the program behind `content`. */
  ir?: IRProgram;
}

async function produce(text: string, filename: string, flags: CompileFlags): Promise<Outcome> {
  // Loaded on demand so that --help, --version and explain never pay for the compiler and codegen.
  const { compile } = await import('../compile.js');
  // --emit ir goes through compile() too, so model selection and its errors are exactly those of code generation.
  const result = await compile(text, { filename, model: flags.model, format: formatFor(flags.output, flags.js) });
  const model = result.code === null ? undefined : result.ir?.models.find((m) => m.name === result.model);
  const outcome = { diagnostics: result.diagnostics, summary: result.summary, model };
  if (!model) return { ...outcome, content: undefined };
  if (flags.emit === 'code') return { ...outcome, content: result.code! };
  const ir: IRProgram = { version: 1, filename, models: [model] };
  return { ...outcome, content: jsonText(ir), ir };
}

/**
 * `nnc compile`: generated code (or IR) to a file or stdout, only when there are no errors.
 * Diagnostics and the success note go to stderr so stdout can be piped.
 */
export async function runCompile(file: string, flags: CompileFlags, io: CliIO): Promise<number> {
  const target = compileTarget(flags, io);
  if (target === null) return ExitCode.usage;
  if (target === 'torch' && flags.emit === 'code') return (await import('./compile-torch.js')).runCompileTorch(file, flags, io);
  if (flags.output !== undefined && flags.output !== STDIN && (await overwritesInput(io, file, flags.output, '-o'))) return ExitCode.usage;
  // The IR is the same whatever the target.
  if (target === 'onnx' && flags.emit !== 'ir') return runCompileOnnx(file, flags, io);
  const source = await readSource(io, file);
  if (!source) return ExitCode.usage;
  const outcome = await produce(source.text, source.filename, flags);
  const { diagnostics, model } = outcome;
  const summary = outcome.summary.filter((s) => model === undefined || s.model === model.name);
  const json = { ok: model !== undefined, diagnostics: diagnostics.map((d) => diagnosticJson(d, source.filename)), summary };

  if (!flags.json) {
    io.stderr(renderReport(diagnostics, source.text, source.filename, { color: colorEnabled(flags.color, io) }));
  }
  if (model === undefined || outcome.content === undefined) {
    if (!hasErrors(diagnostics)) io.stderr('error: nothing to compile\n');
    if (flags.json) io.stdout(jsonText(json));
    return ExitCode.errors;
  }

  const toFile = flags.output !== undefined && flags.output !== STDIN;
  if (toFile) {
    try {
      await io.writeFileAtomic(flags.output!, outcome.content);
    } catch (error) {
      io.stderr(`error: cannot write \`${flags.output}\`: ${describeIoError(error)}\n`);
      return ExitCode.usage;
    }
  }
  if (flags.json) {
    const payload = outcome.ir ? { ir: outcome.ir } : { code: outcome.content };
    io.stdout(jsonText({ ...json, model: model.name, ...(toFile ? { output: flags.output } : payload) }));
    return ExitCode.ok;
  }
  if (!toFile) io.stdout(outcome.content);
  const params = model.layers.reduce((total, layer) => total + layer.paramCount, 0);
  const size = `${count(model.layers.length, 'layer')}, ${count(params, 'param')}`;
  io.stderr(`compiled ${model.name} (${size}) -> ${toFile ? flags.output : '<stdout>'}\n`);
  return ExitCode.ok;
}

/** An output that names the input file would replace the source with what was generated from it: refused (a usage error). */
export async function overwritesInput(io: CliIO, input: string, output: string, flag: string): Promise<boolean> {
  if (input === STDIN || !(await io.sameFile(input, output))) return false;
  const other = input.replace(/(\.[^./\\]*)?$/, flag === '-o' ? `.${formatFor(undefined, false)}` : '.svg');
  io.stderr(`error: \`${flag} ${output}\` is the input file; nnc will not write over its source\nhelp: write to another file, such as \`${flag} ${other === input ? `${input}.out` : other}\`\n`);
  return true;
}
