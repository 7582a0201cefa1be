import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import * as t from '../../grammar/tokens.js';

/**
 * Chevrotain's error message provider, reduced to one job: saying in words what the parser
 * expected. parse() pairs the phrase with what it found to report `unexpectedToken`, so
 * each "message" here is only the `expected` parameter.
 */

export const STATEMENT = 'a statement (`input`, `output`, `layer`, `train` or a definition)';
const DECLARATION = '`model` or `block`';

/** `` `=` ``, `a name`, `end of file`. */
export function describeTokenType(type: TokenType): string {
  if (type === EOF) return 'end of file';
  if (t.isLiteralToken(type)) return `\`${type.PATTERN as string}\``;
  return `a ${type.LABEL ?? type.name}`;
}

/** `` `}` ``, `identifier \`foo\``, `number \`3\``, `end of file`. */
export function describeToken(token: IToken): string {
  const type = token.tokenType;
  if (type === EOF) return 'end of file';
  if (t.isKeywordToken(type)) return `keyword \`${token.image}\``;
  if (t.isLiteralToken(type)) return `\`${token.image}\``;
  if (type === t.Identifier) return `identifier \`${token.image}\``;
  if (type === t.NumberLiteral) return `number \`${token.image}\``;
  const text = token.image.length > 24 ? `${token.image.slice(0, 20)}...` : token.image;
  return `string \`${text}\``;
}

/** Rules holding a comma-separated list closed by `closer`, and what each item is. */
const listItems: Record<string, { closer: TokenType; item: string }> = {
  block: { closer: t.RParen, item: 'a parameter' },
  term: { closer: t.RParen, item: 'an argument' },
  parenthesized: { closer: t.RParen, item: 'an expression' },
  list: { closer: t.RBracket, item: 'an expression' },
  shape: { closer: t.RBracket, item: 'a dimension' },
  dict: { closer: t.RBrace, item: 'a key' },
};

const openers = new Set<TokenType>([t.LParen, t.LBracket, t.LBrace, t.Comma]);

function mismatch(expected: TokenType, previous: IToken, ruleName: string): string {
  // A closer is only checked once the repetition before it stopped, so anything that
  // could continue the list was also acceptable there: say so.
  if (ruleName === 'body' && expected === t.RBrace) return `${STATEMENT} or \`}\``;
  if (ruleName === 'trainStatement' && expected === t.RBrace) return 'a setting (`name = value`) or `}`';
  if (ruleName === 'file' && expected === EOF) return DECLARATION;
  if (ruleName === 'shape' && expected === t.LBracket) return 'a shape such as `[10]`';
  const list = listItems[ruleName];
  if (list && expected === list.closer) {
    const closer = describeTokenType(expected);
    return openers.has(previous.tokenType) ? `${list.item} or ${closer}` : `\`,\` or ${closer}`;
  }
  return describeTokenType(expected);
}

const alternatives: Record<string, string> = {
  file: DECLARATION,
  body: STATEMENT,
  term: 'an expression',
  dim: 'a dimension (a number, `?` or a name)',
  entry: 'a key (a name or a string)',
};

function firstTokens(paths: TokenType[][]): string {
  const words = [...new Set(paths.map((path) => path[0]).filter((type) => type !== undefined))].map(describeTokenType);
  if (words.length <= 1) return words[0] ?? 'something else';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

export const expectedWords: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, previous, ruleName }) => mismatch(expected, previous, ruleName),
  buildNotAllInputParsedMessage: () => DECLARATION,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    alternatives[ruleName] ?? firstTokens(expectedPathsPerAlt.flat()),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
    alternatives[ruleName] ?? firstTokens(expectedIterationPaths),
};
