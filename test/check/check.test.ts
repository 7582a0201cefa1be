import { join } from 'node:path';
import { describe } from 'vitest';
import { check } from '../../src/compile.js';
import { summaryText } from '../support/summary-text.js';
import { formatDiagnostics } from '../support/baseline.js';
import { fixtureSuite } from '../support/fixtures.js';

// Each folder: input.nn, the expected diagnostics, and the summary of every model that checked.
describe('check fixtures', () => {
  fixtureSuite(join(import.meta.dirname, 'fixtures'), (source) => {
    const result = check(source, { filename: 'input.nn' });
    return {
      'diagnostics.txt': formatDiagnostics(result.diagnostics),
      'summary.txt': result.summary.map(summaryText).join('\n') || '(no model checked)\n',
    };
  });
});
