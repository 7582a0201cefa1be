import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { languages } from '../../src/prettier/plugin.js';
import { fakeIO } from '../cli/support/fake-io.js';

/**
 * editors/vscode is built in its own folder (`npm install && npm run build` there); these
 * checks keep it in step with the repository: the grammar it copies, the language id the
 * prettier plugin announces, the comment syntax of the lexer, and the command it starts.
 */
const folder = join(import.meta.dirname, '..', '..', 'editors', 'vscode');
const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));

describe('the VS Code extension', () => {
  test('contributes the language `nn` for .nn files, the id prettier\'s plugin uses', () => {
    expect(manifest.contributes.languages[0]).toMatchObject({ id: 'nn', extensions: ['.nn'] });
    expect(languages![0]!.vscodeLanguageIds).toEqual(['nn']);
  });

  test('copies the repository\'s TextMate grammar, with its scope name', () => {
    const build = readFileSync(join(folder, 'build.mjs'), 'utf8');
    expect(build).toContain("copyFileSync('../../grammar/nn.tmLanguage.json', 'syntaxes/nn.tmLanguage.json')");
    const grammar = JSON.parse(readFileSync(join(folder, '..', '..', 'grammar', 'nn.tmLanguage.json'), 'utf8'));
    expect(manifest.contributes.grammars[0]).toEqual({ language: 'nn', scopeName: grammar.scopeName, path: './syntaxes/nn.tmLanguage.json' });
  });

  test('comments with `#` and pairs the brackets of the language', () => {
    const configuration = JSON.parse(readFileSync(join(folder, 'language-configuration.json'), 'utf8'));
    expect(configuration.comments).toEqual({ lineComment: '#' });
    expect(configuration.brackets).toEqual([['{', '}'], ['[', ']'], ['(', ')']]);
  });

  test('starts `nnc lsp --stdio`, a command nnc has', async () => {
    expect(readFileSync(join(folder, 'src', 'extension.ts'), 'utf8')).toContain("args: ['lsp', '--stdio']");
    const fake = fakeIO();
    expect(await main(['lsp', '--help'], fake.io)).toBe(0);
    expect(fake.stdout()).toContain('--stdio');
    expect(existsSync(join(folder, 'package-lock.json'))).toBe(true);
  });
});
