/**
 * A float64 tensor of the reference engine: row-major data with the batch dimension first.
 * Plain typed arrays, no objects per element, so that loops stay fast.
 */
export interface Tensor64 {
  shape: number[];
  data: Float64Array;
}

export function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function zeros(shape: readonly number[]): Tensor64 {
  return { shape: [...shape], data: new Float64Array(size(shape)) };
}

export function tensor(shape: readonly number[], values: ArrayLike<number>): Tensor64 {
  if (values.length !== size(shape)) throw new Error(`internal: ${values.length} values for shape [${shape.join(', ')}]`);
  return { shape: [...shape], data: Float64Array.from(values) };
}

export function like(t: Tensor64): Tensor64 {
  return zeros(t.shape);
}

export function clone(t: Tensor64): Tensor64 {
  return { shape: [...t.shape], data: t.data.slice() };
}

/** Adds `b` into `a` elementwise (same shapes). */
export function addInto(a: Tensor64, b: Tensor64): void {
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) x[i]! += y[i]!;
}
