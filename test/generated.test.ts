import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { generated } from '../scripts/generate.js';

// Generated files are committed so that readers (and the browser build) see them; they
// must never drift from their sources.
test('generated files are up to date (run `npm run gen` after changing their sources)', async () => {
  const root = join(import.meta.dirname, '..');
  for (const { path, content } of await generated()) {
    expect(readFileSync(join(root, path), 'utf8'), `${path} is stale: run \`npm run gen\``).toBe(content);
  }
});
