import type { IToken } from 'chevrotain';
import { Arrow, isKeywordToken, NumberLiteral, StringLiteral, UnterminatedString } from '../../../grammar/tokens.js';
import type { DocumentAnalysis } from '../analysis/analyze.js';
import type { Meaning } from '../analysis/occurrences.js';
import type { SemanticToken, SemanticTokenModifier, SemanticTokenType } from '../types.js';

type Classified = { type: SemanticTokenType; modifiers: SemanticTokenModifier[] } | undefined;

const builtIn: SemanticTokenModifier[] = ['defaultLibrary'];

const byMeaning: { [K in Meaning['kind']]: (m: Extract<Meaning, { kind: K }>) => Classified } = {
  symbol: (m) => {
    const modifiers: SemanticTokenModifier[] = m.declaration ? ['declaration'] : [];
    const type: SemanticTokenType = { model: 'class', block: 'class', input: 'variable', definition: 'variable', output: 'variable', layer: 'function', parameter: 'parameter' }[m.symbol.kind] as SemanticTokenType;
    return { type, modifiers };
  },
  op: () => ({ type: 'function', modifiers: builtIn }),
  repeat: () => ({ type: 'function', modifiers: builtIn }),
  activation: () => ({ type: 'function', modifiers: builtIn }),
  initializer: () => ({ type: 'function', modifiers: builtIn }),
  optimizer: () => ({ type: 'function', modifiers: builtIn }),
  loss: () => ({ type: 'enumMember', modifiers: builtIn }),
  metric: () => ({ type: 'enumMember', modifiers: builtIn }),
  enum: () => ({ type: 'enumMember', modifiers: builtIn }),
  argument: () => ({ type: 'property', modifiers: [] }),
  setting: () => ({ type: 'property', modifiers: [] }),
  unresolved: () => undefined,
};

/**
 * Every token with what it means: names by what they resolve to (a tensor, a shared layer, a
 * block parameter, a built-in op...), which a TextMate grammar cannot tell apart; keywords,
 * literals, arrows and comments as such. In source order.
 */
export function semanticTokens(analysis: DocumentAnalysis): SemanticToken[] {
  const dtypes = new Set<number>();
  for (const decl of analysis.program.declarations) {
    for (const statement of decl.body) if (statement.kind === 'Input' && statement.shape?.dtype) dtypes.add(statement.shape.dtype.span.start.offset);
  }
  const out: SemanticToken[] = [];
  const push = (token: IToken, classified: Classified): void => {
    if (!classified) return;
    const { line, character } = analysis.lines.position(token.startOffset);
    out.push({ line, character, length: token.image.length, ...classified });
  };
  const comments = analysis.comments;
  let c = 0;
  for (const token of analysis.tokens) {
    while (c < comments.length && comments[c]!.startOffset < token.startOffset) push(comments[c++]!, { type: 'comment', modifiers: [] });
    push(token, classify(token, analysis, dtypes));
  }
  while (c < comments.length) push(comments[c++]!, { type: 'comment', modifiers: [] });
  return out;
}

function classify(token: IToken, analysis: DocumentAnalysis, dtypes: ReadonlySet<number>): Classified {
  const type = token.tokenType;
  if (isKeywordToken(type)) return { type: 'keyword', modifiers: [] };
  if (type === NumberLiteral) return { type: 'number', modifiers: [] };
  if (type === Arrow) return { type: 'operator', modifiers: [] };
  if (dtypes.has(token.startOffset)) return { type: 'type', modifiers: builtIn };
  const occurrence = analysis.occurrences.at(token.startOffset);
  if (occurrence && occurrence.id.span.start.offset === token.startOffset) {
    const meaning = occurrence.meaning;
    const classified = (byMeaning[meaning.kind] as (m: Meaning) => Classified)(meaning);
    if (classified) return classified;
  }
  if (type === StringLiteral || type === UnterminatedString) return { type: 'string', modifiers: [] };
  return undefined;
}
