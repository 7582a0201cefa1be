import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

/**
 * docs/api.md against the package: every entry point of the `exports` map, every export of each,
 * and every field of every exported interface (options and results included) is documented;
 * package.test.ts checks that nothing else can be imported.
 */
const root = join(import.meta.dirname, '../..');
const markdown = readFileSync(join(root, 'docs/api.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default?: string }> };

/** `./dist/src/bundler/vite.js` → `src/bundler/vite.ts`. */
const sourceOf = (entry: { types: string; default?: string }) => entry.default!.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts');
const entries = Object.entries(manifest.exports).filter(([, e]) => e.default !== undefined);
const program = ts.createProgram(
  [...entries.map(([, e]) => join(root, sourceOf(e))), join(root, 'src/service/types.ts')],
  { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: true, noEmit: true },
);
const checker = program.getTypeChecker();

function exportsOf(file: string): ts.Symbol[] {
  const source = program.getSourceFile(join(root, file));
  if (!source) throw new Error(`no source file ${file}`);
  return checker.getExportsOfModule(checker.getSymbolAtLocation(source)!);
}

const resolved = (symbol: ts.Symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

/** The text under the heading of `name` (`### \`name\`` or `### \`name()\``), up to the next heading of that level or above. */
function section(name: string): string | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^#{3,4} \`${name.replace('.', '\\.')}(\\(\\))?\`$`).test(l));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^#{2,4} /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

describe('docs/api.md', () => {
  test('names every entry point of the exports map', () => {
    const documented = Object.keys(manifest.exports).map((key) => (key === '.' ? 'nnc' : `nnc/${key.slice(2)}`));
    expect(documented.filter((name) => !markdown.includes(`\`${name}\``))).toEqual([]);
  });

  test('has a section for every export of nnc', () => {
    const names = exportsOf('src/index.ts').map((s) => s.name);
    expect(names.length).toBeGreaterThan(50);
    expect(names.filter((name) => section(name) === undefined)).toEqual([]);
  });

  test('names every export of the other entry points', () => {
    const missing = entries
      .filter(([key]) => key !== '.')
      .flatMap(([key, entry]) => exportsOf(sourceOf(entry)).filter((s) => s.name !== 'default' && !markdown.includes(`\`${s.name}\``)).map((s) => `${key}: ${s.name}`));
    expect(missing).toEqual([]);
  });

  test('documents every field of every exported interface', () => {
    // The `service` namespace's types are documented as `service.NAME`.
    const symbols = [...entries.flatMap(([, entry]) => exportsOf(sourceOf(entry)).map((s) => [s.name, s] as const)), ...exportsOf('src/service/types.ts').map((s) => [`service.${s.name}`, s] as const)];
    const missing: string[] = [];
    for (const [name, symbol] of symbols) {
      const target = resolved(symbol);
      const declaration = target.declarations?.[0];
      // ONNX's own schema, generated from onnx.proto: the page points at its specification.
      if (!declaration || !ts.isInterfaceDeclaration(declaration) || symbol.name === 'ModelProto') continue;
      const text = section(name);
      if (text === undefined) {
        missing.push(`${name}: no section`);
        continue;
      }
      for (const property of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(target))) {
        if (!new RegExp(`\`${property.name}\`|\\b${property.name}\\??[:(]`).test(text)) missing.push(`${name}.${property.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('lists every export of the generated module', async () => {
    const { emitModule } = await import('../../src/codegen/tfjs/emit-module.js');
    const { check } = await import('../../src/compile.js');
    const model = check(readFileSync(join(root, 'examples/wide_deep.nn'), 'utf8')).ir!.models[0]!;
    const code = emitModule(model, { format: 'ts', filename: 'wide_deep.nn' }).code;
    const exported = [...code.matchAll(/^\s*export (?:async )?(?:function|const|interface|type) (\w+)/gm)].map((m) => m[1]!);
    const table = markdown.slice(markdown.indexOf('## The generated module'), markdown.indexOf('## `nnc`'));
    expect(exported.filter((name) => !table.includes(`\`${name}`))).toEqual([]);
  });
});
