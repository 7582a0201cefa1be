/**
 * Orthonormalises the rows of a row-major rows×cols matrix in place (rows ≤ cols), in order,
 * by Gram-Schmidt run twice per row ("twice is enough": orthogonal to rounding error). The
 * result equals the Q of a QR factorisation of the transpose with R's diagonal made positive,
 * which is what tfjs's orthogonal initializer produces with its sign correction.
 */
export function orthonormalizeRows(a: Float64Array, rows: number, cols: number): Float64Array {
  for (let i = 0; i < rows; i++) {
    const row = a.subarray(i * cols, (i + 1) * cols);
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < i; k++) {
        const previous = a.subarray(k * cols, (k + 1) * cols);
        let dot = 0;
        for (let j = 0; j < cols; j++) dot += row[j]! * previous[j]!;
        for (let j = 0; j < cols; j++) row[j]! -= dot * previous[j]!;
      }
    }
    let norm = 0;
    for (let j = 0; j < cols; j++) norm += row[j]! * row[j]!;
    norm = Math.sqrt(norm);
    for (let j = 0; j < cols; j++) row[j]! /= norm;
  }
  return a;
}
