/**
 * What a user's process pays: the start-up of `nnc check` on an example (the bundled CLI, whole
 * process, as `bin/nnc.js` runs it) and the memory of `check` and `compile` per layer (peak
 * resident memory of a process that checks or compiles one model, less that of a small one).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleCli } from '../scripts/bundle-cli.js';
import { syntheticModel } from './generate-model.js';
import { median } from './timing.js';

const root = join(import.meta.dirname, '..');
const scratch = join(root, 'test/.tmp/bench');

export async function startup(): Promise<void> {
  mkdirSync(scratch, { recursive: true });
  const bundle = join(root, 'dist/cli/nnc.mjs');
  await bundleCli(bundle);
  const example = join(root, 'examples/wide_deep.nn');
  const run = () => {
    const start = performance.now();
    const result = spawnSync(process.execPath, [join(root, 'bin/nnc.js'), 'check', example], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`nnc check failed: ${result.stderr}`);
    return performance.now() - start;
  };
  run();
  const node = median(Array.from({ length: 7 }, () => timeProcess([process.execPath, '-e', ''])));
  const check = median(Array.from({ length: 11 }, run));
  console.log(`\nstart-up: \`nnc check examples/wide_deep.nn\`, whole process, median of 11: ${check.toFixed(0)} ms (node itself: ${node.toFixed(0)} ms)`);
}

function timeProcess(argv: string[]): number {
  const start = performance.now();
  spawnSync(argv[0]!, argv.slice(1));
  return performance.now() - start;
}

/** Peak resident memory in MB of a process that runs `what` on a synthetic model of `layers` layers. */
function peakMemory(what: 'check' | 'compile', layers: number): number {
  const file = join(scratch, `model-${layers}.nn`);
  writeFileSync(file, syntheticModel(layers));
  const script = join(scratch, 'peak.mjs');
  writeFileSync(
    script,
    `import { readFileSync } from 'node:fs';
const { check, compile } = await import(${JSON.stringify(pathToFileURL(join(root, 'src/compile.ts')).href)});
const source = readFileSync(process.argv[3], 'utf8');
const result = process.argv[2] === 'check' ? check(source) : await compile(source);
if (!result.ok) throw new Error('the model does not check');
console.log(process.resourceUsage().maxRSS / 1024);
`,
  );
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, what, file], { encoding: 'utf8', cwd: root });
  if (result.status !== 0) throw new Error(`${what} of ${layers} layers failed: ${result.stderr}`);
  return Number(result.stdout.trim());
}

export function memory(): void {
  console.log('\nmemory: peak resident memory of one check or compile, less that of a 100-layer model');
  for (const what of ['check', 'compile'] as const) {
    const base = peakMemory(what, 100);
    for (const layers of [10_000, 50_000]) {
      const peak = peakMemory(what, layers);
      console.log(`${what.padEnd(7)} ${String(layers).padStart(6)} layers: ${peak.toFixed(0)} MB peak, ${(((peak - base) * 1024) / layers).toFixed(1)} KB per layer`);
    }
  }
}
