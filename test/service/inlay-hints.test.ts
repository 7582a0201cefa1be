import { join } from 'node:path';
import { describe, test } from 'vitest';
import { createLanguageService } from '../../src/service/index.js';
import type { InlayHint } from '../../src/service/types.js';
import { expectFixture } from '../support/fixtures.js';
import { allSources } from './support/sources.js';

/**
 * The shapes an editor shows inline, pinned per example as the source with each hint written
 * in where it appears: `name⟨: [?, 30]⟩ = x -> dense(30)⟨[?, 30]⟩ -> ...` (NNC_APPROVE=1 re-approves).
 */
export function withHints(text: string, hints: readonly InlayHint[]): string {
  const lines = text.split('\n');
  const byLine = new Map<number, InlayHint[]>();
  for (const hint of hints) byLine.set(hint.position.line, [...(byLine.get(hint.position.line) ?? []), hint]);
  for (const [line, list] of byLine) {
    let current = lines[line]!;
    for (const hint of [...list].sort((a, b) => b.position.character - a.position.character)) {
      current = `${current.slice(0, hint.position.character)}⟨${hint.label}⟩${current.slice(hint.position.character)}`;
    }
    lines[line] = current;
  }
  return lines.join('\n');
}

describe('inlay hints of the examples', () => {
  for (const { name, text } of allSources().filter((s) => s.name.startsWith('examples/'))) {
    test(name, () => {
      const service = createLanguageService();
      service.open('file:///example.nn', text, 1);
      expectFixture(join(import.meta.dirname, 'golden'), name.replace('examples/', '').replace('.nn', '.hints.nn'), withHints(text, service.inlayHints('file:///example.nn')));
    });
  }
});
