/**
 * Sliding windows over channels-last images [batch, height, width, channels], placed exactly
 * as TensorFlow places them: `valid` keeps full windows only; `same` gives ceil(n / s) outputs
 * and pads pad_total = max((out - 1) · s + k - n, 0), of which floor(pad_total / 2) comes first.
 */
export interface Window2d {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  /** Padding rows above and columns left of the image. */
  top: number;
  left: number;
}

function along(n: number, k: number, s: number, padding: string): { out: number; before: number } {
  if (padding !== 'same') return { out: Math.ceil((n - k + 1) / s), before: 0 };
  const out = Math.ceil(n / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + k - n, 0) / 2) };
}

export function window2d(shape: readonly number[], [kh, kw]: [number, number], [sh, sw]: [number, number], padding: string): Window2d {
  const [batch, inH, inW, channels] = shape as [number, number, number, number];
  const h = along(inH, kh, sh, padding);
  const w = along(inW, kw, sw, padding);
  return { batch, inH, inW, channels, outH: h.out, outW: w.out, kh, kw, sh, sw, top: h.before, left: w.before };
}

/**
 * The patches of sample `b` as rows of a [outH · outW, kh · kw · channels] matrix (zeros where a
 * window hangs over the padding). Row-major over (i, j, channel) is the layout of a conv kernel
 * [kh, kw, channels, filters], so the convolution is this matrix times the kernel.
 */
export function im2col(x: Float64Array, g: Window2d, b: number, cols: Float64Array): void {
  const { inH, inW, channels: c, outW, kh, kw } = g;
  const rowLength = kh * kw * c;
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      let at = (oy * outW + ox) * rowLength;
      for (let i = 0; i < kh; i++) {
        const y = oy * g.sh - g.top + i;
        for (let j = 0; j < kw; j++, at += c) {
          const xx = ox * g.sw - g.left + j;
          if (y < 0 || y >= inH || xx < 0 || xx >= inW) {
            cols.fill(0, at, at + c);
            continue;
          }
          const from = ((b * inH + y) * inW + xx) * c;
          for (let ch = 0; ch < c; ch++) cols[at + ch] = x[from + ch]!;
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each patch row of `cols` back onto sample `b` of `dx`. */
export function col2imAdd(cols: Float64Array, g: Window2d, b: number, dx: Float64Array): void {
  const { inH, inW, channels: c, outW, kh, kw } = g;
  const rowLength = kh * kw * c;
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      let at = (oy * outW + ox) * rowLength;
      for (let i = 0; i < kh; i++) {
        const y = oy * g.sh - g.top + i;
        for (let j = 0; j < kw; j++, at += c) {
          const xx = ox * g.sw - g.left + j;
          if (y < 0 || y >= inH || xx < 0 || xx >= inW) continue;
          const to = ((b * inH + y) * inW + xx) * c;
          for (let ch = 0; ch < c; ch++) dx[to + ch]! += cols[at + ch]!;
        }
      }
    }
  }
}

/** The input rows [y0, y1) and columns [x0, x1) that window (oy, ox) covers inside the image. */
export function windowSpan(g: Window2d, oy: number, ox: number): [y0: number, y1: number, x0: number, x1: number] {
  const y = oy * g.sh - g.top;
  const x = ox * g.sw - g.left;
  return [Math.max(0, y), Math.min(g.inH, y + g.kh), Math.max(0, x), Math.min(g.inW, x + g.kw)];
}
