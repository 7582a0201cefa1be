import { renderReport } from '../diagnostics/render.js';
import { parseBand } from './check-command.js';
import { colorEnabled } from './color.js';
import { expandInputs, walk } from './input-files.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';

export interface TypesFlags {
  check?: boolean;
  signalBand?: string;
  color?: boolean;
}

/**
 * `nnc types FILE|DIR...`: `model.d.nn.ts` beside each `.nn` file (for TypeScript's
 * `allowArbitraryExtensions`), rewritten only when it changed; in a folder, the declarations nnc
 * wrote for `.nn` files that are gone are removed. With `--check` nothing is written: a missing,
 * stale or orphaned declaration fails (exit 1), for CI before `tsc`.
 */
export async function runTypes(args: readonly string[], flags: TypesFlags, io: CliIO): Promise<number> {
  const signalBand = parseBand(flags.signalBand, io);
  if (signalBand === null) return ExitCode.usage;
  const { files, errors } = await expandInputs(args, io);
  for (const error of errors) io.stderr(`error: ${error}\n`);
  if (files.includes('-')) {
    io.stderr('error: `nnc types` writes beside each file; it cannot read stdin\n');
    return ExitCode.usage;
  }
  const { updateDeclaration, isOrphan, declarationPath } = await import('../bundler/declarations.js');
  const fileIO = { readFile: io.readFile, writeFileAtomic: io.writeFileAtomic, remove: io.remove };
  const color = colorEnabled(flags.color, io);
  let failed = 0;
  let written = 0;
  for (const file of files) {
    try {
      const outcome = await updateDeclaration(file, { check: flags.check, ...(signalBand ? { signalBand } : {}) }, fileIO);
      const target = declarationPath(file);
      io.stderr(renderReport(outcome.diagnostics, outcome.source, file, { color }));
      if (outcome.status === 'errors') {
        failed++;
      } else if (outcome.status === 'foreign') {
        io.stderr(`error: \`${target}\` was not written by nnc; nnc will not replace it\nhelp: move it away, then run \`nnc types ${file}\`\n`);
        failed++;
      } else if (outcome.status === 'missing' || outcome.status === 'stale') {
        io.stderr(`error: \`${target}\` is ${outcome.status === 'missing' ? 'missing' : 'out of date'}\nhelp: run \`nnc types ${file}\`\n`);
        failed++;
      } else if (outcome.status === 'written') {
        io.stderr(`wrote ${target}\n`);
        written++;
      }
    } catch (error) {
      io.stderr(`error: cannot write the declarations of \`${file}\`: ${describeIoError(error)}\n`);
      failed++;
    }
  }
  // Declarations of deleted .nn files, in the folders named.
  for (const arg of args) {
    if ((await io.kind(arg).catch(() => undefined)) !== 'directory') continue;
    for (const declaration of await walk(arg, io, (path) => path.endsWith('.d.nn.ts'))) {
      if (!(await isOrphan(declaration, fileIO))) continue;
      if (flags.check) {
        io.stderr(`error: \`${declaration}\` declares a .nn file that is gone\nhelp: run \`nnc types ${arg}\` to remove it\n`);
        failed++;
      } else if (io.remove) {
        await io.remove(declaration);
        io.stderr(`removed ${declaration}\n`);
      }
    }
  }
  if (flags.check && failed === 0 && errors.length === 0) io.stderr(`${files.length} declaration file${files.length === 1 ? '' : 's'} up to date\n`);
  if (!flags.check && written === 0 && failed === 0 && errors.length === 0) io.stderr(`${files.length} declaration file${files.length === 1 ? '' : 's'} already up to date\n`);
  return errors.length > 0 ? ExitCode.usage : failed > 0 ? ExitCode.errors : ExitCode.ok;
}
