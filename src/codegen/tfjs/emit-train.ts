import type { IREarlyStopping, IRModel, IRTrain } from '../../ir/ir.js';
import { logEntries } from '../../train/log-names.js';
import { docComment, numberLiteral, stringLiteral } from './literals.js';
import { outputLosses } from './output-losses.js';

/**
 * nnc's name for each of tfjs's logs, in tfjs's order ('loss', each output's loss when there are
 * several, then each output's metrics), with the weight its value is divided by; null for a log
 * left out (the loss of an output of weight 0, which tfjs logs as 0).
 */
function logTable(model: IRModel, train: IRTrain): string {
  const outputs = model.outputs.map((o) => o.name);
  const entries = logEntries(outputs, train);
  const rows: string[] = ['[\'loss\', 1]'];
  if (outputs.length > 1) {
    outputs.forEach((_, i) => {
      const entry = entries.find((e) => e.kind === 'output-loss' && e.output === i);
      rows.push(entry && entry.kind === 'output-loss' ? `[${stringLiteral(entry.name)}, ${numberLiteral(entry.weight)}]` : '[null, 0]');
    });
  }
  for (const entry of entries) if (entry.kind === 'metric') rows.push(`[${stringLiteral(entry.name)}, 1]`);
  return `[${rows.join(', ')}]`;
}

