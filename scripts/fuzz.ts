/**
 * `npm run fuzz -- --n 100000 [--seed S] [--compile-every K] [--build-every K] [--out DIR]`:
 * the fuzz suite of test/fuzz at any size. --n inputs are split over the generators (mutated
 * examples, token soup, random and shape-aware programs, adversarial cases); each failing
 * input is written to DIR (default test/.tmp/fuzz) with its problems, and the run exits 1 if
 * there was any.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpu } from '../test/codegen/support/load.js';
import { runCampaign } from '../test/fuzz/campaign.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    'compile-every': { type: 'string', default: '20' },
    'build-every': { type: 'string', default: '10' },
    out: { type: 'string', default: join(import.meta.dirname, '../test/.tmp/fuzz') },
  },
});

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`error: --${name} must be a positive integer, found \`${text}\`\n`);
    process.exit(2);
  }
  return value;
}

const n = positive('n', values.n!);
const seed = positive('seed', values.seed!);
// A quarter mutated examples, a fifth each of token soup, random and shape-aware programs, the rest adversarial.
const share = (percent: number) => Math.max(1, Math.round((n * percent) / 100));
const runs = { mutatedExample: share(25), tokenSoup: share(20), randomProgram: share(20), validProgram: share(20), adversarial: 0 };
runs.adversarial = Math.max(1, n - runs.mutatedExample - runs.tokenSoup - runs.randomProgram - runs.validProgram);

await cpu();
const start = performance.now();
let last = start;
const result = await runCampaign({
  runs,
  seed,
  compileEvery: positive('compile-every', values['compile-every']!),
  buildEvery: positive('build-every', values['build-every']!),
  onInput: (done) => {
    const now = performance.now();
    if (now - last > 10_000) {
      last = now;
      process.stderr.write(`${done} / ${n} inputs, ${((now - start) / 1000).toFixed(0)} s\n`);
    }
  },
});
const seconds = (performance.now() - start) / 1000;

mkdirSync(values.out!, { recursive: true });
result.failures.forEach((failure, i) => {
  const file = join(values.out!, `failure-${seed}-${i}.nn`);
  writeFileSync(file, failure.source);
  writeFileSync(`${file}.txt`, `${failure.generator}\n${failure.problems.join('\n')}\n`);
});

process.stdout.write(
  [
    `seed ${seed}: ${result.inputs} inputs in ${seconds.toFixed(1)} s (${((seconds * 1000) / result.inputs).toFixed(2)} ms each)`,
    `  by generator: ${Object.entries(runs).map(([g, k]) => `${g} ${k}`).join(', ')}`,
    `  check ok: ${result.checkedOk}; compiled and parsed: ${result.compiled}; built and run in tfjs: ${result.built}`,
    `  slowest: ${result.slowest ? `${result.slowest.ms.toFixed(0)} ms (${result.slowest.generator})` : '-'}`,
    `  failures: ${result.failures.length}${result.failures.length > 0 ? ` (written to ${values.out})` : ''}`,
    ...result.failures.slice(0, 10).map((f) => `    ${f.generator}: ${f.problems[0]!.split('\n')[0]}`),
    '',
  ].join('\n'),
);
process.exit(result.failures.length > 0 ? 1 : 0);
