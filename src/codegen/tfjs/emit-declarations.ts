import type { IRModel, IRPort, IRProgram } from '../../ir/ir.js';
import { logNames, ownMetrics } from '../../train/log-names.js';
import { commentText, numberLiteral, stringLiteral } from './literals.js';
import { outputLosses } from './output-losses.js';
import { propertyKey } from './emit-types.js';

/** tfjs names tensor types by rank up to 6; beyond that a tensor is just `tf.Tensor`. */
function tensorType(rank: number): string {
  return rank >= 1 && rank <= 6 ? `tf.Tensor${rank}D` : 'tf.Tensor';
}

const dimText = (d: number | null) => (d === null ? '?' : String(d));

/** `[batch, 5] float32`: the static dimensions, which a type cannot carry, in the doc comment. */
function shapeDoc(shape: readonly (number | null)[], dtype: string, note = ''): string {
  return `/** [batch, ${shape.map(dimText).join(', ')}], ${dtype}${note} */`;
}

function members(ports: readonly IRPort[], rankOf: (port: IRPort) => number, note: (port: IRPort) => string = () => ''): string {
  return ports.map((port) => `${shapeDoc(port.type.shape, port.type.dtype, note(port))}\n${propertyKey(port.name)}: ${tensorType(rankOf(port))};`).join('\n');
}

function specTuple(ports: readonly IRPort[]): string {
  const specs = ports.map((p) => `{ name: ${stringLiteral(p.name)}; shape: [null${p.type.shape.map((d) => `, ${d === null ? 'null' : numberLiteral(d)}`).join('')}]; dtype: ${stringLiteral(p.type.dtype)} }`);
  return `[${specs.join(', ')}]`;
}

/** The `train { }` block as a literal type, the same values the module's `trainingConfig` holds. */
function trainingConfigType(model: IRModel): string {
  const train = model.train;
  if (!train) return 'null';
  const losses = outputLosses(model, train).map(({ loss }, i) => `{ output: ${stringLiteral(model.outputs[i]!.name)}; loss: ${stringLiteral(loss.name)}; weight: ${numberLiteral(loss.weight)} }`);
  const params = Object.entries(train.optimizer.params).map(([k, v]) => `${propertyKey(k)}: ${numberLiteral(v)}`);
  const metrics = model.outputs.map((o) => `${propertyKey(o.name)}: [${ownMetrics(train.metrics, o.name).map(stringLiteral).join(', ')}]`);
  const logs = logNames(model.outputs.map((o) => o.name), train).map(stringLiteral);
  return `{
    losses: [${losses.join(', ')}];
    optimizer: { name: ${stringLiteral(train.optimizer.name)}; params: { ${params.join('; ')} } };
    metrics: { ${metrics.join('; ')} };
    logs: [${logs.join(', ')}];
    epochs: ${numberLiteral(train.epochs)};
    batchSize: ${numberLiteral(train.batchSize)};
    validationSplit: ${numberLiteral(train.validationSplit)};
    shuffle: ${train.shuffle};
    seed: ${train.seed === null ? 'null' : numberLiteral(train.seed)};
  }`;
}

/**
 * The declarations of one model's module, as statements: `export declare` at the top of a file,
 * `export` inside a namespace (a file of several models declares one namespace per model).
 */
