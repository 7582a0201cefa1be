import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { Reporter } from '../../src/diagnostics/reporter.js';
import { parse } from '../../src/parse/parse.js';
import { fixtureSuite } from '../support/fixtures.js';
import { renderAst, renderDiagnostics } from './render.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Folders named `error-*` must report something; every other folder must parse cleanly. */
describe('parse fixtures', () => {
  fixtureSuite(fixtures, (input, folder) => {
    const reporter = new Reporter();
    const program = parse(input, reporter);
    expect(reporter.diagnostics.length > 0, `diagnostics in ${basename(folder)}`).toBe(basename(folder).startsWith('error-'));
    return { 'ast.json': renderAst(program), 'diagnostics.txt': renderDiagnostics(reporter.diagnostics) };
  });
});
