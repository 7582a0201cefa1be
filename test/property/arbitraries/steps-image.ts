import { isFloat, isImage, isKnown, knownShape, last, LIMITS, shiftAfter, type Dim, type ModelBuilder, type Shape, type Tensor } from './model-builder.js';
import type { StepChoice } from './plan.js';
import { activation, choose, pairText } from './spelling.js';

/**
 * Steps on images and ids: convolution, pooling, reshaping and embeddings. Output sizes are
 * computed here as TensorFlow computes them, at the size random batches give `?` as well, so
 * that no window outgrows its image.
 */

/** TensorFlow's output length of a sliding window. */
function windowSize(n: number, window: number, stride: number, padding: string): number {
  return padding === 'same' ? Math.ceil(n / stride) : Math.ceil((n - window + 1) / stride);
}

interface Window {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  padding: 'valid' | 'same';
}

/** The window, or the same with `same` padding when it does not fit the run-time size, and the image shape after it. */
function fitWindow(t: Tensor, w: Window, channels: number): { window: Window; shape: Shape } {
  const out = (p: string): number[] => [windowSize(t.sizes[0]!, w.kh, w.sh, p), windowSize(t.sizes[1]!, w.kw, w.sw, p)];
  const window = out(w.padding).every((n) => n >= 1) ? w : { ...w, padding: 'same' as const };
  const sizes = out(window.padding);
  const dims = t.dims.slice(0, 2).map((d, i): Dim => (d === null ? null : sizes[i]!));
  return { window, shape: { dims: [...dims, channels], sizes: [...sizes, channels] } };
}

/** Whether a `same` window reaches into the padding somewhere (tfjs's average-pool gradient then divides by the wrong count). */
function overhangs(t: Tensor, w: Window): boolean {
  const pad = (n: number, k: number, s: number): number => Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  return w.padding === 'same' && (pad(t.sizes[0]!, w.kh, w.sh) > 0 || pad(t.sizes[1]!, w.kw, w.sw) > 0);
}

function randomWindow(s: StepChoice): Window {
  const kh = 1 + (s.size % 3);
  const kw = s.variant % 3 === 2 ? 1 + ((s.size + 1) % 3) : kh;
  const sh = 1 + ((s.variant >> 1) % 2);
  const sw = s.variant % 5 === 4 ? 3 - sh : sh;
  return { kh, kw, sh, sw, padding: s.spell % 3 === 1 ? 'same' : 'valid' };
}

export function convStep(b: ModelBuilder, s: StepChoice): void {
  const t = b.pick(isImage, s.pick);
  if (!t) return;
  const filters = b.width(s.partner, 4);
  const { window: g, shape } = fitWindow(t, randomWindow(s), filters);
  if (!b.spend(g.kh * g.kw * last(t) * filters + filters, 1)) return;
  const kernel = pairText(g.kh, g.kw, s.spell);
  const strides = pairText(g.sh, g.sw, s.spell);
  const act = activation(s.act);
  const text = choose(
    [
      `conv2d(${filters}, ${kernel}${g.sh === 1 && g.sw === 1 ? '' : `, strides=${strides}`}${g.padding === 'same' ? ', padding=same' : ''}, activation=${act})`,
      `conv2d(${filters}, ${kernel}, strides=${strides}, padding=${g.padding}, activation=${act})`,
      `conv2d(filters=${filters}, kernel=${kernel}, strides=${strides}, padding=${g.padding}, activation=${act}, init=he)`,
    ],
    s.spell >> 1,
  );
  b.define(`${b.use(t)} -> ${text}`, shape, shiftAfter(act, 'channel'));
}

export function poolStep(b: ModelBuilder, s: StepChoice): void {
  const t = b.pick(isImage, s.pick);
  if (!t) return;
  const requested = randomWindow(s);
  const explicitStrides = s.partner % 3 === 1;
  const { window: g, shape } = fitWindow(t, explicitStrides ? requested : { ...requested, sh: requested.kh, sw: requested.kw }, last(t));
  const tfjsAverageWrong = b.options.avoidKnownTfjsIssues && overhangs(t, g);
  const op = s.act % 2 === 0 || tfjsAverageWrong ? 'max_pool2d' : 'avg_pool2d';
  const args = [pairText(g.kh, g.kw, s.spell), ...(explicitStrides ? [`strides=${pairText(g.sh, g.sw, s.spell)}`] : []), ...(g.padding === 'same' ? ['padding=same'] : [])];
  const text = args.length === 1 && g.kh === 2 && g.kw === 2 && s.spell % 2 === 0 ? op : `${op}(${args.join(', ')})`;
  b.define(`${b.use(t)} -> ${text}`, shape, t.shift);
}

export function globalStep(b: ModelBuilder, s: StepChoice): void {
  const t = b.pick(isImage, s.pick);
  if (t) b.define(`${b.use(t)} -> ${s.variant % 2 === 0 ? 'global_avg_pool2d' : 'global_max_pool2d'}`, knownShape([last(t)]), t.shift);
}

/** Every [h, w, c] with h · w · c = n and small sides. */
function factorizations(n: number): Array<[number, number, number]> {
  const result: Array<[number, number, number]> = [];
  for (let h = 1; h <= Math.min(n, 8); h++) {
    for (let w = 1; w <= Math.min(n / h, 8); w++) {
      const c = n / (h * w);
      if (Number.isInteger(c) && c <= 4) result.push([h, w, c]);
    }
  }
  return result;
}

/** Vectors become images or matrices (one `-1` maybe); anything of known shape becomes a vector. */
export function reshapeStep(b: ModelBuilder, s: StepChoice): void {
  const t = b.pick((x) => isFloat(x) && isKnown(x), s.pick);
  if (!t) return;
  const dims = t.dims as number[];
  const n = dims.reduce((p, d) => p * d, 1);
  let target: number[];
  if (dims.length === 1 && s.variant % 3 !== 2) {
    const options = factorizations(n);
    if (options.length === 0) return;
    const [h, w, c] = choose(options, s.size);
    target = s.variant % 3 === 0 ? [h, w, c] : [h, w * c];
  } else if (dims.length > 1 && n <= 4 * LIMITS.vector) {
    target = [n];
  } else {
    return;
  }
  const free = s.spell % (target.length + 1);
  const written = target.map((d, i) => (i === free ? -1 : d));
  const text = target.length === 1 && s.spell % 2 === 0 ? 'flatten' : `reshape([${written.join(', ')}])`;
  // One channel of centered features would make a global average exactly zero.
  if (b.centered.has(t) && target.length === 3 && target[2] === 1) return;
  const out = b.define(`${b.use(t)} -> ${text}`, knownShape(target), t.shift);
  if (b.centered.has(t)) b.centered.add(out);
}

/** ids -> embedding(vocab, dim), maybe flattened; ids are drawn below the smallest vocabulary reading them. */
export function embedStep(b: ModelBuilder, s: StepChoice): void {
  const t = b.pick((x) => x.dtype === 'int32', s.pick);
  if (!t) return;
  const vocab = 3 + (s.size % 6);
  const dim = b.width(s.act, 3);
  if (!b.spend(vocab * dim, 1)) return;
  const spelled = s.spell % 3 === 2 ? `embedding(vocab=${vocab}, dim=${dim}, init=uniform(min=-0.5, max=0.5))` : `embedding(${vocab}, ${dim})`;
  const flatten = s.variant % 2 === 0;
  const dims = [...t.sizes, dim];
  b.define(`${b.use(t)} -> ${spelled}${flatten ? ' -> flatten' : ''}`, knownShape(flatten ? [dims.reduce((p, d) => p * d, 1)] : dims), 'none');
}
