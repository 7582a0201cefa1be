import { checkRules, integer, isBoolean, isString, requireOptions, requireSource } from './api-arguments.js';
import { checkSource, selectModel, type CheckOptions, type CheckResult } from './compile.js';
import type { IRModel } from './ir/ir.js';
import { buildOnnxModel, encodeOnnx, type OnnxExportOptions } from './onnx/export-model.js';
import { DEFAULT_OPSET, isSupportedOpset, MAX_OPSET, MIN_OPSET } from './onnx/opset.js';
import type { ModelProto } from './onnx/proto/onnx.js';
import { modelText } from './onnx/text.js';

export interface OnnxCompileOptions extends CheckOptions {
  /** The default-domain opset, from 13 to 21; default 17. */
  opset?: number;
  /** Seed of the initial weights; default: the train block's `seed`, else 0. */
  seed?: number;
  /** nnc's version, recorded in the model (producer_version, metadata). */
  producerVersion?: string;
  /** Also render the model in ONNX's textual syntax (every weight written out). */
  text?: boolean;
}

export interface OnnxCompileResult extends CheckResult {
  /** The model exported; null when there are errors. */
  model: string | null;
  /** The .onnx file; null when there are errors. */
  onnx: Uint8Array | null;
  /** The ModelProto behind `onnx`; null when there are errors. */
  proto: ModelProto | null;
  /** With `text`, the same model in ONNX's textual syntax; otherwise null. */
  text: string | null;
  opset: number;
}

/** The seed of a model's exported initial weights: the train block's, else 0. */
export function onnxSeed(model: IRModel, seed?: number): number {
  return seed ?? model.train?.seed ?? 0;
}

/**
 * Parse, validate and export one model to ONNX with its initial weights (the reference engine's
 * seeded initialization, so the same seed gives the same weights as `gradcheck` and `probe`).
 * Never throws for anything in `source`; an opset outside 13 to 21 is a RangeError.
 */
const onnxRules = { ...checkRules, opset: integer(MIN_OPSET, MAX_OPSET), seed: integer(0), producerVersion: isString, text: isBoolean };

export function compileOnnx(source: string, options: OnnxCompileOptions = {}): OnnxCompileResult {
  requireSource('compileOnnx', source);
  requireOptions('compileOnnx', options, onnxRules);
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!isSupportedOpset(opset)) throw new RangeError(`opset must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, found ${opset}`);
  const checked = checkSource(source, options, true);
  const model = checked.ok ? selectModel(checked.ir, options.model) : undefined;
  if (!model) return { ...checked, ok: false, model: null, onnx: null, proto: null, text: null, opset };
  const exportOptions: OnnxExportOptions = {
    opset,
    seed: onnxSeed(model, options.seed),
    source: { filename: options.filename ?? '<input>', text: source },
    ...(options.producerVersion !== undefined ? { producerVersion: options.producerVersion } : {}),
  };
  const proto = buildOnnxModel(model, exportOptions);
  return { ...checked, model: model.name, onnx: encodeOnnx(proto), proto, text: options.text ? modelText(proto) : null, opset };
}
