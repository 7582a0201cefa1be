/**
 * Vite's dev server hot-replaces a `.nn` module in the importers that accept it
 * (`import.meta.hot.accept('./model.nn', (next) => ...)`). The new module's `buildModel()` then
 * starts from the weights of the model the previous version built last, layer by layer, where a
 * layer of the same name has weights of the same shapes: an edit that adds a layer or changes one
 * layer's size keeps what the others learned. The text below is appended to the generated module,
 * whose own `buildModel` it renames; `import.meta.hot.data` carries the model across versions.
 */
export function withHotWeights(code: string): string {
  const declaration = 'export function buildModel(';
  if (!code.includes(declaration)) throw new Error('internal: the generated module declares no buildModel');
  return `${code.replace(declaration, 'function buildFreshModel(')}
/** Vite HMR (added by nnc's plugin): the previous version's model, whose weights \`buildModel\` keeps where shapes match. */
const nncHot = { last: import.meta.hot?.data?.nncModel };
import.meta.hot?.dispose((data) => {
  data.nncModel = nncHot.last;
});
export function buildModel(options = {}) {
  const model = buildFreshModel(options);
  const previous = nncHot.last;
  nncHot.last = model;
  if (previous) model.nncKeptLayers = keepWeights(previous, model);
  return model;
}
/** The names of the layers whose weights came from \`previous\`. */
function keepWeights(previous, model) {
  const kept = [];
  for (const layer of model.layers) {
    const old = previous.layers.find((l) => l.name === layer.name);
    if (!old) continue;
    try {
      const weights = old.getWeights();
      const mine = layer.getWeights();
      const same =
        weights.length === mine.length &&
        weights.length > 0 &&
        weights.every((w, i) => JSON.stringify(w.shape) === JSON.stringify(mine[i].shape));
      if (same) {
        layer.setWeights(weights);
        kept.push(layer.name);
      }
    } catch {
      // The previous model was disposed: its weights are gone, the layer keeps its fresh ones.
    }
  }
  return kept;
}
`;
}
