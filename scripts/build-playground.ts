/**
 * Builds the browser playground (playground/) with Vite into a static folder, by default
 * `dist/playground`, which `nnc playground` serves and any static server can host. Everything
 * the page needs is in the folder: the examples are bundled in, the fonts are the system's.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const PLAYGROUND_OUT = join(root, 'dist/playground');

export async function buildPlayground(outDir = PLAYGROUND_OUT): Promise<void> {
  const { build } = await import('vite');
  await build({
    root: join(root, 'playground'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    worker: { format: 'es' },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // The compiler core and prettier (the generated code's formatter) are large by design; the budget is in bench/playground.
      chunkSizeWarningLimit: 4096,
      reportCompressedSize: false,
      // The worker plugin's time is the whole compiler's transform: expected, and not worth a warning per build.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPlayground(process.argv[2] ?? PLAYGROUND_OUT);
