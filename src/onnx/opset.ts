/**
 * The opsets nnc exports to. Every op has a lowering for each of them; where ONNX added an
 * operator later (LayerNormalization in 17, Gelu in 20) older opsets get a decomposition.
 */
export const MIN_OPSET = 13;
export const MAX_OPSET = 21;
export const DEFAULT_OPSET = 17;

/**
 * The IR version that shipped with each opset (ONNX's own table, onnx.helper.VERSION_TABLE):
 * runtimes read the IR version first, so a model declares the oldest one its opset allows.
 */
const IR_VERSIONS: ReadonlyArray<[opset: number, ir: number]> = [
  [13, 7],
  [14, 7],
  [15, 8],
  [16, 8],
  [17, 8],
  [18, 8],
  [19, 9],
  [20, 9],
  [21, 10],
];

export function irVersion(opset: number): number {
  const entry = IR_VERSIONS.find(([o]) => o === opset);
  if (!entry) throw new RangeError(`opset ${opset} is not supported: nnc exports opsets ${MIN_OPSET} to ${MAX_OPSET}`);
  return entry[1];
}

export function isSupportedOpset(opset: number): boolean {
  return Number.isInteger(opset) && opset >= MIN_OPSET && opset <= MAX_OPSET;
}
