import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createLanguageService } from '../../src/service/index.js';

/**
 * Every feature answers on broken text: random edits of the examples (the text a user has
 * half typed, deleted or pasted) never make a request throw, and positions in the answers
 * stay inside the document.
 */
const examples = readdirSync(join(import.meta.dirname, '..', '..', 'examples'))
  .filter((f) => f.endsWith('.nn'))
  .map((f) => readFileSync(join(import.meta.dirname, '..', '..', 'examples', f), 'utf8'));

const pieces = ['model', 'block', 'input', 'output', 'layer', 'train', 'x', 'dense(', 'relu', '->', '(', ')', '[', ']', '{', '}', ',', '=', ':', '?', '1', '"s', '# c\n', '\n', ' ', 'repeat(2,', 'loss = {', 'adam(', '.5', '@'];
const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat({ max: 15 }), insert: fc.constantFrom(...pieces, '') });

function mutate(source: string, edits: ReadonlyArray<{ at: number; remove: number; insert: string }>): string {
  return edits.reduce((text, e) => {
    const at = Math.floor(e.at * text.length);
    return text.slice(0, at) + e.insert + text.slice(at + e.remove);
  }, source);
}

test('every request on a mutated example answers without throwing', () => {
  fc.assert(
    fc.property(fc.nat({ max: examples.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 5 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }), (which, edits, spots) => {
      const text = mutate(examples[which]!, edits);
      const service = createLanguageService();
      service.open('file:///m.nn', text, 1);
      const lines = text.split(/\r\n|\r|\n/);
      const inside = (p: { line: number; character: number }) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!.length;
      service.diagnostics('file:///m.nn').forEach((d) => expect(inside(d.range.start) && inside(d.range.end)).toBe(true));
      service.documentSymbols('file:///m.nn');
      service.semanticTokens('file:///m.nn');
      service.inlayHints('file:///m.nn').forEach((h) => expect(inside(h.position)).toBe(true));
      service.format('file:///m.nn');
      for (const spot of spots) {
        const line = Math.floor(spot * lines.length);
        const position = { line, character: Math.floor(spot * 997) % ((lines[line]?.length ?? 0) + 1) };
        service.hover('file:///m.nn', position);
        service.completions('file:///m.nn', position).forEach((c) => expect(inside(c.range.start)).toBe(true));
        service.signatureHelp('file:///m.nn', position);
        service.definition('file:///m.nn', position);
        service.references('file:///m.nn', position);
        service.prepareRename('file:///m.nn', position);
        service.rename('file:///m.nn', position, 'renamed');
        service.codeActions('file:///m.nn', { start: position, end: position });
      }
    }),
    { numRuns: 200, seed: 10 },
  );
});
