import { analyzeDocument, type DocumentAnalysis } from './analysis/analyze.js';
import { MomentTables } from '../analysis/moments.js';
import { codeActions } from './features/code-actions.js';
import { completions } from './features/completion.js';
import { documentSymbols } from './features/document-symbols.js';
import { formatting } from './features/formatting.js';
import { hover } from './features/hover.js';
import { inlayHints } from './features/inlay-hints.js';
import { definition, references } from './features/navigation.js';
import { prepareRename, rename } from './features/rename.js';
import { semanticTokens } from './features/semantic-tokens.js';
import { signatureHelp } from './features/signature-help.js';
import { spanRange } from './line-map.js';
import type {
  CodeAction,
  CompletionItem,
  DocumentSymbol,
  FormatOptions,
  Hover,
  InlayHint,
  Location,
  Position,
  Range,
  RenameResult,
  SemanticToken,
  ServiceDiagnostic,
  SignatureHelp,
  TextEdit,
} from './types.js';

/**
 * The language service: every editor feature of nnc, for any number of open documents, in
 * the browser-safe core. Documents are opened and updated with their full text and a version;
 * the first request after an update analyzes that version once (parse, check, depth analysis)
 * and every later request on it reuses the analysis. Requests on a document that is not open
 * return empty answers. Every answer is plain data (see types.ts): a Web Worker can post it
 * as it is, and the LSP adapter in src/cli/lsp maps it to the protocol's types.
 */
export interface LanguageService {
  /** Opens or replaces a document. */
  open(uri: string, text: string, version: number): void;
  /** The same as `open`: a new full text for a new version. */
  update(uri: string, text: string, version: number): void;
  close(uri: string): void;
  /** The document's text and version, if it is open. */
  document(uri: string): { text: string; version: number } | undefined;
  /** Exactly the diagnostics of `nnc check` for the text, as ranges. */
  diagnostics(uri: string): ServiceDiagnostic[];
  hover(uri: string, position: Position): Hover | undefined;
  completions(uri: string, position: Position): CompletionItem[];
  signatureHelp(uri: string, position: Position): SignatureHelp | undefined;
  /** Shapes after definitions and stages, within `range` (default: all). */
  inlayHints(uri: string, range?: Range): InlayHint[];
  definition(uri: string, position: Position): Location[];
  references(uri: string, position: Position, includeDeclaration?: boolean): Location[];
  prepareRename(uri: string, position: Position): { ok: true; range: Range; placeholder: string } | { ok: false; reason: string };
  rename(uri: string, position: Position, newName: string): RenameResult;
  documentSymbols(uri: string): DocumentSymbol[];
  semanticTokens(uri: string): SemanticToken[];
  /** Quick fixes for the diagnostics in `range`, and the rewrites that apply there. */
  codeActions(uri: string, range: Range): CodeAction[];
  /** The formatter's edits; none for a document with syntax errors. */
  format(uri: string, options?: FormatOptions): TextEdit[];
  formatRange(uri: string, range: Range, options?: FormatOptions): TextEdit[];
  /** The analysis behind the answers (for tools and tests); computed if needed. */
  analysis(uri: string): DocumentAnalysis | undefined;
}

interface Entry {
  text: string;
  version: number;
  analysis?: DocumentAnalysis;
}

export function createLanguageService(): LanguageService {
  const documents = new Map<string, Entry>();
  // One set for every document and version: the quadratures of an edited model's activations are done once.
  const moments = new MomentTables();

  const analysisOf = (uri: string): DocumentAnalysis | undefined => {
    const entry = documents.get(uri);
    if (!entry) return undefined;
    entry.analysis ??= analyzeDocument(uri, entry.text, entry.version, moments);
    return entry.analysis;
  };
  /** Runs `query` on the document's analysis at a position given as line and character. */
  const at = <T>(uri: string, position: Position, fallback: T, query: (a: DocumentAnalysis, offset: number) => T): T => {
    const analysis = analysisOf(uri);
    return analysis ? query(analysis, analysis.lines.offset(position)) : fallback;
  };
  const open = (uri: string, text: string, version: number): void => {
    documents.set(uri, { text, version });
  };

  return {
    open,
    update: open,
    close: (uri) => void documents.delete(uri),
    document: (uri) => {
      const entry = documents.get(uri);
      return entry && { text: entry.text, version: entry.version };
    },
    diagnostics: (uri) =>
      (analysisOf(uri)?.diagnostics ?? []).map((d) => ({
        code: d.code,
        severity: d.severity,
        message: d.message,
        range: spanRange(d.span),
        labels: d.labels.map((l) => ({ range: spanRange(l.span), message: l.message })),
        ...(d.help !== undefined ? { help: d.help } : {}),
      })),
    hover: (uri, position) => at(uri, position, undefined, hover),
    completions: (uri, position) => at(uri, position, [], completions),
    signatureHelp: (uri, position) => at(uri, position, undefined, signatureHelp),
    inlayHints: (uri, range) => {
      const analysis = analysisOf(uri);
      if (!analysis) return [];
      return range ? inlayHints(analysis, analysis.lines.offset(range.start), analysis.lines.offset(range.end)) : inlayHints(analysis);
    },
    definition: (uri, position) => at(uri, position, [], definition),
    references: (uri, position, includeDeclaration = true) => at(uri, position, [], (a, offset) => references(a, offset, includeDeclaration)),
    prepareRename: (uri, position) => at(uri, position, { ok: false as const, reason: 'the document is not open' }, prepareRename),
    rename: (uri, position, newName) => at(uri, position, { ok: false as const, reason: 'the document is not open' }, (a, offset) => rename(a, offset, newName)),
    documentSymbols: (uri) => {
      const analysis = analysisOf(uri);
      return analysis ? documentSymbols(analysis) : [];
    },
    semanticTokens: (uri) => {
      const analysis = analysisOf(uri);
      return analysis ? semanticTokens(analysis) : [];
    },
    codeActions: (uri, range) => {
      const analysis = analysisOf(uri);
      return analysis ? codeActions(analysis, analysis.lines.offset(range.start), analysis.lines.offset(range.end)) : [];
    },
    format: (uri, options) => {
      const analysis = analysisOf(uri);
      return analysis ? formatting(analysis, options) : [];
    },
    formatRange: (uri, range, options) => {
      const analysis = analysisOf(uri);
      return analysis ? formatting(analysis, options, range) : [];
    },
    analysis: analysisOf,
  };
}
