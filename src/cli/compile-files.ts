import { hasErrors } from '../diagnostics/diagnostic.js';
import { renderReport } from '../diagnostics/render.js';
import { colorEnabled } from './color.js';
import { formatFor, runCompile, type CompileFlags } from './compile-command.js';
import { expandInputs } from './input-files.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { readSource } from './source.js';

export interface CompileFilesFlags extends CompileFlags {
  outDir?: string;
  watch?: boolean;
}

const GLOB = /[*?[]/;

/** The folder that holds every one of `files`: outputs keep their paths below it. */
export function commonFolder(files: readonly string[]): string {
  const folders = files.map((f) => f.split('/').slice(0, -1));
  const first = folders[0] ?? [];
  let n = 0;
  while (n < first.length && folders.every((f) => f[n] === first[n])) n++;
  return first.slice(0, n).join('/');
}

/** `src/a/model.nn` below `src` into `gen`: `gen/a/model.ts`, or `gen/a/model.Name.ts` for each model of a file of several. */
export function outputPath(file: string, base: string, outDir: string, model: string | undefined, ext: string): string {
  const clean = file.replace(/^\.\//, '');
  const rest = base === '' ? clean : clean.slice(base.length + 1);
  const stem = rest.replace(/\.nn$/, '');
  return `${outDir.replace(/\/+$/, '')}/${stem}${model === undefined ? '' : `.${model}`}.${ext}`;
}

/**
 * `nnc compile FILE|DIR|PATTERN... --out-dir DIR`: one TensorFlow.js module per model, written
 * atomically below DIR with the inputs' folders kept (below the folder or pattern named, or the folder
 * the files named share); a file
 * of several models gives one module per model unless `--model` picks one. A file with errors
 * writes nothing and fails the run; the others are still written.
 */
async function compileIntoFolder(args: readonly string[], flags: CompileFilesFlags, io: CliIO): Promise<number> {
  const outDir = flags.outDir!;
  const { files, errors } = await expandInputs(args, io);
  for (const error of errors) io.stderr(`error: ${error}\n`);
  if (files.includes('-')) {
    io.stderr('error: --out-dir compiles files; it cannot read stdin\n');
    return ExitCode.usage;
  }
  const { check, compile } = await import('../compile.js');
  const format = formatFor(undefined, flags.js);
  // Below the folders and patterns named (not only the files found now), so outputs keep their place as files come and go.
  const anchors = await Promise.all(
    args.map(async (arg) => (GLOB.test(arg) ? `${arg.split('/').slice(0, arg.split('/').findIndex((p) => GLOB.test(p))).join('/') || '.'}/_` : (await io.kind(arg)) === 'directory' ? `${arg.replace(/\/+$/, '')}/_` : arg)),
  );
  const base = commonFolder(anchors.map((a) => a.replace(/^\.\//, '')));
  const color = colorEnabled(flags.color, io);
  let failed = 0;
  let written = 0;
  for (const file of files) {
    const source = await readSource(io, file);
    if (!source) {
      failed++;
      continue;
    }
    const checked = check(source.text, { filename: source.filename, model: flags.model });
    if (!checked.ok || !checked.ir) {
      io.stderr(renderReport(checked.diagnostics, source.text, source.filename, { color }));
      failed++;
      continue;
    }
    const models = flags.model !== undefined ? [flags.model] : checked.ir.models.map((m) => m.name);
    io.stderr(renderReport(checked.diagnostics, source.text, source.filename, { color }));
    for (const model of models) {
      const result = await compile(source.text, { filename: source.filename, model, format });
      if (result.code === null || hasErrors(result.diagnostics)) {
        io.stderr(renderReport(result.diagnostics.filter((d) => d.severity === 'error'), source.text, source.filename, { color }));
        failed++;
        continue;
      }
      const target = outputPath(file, base, outDir, models.length > 1 ? model : undefined, format);
      try {
        await io.mkdir?.(target.split('/').slice(0, -1).join('/') || '.');
        await io.writeFileAtomic(target, result.code);
      } catch (error) {
        io.stderr(`error: cannot write \`${target}\`: ${describeIoError(error)}\n`);
        return ExitCode.usage;
      }
      io.stderr(`compiled ${model} (${source.filename}) -> ${target}\n`);
      written++;
    }
  }
  if (files.length > 1) io.stderr(`${written} module${written === 1 ? '' : 's'} written into ${outDir}${failed > 0 ? `; ${failed} failed` : ''}\n`);
  return errors.length > 0 ? ExitCode.usage : failed > 0 ? ExitCode.errors : ExitCode.ok;
}

/** One compilation of everything the command line names. */
async function compileOnce(args: readonly string[], flags: CompileFilesFlags, io: CliIO): Promise<number> {
  if (flags.outDir !== undefined) return compileIntoFolder(args, flags, io);
  return runCompile(args[0]!, flags, io);
}

/** `nnc compile`: one file as before, several (or a folder or pattern) with `--out-dir`, and `--watch` over either. */
export async function runCompileFiles(args: readonly string[], flags: CompileFilesFlags, io: CliIO): Promise<number> {
  const several = args.length > 1 || args.some((a) => GLOB.test(a)) || (args[0] !== '-' && (await io.kind(args[0]!)) === 'directory');
  if (several && flags.outDir === undefined) {
    io.stderr('error: several files (a folder or a pattern) are compiled with --out-dir DIR, one module per model\n');
    return ExitCode.usage;
  }
  if (flags.outDir !== undefined) {
    const conflict = flags.output !== undefined ? '-o' : (flags.target ?? 'tfjs') !== 'tfjs' ? `--target ${flags.target}` : flags.emit !== 'code' ? `--emit ${flags.emit}` : undefined;
    if (conflict) {
      io.stderr(`error: --out-dir writes TensorFlow.js modules; it cannot be used with ${conflict}\n`);
      return ExitCode.usage;
    }
  }
  if (flags.watch && args.includes('-')) {
    io.stderr('error: --watch watches files; it cannot read stdin\n');
    return ExitCode.usage;
  }
  const code = await compileOnce(args, flags, io);
  if (!flags.watch) return code;
  const { watchInputs } = await import('./watch.js');
  return watchInputs(args, io, () => compileOnce(args, flags, io));
}