function modelDeclarations(model: IRModel, value: string): string[] {
  const sparse = new Set(model.train ? outputLosses(model, model.train).flatMap((l) => (l.oneHot ? [l.output] : [])) : []);
  const rank = (port: IRPort) => port.type.shape.length + 1;
  const targetRank = (port: IRPort) => rank(port) - (sparse.has(port.name) ? 1 : 0);
  const sparseNote = (port: IRPort) => (sparse.has(port.name) ? '; as a target, class ids: one fewer dimension' : '');
  const trainDoc = model.train ? 'Compiles the model and fits it with the `train { }` settings.' : 'Throws: the model has no `train { }` block.';
  return [
    `/** A model input or output: its name in the .nn source, its shape (batch first, null where unknown) and dtype. */
    export interface TensorSpec { name: string; shape: (number | null)[]; dtype: 'float32' | 'int32' }`,
    `/** The model's inputs by name, each with the batch first: what \`predict\` takes. */
    export interface Inputs {
      ${members(model.inputs, rank)}
    }`,
    `/** The model's outputs by name, each with the batch first: what \`predict\` returns. */
    export interface Outputs {
      ${members(model.outputs, rank, sparseNote)}
    }`,
    `/** The targets \`train\` takes by output name: the outputs' shapes, class ids for a sparse loss. */
    export interface Targets {
      ${members(model.outputs, targetRank, sparseNote)}
    }`,
    `/** What \`train\` fits: every input and, as targets, every output, by name. */
    export interface TrainData { inputs: Inputs; outputs: Targets }`,
    `/** Settings of one \`train\` call that override the \`train { }\` block's, and what it adds. */
    export interface TrainOptions {
      epochs?: number;
      batchSize?: number;
      callbacks?: tf.ModelFitArgs['callbacks'];
      verbose?: tf.ModelFitArgs['verbose'];
      validationData?: TrainData;${model.train?.earlyStopping ? '\n      /** false: no early stopping, whatever the `train { }` block says. */\n      earlyStopping?: boolean;' : ''}
    }`,
    `export ${value}const modelName: ${stringLiteral(model.name)};`,
    `/** The model's inputs, in the order the built model takes them; shapes start with the batch dimension. */
    export ${value}const inputs: ${specTuple(model.inputs)};`,
    `/** The model's outputs, in the order the built model produces them. */
    export ${value}const outputs: ${specTuple(model.outputs)};`,
    `/** The \`train { }\` block as data${model.train ? '' : ' (the model has none)'}. */
    export ${value}const trainingConfig: ${trainingConfigType(model)};`,
    `/** Builds a fresh, untrained model; the same seed gives the same initial weights. */
    export ${value}function buildModel(options?: { seed?: number }): tf.LayersModel;`,
    `/** ${model.train ? 'Compiles the model with the optimizer, losses and metrics of the `train { }` block.' : 'Throws: the model has no `train { }` block.'} */
    export ${value}function compileModel(model: tf.LayersModel): tf.LayersModel;`,
    `/** ${trainDoc} */
    export ${value}function train(model: tf.LayersModel, data: TrainData, options?: TrainOptions): Promise<tf.History>;`,
    `/** Runs the model in inference mode on tensors by input name; returns its outputs by name (the caller owns them). */
    export ${value}function predict(model: tf.LayersModel, inputsByName: Inputs): Outputs;`,
    `/** Loads the model of a \`nnc train\` run folder: a path or \`file:\` URL in Node, a URL in a browser. */
    export ${value}function loadModel(runDir: string | URL): Promise<tf.LayersModel>;`,
  ];
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with implements interface let package private protected public static yield await'.split(' '),
);

/** A name that can stand as an identifier: a model's name in the .nn source is one, unless it is a reserved word. */
export function plainName(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !RESERVED.has(name);
}

/**
 * `model.d.nn.ts`: the types of `import ... from './model.nn'` under TypeScript's
 * `allowArbitraryExtensions`. A file of one model declares that model's module; a file of several
 * declares one namespace per model (`import { Encoder } from './models.nn'`), as the bundler
 * plugin's module of such a file exports them. Unformatted: the caller formats it.
 */
export function emitDeclarations(program: IRProgram, filename: string): string {
  // The file's own name: the declarations sit beside it, and are the same whichever folder nnc ran in.
  const base = filename.replace(/^.*[\\/]/, '');
  const header = `// Generated by nnc from ${commentText(base)}: the types of its module under allowArbitraryExtensions. Do not edit: \`nnc types\` or the bundler plugin rewrites it.`;
  const imports = "import type * as tf from '@tensorflow/tfjs';";
  const [only] = program.models;
  const body =
    program.models.length === 1 && only
      ? modelDeclarations(only, 'declare ')
      : program.models.flatMap((model, i) => {
          const doc = `/** Model \`${commentText(model.name)}\` (alone: \`${commentText(base)}?model=${commentText(model.name)}\`). */`;
          const body = modelDeclarations(model, '').join('\n\n');
          if (plainName(model.name)) return [`${doc}\nexport declare namespace ${model.name} {\n${body}\n}`];
          // A reserved word cannot name a namespace, but it can name an export.
          const local = `Model${i}`;
          return [`${doc}\ndeclare namespace ${local} {\n${body}\n}`, `export { ${local} as ${model.name} };`];
        });
  return `${[header, imports, ...body].join('\n\n')}\n`;
}
