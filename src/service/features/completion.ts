import type { Declaration } from '../../parse/ast.js';
import type { OpDef, ParamSpec, ParamType } from '../../registry/op.js';
import { registry } from '../../registry/registry.js';
import { earlyStoppingKeys, trainSettingDefs } from '../../registry/train-settings.js';
import { logNames } from '../../train/log-names.js';
import type { DocumentAnalysis } from '../analysis/analyze.js';
import { typesOf } from '../analysis/facts.js';
import type { BodyScope } from '../analysis/symbols.js';
import type { CompletionItem, CompletionKind, Range } from '../types.js';
import { cursorAt, type CallSite, type CursorContext } from './cursor-context.js';
import { opDoc, paramDoc, paramTypeText, signature, typeText } from './describe.js';

type Item = Omit<CompletionItem, 'range'>;

/**
 * What may be typed at the cursor, from the registry and the file: ops, blocks and shared
 * layers after `->`; tensors in scope where a tensor goes; the arguments of the op, block,
 * activation, initializer or optimizer being called, and the values their types take;
 * training settings and their values. An op added to the registry shows up here unchanged.
 */
export function completions(analysis: DocumentAnalysis, offset: number): CompletionItem[] {
  const cursor = cursorAt(analysis, offset);
  const range: Range = analysis.lines.range(cursor.start, cursor.end);
  const items = itemsFor(cursor.context, analysis);
  return (cursor.quoted ? items.filter(isWord) : items).map((item, i) => ({ ...item, range, sortText: item.sortText ?? String(i).padStart(4, '0') }));
}

/** Inside quotes only a fixed word fits (`"relu"`, `"same"`, `"mse"`): no tensor, no call snippet, no `true`. */
const wordKinds = new Set<CompletionKind>(['activation', 'initializer', 'loss', 'optimizer', 'metric', 'value']);
function isWord(item: Item): boolean {
  return wordKinds.has(item.kind) && !item.snippet && /^[A-Za-z_][A-Za-z0-9_]*$/.test(item.insertText) && item.insertText !== 'true' && item.insertText !== 'false';
}

function itemsFor(context: CursorContext, analysis: DocumentAnalysis): Item[] {
  const scope = 'decl' in context && context.decl ? analysis.symbols.scopes.get(context.decl) : undefined;
  switch (context.kind) {
    case 'top':
      return [
        snippet('model', 'keyword', 'model ${1:Name} {\n\tinput ${2:x}: [${3:4}]\n\toutput ${4:y} = ${2:x} -> ${0:dense(1)}\n}', 'A model: inputs, a graph of layers, outputs, training.'),
        snippet('block', 'keyword', 'block ${1:Name}(${2:units}) {\n\tinput ${3:x}\n\toutput ${4:y} = ${3:x} -> ${0:dense(units)}\n}', 'A reusable piece of graph with parameters.'),
      ];
    case 'statement':
      return statementItems(context.decl);
    case 'tensor':
      return [...tensorItems(scope, analysis), ...opItems(registry.allOps().filter((op) => op.tensorArgs))];
    case 'stage':
      return stageItems(scope, analysis, context.opOnly);
    case 'argument':
      return argumentItems(context.call, scope, analysis);
    case 'setting':
      return trainSettingDefs
        .filter((s) => !context.given.includes(s.name))
        .map((s) => snippet(s.name, 'setting', `${s.name} = $0`, `${s.value}. ${s.doc} Default: ${s.default}.`));
    case 'settingValue':
      return settingValueItems(context.setting);
    case 'dictKey':
      return dictKeyItems(context.setting, scope);
    case 'dictValue':
      return dictValueItems(context.setting, context.key, context.decl, analysis);
    case 'listItem':
      return context.setting === 'metrics' ? metricItems() : [];
    case 'none':
      return [];
  }
}

function plain(label: string, kind: CompletionKind, documentation?: string, detail?: string): Item {
  return { label, kind, insertText: label, ...(documentation ? { documentation } : {}), ...(detail ? { detail } : {}) };
}

function snippet(label: string, kind: CompletionKind, insertText: string, documentation?: string, detail?: string): Item {
  return { label, kind, insertText, snippet: true, ...(documentation ? { documentation } : {}), ...(detail ? { detail } : {}) };
}

