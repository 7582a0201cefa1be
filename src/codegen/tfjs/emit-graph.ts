import type { IRApplyNode, IRLayer, IRModel, IRNode, TensorType } from '../../ir/ir.js';
import { partitionGraph, type PartitionSizes } from '../../ir/partition.js';
import type { OpDef } from '../../registry/op.js';
import { registry } from '../../registry/registry.js';
import { layerEmitContext, type LayerSite, type ModuleEmitState } from './emit-context.js';
import { withoutDefaults } from './layer-defaults.js';
import { factoryDeclaration, localFactoryCall } from './layer-factories.js';
import { shapeLiteral, stringLiteral } from './literals.js';
import { jsIdentifier, tfjsName, UniqueNames } from './names.js';
import { planOutputNames, type OutputPlan } from './plan-outputs.js';

/** The body of `buildModel` and what the rest of the module needs to know about it. */
export interface GraphCode {
  /** Statements before the tables: the layer factories, then the layers applied more than once. */
  declarations: string[];
  /** One line per row of the graph table, in build order: `['h', dense({ ... }), 'x'],`. */
  rows: string[];
  /** One line per part of a graph built in parts; empty when the model is built in one piece. */
  parts: string[];
  /** Whether some tensor feeds one layer more than once (and goes through a copy). */
  copies: boolean;
  /** The `tf.input(...)` of each input, in order. */
  inputs: string[];
  /** The row names of the outputs, in order. */
  outputKeys: string[];
  /** The tfjs names of the model's outputs, in order: `model.outputNames`. */
  outputNames: string[];
  state: ModuleEmitState;
}

interface Row {
  key: string;
  layers: string;
  input: string;
  reads: string[];
}

/**
 * Lowers the graph to a table for the generated `connect`: one row per tensor, naming the
 * layer computing it and its inputs, in the IR's topological order. Each layer is created
 * once (a shared layer is one object, declared before the table, that several rows apply); an
 * identity layer carries an output's name where its tensor cannot. tfjs's executor counts the
 * layers reading a tensor but releases it once per input it fills, so a tensor read twice by
 * one layer (`add(h, h)`) would be disposed while other layers still need it: the second read
 * goes through a linear copy. Large graphs are built in parts (src/ir/partition.ts).
 */
export function emitGraph(model: IRModel, sizes?: PartitionSizes): GraphCode {
  const state: ModuleEmitState = { tfjsNames: new UniqueNames(), runtimes: new Set(), usesSeed: false, helpers: new Set() };
  const keys = new UniqueNames();
  const tensors = new Map<string, string>();

  const inputs = model.inputs.map((port) => {
    const name = state.tfjsNames.claim(tfjsName(port.name));
    tensors.set(port.node, keys.claim(name));
    return `tf.input({ shape: ${shapeLiteral(port.type.shape)}, name: ${stringLiteral(name)}, dtype: ${stringLiteral(port.type.dtype)} })`;
  });

  const plan = planOutputNames(model, new Map<string, IRNode>(model.nodes.map((n) => [n.id, n])), state.tfjsNames);
  const factories = new Set<string>();
  const idents = new UniqueNames();
  const { layerCode, shared } = emitLayers(model, plan, state, idents, factories);
  const layersById = new Map<string, IRLayer>(model.layers.map((l) => [l.id, l]));

  // Names are claimed in the IR's order, whatever order the rows are built in.
  const rowsOf = new Map<number, Row[]>();
  let copies = false;
  model.nodes.forEach((node, index) => {
    if (node.kind !== 'apply') return;
    const code = layerCode.get(node.layer);
    const layer = layersById.get(node.layer);
    if (!code || !layer) throw new Error(`internal: node ${node.id} applies unknown layer ${node.layer}`);
    const key = keys.claim(tensorBase(node, layer));
    const rows: Row[] = [];
    const seen = new Set<string>();
    const args = node.inputs.map((id, i) => {
      const source = tensorOf(id, tensors);
      if (!seen.has(id)) {
        seen.add(id);
        return source;
      }
      const copy = keys.claim(`${key}/input_${i + 1}`);
      const name = state.tfjsNames.claim(tfjsName(`${plan.layerName(layer.id)}/input_${i + 1}`));
      const identity = `tf.layers.activation({ activation: 'linear', name: ${stringLiteral(name)} })`;
      rows.push({ key: copy, layers: localFactoryCall(identity, factories), input: stringLiteral(source), reads: [source] });
      copies = true;
      return copy;
    });
    const merge = code.op.arity.max > 1 || args.length > 1;
    rows.push({
      key,
      layers: code.exprs.length === 1 ? code.exprs[0]! : `[${code.exprs.join(', ')}]`,
      input: merge ? `[${args.map(stringLiteral).join(', ')}]` : stringLiteral(args[0]!),
      reads: args,
    });
    rowsOf.set(index, rows);
    tensors.set(node.id, key);
  });

  const identities: Row[] = [];
  const outputKeys = model.outputs.map((port, i) => {
    const tensor = tensorOf(port.node, tensors);
    if (plan.carried(i)) return tensor;
    const key = keys.claim(`output_${port.name}`);
    const identity = `tf.layers.activation({ activation: 'linear', name: ${stringLiteral(plan.outputNames[i]!)} })`;
    identities.push({ key, layers: localFactoryCall(identity, factories), input: stringLiteral(tensor), reads: [tensor] });
    return key;
  });

  const partition = partitionGraph(model, sizes);
  const order = partition?.order ?? [...rowsOf.keys()];
  const rows: Row[] = [];
  const firstRow = order.map((index) => {
    const start = rows.length;
    for (const row of rowsOf.get(index)!) rows.push(row);
    return start;
  });
  firstRow.push(rows.length);
  for (const row of identities) rows.push(row);
  const parts = partition ? emitParts(partition.parts.map(({ from, to }) => ({ from: firstRow[from]!, to: firstRow[to]! })), rows, outputKeys, state) : [];

  return {
    declarations: [...factoryDeclaration(factories), ...shared],
    rows: rows.map((row) => `[${stringLiteral(row.key)}, ${row.layers}, ${row.input}],`),
    parts,
    copies,
    inputs,
    outputKeys,
    outputNames: plan.outputNames,
    state,
  };
}

