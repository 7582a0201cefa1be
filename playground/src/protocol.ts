/**
 * Messages between the page and the language service's Web Worker. Every answer is the
 * service's own plain data (src/service/types.ts), posted as it is.
 */
import type { LaidOutGraph } from './graph-model.js';
import type { CodeAction, CompletionItem, Hover, InlayHint, Position, ServiceDiagnostic, TextEdit } from '../../src/service/types.js';

export interface PanelsAnswer {
  /** `nnc check`'s summary table of every model that checked, as it prints it. */
  summary: string;
  /** The depth analysis table of `nnc check --depth`, per model that checked. */
  depth: string;
}

export interface CodeAnswer {
  /** The generated TypeScript module; null when the file has errors or several models. */
  code: string | null;
  /** Why there is no code, in one sentence. */
  reason?: string;
}

/** What the page asks, and what each question is answered with. */
export interface Requests {
  /** A new text: answered once it is analyzed, with everything the editor shows for it. */
  update: { ask: { text: string; version: number }; answer: { version: number; diagnostics: ServiceDiagnostic[]; fixes: CodeAction[]; hints: InlayHint[] } };
  hover: { ask: { position: Position }; answer: Hover | null };
  completions: { ask: { position: Position }; answer: CompletionItem[] };
  format: { ask: Record<string, never>; answer: TextEdit[] };
  panels: { ask: Record<string, never>; answer: PanelsAnswer };
  code: { ask: Record<string, never>; answer: CodeAnswer };
  /** Every model that checked, laid out; with none, why. */
  graph: { ask: Record<string, never>; answer: { graphs: LaidOutGraph[]; reason?: string } };
}

export type RequestKind = keyof Requests;

export interface RequestMessage<K extends RequestKind = RequestKind> {
  id: number;
  kind: K;
  ask: Requests[K]['ask'];
  /** The editor's text, when the worker may not have it yet: a question is about the text the user sees. */
  sync?: { text: string; version: number };
}

export type ResponseMessage = { id: number; answer: unknown } | { id: number; error: string };
