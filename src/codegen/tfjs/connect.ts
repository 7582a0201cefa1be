/**
 * `connect`, the function of the generated module that builds the model from `buildModel`'s
 * tables, and (TypeScript) the types of their rows. Fixed text: the same in every module.
 */

export function emitConnectTypes(): string[] {
  return [
    `/** A row of \`buildModel\`'s graph: a tensor's name, the layer computing it (a list: applied in turn), its input's name (a list for a merge). */
    type GraphRow = [name: string, layer: tf.layers.Layer | tf.layers.Layer[], input: string | string[]];`,
    `/** A part of a large graph, built as a sub-model: its name, its rows [from, to), the tensors it reads and those it gives on. */
    type GraphPart = [name: string, from: number, to: number, inputs: string[], outputs: string[]];`,
  ];
}

export function emitConnect(ts: boolean): string {
  const t = (text: string) => (ts ? text : '');
  return `/**
 * Builds the model of \`buildModel\`'s tables: each row applies its layers to the tensors it
 * names, in order. tfjs builds a model by recursing through its graph, which overflows the stack
 * beyond a few thousand layers in sequence: the rows of each part (in large models only) become
 * a sub-model of their own, applied as one layer. The layers keep their names and weights.
 */
function connect(
  name${t(': string')},
  inputs${t(': tf.SymbolicTensor[]')},
  graph${t(': GraphRow[]')},
  outputs${t(': string[]')},
  parts${t(': GraphPart[]')} = [],
)${t(': tf.LayersModel')} {
  const tensors = new Map(inputs.map((input) => [input.sourceLayer.name, input]));
  const build = (scope${t(': Map<string, tf.SymbolicTensor>')}, from${t(': number')}, to${t(': number')}) => {
    const read = (key${t(': string')}) => scope.get(key)${t('!')};
    for (let i = from; i < to; i++) {
      const [key, layers, input] = graph[i]${t('!')};
      let x${t(': tf.SymbolicTensor | tf.SymbolicTensor[]')} = Array.isArray(input) ? input.map(read) : read(input);
      for (const layer of Array.isArray(layers) ? layers : [layers]) {
        x = layer.apply(x)${t(' as tf.SymbolicTensor')};
      }
      scope.set(key, x${t(' as tf.SymbolicTensor')});
    }
  };
  let next = 0;
  for (const [part, from, to, reads, gives] of parts) {
    build(tensors, next, from);
    const outer = reads.map((key) => tensors.get(key)${t('!')});
    const local = outer.map((x, j) => tf.input({ batchShape: x.shape, dtype: x.dtype, name: \`\${part}/input_\${j + 1}\` }));
    const scope = new Map(reads.map((key, j) => [key, local[j]${t('!')}]));
    build(scope, from, to);
    const model = tf.model({ inputs: local, outputs: gives.map((key) => scope.get(key)${t('!')}), name: part });
    const result = model.apply(outer);
    gives.forEach((key, j) => tensors.set(key, (Array.isArray(result) ? result[j] : result)${t(' as tf.SymbolicTensor')}));
    next = to;
  }
  build(tensors, next, graph.length);
  return tf.model({ inputs, outputs: outputs.map((key) => tensors.get(key)${t('!')}), name });
}`;
}
