/**
 * nnc's public API. Everything here is browser-safe: no Node-only imports.
 *
 *   const { ok, code, diagnostics, summary } = await compile(source, { filename: 'model.nn' });
 */
export { check, compile, selectModel } from './compile.js';
export { compileTypes } from './compile-types.js';
export type { TypesResult } from './compile-types.js';
export { compileOnnx } from './compile-onnx.js';
export type { OnnxCompileOptions, OnnxCompileResult } from './compile-onnx.js';
export { buildOnnxModel, encodeOnnx } from './onnx/export-model.js';
export type { OnnxExportOptions } from './onnx/export-model.js';
export { modelText as onnxText } from './onnx/text.js';
export { decodeModelProto, type ModelProto } from './onnx/proto/onnx.js';
export { MIN_OPSET, MAX_OPSET, DEFAULT_OPSET } from './onnx/opset.js';
export { compileTorch } from './compile-torch.js';
export type { TorchCompileResult } from './compile-torch.js';
export type { TorchFiles } from './codegen/torch/generate.js';
export { gradcheck } from './gradcheck.js';
export type { GradcheckResult, GradcheckSourceOptions } from './gradcheck.js';
export type { GradcheckReport, TensorCheck, Grade, GradcheckMode } from './reference/gradcheck.js';
export { ReferenceModel } from './reference/engine.js';
export type { Tensor64 } from './reference/tensor.js';
export type { CheckOptions, CheckResult, CompileOptions, CompileResult } from './compile.js';
export type { Diagnostic, Label, Severity } from './diagnostics/diagnostic.js';
export { hasErrors } from './diagnostics/diagnostic.js';
export { diagnosticTable, diagnosticByCode } from './diagnostics/codes.js';
export type { DiagnosticDef, DiagnosticKey } from './diagnostics/codes.js';
export type { Position, Span } from './diagnostics/span.js';
// The renderer `nnc check` prints with, for build tools (also alone, as `nnc/diagnostics`).
export { renderDiagnostic, renderOutcome, renderReport } from './diagnostics/render.js';
export type { RenderOptions } from './diagnostics/render.js';
export type * from './ir/ir.js';
export type { ModelSummary, SummaryRow } from './summary.js';
export type * from './parse/ast.js';
export { registry } from './registry/registry.js';
export type { OpDef, ParamSpec, ParamType } from './registry/op.js';
export { analyzeSignal } from './analysis/signal.js';
export type { SignalAnalysis, SignalRow } from './analysis/signal.js';
export { probeModel } from './analysis/probe.js';
export { printProgram } from './print/print-program.js';
export { parse } from './parse/parse.js';
export { Reporter } from './diagnostics/reporter.js';
export { format } from './print/format.js';
export type { FormatResult } from './print/format.js';
export { createLanguageService } from './service/index.js';
export type { LanguageService } from './service/index.js';
export type * as service from './service/types.js';
export { registerKernels, nncKernels } from './tfjs-kernels/register.js';
export type { NncKernel } from './tfjs-kernels/register.js';
export { modelKernels } from './tfjs-kernels/op-kernels.js';
