import { join } from 'node:path';
import { describe, test } from 'vitest';
import { createLanguageService } from '../../src/service/index.js';
import { expectFixture } from '../support/fixtures.js';
import { withHints } from './support/hints.js';
import { allSources } from './support/sources.js';

/** The shapes an editor shows inline, pinned per example (NNC_APPROVE=1 re-approves). */
describe('inlay hints of the examples', () => {
  for (const { name, text } of allSources().filter((s) => s.name.startsWith('examples/'))) {
    test(name, () => {
      const service = createLanguageService();
      service.open('file:///example.nn', text, 1);
      expectFixture(join(import.meta.dirname, 'golden'), name.replace('examples/', '').replace('.nn', '.hints.nn'), withHints(text, service.inlayHints('file:///example.nn')));
    });
  }
});
