/**
 * src/codegen/tfjs/kernel-sources.ts: the source of the kernels that generated modules embed
 * (those nnc builds where a backend lacks them), as TypeScript and as JavaScript, taken from
 * src/tfjs-kernels so that there is one definition. Imports are dropped (the embedded files
 * import nothing but types from tfjs, named inline, and each other) and so are `export`s.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { nncKernels } from '../src/tfjs-kernels/register.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A file's declarations without its imports, its header comment and `export`; the name of its one exported function. */
function declarations(file: string): { text: string; functions: string[] } {
  const path = join(root, 'src/tfjs-kernels', `${file}.ts`);
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const parts: string[] = [];
  const functions: string[] = [];
  source.statements.forEach((statement, i) => {
    if (ts.isImportDeclaration(statement)) return;
    if (ts.isFunctionDeclaration(statement) && statement.name) functions.push(statement.name.text);
    // The first statement's leading comment is the file's header, which speaks of the file.
    const text = i === 0 ? statement.getText(source) : statement.getFullText(source).replace(/^\s*\n/, '');
    parts.push(text.replace(/^((?:\s*(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/))*\s*)export /, '$1'));
  });
  return { text: parts.join('\n\n'), functions };
}

function javascript(typescript: string): string {
  const output = ts.transpileModule(typescript, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: false } });
  return output.outputText.replace(/^export \{\};\s*$/m, '').trim();
}

export function kernelSourcesModule(header: string): string {
  const kit = declarations('kernel-kit');
  const kernels = nncKernels.filter((k) => k.on === 'missing' && k.file).map((k) => {
    const { text, functions } = declarations(k.file!);
    if (functions.length !== 1) throw new Error(`src/tfjs-kernels/${k.file}.ts must declare one function, the kernel's factory; it declares ${functions.length}`);
    return [k.kernel, { file: k.file, factory: functions[0], uses: k.uses, ts: text, js: javascript(text) }] as const;
  });
  return (
    header +
    `/** The kernel kit and the kernels that generated modules embed, from src/tfjs-kernels (see src/codegen/tfjs/emit-kernels.ts). */\n` +
    `export const kernelKitSource = ${JSON.stringify({ ts: kit.text, js: javascript(kit.text) }, null, 2)};\n\n` +
    `export const kernelSources: Record<string, { file: string; factory: string; uses: string[]; ts: string; js: string }> = ${JSON.stringify(Object.fromEntries(kernels), null, 2)};\n`
  );
}
