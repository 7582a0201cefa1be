import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

/**
 * Fixture-folder tests: each folder under `dir` holds `input.nn` and the committed
 * expected outputs. `NNC_APPROVE=1 npx vitest run` rewrites the expected files from
 * the current behaviour; review the diff before committing it.
 */
export const approving = process.env.NNC_APPROVE === '1';

export function fixtureFolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

/** Compares `actual` with `folder/file`, or writes it when approving. */
export function expectFixture(folder: string, file: string, actual: string): void {
  const path = join(folder, file);
  if (approving || !existsSync(path)) {
    if (!approving && process.env.CI) throw new Error(`missing expected output ${path}; run with NNC_APPROVE=1`);
    writeFileSync(path, actual);
    return;
  }
  expect(actual, `${path} differs; if the change is intended, re-approve with NNC_APPROVE=1`).toBe(
    readFileSync(path, 'utf8'),
  );
}

/** One test per folder: `run` returns a map of expected-file name to actual content. */
export function fixtureSuite(
  dir: string,
  run: (input: string, folder: string) => Record<string, string> | Promise<Record<string, string>>,
): void {
  for (const name of fixtureFolders(dir)) {
    const folder = join(dir, name);
    test(name, async () => {
      const input = readFileSync(join(folder, 'input.nn'), 'utf8');
      const outputs = await run(input, folder);
      for (const [file, content] of Object.entries(outputs)) expectFixture(folder, file, content);
    });
  }
}