function statementItems(decl: Declaration | undefined): Item[] {
  const items = [
    snippet('input', 'keyword', decl?.kind === 'Block' ? 'input ${0:x}' : 'input ${1:x}: [${0:4}]', 'Declares an input: `input x: [28, 28, 1]` (blocks may leave the shape out).'),
    snippet('output', 'keyword', 'output ${1:y} = $0', 'Declares an output: `output y = h -> dense(1)`, or `output h` for a defined tensor.'),
    snippet('layer', 'keyword', 'layer ${1:name} = $0', 'A shared layer: one set of weights applied wherever `-> name` appears.'),
  ];
  if (decl?.kind !== 'Block') items.push(snippet('train', 'keyword', 'train {\n\tloss = ${1:mse}\n\toptimizer = ${2:adam}\n}', 'Training settings: loss, optimizer, metrics, epochs...'));
  return items;
}

function tensorItems(scope: BodyScope | undefined, analysis: DocumentAnalysis): Item[] {
  if (!scope) return [];
  const symbols = [...scope.inputs.values(), ...scope.tensors.values()];
  return symbols.map((symbol) => {
    // Types when the check has run; completion does not wait for it.
    const facts = analysis.factsIfChecked()?.definitionFacts(symbol.id) ?? [];
    const types = [...new Set(facts.map((f) => typesOf(f.value).map(typeText).join(', ')))];
    return plain(symbol.name, 'tensor', undefined, types.length ? `${symbol.kind} ${types.join(' | ')}` : symbol.kind);
  });
}

/** An op as completion inserts it: `dense($1)` when it needs arguments, `relu` when it needs none. */
function opItem(op: OpDef): Item {
  const required = op.params.filter((p) => p.default === undefined);
  const documentation = opDoc(op);
  const detail = op.params.length ? signature(op.name, op.params) : `${op.name} (${op.category})`;
  if (required.length === 0 && !op.tensorArgs) return plain(op.name, 'op', documentation, detail);
  return snippet(op.name, 'op', `${op.name}($1)`, documentation, detail);
}

/** Layers before the activations, which are also arguments; merges last, since they read tensors. */
const categoryOrder: readonly OpDef['category'][] = ['core', 'convolution', 'pooling', 'normalization', 'regularization', 'reshaping', 'embedding', 'activation', 'merge'];

function opItems(ops: readonly OpDef[]): Item[] {
  const rank = (op: OpDef) => categoryOrder.indexOf(op.category);
  return [...ops].sort((a, b) => rank(a) - rank(b)).map(opItem);
}

function stageItems(scope: BodyScope | undefined, analysis: DocumentAnalysis, opOnly: boolean): Item[] {
  const ops = opItems(registry.allOps());
  if (opOnly) return ops;
  const items: Item[] = [];
  for (const symbol of scope?.layers.values() ?? []) items.push(plain(symbol.name, 'layer', 'A shared layer of this body.', 'layer'));
  for (const symbol of scope?.params.values() ?? []) items.push(plain(symbol.name, 'parameter', 'A parameter of this block: it stands for the argument as written at the use.', 'parameter'));
  for (const [name, decl] of analysis.symbols.blocks) {
    const params = decl.params.map((p) => p.name.name).join(', ');
    const needs = decl.params.some((p) => !p.default);
    items.push(needs ? snippet(name, 'block', `${name}($1)`, undefined, `block ${name}(${params})`) : plain(name, 'block', undefined, `block ${name}(${params})`));
  }
  items.push(snippet('repeat', 'op', 'repeat(${1:3}, $0)', '`repeat(N, LAYER)`: N copies of the layer in sequence, each with its own weights.', 'repeat(count, layer)'));
  return [...items, ...ops];
}

function argumentItems(call: CallSite, scope: BodyScope | undefined, analysis: DocumentAnalysis): Item[] {
  const params = paramsOf(call, analysis);
  const op = registry.op(call.callee);
  if (call.callee === 'repeat' && !scope?.layers.has('repeat')) return call.positional === 1 && !call.keyword ? stageItems(scope, analysis, false) : [];
  const blockParams = [...(scope?.params.values() ?? [])].map((p) => plain(p.name, 'parameter', 'A parameter of this block.'));
  if (call.keyword) {
    const param = params?.find((p) => p.name === call.keyword);
    return [...(param ? valueItems(param.type) : []), ...blockParams];
  }
  const items: Item[] = [];
  if (op?.tensorArgs && !call.inStage && call.keywords.length === 0) items.push(...tensorItems(scope, analysis));
  const block = analysis.symbols.blocks.get(call.callee);
  if (block) {
    for (const param of block.params) if (!call.keywords.includes(param.name.name)) items.push(snippet(`${param.name.name}=`, 'argument', `${param.name.name}=$0`, `Parameter of \`${block.name.name}\`${param.default ? ', optional' : ''}.`));
    return [...items, ...blockParams];
  }
  if (!params) return items;
  const positional = op?.tensorArgs && !call.inStage ? undefined : params[call.positional];
  if (positional && call.keywords.length === 0) items.push(...valueItems(positional.type));
  const given = new Set(call.keywords);
  for (let i = 0; i < call.positional && !(op?.tensorArgs && !call.inStage); i++) if (params[i]) given.add(params[i]!.name);
  for (const param of params) {
    if (!given.has(param.name)) items.push(snippet(`${param.name}=`, 'argument', `${param.name}=$0`, paramDoc(param), paramTypeText(param.type)));
  }
  return [...items, ...blockParams];
}

