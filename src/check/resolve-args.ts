import type { Reporter } from '../diagnostics/reporter.js';
import type { Span } from '../diagnostics/span.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { ActivationSpec, Attrs, AttrValue, InitSpec } from '../ir/ir.js';
import type { Argument, Expr } from '../parse/ast.js';
import { fixedWord } from '../parse/fixed-word.js';
import type { ParamSpec, ParamType } from '../registry/op.js';
import { registry } from '../registry/registry.js';
import { deref, describeExpr, type ValueEnv } from './env.js';

export interface ArgsSite {
  /** The callee as the user wrote it, for messages. */
  callee: string;
  span: Span;
  args: readonly Argument[];
  env: ValueEnv;
}

/**
 * Binds call arguments to a parameter list (positional first, then by name), converts each
 * value to its parameter's type and fills defaults. Reports every problem; returns
 * undefined when any argument was unusable.
 */
export function resolveArgs(site: ArgsSite, params: readonly ParamSpec[], reporter: Reporter): Attrs | undefined {
  const given = new Map<string, Argument>();
  let ok = true;
  let positional = 0;
  for (const arg of site.args) {
    if (!arg.name) {
      const param = params[positional++];
      if (!param) {
        if (positional === params.length + 1) reporter.report('wrongArity', arg.span, { op: site.callee, expected: arityText(params), found: site.args.filter((a) => !a.name).length, what: 'positional arguments' });
        ok = false;
        continue;
      }
      given.set(param.name, arg);
      continue;
    }
    const param = params.find((p) => p.name === arg.name!.name);
    if (!param) {
      const help = didYouMean(arg.name.name, params.map((p) => p.name));
      reporter.report('unknownArgument', arg.name.span, { op: site.callee, name: arg.name.name }, help ? { help } : {});
      ok = false;
    } else if (given.has(param.name)) {
      reporter.report('duplicateArgument', arg.span, { op: site.callee, name: param.name }, {
        labels: [{ span: given.get(param.name)!.span, message: 'first given here' }],
      });
      ok = false;
    } else {
      given.set(param.name, arg);
    }
  }
  // A misspelt keyword (`untis=4`) is most likely the required parameter it was meant to be:
  // the parameter is not reported missing as well.
  const misspelt = site.args.some((a) => a.name && !params.some((p) => p.name === a.name!.name));
  const attrs: Attrs = {};
  for (const param of params) {
    const arg = given.get(param.name);
    if (!arg) {
      if (param.default === undefined) {
        ok = false;
        if (misspelt) continue;
        reporter.report('missingArgument', site.span, { op: site.callee, name: param.name }, {
          help: `write it as \`${site.callee}(${params.filter((p) => p.default === undefined).map((p) => p.name).join(', ')})\``,
        });
        continue;
      }
      const value = defaultValue(param);
      if (value === undefined) ok = false;
      else attrs[param.name] = value;
      continue;
    }
    const value = convert(arg.value, site.env, param, site.callee, reporter);
    if (value === undefined) {
      ok = false;
      continue;
    }
    const problem = param.check?.(value);
    if (problem) {
      reporter.report('invalidArgumentValue', deref(arg.value, site.env).expr.span, { op: site.callee, name: param.name, reason: problem });
      ok = false;
      continue;
    }
    attrs[param.name] = value;
  }
  if (ok) reportWithoutEffect(params, given, attrs, site, reporter);
  return ok ? attrs : undefined;
}

