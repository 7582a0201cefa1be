import type { IRLayer, TensorType } from '../../ir/ir.js';
import type { TfjsEmitContext } from '../../registry/op.js';
import { registry } from '../../registry/registry.js';
import { initializerCall, type BuildHelper } from './build-helpers.js';
import { stringLiteral } from './literals.js';
import { tfjsName, type UniqueNames } from './names.js';
import type { RuntimeName } from './runtime.js';

/** What the lowering of every layer of one module shares. */
export interface ModuleEmitState {
  /** Every tfjs layer and tensor name of the model, so that extra layers' names stay unique. */
  readonly tfjsNames: UniqueNames;
  readonly runtimes: Set<RuntimeName>;
  /** Set once some initializer draws from `seedAt(k)`. */
  usesSeed: boolean;
  /** The local helpers `buildModel` must declare. */
  readonly helpers: Set<BuildHelper>;
}

/** The JS expression giving weight `k` its seed: `seed + k`, or undefined when unseeded. */
export const seedExpression = (k: number): string => `seedAt(${k})`;

/** Where one layer sits in the model. */
export interface LayerSite {
  /** The layer's tfjs name. */
  name: string;
  /** The input types of its first application. */
  inputs: readonly TensorType[];
  /** The model-wide index of its first weight: weight k of the model draws with seed `seed + k`. */
  firstWeight: number;
}

/** The context one layer's `emitTfjs` receives. */
export function layerEmitContext(layer: IRLayer, site: LayerSite, state: ModuleEmitState): TfjsEmitContext {
  const { name, firstWeight } = site;
  const subNames = new Map<string, string>();
  return {
    name: stringLiteral(name),
    inputs: site.inputs,
    subName(suffix) {
      // One name per suffix: an op asking twice for `act` means the same extra layer.
      let literal = subNames.get(suffix);
      if (literal === undefined) {
        literal = stringLiteral(state.tfjsNames.claim(tfjsName(`${name}/${suffix}`)));
        subNames.set(suffix, literal);
      }
      return literal;
    },
    initializer(weight) {
      const def = registry.initializer(weight.init.name);
      if (!def) throw new Error(`internal: unknown initializer \`${weight.init.name}\` in layer ${layer.id}`);
      const index = layer.weights.indexOf(weight);
      const k = firstWeight + (index >= 0 ? index : layer.weights.findIndex((w) => w.name === weight.name));
      if (k < firstWeight) throw new Error(`internal: weight \`${weight.name}\` does not belong to layer ${layer.id}`);
      const seed = seedExpression(k);
      const expression = def.emitTfjs(weight.init, weight, seed);
      if (expression.includes(seed)) state.usesSeed = true;
      return initializerCall(expression, (helper) => state.helpers.add(helper));
    },
    activation(spec, nameLiteral) {
      const def = registry.activation(spec.name);
      if (!def) throw new Error(`internal: unknown activation \`${spec.name}\` in layer ${layer.id}`);
      const known = def.tfjsName(spec);
      return known !== undefined ? { inline: stringLiteral(known) } : { layer: def.tfjsLayer(spec, nameLiteral) };
    },
    useRuntime(runtime) {
      state.runtimes.add(runtime);
      return runtime;
    },
  };
}