/**
 * The parts table: each part's name, its rows `[from, to)`, the tensors it reads from before it
 * and those it makes that are read after it, in the order they are made.
 */
function emitParts(ranges: Array<{ from: number; to: number }>, rows: readonly Row[], outputKeys: readonly string[], state: ModuleEmitState): string[] {
  const partOf = new Int32Array(rows.length).fill(-1);
  ranges.forEach(({ from, to }, p) => partOf.fill(p, from, to));
  const madeIn = new Map<string, number>();
  rows.forEach((row, r) => madeIn.set(row.key, partOf[r]!));
  const ins = ranges.map(() => new Set<string>());
  const outs = new Set<string>();
  const read = (key: string, by: number) => {
    const made = madeIn.get(key) ?? -1;
    if (made === by) return;
    if (made >= 0) outs.add(key);
    if (by >= 0) ins[by]!.add(key);
  };
  rows.forEach((row, r) => row.reads.forEach((key) => read(key, partOf[r]!)));
  outputKeys.forEach((key) => read(key, -1));
  const base = state.tfjsNames.claimScope('part');
  return ranges.map(({ from, to }, p) => {
    const made = rows.slice(from, to).filter((row) => outs.has(row.key)).map((row) => stringLiteral(row.key));
    const name = stringLiteral(`${base}/${p + 1}`);
    return `[${name}, ${from}, ${to}, [${[...ins[p]!].map(stringLiteral).join(', ')}], [${made.join(', ')}]],`;
  });
}

/**
 * Every applied layer's tfjs expressions, in the IR's layer order (which fixes the names of
 * extra layers). A layer applied more than once is declared as `const l_... = <layer>;`.
 */
function emitLayers(model: IRModel, plan: OutputPlan, state: ModuleEmitState, idents: UniqueNames, factories: Set<string>) {
  const layerCode = new Map<string, { op: OpDef; exprs: string[] }>();
  const shared: string[] = [];
  const inputTypes = firstInputTypes(model);
  const applications = new Map<string, number>();
  for (const node of model.nodes) if (node.kind === 'apply') applications.set(node.layer, (applications.get(node.layer) ?? 0) + 1);
  let firstWeight = 0;
  for (const layer of model.layers) {
    const weightsBefore = firstWeight;
    firstWeight += layer.weights.length;
    if (!plan.applied.has(layer.id)) continue;
    const op = registry.op(layer.op);
    if (!op) throw new Error(`internal: unknown op \`${layer.op}\` in layer ${layer.id}`);
    const emit = () => {
      const site: LayerSite = { name: plan.layerName(layer.id), inputs: inputTypes.get(layer.id) ?? [], firstWeight: weightsBefore };
      return op.emitTfjs(layer, layerEmitContext(layer, site, state));
    };
    let exprs = emit();
    if (exprs.length !== 1 && plan.carriesOutput(layer.id)) {
      // The last of several tfjs layers has a derived name, so the output's name moves to an identity layer.
      plan.releaseOutput(layer.id);
      exprs = emit();
    }
    if (exprs.length === 0) throw new Error(`internal: op \`${layer.op}\` emitted no tfjs layer for ${layer.id}`);
    exprs = exprs.map((expr) => localFactoryCall(withoutDefaults(expr), factories));
    if (applications.get(layer.id)! > 1) {
      exprs = exprs.map((expr, i) => {
        const ident = idents.claim(jsIdentifier('l_', i === 0 ? layer.id : `${layer.id}_${i + 1}`));
        shared.push(`const ${ident} = ${expr};`);
        return ident;
      });
    }
    layerCode.set(layer.id, { op, exprs });
  }
  return { layerCode, shared };
}

/** The input types of each layer's first application. */
function firstInputTypes(model: IRModel): Map<string, TensorType[]> {
  const types = new Map<string, TensorType>(model.nodes.map((n) => [n.id, n.type]));
  const result = new Map<string, TensorType[]>();
  for (const node of model.nodes) {
    if (node.kind === 'apply' && !result.has(node.layer)) result.set(node.layer, node.inputs.map((id) => types.get(id)!));
  }
  return result;
}

/** Names at the top level of the model read best (`hidden`); inside blocks the full path is unique. */
function tensorBase(node: IRApplyNode, layer: IRLayer): string {
  return layer.scope.length === 0 && node.name !== undefined ? node.name : node.id;
}

function tensorOf(nodeId: string, tensors: ReadonlyMap<string, string>): string {
  const key = tensors.get(nodeId);
  if (key === undefined) throw new Error(`internal: node ${nodeId} is used before it is defined`);
  return key;
}
