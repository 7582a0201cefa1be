import type * as TF from '@tensorflow/tfjs';

export interface SavedModel {
  /** model.json: the topology and a manifest pointing at `weights.bin`. */
  modelJson: string;
  weights: Uint8Array;
}

/**
 * The model in TensorFlow.js's layers format, as two files that `tf.loadLayersModel` reads back
 * (from `file://.../model.json` with tfjs-node, or over HTTP in a browser). Saved through an
 * in-memory handler, so it works the same in Node and in a browser.
 */
export async function saveModel(tf: typeof TF, model: TF.LayersModel, weightsFile = 'weights.bin'): Promise<SavedModel> {
  let saved: SavedModel | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${weightsFile}`], weights: artifacts.weightSpecs ?? [] }],
      };
      saved = { modelJson: `${JSON.stringify(json)}\n`, weights: new Uint8Array(weightData) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    }),
  );
  if (!saved) throw new Error('internal: the model was not saved');
  return saved;
}
