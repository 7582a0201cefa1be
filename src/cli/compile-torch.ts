import { hasErrors } from '../diagnostics/diagnostic.js';
import { renderReport } from '../diagnostics/render.js';
import { formatCount } from '../format/summary-table.js';
import { colorEnabled } from './color.js';
import type { CompileFlags } from './compile-command.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { diagnosticJson, jsonText } from './json-output.js';
import { readSource, STDIN } from './source.js';

const count = (n: number, noun: string): string => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;

/**
 * `nnc compile --target torch -o DIR`: model.py and train.py into DIR (created if needed), each
 * replaced atomically, and only when the source has no errors.
 */
export async function runCompileTorch(file: string, flags: CompileFlags, io: CliIO): Promise<number> {
  const out = flags.output;
  if (out === undefined || out === STDIN) {
    io.stderr('error: --target torch writes two files, model.py and train.py: name their folder with -o DIR\n');
    return ExitCode.usage;
  }
  if (flags.js) {
    io.stderr('error: --js chooses JavaScript for the tfjs target; --target torch writes Python\n');
    return ExitCode.usage;
  }
  const { overwritesInput } = await import('./compile-command.js');
  for (const name of ['model.py', 'train.py']) if (await overwritesInput(io, file, joinPath(out, name), '-o')) return ExitCode.usage;
  const source = await readSource(io, file);
  if (!source) return ExitCode.usage;
  const { compileTorch } = await import('../compile-torch.js');
  const result = compileTorch(source.text, { filename: source.filename, model: flags.model });
  const model = result.files ? result.ir?.models.find((m) => m.name === result.model) : undefined;
  const summary = result.summary.filter((s) => model === undefined || s.model === model.name);
  const json = { ok: model !== undefined, diagnostics: result.diagnostics.map((d) => diagnosticJson(d, source.filename)), summary };
  if (!flags.json) io.stderr(renderReport(result.diagnostics, source.text, source.filename, { color: colorEnabled(flags.color, io) }));
  if (!model || !result.files) {
    if (!hasErrors(result.diagnostics)) io.stderr('error: nothing to compile\n');
    if (flags.json) io.stdout(jsonText(json));
    return ExitCode.errors;
  }
  const paths: string[] = [];
  try {
    await io.mkdir?.(out);
    for (const [name, text] of Object.entries(result.files)) {
      const path = joinPath(out, name);
      await io.writeFileAtomic(path, text);
      paths.push(path);
    }
  } catch (error) {
    io.stderr(`error: cannot write into \`${out}\`: ${describeIoError(error)}\n`);
    return ExitCode.usage;
  }
  if (flags.json) {
    io.stdout(jsonText({ ...json, model: model.name, output: paths }));
    return ExitCode.ok;
  }
  const params = model.layers.reduce((total, layer) => total + layer.paramCount, 0);
  io.stderr(`compiled ${model.name} (${count(model.layers.length, 'layer')}, ${count(params, 'param')}) -> ${paths.join(', ')}\n`);
  if (!result.files['train.py']) io.stderr(`note: no train.py: model \`${model.name}\` has no \`train { }\` block\n`);
  return ExitCode.ok;
}

/** `out/model.py`, without doubling a trailing separator. */
function joinPath(dir: string, name: string): string {
  return /[\\/]$/.test(dir) ? `${dir}${name}` : `${dir}/${name}`;
}