/** The parameter list of the callee: an op, an activation, an initializer, or in `train`, an optimizer. */
export function paramsOf(call: CallSite, analysis: DocumentAnalysis): readonly ParamSpec[] | undefined {
  if (call.setting === 'optimizer') return registry.optimizer(call.callee)?.params;
  if (analysis.symbols.blocks.has(call.callee)) return undefined;
  return registry.op(call.callee)?.params ?? registry.activation(call.callee)?.params ?? registry.initializer(call.callee)?.params;
}

function valueItems(type: ParamType): Item[] {
  switch (type.kind) {
    case 'activation':
      return registry.activationNames().map((name) => {
        const def = registry.activation(name)!;
        return plain(name, 'activation', def.doc, signature(def.name, def.params));
      });
    case 'init':
      return [
        plain('auto', 'initializer', 'The scheme that keeps the variance of the layer\'s activation.'),
        ...registry.initializerNames().map((name) => {
          const def = registry.initializer(name)!;
          return plain(name, 'initializer', `${def.formula}. ${def.doc}`, signature(def.name, def.params));
        }),
      ];
    case 'enum':
      return type.values.map((v) => plain(v, 'value'));
    case 'bool':
      return [plain('true', 'value'), plain('false', 'value')];
    default:
      return [];
  }
}

function metricItems(): Item[] {
  return registry.allMetrics().map((m) => plain(m.name, 'metric', m.doc));
}

function settingValueItems(setting: string): Item[] {
  switch (setting) {
    case 'loss':
      return registry.allLosses().map((l) => plain(l.name, 'loss', l.doc));
    case 'optimizer':
      return registry.allOptimizers().map((o) => plain(o.name, 'optimizer', o.doc, signature(o.name, o.params)));
    case 'metrics':
      return metricItems().map((m) => ({ ...m, insertText: `[${m.label}]` }));
    case 'shuffle':
      return valueItems({ kind: 'bool' });
    case 'early_stopping':
      return [snippet('{ monitor, patience }', 'value', '{ monitor: ${1:val_loss}, patience: ${2:5} }', trainSettingDefs.find((s) => s.name === 'early_stopping')!.doc)];
    default:
      return [];
  }
}

function dictKeyItems(setting: string, scope: BodyScope | undefined): Item[] {
  const outputs = scope ? scope.decl.body.flatMap((s) => (s.kind === 'Output' ? [s.name.name] : [])) : [];
  switch (setting) {
    case 'loss':
    case 'loss_weights':
    case 'metrics':
      return outputs.map((name) => snippet(name, 'output', `${name}: $0`, undefined, 'output'));
    case 'columns':
      return [...(scope?.inputs.keys() ?? []), ...outputs].map((name) => snippet(name, 'tensor', `${name}: "$0"`));
    case 'early_stopping':
      return earlyStoppingKeys.map((k) => snippet(k.name, 'setting', `${k.name}: \${0:${k.example}}`, k.doc));
    default:
      return [];
  }
}

function dictValueItems(setting: string, key: string, decl: Declaration | undefined, analysis: DocumentAnalysis): Item[] {
  if (setting === 'loss') return settingValueItems('loss');
  if (setting === 'metrics') return settingValueItems('metrics');
  if (setting !== 'early_stopping') return [];
  if (key === 'restore_best') return valueItems({ kind: 'bool' });
  if (key !== 'monitor') return [];
  // The run's log names, which `monitor` must be one of, as the checker computes them.
  const ir = decl?.kind === 'Model' ? analysis.facts.modelFacts(decl)?.ir : undefined;
  const names = ir?.train ? logNames(ir.outputs.map((o) => o.name), ir.train) : ['loss'];
  return names.flatMap((name) => [plain(`val_${name}`, 'value'), plain(name, 'value')]);
}
