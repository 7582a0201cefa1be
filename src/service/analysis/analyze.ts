import type { IToken } from 'chevrotain';
import { lexer } from '../../../grammar/tokens.js';
import { analyzeSource } from '../../analyze-source.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Declaration, Program } from '../../parse/ast.js';
import { LineMap } from '../line-map.js';
import { Facts } from './facts.js';
import { OccurrenceIndex } from './occurrences.js';
import { resolveOccurrences } from './resolve.js';
import { collectSymbols, type FileSymbols } from './symbols.js';

/**
 * Everything the service knows about one version of a document, computed once: the parse and
 * check of `nnc check` (same code path, same diagnostics), what the checker found on the way
 * (facts), the file's symbols and what each identifier means, and its tokens.
 */
export interface DocumentAnalysis {
  uri: string;
  version: number;
  text: string;
  lines: LineMap;
  program: Program;
  diagnostics: Diagnostic[];
  facts: Facts;
  symbols: FileSymbols;
  occurrences: OccurrenceIndex;
  /** Every token but comments and whitespace, in order. */
  tokens: readonly IToken[];
  comments: readonly IToken[];
}

export function analyzeDocument(uri: string, text: string, version: number): DocumentAnalysis {
  const facts = new Facts();
  const { program, diagnostics } = analyzeSource(text, { filename: uri }, { trace: facts });
  const symbols = collectSymbols(program);
  const lexed = lexer.tokenize(text);
  return {
    uri,
    version,
    text,
    lines: new LineMap(text),
    program,
    diagnostics,
    facts,
    symbols,
    occurrences: new OccurrenceIndex(resolveOccurrences(symbols)),
    tokens: lexed.tokens,
    comments: lexed.groups.comments ?? [],
  };
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
