/**
 * `predict` (tensors by name in, tensors by name out) and `loadModel` (a run folder written by
 * `nnc train`, from the file system in Node or over HTTP in a browser). Every module has them,
 * trained or not. The module still imports only `@tensorflow/tfjs`: Node's `fs` is imported on
 * demand, through a specifier bundlers leave alone, so a browser bundle never contains it.
 */
export function emitPredict(ts: boolean): string[] {
  const t = (text: string) => (ts ? text : '');
  return [
    `/**
     * Runs the model in inference mode (dropout off) on tensors by input name, each with the batch
     * first, and returns its outputs by name. The caller owns the returned tensors.
     */
    export function predict(model${t(': tf.LayersModel')}, inputsByName${t(': Inputs')})${t(': Outputs')} {
      const x = tensorsFor(inputsByName, inputs, 'predict: inputsByName');
      const y = model.predict(x);
      const list = Array.isArray(y) ? y : [y];
      if (list.length !== outputs.length) throw new Error(\`predict: the model returned \${list.length} tensors, \${modelName} has \${outputs.length} outputs\`);
      return Object.fromEntries(outputs.map((spec, i) => [spec.name, list[i]]))${t(' as unknown as Outputs')};
    }`,
    `const NODE_FS = 'node:fs/promises';`,
    `/**
     * Loads the model a \`nnc train\` run folder holds (\`model.json\` and its weights): in Node from
     * the file system (a path or a \`file:\` URL), elsewhere, or for an \`http(s):\` URL, over HTTP
     * (\`tf.loadLayersModel\`). Throws when the folder holds another model than this module's.
     */
    export async function loadModel(runDir${t(': string | URL')})${t(': Promise<tf.LayersModel>')} {
      const folder = String(runDir).replace(/\\/*$/, '/');
      const node = (globalThis${t(' as { process?: { versions?: { node?: string } } }')}).process?.versions?.node !== undefined;
      const model =
        node && !/^(https?|blob|data):/i.test(folder) ? await loadFromFiles(folder) : await tf.loadLayersModel(\`\${folder}model.json\`);
      const shapes = (list${t(': { shape: (number | null)[] }[]')}) => JSON.stringify(list.map((s) => s.shape));
      if (shapes(model.inputs) !== shapes(inputs) || shapes(model.outputs) !== shapes(outputs)) {
        model.dispose();
        throw new Error(
          \`loadModel: \${folder} holds a model taking \${shapes(model.inputs)} and giving \${shapes(model.outputs)}, not \${modelName} (\${shapes(inputs)} to \${shapes(outputs)})\`,
        );
      }
      return model;
    }`,
    `/** \`model.json\` and the weight files its manifest lists, read with Node's \`fs\`, then built in memory. */
    async function loadFromFiles(folder${t(': string')})${t(': Promise<tf.LayersModel>')} {
      const fs = await import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_FS);
      const base = folder.startsWith('file:') ? new URL(folder) : folder;
      const read = (name${t(': string')})${t(': Promise<Uint8Array>')} => fs.readFile(typeof base === 'string' ? base + name : new URL(name, base));
      const json = JSON.parse(new TextDecoder().decode(await read('model.json')));
      const groups${t(': { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]')} = json.weightsManifest ?? [];
      const files = await Promise.all(
        groups.flatMap((group) =>
          group.paths.map((path) => {
            const name = path.replace(/^\\.\\//, '');
            // The weights sit beside model.json; a manifest pointing elsewhere is not a run folder's.
            if (!/^[^/\\\\]+$/.test(name) || name === '..') throw new Error(\`loadModel: \${folder}model.json lists the weight file \${JSON.stringify(path)}, outside its folder\`);
            return read(name);
          }),
        ),
      );
      const weightData = new Uint8Array(files.reduce((n, f) => n + f.byteLength, 0));
      files.reduce((at, f) => (weightData.set(f, at), at + f.byteLength), 0);
      const weightSpecs = groups.flatMap((group) => group.weights);
      return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: weightData.buffer }));
    }`,
  ];
}
