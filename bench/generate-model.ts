/**
 * A synthetic model with `layers` layers: a chain of definitions with dense layers,
 * activations and a residual `add` every fourth step, the shape real deep models have.
 */
export function syntheticModel(layers: number): string {
  const lines = ['model Synthetic {', '  input x: [32]', '  h0 = x -> dense(32, relu)'];
  let count = 1;
  let i = 0;
  while (count < layers) {
    i++;
    if (i % 4 === 0 && count + 2 <= layers) {
      lines.push(`  h${i} = add(h${i - 1}, h${i - 4 < 0 ? 0 : i - 4}) -> relu`);
      count += 2;
    } else {
      lines.push(`  h${i} = h${i - 1} -> dense(32, tanh)`);
      count += 1;
    }
  }
  lines.push(`  output y = h${i} -> dense(1)`, '  train {', '    loss = mse', '  }', '}', '');
  return lines.join('\n');
}
