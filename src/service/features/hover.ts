import type { LayerBuild } from '../../check/graph-builder.js';
import type { BlockDecl, Declaration, Expr } from '../../parse/ast.js';
import type { ParamSpec } from '../../registry/op.js';
import { registry } from '../../registry/registry.js';
import { earlyStoppingKeys, trainSettingDefs } from '../../registry/train-settings.js';
import { printExpressionLine as exprText } from '../../print/print-program.js';
import type { DocumentAnalysis } from '../analysis/analyze.js';
import { typesOf, type Fact } from '../analysis/facts.js';
import type { Meaning, Occurrence } from '../analysis/occurrences.js';
import type { NnSymbol } from '../analysis/symbols.js';
import { spanRange } from '../line-map.js';
import type { Hover } from '../types.js';
import { code, count, layerCall, number, opDoc, paramCount, paramDoc, signalText, signature, typeText, weightLine } from './describe.js';

/**
 * What a name is, at the cursor: a tensor's inferred type and where its signal stands at
 * initialization; a stage's layer with its resolved arguments, weights, initializers and
 * variances; a block use's signature and the shapes of that instance; an op, activation,
 * initializer, loss, optimizer or metric's documentation from the registry.
 */
export function hover(analysis: DocumentAnalysis, offset: number): Hover | undefined {
  const occurrence = analysis.occurrences.at(offset);
  if (!occurrence) return undefined;
  const contents = describe(occurrence, analysis);
  return contents ? { range: spanRange(occurrence.id.span), contents } : undefined;
}

type Describer<K extends Meaning['kind']> = (meaning: Extract<Meaning, { kind: K }>, occurrence: Occurrence, analysis: DocumentAnalysis) => string | undefined;

const describers: { [K in Meaning['kind']]: Describer<K> } = {
  symbol: (m, o, a) => describeSymbol(m.symbol, o, a),
  op: (m, o, a) => [code(signature(m.op.name, m.op.params)), ...(o.expr ? stageFacts(a.facts.stageFacts(o.expr)) : []), '---', opDoc(m.op)].join('\n\n'),
  repeat: (_m, o, a) => {
    const facts = o.expr ? a.facts.stageFacts(o.expr) : [];
    const doc = '`repeat(N, LAYER)`: N copies of the layer in sequence, each with its own weights.';
    return [code('repeat(count, layer)'), ...outputTypes(facts), '---', doc].join('\n\n');
  },
  activation: (m) => {
    const def = registry.activation(m.name)!;
    return [code(signature(def.name, def.params)), `Activation. ${def.doc}`, paramList(def.params), `\`init=auto\` picks \`${def.autoInit}\` for it.`].filter(Boolean).join('\n\n');
  },
  initializer: (m) => {
    const def = registry.initializer(m.name);
    if (!def) return [code('auto'), 'Initializer: the scheme that keeps the variance of the layer\'s activation (`he` for the relu family, `lecun` for selu, `xavier` for the rest).'].join('\n\n');
    return [code(signature(def.name, def.params)), `Initializer: ${def.formula}. ${def.doc}`, paramList(def.params)].filter(Boolean).join('\n\n');
  },
  loss: (m) => {
    const def = registry.loss(m.name)!;
    return [code(def.name), `Loss. ${def.doc}`].join('\n\n');
  },
  optimizer: (m) => {
    const def = registry.optimizer(m.name)!;
    return [code(signature(def.name, def.params)), `Optimizer. ${def.doc}`, paramList(def.params)].filter(Boolean).join('\n\n');
  },
  metric: (m) => {
    const def = registry.metric(m.name)!;
    return [code(def.name), `Metric. ${def.doc}`].join('\n\n');
  },
  argument: (m) => [code(`${m.callee}(${m.param.name}=...)`), paramDoc(m.param)].join('\n\n'),
  setting: (m) => {
    if (m.within === 'early_stopping') {
      const key = earlyStoppingKeys.find((k) => k.name === m.name);
      return key && [code(`early_stopping = { ${key.name}: ${key.example} }`), key.doc].join('\n\n');
    }
    const def = trainSettingDefs.find((s) => s.name === m.name);
    return def && [code(`${def.name} = ...`), `Training setting: ${def.value}. ${def.doc} Default: ${def.default}.`].join('\n\n');
  },
  enum: (m) => [code(`${m.param.name}=${m.value}`), paramDoc(m.param)].join('\n\n'),
  unresolved: () => undefined,
};

function paramList(params: readonly ParamSpec[]): string {
  return params.map((p) => `- ${paramDoc(p)}`).join('\n');
}

function describe(occurrence: Occurrence, analysis: DocumentAnalysis): string | undefined {
  const meaning = occurrence.meaning;
  return (describers[meaning.kind] as Describer<Meaning['kind']>)(meaning, occurrence, analysis);
}

