import * as prettier from 'prettier/standalone';
import * as estree from 'prettier/plugins/estree';
import * as babel from 'prettier/plugins/babel';
import * as typescript from 'prettier/plugins/typescript';
const n = Number(process.argv[2]);
let lines = [`import * as tf from '@tensorflow/tfjs';`, `export function buildModel(options: { seed?: number } = {}): tf.LayersModel {`, `const seed = options.seed; const seedAt = (k: number) => (seed === undefined ? undefined : seed + k);`, `const t_x = tf.input({ shape: [2], name: "x", dtype: "float32" });`];
for (let i = 0; i < n; i++) lines.push(`const l_y_dense_${i} = tf.layers.dense({ units: 2, useBias: false, kernelInitializer: tf.initializers.identity({ gain: 1.5 }), name: "y/dense_${i}" });`);
let prev = 't_x';
for (let i = 0; i < n; i++) { lines.push(`const t_y_${i} = l_y_dense_${i}.apply(${prev}) as tf.SymbolicTensor;`); prev = `t_y_${i}`; }
lines.push(`return tf.model({ inputs: [t_x], outputs: [${prev}], name: "M" }); }`);
const src = lines.join('\n');
console.log('chars', src.length);
for (const parser of ['typescript', 'babel-ts', 'typescript', 'babel-ts']) {
  const t = performance.now();
  const out = await prettier.format(src, { parser, plugins: [estree, babel, typescript], singleQuote: true, printWidth: 100 });
  console.log(parser, (performance.now() - t).toFixed(0), 'ms', out.length);
}
