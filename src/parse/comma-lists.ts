import type { CstNode, IToken, TokenType } from 'chevrotain';
import { describeToken, describeTokenType } from './expected-words.js';
import type { BuildContext } from './context.js';
import { isRealToken } from './spans.js';

/**
 * The items of a comma list in source order. Items the parser accepted without their `,`
 * (labelled `missingComma`, see NnParser) are merged back in, each reported once as the
 * `unexpectedToken` chevrotain would have reported.
 */
export function listInOrder<N extends CstNode>(
  items: N[] | undefined,
  missingComma: N[] | undefined,
  closer: TokenType,
  ctx: BuildContext,
): N[] {
  if (!missingComma) return items ?? [];
  const located: Array<[number, N]> = [];
  for (const node of items ?? []) {
    const first = firstToken(node);
    if (first) located.push([first.startOffset, node]);
  }
  for (const node of missingComma) {
    const first = firstToken(node);
    if (!first) continue;
    ctx.report('unexpectedToken', ctx.lines.tokenSpan(first), {
      expected: `\`,\` or ${describeTokenType(closer)}`,
      found: describeToken(first),
    });
    located.push([first.startOffset, node]);
  }
  return located.sort((a, b) => a[0] - b[0]).map(([, node]) => node);
}

/** The located token that starts `node`; children are keyed by label, so all are searched. */
export function firstToken(node: CstNode): IToken | undefined {
  let best: IToken | undefined;
  for (const children of Object.values(node.children)) {
    for (const child of children) {
      const token = 'children' in child ? firstToken(child) : isRealToken(child) ? child : undefined;
      if (token && (!best || token.startOffset < best.startOffset)) best = token;
    }
  }
  return best;
}