/** An argument given explicitly that another one switches off (`bias_init` with `bias=false`). */
function reportWithoutEffect(params: readonly ParamSpec[], given: ReadonlyMap<string, Argument>, attrs: Attrs, site: ArgsSite, reporter: Reporter): void {
  for (const param of params) {
    const needs = param.onlyWith;
    const arg = given.get(param.name);
    if (!needs || !arg || attrs[needs.param] === needs.value) continue;
    const switchedOff = given.get(needs.param);
    reporter.report('argumentWithoutEffect', arg.span, { op: site.callee, name: param.name, reason: `\`${needs.param}=${String(attrs[needs.param])}\`` }, {
      labels: switchedOff ? [{ span: switchedOff.span, message: `\`${param.name}\` applies only with \`${needs.param}=${String(needs.value)}\`` }] : [],
      help: `remove \`${param.name}\`, or set \`${needs.param}=${String(needs.value)}\``,
    });
  }
}

function arityText(params: readonly ParamSpec[]): string {
  const required = params.filter((p) => p.default === undefined).length;
  if (required === params.length) return `${params.length}`;
  return `${required} to ${params.length}`;
}

function defaultValue(param: ParamSpec): AttrValue | undefined {
  const value = param.default!;
  if (param.type.kind === 'activation' && typeof value === 'string') return { name: value, params: {} } satisfies ActivationSpec;
  if (param.type.kind === 'init' && typeof value === 'string') return { name: value, params: {} } satisfies InitSpec;
  return value;
}

function typeName(type: ParamType): string {
  switch (type.kind) {
    case 'int':
      return type.min !== undefined && type.min >= 1 ? 'a positive integer' : 'an integer';
    case 'number':
      return 'a number';
    case 'bool':
      return '`true` or `false`';
    case 'enum':
      return `one of ${type.values.map((v) => `\`${v}\``).join(', ')}`;
    case 'activation':
      return 'an activation';
    case 'init':
      return 'an initializer';
    case 'ints':
      return 'a list of integers';
    case 'pair':
      return 'an integer or a pair `[a, b]`';
  }
}

function isInteger(expr: Expr): expr is Extract<Expr, { kind: 'Number' }> {
  return expr.kind === 'Number' && Number.isInteger(expr.value);
}

/** Converts one argument; reports at the argument's span. */
export function convert(
  raw: Expr,
  rawEnv: ValueEnv,
  param: ParamSpec,
  callee: string,
  reporter: Reporter,
): AttrValue | undefined {
  const { expr, env } = deref(raw, rawEnv);
  const type = param.type;
  const wrong = (): undefined => {
    reporter.report('argumentType', expr.span, { op: callee, name: param.name, expected: typeName(type), found: describeExpr(expr) });
    return undefined;
  };
  switch (type.kind) {
    case 'int': {
      if (!isInteger(expr)) return wrong();
      if (type.min !== undefined && expr.value < type.min) {
        reporter.report('invalidArgumentValue', expr.span, { op: callee, name: param.name, reason: `must be at least ${type.min}, found ${expr.raw}` });
        return undefined;
      }
      return expr.value;
    }
    case 'number':
      return expr.kind === 'Number' ? expr.value : wrong();
    case 'bool':
      return expr.kind === 'Boolean' ? expr.value : wrong();
    case 'enum': {
      const text = fixedWord(expr)?.name;
      if (text === undefined) return wrong();
      if (!type.values.includes(text)) {
        const help = didYouMean(text, type.values);
        reporter.report('invalidArgumentValue', expr.span, { op: callee, name: param.name, reason: `expected ${typeName(type)}, found \`${text}\`` }, help ? { help } : {});
        return undefined;
      }
      return text;
    }
    case 'activation':
      return resolveActivation(expr, env, reporter, { op: callee, name: param.name });
    case 'init':
      return resolveInitializer(expr, env, reporter, { op: callee, name: param.name });
    case 'ints': {
      if (expr.kind !== 'List') return wrong();
      const values: number[] = [];
      for (const item of expr.items) {
        const d = deref(item, env).expr;
        if (!isInteger(d)) {
          reporter.report('argumentType', d.span, { op: callee, name: param.name, expected: 'a list of integers', found: `${describeExpr(d)} in the list` });
          return undefined;
        }
        if (d.value < 1 && !(type.inferable && d.value === -1)) {
          reporter.report('invalidArgumentValue', d.span, { op: callee, name: param.name, reason: `every size must be a positive integer${type.inferable ? ' (or -1, for the one size to infer)' : ''}, found ${d.raw}` });
          return undefined;
        }
        values.push(d.value);
      }
      return values;
    }
    case 'pair': {
      if (isInteger(expr)) return positivePair([expr], expr.span, param, callee, reporter);
      if (expr.kind !== 'List' || expr.items.length !== 2) return wrong();
      const values = expr.items.map((item) => deref(item, env).expr);
      if (!values.every(isInteger)) return wrong();
      return positivePair(values, expr.span, param, callee, reporter);
    }
  }
}