function describeSymbol(symbol: NnSymbol, occurrence: Occurrence, analysis: DocumentAnalysis): string | undefined {
  switch (symbol.kind) {
    case 'model':
      return describeModel(symbol.node as Declaration, analysis);
    case 'block':
      return describeBlock(symbol.node as BlockDecl, occurrence.expr, analysis);
    case 'input':
    case 'definition':
    case 'output': {
      const facts = analysis.facts.definitionFacts(symbol.id);
      const heading = code(`${symbol.kind === 'definition' ? '' : `${symbol.kind} `}${symbol.name}${typeSuffix(facts)}`);
      return [heading, ...tensorFacts(facts, analysis)].join('\n\n');
    }
    case 'layer': {
      const statement = symbol.node as { value: Expr };
      const heading = code(`layer ${symbol.name} = ${exprText(statement.value)}`);
      const facts = occurrence.expr ? analysis.facts.stageFacts(occurrence.expr) : [];
      return [heading, 'A shared layer: one set of weights, applied wherever `-> ' + symbol.name + '` appears.', ...stageFacts(facts)].join('\n\n');
    }
    case 'parameter':
      return describeParameter(symbol, occurrence, analysis);
  }
}

function typeSuffix(facts: readonly Fact[]): string {
  const types = unique(facts.flatMap((f) => typesOf(f.value).map(typeText).join(', ')));
  return types.length === 1 ? `: ${types[0]}` : '';
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** A name's types per instance, and the layer and signal behind it. */
function tensorFacts(facts: readonly Fact[], analysis: DocumentAnalysis): string[] {
  if (facts.length === 0) return ['Not evaluated: its model or block has errors before it, or no model uses the block.'];
  const lines: string[] = [];
  const types = unique(facts.map((f) => typesOf(f.value).map(typeText).join(', ')));
  if (types.length > 1 || facts.some((f) => f.path.length > 0)) {
    lines.push(...facts.slice(0, 6).map((f) => `- ${instanceName(f)}: ${typesOf(f.value).map(typeText).join(', ')}`));
    if (facts.length > 6) lines.push(`- … ${count(facts.length - 6, 'more use')}`);
  }
  const fact = facts[0]!;
  if (fact.value.kind === 'tensor' && fact.value.node.layer) lines.push(`Produced by \`${layerCall(fact.value.node.layer)}\`, layer \`${fact.value.node.layer.id}\`.`);
  const row = analysis.facts.signalAt(fact);
  if (row) lines.push(`At initialization: ${signalText(row)}.`);
  return lines;
}

function instanceName(fact: Fact): string {
  const model = fact.model.decl?.name.name ?? 'model';
  return fact.path.length === 0 ? `in \`${model}\`` : `in \`${model}\` → \`${fact.path.join('` → `')}\``;
}

function outputTypes(facts: readonly Fact[]): string[] {
  const types = unique(facts.map((f) => typesOf(f.value).map(typeText).join(', ')));
  return types.length ? [`Output: ${types.join(' | ')}`] : [];
}

/** The layers a stage created (or applied) in each evaluation, with their arguments, weights and signal. */
function stageFacts(facts: readonly Fact[]): string[] {
  const layers = facts.flatMap((f) => (f.value.kind === 'tensor' && f.value.node.layer ? [{ fact: f, layer: f.value.node.layer }] : []));
  if (layers.length === 0) return facts.length ? outputTypes(facts) : [];
  const first = layers[0]!;
  const inputs = (l: { fact: Fact }) => (l.fact.value.kind === 'tensor' ? l.fact.value.node.inputs.map((i) => typeText(i.type)).join(', ') : '');
  const flow = (l: { fact: Fact }) => `${inputs(l)} → ${typesOf(l.fact.value).map(typeText).join(', ')}`;
  const lines: string[] = [];
  const distinct = new Set(layers.map((l) => l.layer));
  if (distinct.size === 1) {
    lines.push(`**${flow(first)}** · layer \`${first.layer.id}\`${layers.length > 1 ? `, applied ${count(layers.length, 'time')}` : ''}`);
  } else {
    const ids = [...distinct].map((l) => l.id);
    const flows = unique(layers.map(flow));
    lines.push(`${count(distinct.size, 'layer')} (\`${ids[0]}\` … \`${ids[ids.length - 1]}\`): **${flows.length === 1 ? flows[0] : flows.slice(0, 3).join(' | ')}**`);
  }
  lines.push(...layerDetails(first.layer));
  const rows = layers.map((l) => ({ layer: l.layer, row: l.fact.model.signal ? signalRow(l.fact) : undefined })).filter((r) => r.row);
  if (rows.length === 1) lines.push(`At initialization: ${signalText(rows[0]!.row!)}.`);
  else if (rows.length > 1) {
    const [a, b] = [rows[0]!.row!, rows[rows.length - 1]!.row!];
    lines.push(`At initialization: E[a²] from ${number(a.forward)} (first) to ${number(b.forward)} (last) forward, E[g²] from ${number(a.backward)} to ${number(b.backward)} backward.`);
  }
  return lines;
}

function signalRow(fact: Fact) {
  const model = fact.model;
  if (fact.value.kind !== 'tensor' || !model.signal || !model.idOf) return undefined;
  const id = model.idOf(fact.value.node);
  model.rows ??= new Map(model.signal.rows.map((r) => [r.node, r]));
  return id === undefined ? undefined : model.rows.get(id);
}

/** `dense(units=30, ...)`, its parameter count and each weight's initializer with its variance. */
function layerDetails(layer: LayerBuild): string[] {
  const weights = layer.weights ?? [];
  const lines = [code(layerCall(layer))];
  if (weights.length) lines.push(`${count(paramCount(weights), 'parameter')}:\n${weights.map((w) => `- ${weightLine(w)}`).join('\n')}`);
  return lines;
}

function describeModel(decl: Declaration, analysis: DocumentAnalysis): string {
  const facts = decl.kind === 'Model' ? analysis.facts.modelFacts(decl) : undefined;
  const ir = facts?.ir;
  if (!ir) return [code(`model ${decl.name.name}`), 'Has errors: fix them to see its inputs, outputs and parameters.'].join('\n\n');
  const ports = (label: string, list: typeof ir.inputs) => `${label}: ${list.map((p) => `\`${p.name}\` ${typeText(p.type)}`).join(', ')}`;
  const params = ir.layers.reduce((n, l) => n + l.paramCount, 0);
  return [code(`model ${decl.name.name}`), ports('Inputs', ir.inputs), ports('Outputs', ir.outputs), `${count(ir.layers.length, 'layer')}, ${count(params, 'parameter')}.`].join('\n\n');
}

function blockSignature(decl: BlockDecl): string {
  const params = decl.params.map((p) => (p.default ? `${p.name.name} = ${exprText(p.default)}` : p.name.name));
  return `block ${decl.name.name}(${params.join(', ')})`;
}

function describeBlock(decl: BlockDecl, stage: Expr | undefined, analysis: DocumentAnalysis): string {
  const scope = analysis.symbols.scopes.get(decl)!;
  const inputs = [...scope.inputs.keys()];
  const outputs = decl.body.flatMap((s) => (s.kind === 'Output' ? [s.name.name] : []));
  const lines = [code(blockSignature(decl)), `Inputs: ${inputs.map((n) => `\`${n}\``).join(', ') || 'none'} · outputs: ${outputs.map((n) => `\`${n}\``).join(', ') || 'none'}`];
  // Uses that bind the same arguments to the same shapes (a `repeat` of the block) read as one line.
  const groups = new Map<string, string[]>();
  for (const use of stage ? analysis.facts.blockUses(stage) : []) {
    const bindings = [...use.bindings].map(([name, expr]) => `${name}=${exprText(expr)}`).join(', ');
    const from = use.inputs.map((v) => typesOf(v).map(typeText).join(', ')).join(', ');
    const to = use.output ? typesOf(use.output).map(typeText).join(', ') : 'failed';
    const key = `${bindings ? ` with ${bindings}` : ''}: **${from} → ${to}**`;
    groups.set(key, [...(groups.get(key) ?? []), use.path.join('/')]);
  }
  for (const [key, paths] of [...groups].slice(0, 4)) {
    const names = paths.length === 1 ? `Instance \`${paths[0]}\`` : `${paths.length} instances (\`${paths[0]}\` … \`${paths[paths.length - 1]}\`)`;
    lines.push(`${names}${key}`);
  }
  return lines.join('\n\n');
}

function describeParameter(symbol: NnSymbol, occurrence: Occurrence, analysis: DocumentAnalysis): string {
  const decl = symbol.owner as BlockDecl;
  const param = decl.params.find((p) => p.name === symbol.id) ?? decl.params.find((p) => p.name.name === symbol.name);
  const lines = [code(`${symbol.name}${param?.default ? ` = ${exprText(param.default)}` : ''}`), `Parameter of \`${blockSignature(decl)}\`: it stands for the argument as written at each use.`];
  const values = unique(analysis.facts.allBlockUses(decl).map((u) => u.bindings.get(symbol.name)).flatMap((e) => (e ? [exprText(e)] : [])));
  if (values.length) lines.push(`Bound to ${values.slice(0, 6).map((v) => `\`${v}\``).join(', ')}${values.length > 6 ? ', …' : ''}.`);
  if (occurrence.expr) lines.push(...stageFacts(analysis.facts.stageFacts(occurrence.expr)));
  return lines.join('\n\n');
}

