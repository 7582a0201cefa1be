import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  CancellationTokenSource,
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  HoverRequest,
  InlayHintRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  SemanticTokensRequest,
  SignatureHelpRequest,
  type CompletionItem,
  type Hover,
  type InitializeResult,
  type Position,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { syntheticModel } from '../../bench/generate-model.js';
import { check } from '../../src/compile.js';
import { format } from '../../src/print/format.js';
import { LspClient } from './support/client.js';

/**
 * `nnc lsp --stdio` driven by a real LSP client over a real process: the protocol round trip
 * of every feature, incremental changes, a broken document, a 10,000-layer document,
 * cancellation and a clean shutdown.
 */
const wideDeep = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'wide_deep.nn'), 'utf8');
const typo = wideDeep.replace('concat(wide, hidden)', 'concat(wide, hiden)');

function positionOf(text: string, needle: string, delta = 0): Position {
  const offset = text.indexOf(needle) + delta;
  if (offset < delta) throw new Error(`\`${needle}\` is not in the text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** Applies edits given in the coordinates of `text` (as an editor does: last first). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((result, edit) => result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end)), text);
}

let client: LspClient;
let capabilities: InitializeResult;

beforeAll(async () => {
  ({ client, capabilities } = await LspClient.start());
});

afterAll(async () => {
  if (client.process.exitCode === null) client.process.kill();
});

describe('nnc lsp --stdio', () => {
  test('initialize announces every feature, with incremental sync', () => {
    const c = capabilities.capabilities;
    expect(c.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    for (const feature of ['hoverProvider', 'definitionProvider', 'referencesProvider', 'documentSymbolProvider', 'inlayHintProvider', 'documentFormattingProvider', 'documentRangeFormattingProvider'] as const) {
      expect(c[feature], feature).toBe(true);
    }
    expect(c.renameProvider).toEqual({ prepareProvider: true });
    expect(c.completionProvider?.triggerCharacters).toContain('>');
    expect(c.semanticTokensProvider?.legend.tokenTypes).toContain('variable');
  });

  test('open publishes exactly the diagnostics of nnc check, and a change updates them', async () => {
    const uri = 'file:///typo.nn';
    await client.open(uri, typo);
    const published = await client.diagnostics(uri, 1);
    const expected = check(typo, { filename: uri }).diagnostics;
    expect(published.diagnostics.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, String(d.message).split('\n')[0]])).toEqual(
      expected.map((d) => [d.code, d.span.start.line, d.span.start.column, d.message]),
    );
    expect(published.diagnostics[0]!.message).toContain('help: did you mean `hidden`?');

    // Fix the typo with an incremental change: insert the missing `d`.
    const at = positionOf(typo, 'hiden)', 3);
    await client.change(uri, 2, [{ range: { start: at, end: at }, text: 'd' }]);
    expect((await client.diagnostics(uri, 2)).diagnostics).toEqual([]);
  });

  test('hover shows a definition\'s type and a stage\'s layer with its initializer and signal', async () => {
    const uri = 'file:///hover.nn';
    await client.open(uri, wideDeep);
    const name = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(wideDeep, 'hidden =', 1) })) as Hover;
    expect((name.contents as { value: string }).value).toContain('hidden: [?, 30] float32');
    const stage = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(wideDeep, 'dense(30', 1) })) as Hover;
    const text = (stage.contents as { value: string }).value;
    expect(text).toContain('[?, 6] float32 → [?, 30] float32');
    expect(text).toMatch(/`kernel` \[6, 30\]: `he \(auto\)`, N\(0, 2\/n_in\), variance 0\.333/);
    expect(text).toContain('At initialization: E[a²]');
  });

  test('completion after `->` offers the ops with their documentation; signature help follows the arguments', async () => {
    const uri = 'file:///complete.nn';
    const text = 'model M {\n  input x: [4]\n  output y = x -> \n}\n';
    await client.open(uri, text);
    const items = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 2, character: 18 } })) as CompletionItem[];
    const dense = items.find((i) => i.label === 'dense')!;
    expect(dense.detail).toBe('dense(units, activation=linear, bias=true, init=auto, bias_init=zeros)');
    expect((dense.documentation as { value: string }).value).toContain('Fully connected layer');
    expect(dense.insertTextFormat).toBe(2);

    const typed = 'model M {\n  input x: [4]\n  output y = x -> dense(8, \n}\n';
    await client.open('file:///signature.nn', typed);
    const help = await client.connection.sendRequest(SignatureHelpRequest.type, { textDocument: { uri: 'file:///signature.nn' }, position: { line: 2, character: 27 } });
    expect(help?.signatures[0]!.label).toBe('dense(units, activation=linear, bias=true, init=auto, bias_init=zeros)');
    expect(help?.activeParameter).toBe(1);
  });

  test('definition, references and rename, which refuses a taken name with the reason', async () => {
    const uri = 'file:///navigate.nn';
    await client.open(uri, wideDeep);
    const use = positionOf(wideDeep, 'hidden)', 1);
    const definition = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: use });
    expect(definition).toEqual([{ uri, range: { start: positionOf(wideDeep, 'hidden ='), end: positionOf(wideDeep, 'hidden =', 6) } }]);
    const references = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: use, context: { includeDeclaration: true } });
    expect(references).toHaveLength(3);

    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: use });
    expect(prepared).toMatchObject({ placeholder: 'hidden' });
    const renamed = await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: use, newName: 'trunk' });
    const after = applyEdits(wideDeep, renamed!.changes![uri]!);
    expect(after).not.toMatch(/\bhidden\b/);
    expect(check(after).diagnostics).toEqual(check(wideDeep).diagnostics.map((d) => ({ ...d, message: d.message.replace('hidden', 'trunk') })));

    await expect(client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: use, newName: 'wide' })).rejects.toThrow(
      'cannot rename `hidden` to `wide`: input `wide` is already declared in `WideDeep`',
    );
    await expect(client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: use, newName: 'input' })).rejects.toThrow('`input` is a keyword');
  });

  test('formatting gives the edits to the formatter\'s output; a quick fix corrects a misspelt name', async () => {
    const uri = 'file:///format.nn';
    const messy = 'model M{input x:[4]\n  output y=x->dense(8,relu)->dense(1)}\n';
    await client.open(uri, messy);
    const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    const formatted = format(messy);
    expect(formatted.ok && applyEdits(messy, edits!)).toBe(formatted.ok && formatted.text);

    const fixUri = 'file:///fix.nn';
    await client.open(fixUri, typo);
    const published = await client.diagnostics(fixUri, 1);
    const diagnostic = published.diagnostics.find((d) => d.code === 'E2001')!;
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: fixUri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    const fix = actions!.find((a) => 'edit' in a && a.title === 'Change to `hidden`') as { edit: { changes: Record<string, TextEdit[]> }; diagnostics: unknown[]; isPreferred: boolean };
    expect(fix.diagnostics).toEqual([diagnostic]);
    expect(fix.isPreferred).toBe(true);
    expect(applyEdits(typo, fix.edit.changes[fixUri]!)).toBe(wideDeep);
  });

  test('a document with a syntax error still has symbols, hovers, hints and tokens for the rest', async () => {
    const uri = 'file:///broken.nn';
    const broken = wideDeep.replace('merged = concat(wide, hidden)', 'merged = concat(wide, hidden');
    await client.open(uri, broken);
    const published = await client.diagnostics(uri, 1);
    expect(published.diagnostics.map((d) => d.code)).toContain('E1002');
    const symbols = await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    expect((symbols as Array<{ name: string; children: Array<{ name: string }> }>)[0]!.children.map((c) => c.name)).toEqual(expect.arrayContaining(['wide', 'deep', 'hidden']));
    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(broken, 'dense(30', 1) })) as Hover;
    expect((hover.contents as { value: string }).value).toContain('Fully connected layer');
    const tokens = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    expect(tokens!.data.length).toBeGreaterThan(50);
    const formatting = await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    expect(formatting).toEqual([]);
  });

  test('a 10,000-layer document: diagnostics, hover at its end and inlay hints', async () => {
    const uri = 'file:///big.nn';
    const big = syntheticModel(10_000);
    await client.open(uri, big);
    const lastLine = big.split('\n').findIndex((l) => l.includes('output y'));
    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: lastLine, character: 10 } })) as Hover;
    expect((hover.contents as { value: string }).value).toContain('output y: [?, 1] float32');
    expect((await client.diagnostics(uri, 1)).diagnostics).toEqual([]);
    const hints = await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 100, character: 0 }, end: { line: 110, character: 0 } } });
    expect(hints!.length).toBeGreaterThanOrEqual(10);
  });

  test('a request cancelled while it waits is answered with RequestCancelled', async () => {
    const uri = 'file:///cancel.nn';
    const big = syntheticModel(2_000);
    await client.open(uri, big);
    // The first request analyzes the new document, which takes a while; the second waits behind it.
    const first = client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 3 } });
    const source = new CancellationTokenSource();
    const second = client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 3 } }, source.token);
    source.cancel();
    await expect(second).rejects.toMatchObject({ code: -32800 });
    expect(await first).not.toBeNull();
  });

  test('shutdown and exit end the server with status 0', async () => {
    expect(await client.stop()).toBe(0);
  });
});
