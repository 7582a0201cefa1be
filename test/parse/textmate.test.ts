import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { allTokens, isKeywordToken, NumberLiteral } from '../../grammar/tokens.js';

type Rule = { match?: string; begin?: string; end?: string; patterns?: Rule[]; captures?: unknown };
const grammar = JSON.parse(readFileSync(new URL('../../grammar/nn.tmLanguage.json', import.meta.url), 'utf8')) as {
  scopeName: string;
  repository: Record<string, Rule>;
};

function regexes(rule: Rule): string[] {
  return [rule.match, rule.begin, rule.end, ...(rule.patterns ?? []).flatMap(regexes)].filter((r) => r !== undefined);
}

describe('TextMate grammar', () => {
  test('every pattern compiles', () => {
    const all = Object.values(grammar.repository).flatMap(regexes);
    expect(all.length).toBeGreaterThan(10);
    for (const source of all) expect(() => new RegExp(source), source).not.toThrow();
  });

  test('highlights exactly the keywords the lexer reserves', () => {
    const keywords = allTokens.filter(isKeywordToken).map((token) => token.PATTERN as string);
    const highlighted = ['declaration', 'statement', 'constant']
      .flatMap((name) => regexes(grammar.repository[name]!))
      .flatMap((source) => [...source.matchAll(/\(([a-z|]+)\)/g)].flatMap((m) => m[1]!.split('|')));
    expect(new Set(highlighted)).toEqual(new Set(keywords));
  });

  test('numbers are the lexer numbers, and an arrow is not one', () => {
    const number = new RegExp(`^(?:${grammar.repository.number!.match})$`);
    const lexed = new RegExp(`^(?:${(NumberLiteral.PATTERN as RegExp).source})$`);
    for (const sample of ['0', '-1', '.5', '-.5', '1e-3', '2E+4', '1.5', 'x1', '->', '-', '1.', 'e3']) {
      expect(number.test(sample), sample).toBe(lexed.test(sample));
    }
  });
});
