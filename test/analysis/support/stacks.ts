import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../../../src/compile.js';
import type { IRModel } from '../../../src/ir/ir.js';

/**
 * The deep stacks the depth analysis is tested on: ten weight layers of width 256, the sizes the
 * agreement tolerance in probe-agreement.test.ts is derived for.
 */
export const WIDTH = 256;
export const LAYERS = 10;

const pair = (init: string) =>
  // Alternating widths: on square layers xavier's 2/(n_in + n_out) is lecun's 1/n_in.
  `block Pair(wide, narrow) {\n  input x\n  output y = x -> dense(wide, tanh, init=${init}) -> dense(narrow, tanh, init=${init})\n}\n` +
  `model Tanh {\n  input x: [${WIDTH}]\n  output y = x -> repeat(${LAYERS / 2}, Pair(${WIDTH / 2}, ${WIDTH}))\n}\n`;

const residual = (norm: boolean) =>
  // The branch keeps the variance (he with relu, then lecun): each add doubles it.
  `block Residual(units) {\n  input x\n  h = x -> dense(units, relu, init=he) -> dense(units, init=lecun)\n  output y = add(x, h)${norm ? ' -> layer_norm' : ''}\n}\n` +
  `model Res {\n  input x: [${WIDTH}]\n  output y = x -> repeat(${LAYERS / 2}, Residual(${WIDTH}))\n}\n`;

export const STACKS = {
  'relu, he': `model Relu {\n  input x: [${WIDTH}]\n  output y = x -> repeat(${LAYERS}, dense(${WIDTH}, relu, init=he))\n}\n`,
  'relu, xavier': `model Relu {\n  input x: [${WIDTH}]\n  output y = x -> repeat(${LAYERS}, dense(${WIDTH}, relu, init=xavier))\n}\n`,
  'tanh, xavier': pair('xavier'),
  'tanh, lecun': pair('lecun'),
  'residual': residual(false),
  'residual, layer_norm': residual(true),
} as const;

export type StackName = keyof typeof STACKS;

/** The one model of `source`, checked without errors. */
export function modelOf(source: string, name?: string): IRModel {
  const result = check(source, name === undefined ? {} : { model: name });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('\n'));
  const models = result.ir!.models;
  return name === undefined ? models[0]! : models.find((m) => m.name === name)!;
}

/** Blocks of the residual stacks below: the number docs/initialization.md discusses. */
export const BLOCKS = 6;

/** The post-activation block of docs/language.md, `add(x, h) -> relu`, as the docs write it. */
export function languageResidualBlock(): string {
  const markdown = readFileSync(join(import.meta.dirname, '../../../docs/language.md'), 'utf8');
  const start = markdown.indexOf('block Residual(units, act = relu) {');
  if (start < 0) throw new Error('docs/language.md no longer has `block Residual(units, act = relu)`');
  return `${markdown.slice(start, markdown.indexOf('\n}\n', start))}\n}\n`;
}

/**
 * Residual stacks at a given width: post-activation blocks (the sum goes through relu, so it is
 * not zero-mean) after a relu layer, without normalization (docs/language.md's block) and with
 * batch_norm as in ResNet; pre-activation blocks (relu before each dense, the sum stays
 * centered), without and with batch_norm.
 */
export function residualStacks(width: number) {
  const post = `model Post {\n  input x: [${width}]\n  output y = x -> dense(${width}, relu) -> repeat(${BLOCKS}, Residual(${width}))\n}\n`;
  const postNorm =
    'block ResNorm(units) {\n  input x\n  h = x -> dense(units) -> batch_norm -> relu -> dense(units) -> batch_norm\n  output y = add(x, h) -> relu\n}\n' +
    `model PostNorm {\n  input x: [${width}]\n  output y = x -> dense(${width}, relu) -> repeat(${BLOCKS}, ResNorm(${width}))\n}\n`;
  const pre = (norm: string) =>
    `block PreAct(units) {\n  input x\n  h = x${norm} -> relu -> dense(units, init=he)${norm} -> relu -> dense(units, init=he)\n  output y = add(x, h)\n}\n` +
    `model Pre {\n  input x: [${width}]\n  output y = x -> repeat(${BLOCKS}, PreAct(${width}))\n}\n`;
  return {
    'post-activation (docs/language.md)': languageResidualBlock() + post,
    'post-activation, batch_norm': postNorm,
    'pre-activation': pre(''),
    'pre-activation, batch_norm': pre(' -> batch_norm'),
  };
}
