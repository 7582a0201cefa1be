import type { IToken } from 'chevrotain';

/**
 * Bison's rule against cascades: after a syntax error the parser has resynchronised on a
 * guess, so errors in the next few tokens are usually consequences of the first one and
 * are not reported. Lexical errors cast the same shadow on the tokens after them: a stray
 * `ï` splits `sigmoïd` and the parser then trips over the `d`.
 */
const SHADOW = 3;

export class ErrorShadows {
  /** Token indices where a shadow starts; it covers that token and the next two. */
  private readonly starts = new Set<number>();

  constructor(private readonly tokens: readonly IToken[]) {}

  /** Index of the first token at or after `offset`; `tokens.length` past the last one. */
  indexAt(offset: number): number {
    let low = 0;
    let high = this.tokens.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.tokens[mid]!.startOffset < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  cast(index: number): void {
    this.starts.add(index);
  }

  covers(index: number): boolean {
    for (let start = index; start > index - SHADOW; start--) if (this.starts.has(start)) return true;
    return false;
  }
}
