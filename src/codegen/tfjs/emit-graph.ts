import type { IRApplyNode, IRLayer, IRModel, IRNode, TensorType } from '../../ir/ir.js';
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
  statements: string[];
  /** The tfjs names of the model's outputs, in order: `model.outputNames`. */
  outputNames: string[];
  state: ModuleEmitState;
}

/**
 * Lowers the graph to the tfjs Functional API: one `tf.input` per input, every layer created
 * once (a shared layer is one object applied at each use), one `apply` per node in the IR's
 * topological order, and an identity layer where an output's tensor cannot carry its name.
 */
export function emitGraph(model: IRModel): GraphCode {
  const state: ModuleEmitState = { tfjsNames: new UniqueNames(), runtimes: new Set(), usesSeed: false, helpers: new Set() };
  const idents = new UniqueNames();
  const tensors = new Map<string, string>();

  const inputIdents = model.inputs.map((port) => {
    const ident = idents.claim(jsIdentifier('t_', port.name));
    tensors.set(port.node, ident);
    return ident;
  });
  const inputs = model.inputs.map((port, i) => {
    const name = stringLiteral(state.tfjsNames.claim(tfjsName(port.name)));
    return `const ${inputIdents[i]} = tf.input({ shape: ${shapeLiteral(port.type.shape)}, name: ${name}, dtype: ${stringLiteral(port.type.dtype)} });`;
  });

  const plan = planOutputNames(model, new Map<string, IRNode>(model.nodes.map((n) => [n.id, n])), state.tfjsNames);
  const factories = new Set<string>();
  const { layers, layerCode } = emitLayers(model, plan, state, idents, factories);

  const applies: string[] = [];
  const layersById = new Map<string, IRLayer>(model.layers.map((l) => [l.id, l]));
  for (const node of model.nodes) {
    if (node.kind !== 'apply') continue;
    const code = layerCode.get(node.layer);
    const layer = layersById.get(node.layer);
    if (!code || !layer) throw new Error(`internal: node ${node.id} applies unknown layer ${node.layer}`);
    const ident = idents.claim(jsIdentifier('t_', tensorBase(node, layer)));
    applies.push(`const ${ident} = ${applyChain(code.idents, argument(node, code.op, tensors))};`);
    tensors.set(node.id, ident);
  }

  const identityLayers: string[] = [];
  const outputTensors = model.outputs.map((port, i) => {
    const tensor = tensorOf(port.node, tensors);
    if (plan.carried(i)) return tensor;
    const layer = idents.claim(jsIdentifier('l_', `output_${port.name}`));
    const ident = idents.claim(jsIdentifier('t_', `output_${port.name}`));
    const identity = `tf.layers.activation({ activation: 'linear', name: ${stringLiteral(plan.outputNames[i]!)} })`;
    identityLayers.push(`const ${layer} = ${localFactoryCall(identity, factories)};`);
    applies.push(`const ${ident} = ${applyChain([layer], tensor)};`);
    return ident;
  });
  if (identityLayers.length > 0) {
    identityLayers.unshift('// Identity layers giving outputs their names (tfjs names an output after the layer producing it).');
  }

  if (applies.length > 0) state.helpers.add('apply');
  const statements = [
    ...inputs,
    '',
    '// Each layer is created once: a shared layer is one object applied at every use.',
    ...factoryDeclaration(factories),
    ...layers,
    ...identityLayers,
    '',
    '// The graph, in dependency order.',
    ...applies,
    '',
    `return tf.model({ inputs: [${inputIdents.join(', ')}], outputs: [${outputTensors.join(', ')}], name: ${stringLiteral(tfjsName(model.name))} });`,
  ];
  return { statements, outputNames: plan.outputNames, state };
}

/** One `const l_... = <tfjs layer>` per emitted expression of every applied layer, in the IR's layer order. */
function emitLayers(model: IRModel, plan: OutputPlan, state: ModuleEmitState, idents: UniqueNames, factories: Set<string>) {
  const layerCode = new Map<string, { op: OpDef; idents: string[] }>();
  const layers: string[] = [];
  const inputTypes = firstInputTypes(model);
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
    const names = exprs.map((_, i) => idents.claim(jsIdentifier('l_', i === 0 ? layer.id : `${layer.id}_${i + 1}`)));
    exprs.forEach((expr, i) => layers.push(`const ${names[i]} = ${localFactoryCall(withoutDefaults(expr), factories)};`));
    layerCode.set(layer.id, { op, idents: names });
  }
  return { layers, layerCode };
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

/** Names at the top level of the model read best (`t_hidden`); inside blocks the full path is unique. */
function tensorBase(node: IRApplyNode, layer: IRLayer): string {
  return layer.scope.length === 0 && node.name !== undefined ? node.name : node.id;
}

function tensorOf(nodeId: string, tensors: ReadonlyMap<string, string>): string {
  const ident = tensors.get(nodeId);
  if (ident === undefined) throw new Error(`internal: node ${nodeId} is used before it is defined`);
  return ident;
}

/** Merge layers take an array of tensors; every other layer one tensor. */
function argument(node: IRApplyNode, op: OpDef, tensors: ReadonlyMap<string, string>): string {
  const args = node.inputs.map((id) => tensorOf(id, tensors));
  return op.arity.max > 1 || args.length > 1 ? `[${args.join(', ')}]` : args[0]!;
}

/** `apply(l_b, apply(l_a, x))`: the first layer takes the node's inputs, the rest chain. */
function applyChain(layers: readonly string[], input: string): string {
  return layers.reduce((inner, layer) => `apply(${layer}, ${inner})`, input);
}
