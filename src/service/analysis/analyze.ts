import type { IToken } from 'chevrotain';
import { lexer } from '../../../grammar/tokens.js';
import { checkParsed, parseSource, type Parsed } from '../../analyze-source.js';
import type { MomentTables } from '../../analysis/moments.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Declaration, Program } from '../../parse/ast.js';
import { LineMap } from '../line-map.js';
import { Facts } from './facts.js';
import { OccurrenceIndex } from './occurrences.js';
import { resolveOccurrences } from './resolve.js';
import { collectSymbols, type FileSymbols } from './symbols.js';

/**
 * Everything the service knows about one version of a document, each part computed once, when
 * first asked for: the parse (with the file's symbols, what each identifier means, and the
 * tokens), then the check of `nnc check` on that parse (same code path, same diagnostics) with
 * what the checker found on the way. Completion needs only the parse, so on a large file it
 * does not wait for the check.
 */
export class DocumentAnalysis {
  readonly lines: LineMap;
  readonly program: Program;
  readonly symbols: FileSymbols;
  readonly occurrences: OccurrenceIndex;
  /** Every token but comments and whitespace, in order. */
  readonly tokens: readonly IToken[];
  readonly comments: readonly IToken[];
  private readonly parsed: Parsed;
  private checked?: { diagnostics: Diagnostic[]; facts: Facts };

  constructor(readonly uri: string, readonly text: string, readonly version: number, private readonly moments?: MomentTables) {
    this.parsed = parseSource(text);
    this.program = this.parsed.program;
    this.lines = new LineMap(text);
    this.symbols = collectSymbols(this.program);
    this.occurrences = new OccurrenceIndex(resolveOccurrences(this.symbols));
    const lexed = lexer.tokenize(text);
    this.tokens = lexed.tokens;
    this.comments = lexed.groups.comments ?? [];
  }

  private check(): { diagnostics: Diagnostic[]; facts: Facts } {
    if (!this.checked) {
      const facts = new Facts();
      const { diagnostics } = checkParsed(this.parsed, { filename: this.uri }, { trace: facts, moments: this.moments });
      this.checked = { diagnostics, facts };
    }
    return this.checked;
  }

  /** Exactly what `nnc check` reports for this text. */
  get diagnostics(): Diagnostic[] {
    return this.check().diagnostics;
  }

  /** What the checker found: types, layers, block uses, IR and depth analysis. */
  get facts(): Facts {
    return this.check().facts;
  }

  /** The facts if the check has already run; undefined rather than waiting for it. */
  factsIfChecked(): Facts | undefined {
    return this.checked?.facts;
  }

  /** Whether the parser reported syntax errors (the formatter then leaves the text alone). */
  get hasSyntaxErrors(): boolean {
    return this.parsed.reporter.diagnostics.length > 0;
  }
}

export function analyzeDocument(uri: string, text: string, version: number, moments?: MomentTables): DocumentAnalysis {
  return new DocumentAnalysis(uri, text, version, moments);
}

/** The declaration an offset is in: the one whose span holds it, else the last one that starts before it (its body may be unclosed). */
export function declarationAt(analysis: DocumentAnalysis, offset: number): Declaration | undefined {
  let found: Declaration | undefined;
  for (const decl of analysis.program.declarations) {
    if (decl.span.start.offset > offset) break;
    found = decl;
    if (offset <= decl.span.end.offset) return decl;
  }
  return found && found.span.end.offset >= offset ? found : lastUnclosed(analysis, found, offset);
}

/** After a declaration that ended before the offset, the offset is in it only if its body never closed. */
function lastUnclosed(analysis: DocumentAnalysis, decl: Declaration | undefined, offset: number): Declaration | undefined {
  if (!decl) return undefined;
  let depth = 0;
  for (const token of analysis.tokens) {
    if (token.startOffset < decl.span.start.offset) continue;
    if (token.startOffset >= offset) break;
    if (token.image === '{') depth++;
    else if (token.image === '}') depth--;
  }
  return depth > 0 ? decl : undefined;
}
