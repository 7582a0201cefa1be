import { readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root. This file runs from `src/cli` (tsx, tests) or from
 * `dist/src/cli` (the published bin), so the depth differs by one `dist`.
 */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const up = here.endsWith(`${sep}dist${sep}src${sep}cli`) ? 3 : 2;
  return join(here, ...Array<string>(up).fill('..'));
}

export function diagnosticsDocPath(): string {
  return join(packageRoot(), 'docs', 'diagnostics.md');
}

/** Read once per run for `--version`; package metadata, not user input, so not routed through CliIO. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
