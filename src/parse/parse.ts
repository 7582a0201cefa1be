import { EOF, type ILexingError, type IRecognitionException, type IToken } from 'chevrotain';
import type { FileCstNode } from '../../grammar/cst.js';
import { parser } from '../../grammar/parser.js';
import { lexer, UnterminatedString } from '../../grammar/tokens.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Span } from '../diagnostics/span.js';
import type { Program } from './ast.js';
import { buildProgram } from './build-ast.js';
import { describeToken } from './expected-words.js';
import { endOfSource, isRealToken, tokenSpan } from './spans.js';

/**
 * Source text to AST. Never throws: lexical and syntax errors go to `reporter`, and the
 * AST holds whatever could be recovered around them.
 */
export function parse(source: string, reporter: Reporter): Program {
  const end = endOfSource(source);
  const lexed = lexer.tokenize(source);
  for (const error of lexed.errors) reportUnexpectedCharacters(error, source, reporter);
  for (const token of lexed.tokens) {
    if (token.tokenType === UnterminatedString) reporter.report('unterminatedString', tokenSpan(token), {});
  }

  // Setting `input` resets the shared parser; its errors are read before anything else parses.
  parser.input = lexed.tokens;
  const file = parser.file() as FileCstNode | undefined;
  reportSyntaxErrors(parser.errors, end, reporter);

  const whole: Span = { start: { offset: 0, line: 1, column: 1 }, end: end.end };
  return buildProgram(file, lexed.groups.comments ?? [], whole, reporter);
}

function reportUnexpectedCharacters(error: ILexingError, source: string, reporter: Reporter): void {
  // Chevrotain skips a whole run of characters no token starts with: one diagnostic per run.
  const line = error.line ?? 1;
  const column = error.column ?? 1;
  const span: Span = {
    start: { offset: error.offset, line, column },
    end: { offset: error.offset + error.length, line, column: column + error.length },
  };
  reporter.report('unexpectedCharacter', span, { text: source.slice(error.offset, error.offset + error.length) });
}

/**
 * One `unexpectedToken` per position: recovery can fail several times on the same token
 * (a rule, then the repetition around it), and only the first, innermost failure helps.
 */
function reportSyntaxErrors(errors: IRecognitionException[], end: Span, reporter: Reporter): void {
  const seen = new Set<number>();
  for (const error of errors) {
    const token: IToken = error.token;
    const span = token.tokenType !== EOF && isRealToken(token) ? tokenSpan(token) : end;
    if (seen.has(span.start.offset)) continue;
    seen.add(span.start.offset);
    const found = span === end ? 'end of file' : describeToken(token);
    reporter.report('unexpectedToken', span, { expected: error.message, found });
  }
}
