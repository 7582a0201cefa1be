import type { IRModel, IRTrain } from '../../ir/ir.js';
import { registry } from '../../registry/registry.js';
import { emitKernelRegistration } from './emit-kernels.js';
import { docComment, numberLiteral, stringLiteral } from './literals.js';
import { UniqueNames } from './names.js';
import { ownMetrics } from '../../train/log-names.js';
import { outputLosses, type OutputLoss } from './output-losses.js';

/** `compileModel`: the optimizer, one (weighted) loss per output and the metrics. */
export function emitCompileModel(model: IRModel, train: IRTrain, outputNames: readonly string[], ts: boolean): string {
  const losses = outputLosses(model, train);
  const locals = new UniqueNames();
  const lossFns = new Map<string, string>();
  const declarations: string[] = [];
  // tfjs adds the outputs' per-sample losses before averaging, which fails when their shapes
  // differ (a sequence output beside a vector one): each output's loss is averaged first.
  const average = losses.length > 1;
  const lossExprs = losses.map(({ loss, applied }) => {
    let fn = lossFns.get(applied.name);
    if (fn === undefined) {
      fn = locals.claim(`loss_${applied.name.replace(/[^A-Za-z0-9_]/g, '_')}`);
      lossFns.set(applied.name, fn);
      declarations.push(`const ${fn}${ts ? ': LossFn' : ''} = ${applied.tfjs};`);
    }
    if (!average && loss.weight === 1) return fn;
    const value = average ? `tf.mean(${fn}(yTrue, yPred))` : `${fn}(yTrue, yPred)`;
    const params = ts ? '(yTrue: tf.Tensor, yPred: tf.Tensor)' : '(yTrue, yPred)';
    return `${params} => ${loss.weight === 1 ? value : `tf.mul(${value}, ${numberLiteral(loss.weight)})`}`;
  });

  const optimizer = registry.optimizer(train.optimizer.name);
  if (!optimizer) throw new Error(`internal: unknown optimizer \`${train.optimizer.name}\``);
  const clipnorm = train.optimizer.params.clipnorm ?? 0;
  const constructed = optimizer.emitTfjs(train.optimizer.params);
  const config = [`optimizer: ${clipnorm > 0 ? `clipNorm(${constructed}, ${numberLiteral(clipnorm)})` : constructed},`];
  if (average) {
    config.push("// One mean loss per output, scaled by its weight here: tfjs-layers has no loss weights.");
  } else if (losses.some(({ loss }) => loss.weight !== 1)) {
    config.push('// Scaled by its weight here: tfjs-layers has no loss weights.');
  }
  config.push(`loss: [${lossExprs.join(', ')}],`, ...emitMetrics(losses, train, outputNames, ts));

  const doc = ['Compiles the model with the optimizer, losses and metrics of the `train { }` block.'];
  if (losses.some((l) => l.oneHot)) {
    doc.push('Outputs with a sparse loss take one-hot targets here (their loss applied in its dense form,', 'the same function on one-hot rows); `train` converts their class ids.');
  }
  return `${clipnorm > 0 ? `${emitClipNorm(ts)}\n\n` : ''}${docComment(doc)}
    export function compileModel(model${ts ? ': tf.LayersModel' : ''})${ts ? ': tf.LayersModel' : ''} {
      ${emitKernelRegistration(model)}
      ${declarations.join('\n')}
      model.compile({
        ${config.join('\n')}
      });
      return model;
    }`;
}

/**
 * The `metrics` entry: one list for all outputs when they have the same, else one list per output
 * name (tfjs's names), in the order of `trainingConfig.logs`. Each metric's tfjs function depends
 * on the loss applied to its output (accuracy is binary or categorical).
 */
function emitMetrics(losses: readonly OutputLoss[], train: IRTrain, outputNames: readonly string[], ts: boolean): string[] {
  const perOutput = losses.map(({ applied }, i) =>
    ownMetrics(train.metrics, losses[i]!.output).map((name) => {
      const def = registry.metric(name);
      if (!def) throw new Error(`internal: unknown metric \`${name}\``);
      return def.emitTfjs(applied.name);
    }),
  );
  if (perOutput.every((list) => list.length === 0)) return [];
  if (perOutput.every((list) => list.join() === perOutput[0]!.join())) return [`metrics: [${perOutput[0]!.join(', ')}],`];
  // tfjs looks metrics up by output name; fromEntries keeps any name an ordinary key.
  const entries = perOutput.map((list, i) => `[${stringLiteral(outputNames[i]!)}, [${list.join(', ')}]]`);
  const dict = `Object.fromEntries([${entries.join(', ')}])`;
  if (!ts) return [`metrics: ${dict},`];
  return ['// tfjs takes a list of metrics per output name, though its types allow only one.', `metrics: ${dict} as unknown as tf.ModelCompileArgs['metrics'],`];
}

/**
 * Keras's `clipnorm` around a tfjs optimizer, which has no such option: its `applyGradients`,
 * through which `minimize` and so `model.fit` step, first rescales each gradient tensor.
 */
function emitClipNorm(ts: boolean): string {
  const t = (text: string) => (ts ? text : '');
  return `/** Keras's \`clipnorm\`: before each step, every gradient tensor whose L2 norm exceeds \`clipnorm\` is rescaled to that norm. */
    function clipNorm(optimizer${t(': tf.Optimizer')}, clipnorm${t(': number')})${t(': tf.Optimizer')} {
      const apply = optimizer.applyGradients.bind(optimizer);
      optimizer.applyGradients = (gradients${t(": Parameters<tf.Optimizer['applyGradients']>[0]")}) => {
        const named = Array.isArray(gradients) ? gradients : Object.keys(gradients).map((name) => ({ name, tensor: gradients[name]${t('!')} }));
        const clipped = tf.tidy(() =>
          named.map(({ name, tensor }) => ({ name, tensor: tf.mul(tensor, tf.div(clipnorm, tf.maximum(tf.norm(tensor), clipnorm))) })),
        );
        apply(clipped);
        tf.dispose(clipped.map((g) => g.tensor));
      };
      return optimizer;
    }`;
}