/** `3` or `[3, 2]` as a pair, each at least 1 (a stride of 0 would never move the window). */
function positivePair(
  values: ReadonlyArray<Extract<Expr, { kind: 'Number' }>>,
  span: Span,
  param: ParamSpec,
  callee: string,
  reporter: Reporter,
): number[] | undefined {
  const bad = values.find((v) => v.value < 1);
  if (bad) {
    reporter.report('invalidArgumentValue', values.length === 1 ? span : bad.span, { op: callee, name: param.name, reason: `must be a positive integer or a pair of them, found ${bad.raw}` });
    return undefined;
  }
  return values.length === 1 ? [values[0]!.value, values[0]!.value] : values.map((v) => v.value);
}

function callParts(expr: Expr): { name: string; span: Span; args: readonly Argument[]; argsSpan: Span } | undefined {
  const word = fixedWord(expr);
  if (word) return { name: word.name, span: word.span, args: [], argsSpan: word.span };
  if (expr.kind === 'Call') return { name: expr.callee.name, span: expr.callee.span, args: expr.args, argsSpan: expr.span };
  return undefined;
}

/** Where a value is being resolved, for messages: the op and the parameter. */
interface ValueSite {
  op: string;
  name: string;
}

export function resolveActivation(expr: Expr, env: ValueEnv, reporter: Reporter, site: ValueSite): ActivationSpec | undefined {
  const call = callParts(expr);
  if (!call) {
    reporter.report('argumentType', expr.span, { ...site, expected: 'an activation', found: describeExpr(expr) });
    return undefined;
  }
  const def = registry.activation(call.name);
  if (!def) {
    const help = didYouMean(call.name, registry.activationNames());
    reporter.report('unknownActivation', call.span, { name: call.name }, help ? { help } : {});
    return undefined;
  }
  const params = resolveArgs({ callee: def.name, span: call.argsSpan, args: call.args, env }, def.params, reporter);
  return params && { name: def.name, params: params as Record<string, number> };
}

export function resolveInitializer(expr: Expr, env: ValueEnv, reporter: Reporter, site: ValueSite): InitSpec | undefined {
  const call = callParts(expr);
  if (!call) {
    reporter.report('argumentType', expr.span, { ...site, expected: 'an initializer', found: describeExpr(expr) });
    return undefined;
  }
  if (call.name === 'auto' && call.args.length === 0) return { name: 'auto', params: {} };
  const def = registry.initializer(call.name);
  if (!def) {
    const help = didYouMean(call.name, [...registry.initializerNames(), 'auto']);
    reporter.report('unknownInitializer', call.span, { name: call.name }, help ? { help } : {});
    return undefined;
  }
  const params = resolveArgs({ callee: def.name, span: call.argsSpan, args: call.args, env }, def.params, reporter);
  const problem = params && def.checkParams?.(params as Record<string, number>);
  if (problem) {
    reporter.report('invalidArgumentValue', call.argsSpan, { op: call.name, name: problem.param, reason: problem.reason }, {
      help: problem.param === 'min' ? `write it as \`${call.name}(${params.max}, ${params.min})\`` : undefined,
    });
    return undefined;
  }
  return params && { name: def.name, params: params as Record<string, number> };
}
