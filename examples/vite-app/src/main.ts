import * as tf from '@tensorflow/tfjs';
import * as classifier from './model.nn';

/**
 * Builds the model of `./model.nn`, trains it a little on made-up data and shows what it is.
 * Under `vite` (the dev server), an edit of model.nn is hot-replaced: the page rebuilds the model
 * from the new module, which keeps the trained weights of every layer whose shapes did not change.
 */
type ModelModule = typeof classifier;

const view = document.querySelector<HTMLPreElement>('#app')!;

function describe(module: ModelModule, model: tf.LayersModel, lines: string[]): void {
  const layers = model.layers.filter((l) => l.countParams() > 0).map((l) => `${l.name} ${JSON.stringify(l.getWeights()[0]?.shape)}`);
  view.textContent = [`${module.modelName}: ${model.countParams()} parameters`, ...layers, ...lines].join('\n');
}

/** A batch of `n` made-up samples: four features, the class the largest of the first three. */
function data(n: number): classifier.TrainData {
  const features = tf.randomUniform([n, 4], 0, 1, 'float32', 7) as tf.Tensor2D;
  const species = tf.oneHot(tf.argMax(features.slice([0, 0], [n, 3]), 1), 3).toFloat() as tf.Tensor2D;
  return { inputs: { features }, outputs: { species } };
}

async function start(module: ModelModule, note: string): Promise<void> {
  const model = module.buildModel({ seed: 1 });
  const kept = (model as tf.LayersModel & { nncKeptLayers?: string[] }).nncKeptLayers;
  describe(module, model, [note, `kept weights: ${kept === undefined ? '(first build)' : kept.join(', ') || '(none)'}`, 'training...']);
  const history = await module.train(model, data(64));
  const loss = history.history.loss!.at(-1) as number;
  describe(module, model, [note, `kept weights: ${kept === undefined ? '(first build)' : kept.join(', ') || '(none)'}`, `trained: loss ${loss.toFixed(4)}`]);
  document.body.dataset.ready = String(Number(document.body.dataset.ready ?? 0) + 1);
}

await tf.ready();
void start(classifier, `backend: ${tf.getBackend()}`);

if (import.meta.hot) {
  import.meta.hot.accept('./model.nn', (next) => {
    if (next) void start(next as unknown as ModelModule, 'hot-replaced');
  });
}
