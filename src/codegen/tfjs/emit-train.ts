import type { IRModel, IRTrain } from '../../ir/ir.js';
import { docComment, numberLiteral } from './literals.js';
import { outputLosses } from './output-losses.js';

/** `train` and its helpers, for a model with a `train { }` block. */
export function emitTrain(model: IRModel, train: IRTrain, ts: boolean): string[] {
  const t = (text: string) => (ts ? text : '');
  const oneHots = outputLosses(model, train).flatMap(({ oneHot }, i) => (oneHot ? [{ index: i, ...oneHot }] : []));
  const targets = (data: string) => (oneHots.length > 0 ? `targetsFor(${data})` : `tensorsFor(${data}, 'outputs')`);
  const sections = [
    `${docComment([
      'Compiles the model and fits it with the `train { }` settings. `data` maps every input and',
      'output name to a tensor whose first dimension is the batch; `options` override the epochs',
      'and the batch size, and add callbacks, logging and validation data.',
      ...(oneHots.length > 0 ? ['The targets of outputs with a sparse loss are class ids.'] : []),
    ])}
    export async function train(model${t(': tf.LayersModel')}, data${t(': TrainData')}, options${t(': TrainOptions')} = {})${t(': Promise<tf.History>')} {
      const x = tensorsFor(data, 'inputs');
      const y = ${targets('data')};
      const validation = options.validationData;
      compileModel(model);
      return model.fit(x, y, {
        epochs: options.epochs ?? ${numberLiteral(train.epochs)},
        batchSize: options.batchSize ?? ${numberLiteral(train.batchSize)},
        validationSplit: ${numberLiteral(train.validationSplit)},
        validationData: validation === undefined ? undefined : [tensorsFor(validation, 'inputs'), ${targets('validation')}],
        shuffle: ${train.shuffle},
        callbacks: options.callbacks,
        verbose: options.verbose,
      });
    }`,
    `/** The tensors of \`data.inputs\` or \`data.outputs\` in the model's order; throws if one is missing. */
    function tensorsFor(data${t(': TrainData')}, part${t(": 'inputs' | 'outputs'")})${t(': tf.Tensor[]')} {
      const specs = part === 'inputs' ? inputs : outputs;
      const record${t(': unknown')} = data !== null && typeof data === 'object' ? data[part] : undefined;
      if (record === null || typeof record !== 'object') {
        throw new Error(\`train: data.\${part} must be an object mapping each name to a tensor\`);
      }
      return specs.map((spec) => {
        const found = Object.prototype.hasOwnProperty.call(record, spec.name);
        const tensor${t(': unknown')} = found ? (record${t(' as Record<string, unknown>')})[spec.name] : undefined;
        if (!(tensor instanceof tf.Tensor)) {
          const expected = specs.map((s) => JSON.stringify(s.name)).join(', ');
          throw new Error(\`train: data.\${part} has no tensor named \${JSON.stringify(spec.name)} (model \${modelName} takes \${expected})\`);
        }
        return tensor;
      });
    }`,
  ];
  if (oneHots.length > 0) {
    const conversions = oneHots.map(({ index, classes, rank }) => `y[${index}] = oneHot(y[${index}]${t('!')}, ${classes}, ${rank});`);
    sections.push(
      `/** The targets in the model's order, class ids of outputs with a sparse loss as one-hot rows (see \`compileModel\`). */
      function targetsFor(data${t(': TrainData')})${t(': tf.Tensor[]')} {
        const y = tensorsFor(data, 'outputs');
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
