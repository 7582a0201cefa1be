import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { IRModel } from '../../../src/ir/ir.js';
import { generateTfjs } from '../../../src/codegen/tfjs/generate.js';
import type { GeneratedModule } from '../../../src/codegen/tfjs/generated-module.js';

/**
 * Generated modules are written inside the repository (so that `@tensorflow/tfjs` resolves from
 * its node_modules) under test/.tmp/codegen, which ignores itself in git.
 */
export const tmpDir = join(import.meta.dirname, '../../.tmp/codegen');

export function ensureTmpDir(sub = ''): string {
  const dir = join(tmpDir, sub);
  mkdirSync(dir, { recursive: true });
  const ignore = join(tmpDir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
  return dir;
}

export type { GeneratedModule };

/** Imports generated JavaScript; files are named by content, so each distinct module loads once. */
export async function importCode(code: string): Promise<GeneratedModule> {
  const file = join(ensureTmpDir('modules'), `${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) writeFileSync(file, code);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as GeneratedModule;
}

export async function generateAndImport(model: IRModel, filename = 'test.nn'): Promise<GeneratedModule> {
  return importCode(await generateTfjs(model, { format: 'js', filename }));
}

/** tfjs on the plain CPU backend: deterministic and needs no native addon. */
export async function cpu(): Promise<typeof tf> {
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/** Every weight value of a model, flattened in weight order. */
export function weightValues(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

export { tf };
