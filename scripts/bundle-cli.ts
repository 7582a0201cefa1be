/**
 * Bundles the command line into one module, `dist/cli/nnc.mjs`, which `bin/nnc.js` runs. Node
 * loads an ES module file by file: unbundled, chevrotain alone is 51 modules and 641 lodash-es
 * ones, more than half of a small `nnc check`. The heavy packages a command may need (tfjs,
 * prettier, vega, resvg) stay outside the bundle, loaded by the commands that use them.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The packages left to Node: each loaded on first use by the command that needs it. */
export const LAZY_PACKAGES = ['@tensorflow/*', 'prettier', 'prettier/*', 'vega', 'vega-lite', '@resvg/resvg-js'];

export async function bundleCli(outfile = join(root, 'dist/cli/nnc.mjs')): Promise<void> {
  await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: LAZY_PACKAGES,
    // Some bundled CommonJS (commander) calls require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __nncRequire } from 'node:module'; const require = __nncRequire(import.meta.url);" },
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleCli();
