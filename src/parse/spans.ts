import type { IToken } from 'chevrotain';
import type { Position, Span } from '../diagnostics/span.js';

/**
 * Spans from chevrotain tokens. Chevrotain's end offset and column are inclusive; ours are
 * exclusive. Tokens inserted by error recovery have no location and are never used.
 */

export function isRealToken(token: IToken | undefined): token is IToken {
  return token !== undefined && token.isInsertedInRecovery !== true && Number.isFinite(token.startOffset);
}

export function tokenSpan(token: IToken): Span {
  return {
    start: { offset: token.startOffset, line: token.startLine!, column: token.startColumn! },
    end: { offset: token.endOffset! + 1, line: token.endLine!, column: token.endColumn! + 1 },
  };
}

export type Spanned = IToken | { span: Span } | undefined;

/** The smallest span covering every located part, or undefined when none has a location. */
export function spanOver(parts: readonly Spanned[]): Span | undefined {
  let start: Position | undefined;
  let end: Position | undefined;
  for (const part of parts) {
    if (part === undefined) continue;
    let span: Span;
    if ('span' in part) span = part.span;
    else if (isRealToken(part)) span = tokenSpan(part);
    else continue;
    if (start === undefined || span.start.offset < start.offset) start = span.start;
    if (end === undefined || span.end.offset > end.offset) end = span.end;
  }
  return start && end ? { start, end } : undefined;
}

/** The empty span just past the last character, where "end of file" is reported. */
export function endOfSource(source: string): Span {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    // Line breaks as chevrotain counts them: \n, \r\n and a lone \r.
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  const position = { offset: source.length, line, column: source.length - lineStart + 1 };
  return { start: position, end: position };
}