/** `train`, its log names and its helpers, for a model with a `train { }` block. */
export function emitTrain(model: IRModel, train: IRTrain, ts: boolean): string[] {
  const t = (text: string) => (ts ? text : '');
  const oneHots = outputLosses(model, train).flatMap(({ oneHot }, i) => (oneHot ? [{ index: i, ...oneHot }] : []));
  const targets = (data: string, what: string) => (oneHots.length > 0 ? `targetsFor(${data}, ${what})` : `tensorsFor(${data}, outputs, ${what})`);
  const sections = [
    `${docComment([
      'Compiles the model and fits it with the `train { }` settings. `data` maps every input and',
      'output name to a tensor whose first dimension is the batch; `options` override the epochs',
      'and the batch size, and add callbacks, logging and validation data. The history and the',
      'callbacks\' logs carry the names of `trainingConfig.logs`, as `nnc train` writes them.',
      ...(oneHots.length > 0 ? ['The targets of outputs with a sparse loss are class ids.'] : []),
      ...(train.earlyStopping
        ? [
            `Early stopping as the block says and \`nnc train\` does: on \`${train.earlyStopping.monitor}\`, patience ${train.earlyStopping.patience}${train.earlyStopping.restoreBest ? ', the best epoch\'s weights restored at the end' : ''}`,
            '(`options.earlyStopping: false` turns it off).',
          ]
        : []),
    ])}
    export async function train(model${t(': tf.LayersModel')}, data${t(': TrainData')}, options${t(': TrainOptions')} = {})${t(': Promise<tf.History>')} {
      const x = tensorsFor(part(data, 'inputs'), inputs, 'train: data.inputs');
      const y = ${targets("part(data, 'outputs')", "'train: data.outputs'")};
      const given = options.validationData;
      // tfjs's own validation logs a model of several outputs under the wrong names (its test
      // function lists running totals), so NncLogs measures the validation data itself.
      const split = given === undefined ? splitOff([...x, ...y], ${numberLiteral(train.validationSplit)}) : undefined;
      const validation =
        given !== undefined
          ? { x: tensorsFor(part(given, 'inputs'), inputs, 'train: options.validationData.inputs'), y: ${targets("part(given, 'outputs')", "'train: options.validationData.outputs'")} }
          : split && { x: split.held.slice(0, x.length), y: split.held.slice(x.length) };
      const batchSize = options.batchSize ?? ${numberLiteral(train.batchSize)};
      compileModel(model);
      try {
        return await model.fit(split ? split.kept.slice(0, x.length) : x, split ? split.kept.slice(x.length) : y, {
          epochs: options.epochs ?? ${numberLiteral(train.epochs)},
          batchSize,
          shuffle: ${train.shuffle},
          callbacks: [new NncLogs(model, validation, batchSize), ${train.earlyStopping ? '...(options.earlyStopping === false ? [] : [new NncEarlyStopping(model)]), ' : ''}...callbackList(options.callbacks)],
          verbose: options.verbose,
        });
      } finally {
        if (split) tf.dispose([...split.kept, ...split.held]);
      }
    }`,
    `/** Keras's validation split: the last \`fraction\` of the samples held out, before any shuffling; undefined for 0. */
    function splitOff(tensors${t(': tf.Tensor[]')}, fraction${t(': number')})${t(': { kept: tf.Tensor[]; held: tf.Tensor[] } | undefined')} {
      if (fraction <= 0) return undefined;
      const at = Math.floor(tensors[0]${t('!')}.shape[0]${t('!')} * (1 - fraction));
      return { kept: tensors.map((t) => tf.slice(t, 0, at)), held: tensors.map((t) => tf.slice(t, at)) };
    }`,
    `/** tfjs's logs in its order with nnc's name for each (null: left out) and the weight that divides it. */
    const LOGS${t(': [name: string | null, weight: number][]')} = ${logTable(model, train)};`,
    emitLogsCallback(ts),
    ...(train.earlyStopping ? [emitEarlyStopping(train.earlyStopping, ts)] : []),
    `/** The user's callbacks as callback objects (tfjs takes a list of objects or a list of configurations), after \`NncLogs\`. */
    function callbackList(given${t(": TrainOptions['callbacks']")})${t(': tf.CustomCallback[]')} {
      const list = given === undefined ? [] : Array.isArray(given) ? given : [given];
      return list.map((c) =>
        ${
          ts
            ? "typeof (c as { setParams?: unknown }).setParams === 'function' ? (c as tf.CustomCallback) : new tf.CustomCallback(c as tf.CustomCallbackArgs),"
            : "typeof c.setParams === 'function' ? c : new tf.CustomCallback(c),"
        }
      );
    }`,
    `/** \`data.inputs\` or \`data.outputs\`, whatever \`data\` is (JavaScript callers pass anything). */
    function part(data${t(': unknown')}, key${t(": 'inputs' | 'outputs'")})${t(': unknown')} {
      return data !== null && typeof data === 'object' ? (data${t(' as Record<string, unknown>')})[key] : undefined;
    }`,
  ];
  if (oneHots.length > 0) {
    const conversions = oneHots.map(({ index, classes, rank }) => `y[${index}] = oneHot(y[${index}]${t('!')}, ${classes}, ${rank});`);
    sections.push(
      `/** The targets in the model's order, class ids of outputs with a sparse loss as one-hot rows (see \`compileModel\`). */
      function targetsFor(record${t(': unknown')}, what${t(': string')})${t(': tf.Tensor[]')} {
        const y = tensorsFor(record, outputs, what);
        ${conversions.join('\n')}
        return y;
      }`,
      `/** Class ids as one-hot rows; the ids have one dimension fewer than the output (\`rank\`, with the batch) or a trailing 1. */
      function oneHot(ids${t(': tf.Tensor')}, classes${t(': number')}, rank${t(': number')})${t(': tf.Tensor')} {
        const shape = ids.rank === rank ? ids.shape.slice(0, -1) : ids.shape;
        return tf.reshape(tf.oneHot(tf.cast(tf.reshape(ids, [-1]), 'int32'), classes), [...shape, classes]);
      }`,
    );
  }
  return sections;
}

/**
 * The callback that renames tfjs's logs, first after tfjs's own logger: every later callback and
 * the history see nnc's names, and each output's loss unweighted. JS strips the TS annotations.
 */
function emitLogsCallback(ts: boolean): string {
  const t = (text: string) => (ts ? text : '');
  const logs = t(': Record<string, number | tf.Scalar>');
  return `/**
     * Gives tfjs's logs nnc's names: tfjs names them after its own output names and metric functions
     * (\`score_meanAbsoluteError\`) and logs each output's loss weighted, as its loss function is.
     */
    class NncLogs extends tf.Callback {
      ${t('private readonly table: [from: string, to: string | null, weight: number][];\n')}
      constructor(${t('private readonly ')}fitted${t(': tf.LayersModel')}, ${t('private readonly ')}validation${t(': { x: tf.Tensor[]; y: tf.Tensor[] } | undefined')}, ${t('private readonly ')}batchSize${t(': number')}) {
        super();
        ${ts ? '' : 'this.fitted = fitted;\n        this.validation = validation;\n        this.batchSize = batchSize;\n'}const labels = fitted.metricsNames;
        if (labels.length !== LOGS.length) throw new Error(\`train: the compiled model logs \${labels.length} values, expected \${LOGS.length}\`);
        // tfjs numbers a repeated label (\`x_0\`, \`x_1\`), in its logs as in its history.
        const seen = new Map${t('<string, number>')}();
        this.table = labels.map((label, i) => {
          const repeat = seen.get(label) ?? 0;
          seen.set(label, repeat + 1);
          const from = labels.indexOf(label, labels.indexOf(label) + 1) >= 0 ? \`\${label}_\${repeat}\` : label;
          return [from, LOGS[i]${t('!')}[0], LOGS[i]${t('!')}[1]];
        });
      }

      ${t('override ')}async onBatchEnd(batch${t(': number')}, logs${t('?')}${logs}) {
        if (logs) this.rename(logs);
      }

      ${t('override ')}async onEpochEnd(epoch${t(': number')}, logs${t('?')}${logs}) {
        if (!logs) return;
        this.rename(logs);
        if (this.validation) Object.assign(logs, await this.validate(this.validation));
      }

      ${t('private ')}rename(logs${logs}) {
        const renamed${t(': [string, number | tf.Scalar][]')} = [];
        for (const [from, to, weight] of this.table) {
          if (!Object.prototype.hasOwnProperty.call(logs, from)) continue;
          const value = logs[from]${t('!')};
          delete logs[from];
          if (to !== null) renamed.push([to, weight === 1 ? value : unweighted(value, weight)]);
          if (to === null || weight !== 1) tf.dispose(value);
        }
        for (const [name, value] of renamed) logs[name] = value;
      }

      /** The loss and metrics on the validation data in inference mode, batch by batch, as \`nnc train\` measures them. */
      ${t('private ')}async validate({ x, y }${t(': { x: tf.Tensor[]; y: tf.Tensor[] }')})${t(': Promise<Record<string, number>>')} {
        const n = x[0]${t('!')}.shape[0]${t('!')};
        const size = Math.max(this.batchSize, 256);
        const sums = LOGS.map(() => 0);
        for (let from = 0; from < n; from += size) {
          const count = Math.min(size, n - from);
          const values = tf.tidy(() => {
            const rows = (t${t(': tf.Tensor')}) => tf.slice(t, from, count);
            const ys = y.map(rows);
            const out = this.fitted.apply(x.map(rows), { training: false })${t(' as tf.Tensor | tf.Tensor[]')};
            const predictions = Array.isArray(out) ? out : [out];
            const several = predictions.length > 1;
            const losses = this.fitted.lossFunctions.map((fn, i) => tf.mean(fn(ys[i]${t('!')}, predictions[i]${t('!')})));
            const metrics = this.fitted.metricsTensors.slice(several ? predictions.length : 0).map(([fn, i]) => tf.mean(fn(ys[i]${t('!')}, predictions[i]${t('!')})));
            return tf.stack([tf.addN(losses), ...(several ? losses : []), ...metrics]);
          });
          const read = await values.data();
          values.dispose();
          read.forEach((v, i) => (sums[i] += v * count));
        }
        const logs${t(': Record<string, number>')} = {};
        LOGS.forEach(([name, weight], i) => {
          if (name !== null) logs[\`val_\${name}\`] = sums[i]${t('!')} / n / weight;
        });
        return logs;
      }
    }

    function unweighted(value${t(': number | tf.Scalar')}, weight${t(': number')})${t(': number | tf.Scalar')} {
      return typeof value === 'number' ? value / weight : tf.tidy(() => tf.div(value, weight)${t(' as tf.Scalar')});
    }`;
}

/**
 * Keras's EarlyStopping with nnc train's semantics (src/train/loop/early-stopping.ts): an epoch
 * improves when it beats the best by more than minDelta; after `patience` epochs without, fit
 * stops; with restore_best the best epoch's weights are put back at the end, whether it stopped
 * early or ran all its epochs. It runs after NncLogs, so it reads nnc's log names.
 */
function emitEarlyStopping(config: IREarlyStopping, ts: boolean): string {
  const t = (text: string) => (ts ? text : '');
  const better = config.mode === 'min' ? `value < this.best - ${numberLiteral(config.minDelta)}` : `value > this.best + ${numberLiteral(config.minDelta)}`;
  return `/** The block's \`early_stopping\`: monitor ${stringLiteral(config.monitor)}, patience ${config.patience}, min_delta ${numberLiteral(config.minDelta)}${config.restoreBest ? ', restore_best' : ''}. */
    class NncEarlyStopping extends tf.Callback {
      ${t('private ')}best = ${config.mode === 'min' ? 'Infinity' : '-Infinity'};
      ${t('private ')}wait = 0;
      ${t('private ')}bestEpoch = -1;
      ${t('private ')}lastEpoch = -1;
      ${t('private ')}weights${t(': tf.Tensor[] | null')} = null;

      constructor(${t('private readonly ')}fitted${t(': tf.LayersModel')}) {
        super();
        ${ts ? '' : 'this.fitted = fitted;\n'}}

      ${t('override ')}async onEpochEnd(epoch${t(': number')}, logs${t('?: Record<string, number | tf.Scalar>')}) {
        const logged = logs?.[${stringLiteral(config.monitor)}];
        if (logged === undefined) {
          throw new Error(\`train: early stopping monitors ${config.monitor}, which epoch \${epoch + 1} did not log ${config.monitor.startsWith('val_') ? '(there is no validation data: pass options.validationData, or set validation_split in the train block)' : '(it logged \${Object.keys(logs ?? {}).join(\', \')})'}\`);
        }
        const value = typeof logged === 'number' ? logged : (await logged.data())[0]${t('!')};
        this.lastEpoch = epoch;
        if (${better}) {
          this.best = value;
          this.bestEpoch = epoch;
          this.wait = 0;
          ${config.restoreBest ? `tf.dispose(this.weights ?? []);
          // Variables are updated by replacing their data, so a clone keeps this epoch's values.
          this.weights = this.fitted.getWeights().map((w) => tf.clone(w));` : ''}
          return;
        }
        this.wait++;
        if (this.wait >= ${config.patience}) this.fitted.stopTraining = true;
      }

      ${t('override ')}async onTrainEnd() {
        if (this.weights && this.bestEpoch !== this.lastEpoch) this.fitted.setWeights(this.weights);
        tf.dispose(this.weights ?? []);
        this.weights = null;
      }
    }`;
}

/** The tensors of a record by name, in the order of `specs`; throws, naming `what`, if one is missing. */
export function emitTensorsFor(ts: boolean): string[] {
  const t = (text: string) => (ts ? text : '');
  return [
    `/** The tensors of \`record\` in the order of \`specs\`; throws, naming \`what\`, if one is missing. */
    function tensorsFor(record${t(': unknown')}, specs${t(': TensorSpec[]')}, what${t(': string')})${t(': tf.Tensor[]')} {
      if (record === null || typeof record !== 'object') {
        throw new Error(\`\${what} must be an object mapping each name to a tensor\`);
      }
      return specs.map((spec) => {
        const found = Object.prototype.hasOwnProperty.call(record, spec.name);
        const tensor${t(': unknown')} = found ? (record${t(' as Record<string, unknown>')})[spec.name] : undefined;
        if (!(tensor instanceof tf.Tensor)) {
          const expected = specs.map((s) => JSON.stringify(s.name)).join(', ');
          throw new Error(\`\${what} has no tensor named \${JSON.stringify(spec.name)} (model \${modelName} takes \${expected})\`);
        }
        return tensor;
      });
    }`,
  ];
}

/** `compileModel` and `train` of a model without a `train { }` block: both throw, saying so. */
export function emitNoTrain(ts: boolean): string[] {
  const t = (text: string) => (ts ? text : '');
  return [
    `function noTrainBlock()${t(': Error')} {
      const block = '\`train { }\`';
      return new Error(\`model \${modelName} has no \${block} block, so it cannot be compiled or trained: add one to its .nn source\`);
    }`,
    `/** Throws: the model has no \`train { }\` block. */
    export function compileModel(model${t(': tf.LayersModel')})${t(': tf.LayersModel')} {
      throw noTrainBlock();
    }`,
    `/** Throws: the model has no \`train { }\` block. */
    export async function train(model${t(': tf.LayersModel')}, data${t(': TrainData')}, options${t(': TrainOptions')} = {})${t(': Promise<tf.History>')} {
      throw noTrainBlock();
    }`,
  ];
}
