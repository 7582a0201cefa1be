import type { IToken } from 'chevrotain';
import type { Position, Span } from '../diagnostics/span.js';

/**
 * Spans from token offsets. The lexer tracks start offsets only (cheaper, and smaller
 * tokens): a token ends where its image does, and lines and columns are looked up here,
 * counting line breaks as chevrotain would: `\n`, `\r\n` and a lone `\r`.
 */
export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];

  constructor(readonly source: string) {
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  /** The line of the previous lookup: the builders mostly ask in source order. */
  private line = 0;

  position(offset: number): Position {
    const starts = this.starts;
    const line = this.line;
    if (starts[line]! <= offset && (line + 1 === starts.length || offset < starts[line + 1]!)) {
      return { offset, line: line + 1, column: offset - starts[line]! + 1 };
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    this.line = low;
    return { offset, line: low + 1, column: offset - starts[low]! + 1 };
  }

  span(start: number, end: number): Span {
    return { start: this.position(start), end: this.position(end) };
  }

  tokenSpan(token: IToken): Span {
    return this.span(token.startOffset, token.startOffset + token.image.length);
  }

  /** The empty span just past the last character, where "end of file" is reported. */
  endOfSource(): Span {
    return this.span(this.source.length, this.source.length);
  }
}

/** False for tokens that error recovery inserted: they have no location. */
export function isRealToken(token: IToken | undefined): token is IToken {
  return token !== undefined && token.isInsertedInRecovery !== true && Number.isFinite(token.startOffset);
}

export type Spanned = IToken | { span: Span } | undefined;

/** The smallest span covering every located part, or undefined when none has a location. */
export function spanOver(parts: readonly Spanned[], lines: LineIndex): Span | undefined {
  let start: Position | undefined;
  let end: Position | undefined;
  for (const part of parts) {
    if (part === undefined) continue;
    let span: Span;
    if ('span' in part) span = part.span;
    else if (isRealToken(part)) span = lines.tokenSpan(part);
    else continue;
    if (start === undefined || span.start.offset < start.offset) start = span.start;
    if (end === undefined || span.end.offset > end.offset) end = span.end;
  }
  return start && end ? { start, end } : undefined;
}
