/**
 * Helpers an op may need at run time (`ctx.useRuntime`), emitted once at the top of the
 * module that uses them. The generated module still imports nothing but `@tensorflow/tfjs`.
 */

export const RUNTIME_NAMES = ['Subtract'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

const runtimes: Record<RuntimeName, (ts: boolean) => string> = {
  Subtract: (ts) => {
    const override = ts ? 'override ' : '';
    const shapes = ts ? 'inputShape: tf.Shape | tf.Shape[]' : 'inputShape';
    return `
/**
 * Keras's Subtract merge layer, which tfjs lacks: \`a - b\` for two tensors of one shape. It is
 * registered under Keras's class name, so a saved model loads back here and converts to Keras.
 */
class Subtract extends tf.layers.Layer {
  static className = 'Subtract';

  ${override}computeOutputShape(${shapes})${ts ? ': tf.Shape' : ''} {
    // Both shapes agree at run time: a dimension known in either is known (nnc's shape rule for merges).
    const [a, b] = inputShape${ts ? ' as tf.Shape[]' : ''};
    return a.map((dim, i) => dim ?? b[i]);
  }

  ${override}call(inputs${ts ? ': tf.Tensor | tf.Tensor[]' : ''})${ts ? ': tf.Tensor' : ''} {
    return tf.tidy(() => {
      const [a, b] = inputs${ts ? ' as tf.Tensor[]' : ''};
      return tf.sub(a, b);
    });
  }
}
tf.serialization.registerClass(Subtract);`;
  },
};

/** The definitions of the runtimes used, in a fixed order so that output is deterministic. */
export function emitRuntimes(used: ReadonlySet<RuntimeName>, ts: boolean): string[] {
  return RUNTIME_NAMES.filter((name) => used.has(name)).map((name) => runtimes[name](ts).trim());
}
