/**
 * `nnc/diagnostics`: what a build tool needs to show nnc's diagnostics, without the compiler.
 * A bundler plugin, a dev server's error overlay or a CI annotator that receives diagnostics
 * (from `compile()`, `nnc check --json` or a worker) renders them exactly as `nnc check` does,
 * and reads the table of codes, loading nothing but this folder (no parser, no tfjs).
 */
export { renderDiagnostic, renderOutcome, renderReport } from './render.js';
export type { RenderOptions } from './render.js';
export { hasErrors, sortDiagnostics } from './diagnostic.js';
export type { Diagnostic, Label, Severity } from './diagnostic.js';
export { diagnosticTable, diagnosticByCode } from './codes.js';
export type { DiagnosticDef, DiagnosticKey } from './codes.js';
export { formatSpan } from './span.js';
export type { Position, Span } from './span.js';
