import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ensureTmpDir } from './load.js';

/** What users compile generated code with: strict, skipLibCheck, modern modules. */
const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  noImplicitOverride: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
};

/**
 * Writes the modules into a fresh folder inside the repository (so `@tensorflow/tfjs` resolves
 * from its node_modules), type-checks them as one program and returns the diagnostics as
 * `file:line message`. Also returns the written paths.
 */
export function typecheck(folder: string, modules: Record<string, string>): { diagnostics: string[]; files: string[] } {
  const dir = ensureTmpDir(folder);
  rmSync(dir, { recursive: true, force: true });
  ensureTmpDir(folder);
  const files = Object.entries(modules).map(([name, code]) => {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, code);
    return file;
  });
  const program = ts.createProgram(files, options);
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  return { diagnostics, files };
}
