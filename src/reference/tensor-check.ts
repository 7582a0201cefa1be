import type { Components } from './finite-difference.js';
import { grade, gradeAt, relativeDifference, resolutionOf, worst, type Grade } from './grades.js';

/** `loss`: central differences of the loss; `layer`: of each op alone, at the activations it saw. */
export type CheckMethod = 'loss' | 'layer';

/** What a row of the report is about. */
export interface RowInfo {
  /** `hidden/dense_1/kernel`; `hidden/dense_1 (input)` for an op's input; `loss of y` for a loss. */
  name: string;
  /** `weight`: a trainable tensor. Layer-by-layer checks add the ops' `input`s and the outputs' `loss`. */
  kind: 'weight' | 'input' | 'loss';
  /** The layer (for a loss: the output's name). */
  layer: string;
  /** The weight's name; `input`, `input 2`... for an op input; the loss's name for a loss. */
  weight: string;
  /** Source line of the layer (of the output, for a loss). */
  line: number;
  /** The weight's shape; for an input or a prediction, the checked tensor's, batch first. */
  shape: number[];
}

export interface TensorCheck extends RowInfo {
  /** How the tensor was graded. */
  method: CheckMethod;
  checked: number;
  /** Components skipped because θ±ε crossed a kink (relu at 0, a max changing its argmax...). */
  kinks: number;
  /**
   * Components skipped because both gradients are below what a finite difference can resolve
   * (the rounding error of the function over 2ε).
   */
  unresolved: number;
  difference: number;
  /** The difference rounding alone could cause: a disagreement below a few of these is not judged. */
  resolution: number;
  grade: Grade;
}

/**
 * One graded row from the compared components. `consistency` is a difference computed without
 * finite differences (layer by layer: the gradient under test against the chained backward of
 * the ops), graded as it is.
 */
export function tensorRow(info: RowInfo, components: Components, method: CheckMethod, consistency = 0): TensorCheck {
  const { numeric, analytic, noise } = components;
  const measured = relativeDifference(numeric, analytic);
  const resolution = resolutionOf(noise, numeric, analytic);
  return {
    name: info.name,
    kind: info.kind,
    layer: info.layer,
    weight: info.weight,
    method,
    line: info.line,
    shape: [...info.shape],
    checked: numeric.length,
    kinks: components.kinks,
    unresolved: components.unresolved,
    difference: Math.max(measured, consistency),
    resolution,
    grade: worst([gradeAt(measured, resolution, numeric.length), grade(consistency)]),
  };
}
