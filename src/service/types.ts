/**
 * The language service's answers: plain, JSON-serialisable data (a Web Worker can post them
 * as they are), in nnc's own terms. Positions are zero-based lines and characters, where a
 * character is a UTF-16 code unit (a JavaScript string index within the line), as in the
 * Language Server Protocol; `\n`, `\r\n` and a lone `\r` end lines.
 */

export interface Position {
  /** Zero-based line. */
  line: number;
  /** Zero-based UTF-16 code unit offset within the line. */
  character: number;
}

/** A half-open range [start, end). */
export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** A diagnostic of `nnc check`, with its spans as ranges. */
export interface ServiceDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  labels: Array<{ range: Range; message: string }>;
  help?: string;
}

export interface Hover {
  range: Range;
  /** Markdown: a fenced `nn` signature or type, then prose. */
  contents: string;
}

export type CompletionKind =
  | 'op'
  | 'block'
  | 'layer'
  | 'tensor'
  | 'parameter'
  | 'argument'
  | 'activation'
  | 'initializer'
  | 'loss'
  | 'optimizer'
  | 'metric'
  | 'setting'
  | 'value'
  | 'keyword'
  | 'output';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** One line: a signature or a type. */
  detail?: string;
  /** Markdown documentation from the registry. */
  documentation?: string;
  /** The text replacing `range`; `$1`, `$0` mark tab stops when `snippet` is set. */
  insertText: string;
  snippet?: boolean;
  /** The identifier being typed (empty at the cursor when none). */
  range: Range;
  /** Orders items; smaller first. */
  sortText?: string;
}

export interface SignatureHelp {
  /** `dense(units, activation=linear, bias=true, init=auto, bias_init=zeros)`. */
  label: string;
  documentation?: string;
  parameters: Array<{ label: string; documentation?: string }>;
  /** Index into `parameters`, or -1 when the argument matches none. */
  activeParameter: number;
}

export interface InlayHint {
  position: Position;
  /** `[?, 30]`, or `: [?, 30]` after a name. */
  label: string;
  kind: 'type';
  tooltip?: string;
}

export interface Location {
  uri: string;
  range: Range;
}

export type SymbolKind = 'model' | 'block' | 'input' | 'output' | 'definition' | 'layer' | 'parameter' | 'train';

export interface DocumentSymbol {
  name: string;
  kind: SymbolKind;
  /** A type or a signature. */
  detail?: string;
  /** The whole declaration or statement. */
  range: Range;
  /** The name. */
  selectionRange: Range;
  children: DocumentSymbol[];
}

export const SEMANTIC_TOKEN_TYPES = [
  'keyword',
  'class',
  'function',
  'variable',
  'parameter',
  'property',
  'enumMember',
  'type',
  'number',
  'string',
  'comment',
  'operator',
] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration', 'defaultLibrary'] as const;

export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];
export type SemanticTokenModifier = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];

/** One token of one line, in source order. */
export interface SemanticToken {
  line: number;
  character: number;
  length: number;
  type: SemanticTokenType;
  modifiers: SemanticTokenModifier[];
}

export interface CodeAction {
  title: string;
  /** A fix of a diagnostic, or a rewrite offered where it applies. */
  kind: 'quickfix' | 'refactor';
  /** The diagnostic it fixes: its code and range. */
  diagnostic?: { code: string; range: Range };
  /** Applying it to the document: edits in its current text. */
  edits: TextEdit[];
  preferred?: boolean;
}

export type RenameResult = { ok: true; edits: TextEdit[] } | { ok: false; reason: string };

export interface FormatOptions {
  /** Line width; default 80. */
  width?: number;
}
