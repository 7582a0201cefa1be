import type { Argument, BlockDecl, Expr, Statement } from '../parse/ast.js';
import { deref, type ValueEnv } from './env.js';

/**
 * The documented limits of a model (docs/language.md, "Limits"). They exist so that no source
 * makes nnc hang or run out of memory: `repeat(1000, repeat(1000, relu))` is a million layers,
 * which is refused from the source before one of them is built.
 */
export const LIMITS = {
  /** Copies one `repeat` makes. */
  repeat: 500_000,
  /** Layer applications of one model once blocks and repeats are expanded. nnc checks 200,000 in seconds. */
  layers: 500_000,
  /**
   * Parameters of one model: 4 GB of float32 weights, the whole memory a wasm backend can
   * address, before the optimizer's state (Adam keeps two more copies).
   */
  parameters: 1_000_000_000,
  /** Above this a model is merely huge (400 MB of float32 weights): a warning. */
  largeParameters: 100_000_000,
} as const;

/** `1234567` as `1,234,567`; very large counts in exponent form. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || n >= 1e15) return Number(n.toPrecision(3)).toExponential().replace('e+', 'e');
  return Math.round(n).toLocaleString('en-US');
}

interface BlockSizes {
  blocks: ReadonlyMap<string, { decl: BlockDecl }>;
  /** Sizes of blocks by name and the counts bound to their parameters. */
  memo: Map<string, number>;
  /** `repeat` counts over LIMITS.repeat, found on the way. */
  tooLarge: Expr[];
}

/**
 * A lower bound on the layers `statements` expand to, read from the source alone: repeats
 * multiply, blocks count their bodies (with parameters at their defaults; a count only known
 * at a call counts 1). Computed without expanding anything, so it is fast on any input.
 */
export function estimateLayers(statements: readonly Statement[], blocks: ReadonlyMap<string, { decl: BlockDecl }>): { layers: number; tooLarge: Expr[] } {
  const sizes: BlockSizes = { blocks, memo: new Map(), tooLarge: [] };
  return { layers: bodySize(statements, sizes), tooLarge: sizes.tooLarge };
}

/** The layers one `-> stage` adds, as far as the source tells; `env` resolves block parameters. */
export function estimateStage(stage: Expr, env: ValueEnv, blocks: ReadonlyMap<string, { decl: BlockDecl }>): number {
  return stageSize(stage, env, { blocks, memo: new Map(), tooLarge: [] });
}

const NO_ENV: ValueEnv = { bindings: new Map() };

function bodySize(statements: readonly Statement[], sizes: BlockSizes, env: ValueEnv = NO_ENV): number {
  let total = 0;
  for (const statement of statements) {
    if (statement.kind === 'Assign' || (statement.kind === 'Output' && statement.value)) total += exprSize(statement.value!, env, sizes);
  }
  return total;
}

function exprSize(expr: Expr, env: ValueEnv, sizes: BlockSizes): number {
  switch (expr.kind) {
    case 'Pipe': {
      let total = exprSize(expr.source, env, sizes);
      for (const stage of expr.stages) total += stageSize(stage, env, sizes);
      return total;
    }
    case 'Tuple':
      return expr.items.reduce((sum, item) => sum + exprSize(item, env, sizes), 0);
    case 'Call':
      // A merge: its tensor arguments, and itself.
      return 1 + expr.args.reduce((sum, arg) => sum + (arg.name ? 0 : exprSize(arg.value, env, sizes)), 0);
    default:
      return 0;
  }
}

function stageSize(raw: Expr, rawEnv: ValueEnv, sizes: BlockSizes): number {
  const { expr, env } = deref(raw, rawEnv);
  const name = expr.kind === 'Call' ? expr.callee.name : expr.kind === 'Identifier' ? expr.name : undefined;
  if (name === undefined) return 1;
  if (name === 'repeat' && expr.kind === 'Call' && !sizes.blocks.has('repeat')) {
    const [count, layer] = expr.args;
    if (!count || !layer) return 1;
    return repeatCount(count.value, env, sizes) * stageSize(layer.value, env, sizes);
  }
  const block = sizes.blocks.get(name);
  return block ? blockSize(block.decl, expr.kind === 'Call' ? expr.args : [], env, sizes) : 1;
}

function repeatCount(raw: Expr, env: ValueEnv, sizes: BlockSizes): number {
  const count = deref(raw, env).expr;
  if (count.kind !== 'Number' || !Number.isFinite(count.value) || count.value < 1) return 1;
  if (count.value > LIMITS.repeat && !sizes.tooLarge.includes(count)) sizes.tooLarge.push(count);
  return Math.floor(count.value);
}

/** A block's layers with its parameters bound as at this call (positional, then named, then defaults). */
function blockSize(decl: BlockDecl, args: readonly Argument[], env: ValueEnv, sizes: BlockSizes): number {
  const bindings = new Map<string, { expr: Expr; env: ValueEnv }>();
  const positional = args.filter((a) => !a.name);
  decl.params.forEach((param, i) => {
    const arg = args.find((a) => a.name?.name === param.name.name) ?? positional[i];
    if (arg) bindings.set(param.name.name, deref(arg.value, env));
    else if (param.default) bindings.set(param.name.name, { expr: param.default, env: NO_ENV });
  });
  // Only numbers can change a size: blocks are memoized by the numbers bound to them.
  const key = `${decl.name.name}(${[...bindings].map(([n, b]) => (b.expr.kind === 'Number' ? `${n}=${b.expr.value}` : '')).join(',')})`;
  const known = sizes.memo.get(key);
  if (known !== undefined) return known;
  // A recursive block (reported elsewhere) counts 1 while its own size is being computed.
  sizes.memo.set(key, 1);
  const size = Math.max(1, bodySize(decl.body, sizes, { bindings }));
  sizes.memo.set(key, size);
  return size;
}
