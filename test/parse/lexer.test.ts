import { Lexer } from 'chevrotain';
import { describe, expect, test } from 'vitest';
import { allTokens, lexer, lexerConfig } from '../../grammar/tokens.js';

function kinds(source: string): string[] {
  return lexer.tokenize(source).tokens.map((token) => `${token.tokenType.name} ${token.image}`);
}

describe('lexer', () => {
  test('the token definitions pass chevrotain\'s validation, which the shared lexer skips at start-up', () => {
    const validated = new Lexer(allTokens, lexerConfig);
    expect(validated.lexerDefinitionErrors).toEqual([]);
    const source = 'model M {\n  input x: [4, ?] // note\n  output y = x -> dense(3, act="relu", init=normal(0, 1e-2))\n}';
    const images = (l: Lexer) => l.tokenize(source).tokens.map((t) => `${t.tokenType.name} ${t.image} ${t.startOffset}`);
    expect(images(lexer)).toEqual(images(validated));
  });

  test('an arrow before a negative number stays an arrow', () => {
    expect(kinds('x->-1 -> -.5')).toEqual([
      'Identifier x',
      'Arrow ->',
      'NumberLiteral -1',
      'Arrow ->',
      'NumberLiteral -.5',
    ]);
  });

  test('numbers: integers, decimals, exponents, signs', () => {
    const images = ['0', '42', '-1', '0.5', '.5', '1e-3', '2E+4', '-1.5e2'];
    for (const image of images) expect(kinds(image)).toEqual([`NumberLiteral ${image}`]);
  });

  test('keywords only match whole words', () => {
    expect(kinds('input inputs model models true trueish false_ train')).toEqual([
      'Input input',
      'Identifier inputs',
      'Model model',
      'Identifier models',
      'True true',
      'Identifier trueish',
      'Identifier false_',
      'Train train',
    ]);
  });

  test('comments go to their own group with exact offsets', () => {
    const source = 'a = 1 # one\n# two\nb';
    const result = lexer.tokenize(source);
    expect(result.tokens.map((token) => token.image)).toEqual(['a', '=', '1', 'b']);
    const comments = result.groups.comments!;
    expect(comments.map((token) => token.image)).toEqual(['# one', '# two']);
    expect(comments.map((token) => source.slice(token.startOffset, token.startOffset + token.image.length))).toEqual([
      '# one',
      '# two',
    ]);
  });

  test('an unterminated string ends at its line and the next line lexes normally', () => {
    expect(kinds("f('same)\ny = \"ok\"")).toEqual([
      'Identifier f',
      'LParen (',
      "UnterminatedString 'same)",
      'Identifier y',
      'Equals =',
      'StringLiteral "ok"',
    ]);
  });

  test('escaped quotes do not end a string', () => {
    expect(kinds(String.raw`'it\'s' "a \"b\"" 'ends with \\'`)).toEqual([
      String.raw`StringLiteral 'it\'s'`,
      String.raw`StringLiteral "a \"b\""`,
      String.raw`StringLiteral 'ends with \\'`,
    ]);
  });

  test('a run of unknown characters is one error and lexing continues', () => {
    const result = lexer.tokenize('a @@ b $');
    expect(result.errors.map((error) => [error.offset, error.length])).toEqual([
      [2, 2],
      [7, 1],
    ]);
    expect(result.tokens.map((token) => token.image)).toEqual(['a', 'b']);
  });
});
