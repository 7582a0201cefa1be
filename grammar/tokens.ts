import { createToken, Lexer, type TokenType } from 'chevrotain';

/**
 * The tokens of the `.nn` language. Literal tokens (keywords, punctuation) use string
 * patterns: `isLiteralToken` relies on that to quote them as `` `=` `` in messages.
 * Order matters: chevrotain takes the first pattern that matches, not the longest.
 */

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'name' });

function keyword(word: string): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  // longer_alt keeps `inputs` or `models` an identifier instead of a keyword plus a tail.
  return createToken({ name, pattern: word, longer_alt: Identifier, label: word });
}

export const Model = keyword('model');
export const Block = keyword('block');
export const Input = keyword('input');
export const Output = keyword('output');
export const Layer = keyword('layer');
export const Train = keyword('train');
export const True = keyword('true');
export const False = keyword('false');

export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: 'comments' });
export const Whitespace = createToken({ name: 'Whitespace', pattern: /\s+/, group: Lexer.SKIPPED, line_breaks: true });

// `->` before Number so that a leading `-` never steals the arrow; Number only takes `-`
// when a digit or `.digit` follows, so `x->-1` is Arrow then Number.
export const Arrow = createToken({ name: 'Arrow', pattern: '->', label: '->' });
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/,
  label: 'number',
});

export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /'(?:[^'\\\n\r]|\\[^\n\r])*'|"(?:[^"\\\n\r]|\\[^\n\r])*"/,
  label: 'string',
});
/**
 * A string that reaches the end of its line. It is a StringLiteral by category so the
 * parser accepts it and reports nothing more; parse() reports `unterminatedString` once.
 */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /'(?:[^'\\\n\r]|\\[^\n\r])*\\?|"(?:[^"\\\n\r]|\\[^\n\r])*\\?/,
  categories: [StringLiteral],
  label: 'string',
});

export const LBrace = createToken({ name: 'LBrace', pattern: '{', label: '{' });
export const RBrace = createToken({ name: 'RBrace', pattern: '}', label: '}' });
export const LParen = createToken({ name: 'LParen', pattern: '(', label: '(' });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: ')' });
export const LBracket = createToken({ name: 'LBracket', pattern: '[', label: '[' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', label: ']' });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: ',' });
export const Equals = createToken({ name: 'Equals', pattern: '=', label: '=' });
export const Colon = createToken({ name: 'Colon', pattern: ':', label: ':' });
export const Question = createToken({ name: 'Question', pattern: '?', label: '?' });

export const allTokens: TokenType[] = [
  Whitespace,
  Comment,
  Model,
  Block,
  Input,
  Output,
  Layer,
  Train,
  True,
  False,
  Identifier,
  Arrow,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Equals,
  Colon,
  Question,
];

const keywords = new Set<TokenType>([Model, Block, Input, Output, Layer, Train, True, False]);

export function isKeywordToken(type: TokenType): boolean {
  return keywords.has(type);
}

/** Keywords and punctuation: tokens whose text is fixed. */
export function isLiteralToken(type: TokenType): boolean {
  return typeof type.PATTERN === 'string';
}

/** The lexer's settings. Lines and columns are computed from offsets by src/parse/spans.ts, which is cheaper. */
export const lexerConfig = { ensureOptimizations: true, positionTracking: 'onlyOffset' } as const;

/**
 * Built once: a chevrotain Lexer holds no per-input state between tokenize() calls. Its
 * validation of the token definitions is a third of a small `nnc check`, and the definitions
 * are fixed: a test builds the lexer with it (test/parse/lexer.test.ts), every run skips it.
 */
export const lexer = new Lexer(allTokens, { ...lexerConfig, skipValidations: true });
