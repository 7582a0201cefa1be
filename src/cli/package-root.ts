import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root: the nearest folder up from this file with nnc's package.json.
 * This file runs from `src/cli` (tsx, tests), from `dist/src/cli` (the library build) or bundled
 * in `dist/cli/nnc.mjs` (the published bin).
 */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'nnc') return dir;
    if (dirname(dir) === dir) throw new Error(`internal: no package.json of nnc above ${here}`);
  }
}

export function diagnosticsDocPath(): string {
  return join(packageRoot(), 'docs', 'diagnostics.md');
}

/** Read once per run for `--version`; package metadata, not user input, so not routed through CliIO. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
