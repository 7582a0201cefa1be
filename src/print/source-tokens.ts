import type { IToken } from 'chevrotain';
import { lexer } from '../../grammar/tokens.js';

/**
 * The tokens of a source text, for what the AST does not keep: where brackets open, and
 * which token precedes a comment. Lexed once per format.
 */
export class SourceTokens {
  readonly tokens: readonly IToken[];

  constructor(readonly source: string) {
    this.tokens = lexer.tokenize(source).tokens;
  }

  /** The offset of the first token with this text at or after `from`; -1 when there is none. */
  next(image: string, from: number): number {
    const tokens = this.tokens;
    let low = 0;
    let high = tokens.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (tokens[mid]!.startOffset < from) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < tokens.length; i++) if (tokens[i]!.image === image) return tokens[i]!.startOffset;
    return -1;
  }

  /** Whether the text between two offsets holds a line break. */
  breaksBetween(from: number, to: number): boolean {
    for (let i = from; i < to; i++) {
      const c = this.source.charCodeAt(i);
      if (c === 10 || c === 13) return true;
    }
    return false;
  }
}
