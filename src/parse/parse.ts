import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { FileCstNode } from '../../grammar/cst.js';
import { parser } from '../../grammar/parser.js';
import { Colon, LBrace, LBracket, lexer, LParen, RBrace, RBracket, RParen, UnterminatedString } from '../../grammar/tokens.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Program } from './ast.js';
import { buildProgram } from './build-ast.js';
import type { BuildContext } from './context.js';
import { ErrorShadows } from './error-shadows.js';
import { findNotText } from './binary-text.js';
import { describeToken } from './expected-words.js';
import { isRealToken, LineIndex } from './spans.js';

/**
 * Source text to AST. Never throws: lexical and syntax errors go to `reporter`, and the
 * AST holds whatever could be recovered around them.
 */
export function parse(source: string, reporter: Reporter): Program {
  const lines = new LineIndex(source);
  const notText = findNotText(source);
  if (notText) {
    reporter.report('notText', lines.span(notText.offset, notText.offset + 1), { detail: notText.detail }, {
      help: 'nnc reads `.nn` source files saved as UTF-8',
    });
    return buildProgram(undefined, [], { lines, report: () => {} });
  }
  const lexed = lexer.tokenize(source);
  const tokens = lexed.tokens;
  const shadows = new ErrorShadows(tokens);
  const ctx: BuildContext = {
    lines,
    report: (key, span, params, extras) => {
      if (!shadows.covers(shadows.indexAt(span.start.offset))) reporter.report(key, span, params, extras);
    },
  };

  for (const error of lexed.errors) {
    const end = error.offset + error.length;
    reporter.report('unexpectedCharacter', lines.span(error.offset, end), { text: source.slice(error.offset, end) });
    shadows.cast(shadows.indexAt(end));
  }
  tokens.forEach((token, index) => {
    if (token.tokenType !== UnterminatedString) return;
    reporter.report('unterminatedString', lines.tokenSpan(token), {});
    shadows.cast(index + 1);
  });
  const comments = lexed.groups.comments ?? [];

  const tooDeep = firstTooDeep(tokens);
  if (tooDeep) {
    reporter.report('nestingTooDeep', lines.tokenSpan(tooDeep), { limit: MAX_NESTING }, {
      help: 'name the inner parts: `h = ...` definitions can be nested by reference instead',
    });
    return buildProgram(undefined, comments, ctx);
  }

  // Setting `input` resets the shared parser; its errors are read before anything else
  // parses, and the input and source are dropped so that the parser keeps none between calls.
  parser.input = tokens;
  parser.source = source;
  const file = withoutStackTraces(() => parser.file() as FileCstNode | undefined);
  const errors = parser.errors;
  parser.input = [];
  parser.source = '';
  reportSyntaxErrors(errors, shadows, reporter, lines);
  return buildProgram(file, comments, ctx);
}

/**
 * Chevrotain recovers from a syntax error by throwing and catching an Error, whose stack trace
 * V8 captures each time: a long pipeline after one typo threw 10,000 of them and took seconds.
 * nnc never reads those traces. The parse is synchronous, so the limit is back before anything
 * else runs.
 */
function withoutStackTraces<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * The parser recurses once per bracket level, and a few hundred levels exhaust the stack.
 * No real model nests this deep, so deeper input is refused before parsing.
 */
const MAX_NESTING = 100;

function firstTooDeep(tokens: IToken[]): IToken | undefined {
  let depth = 0;
  // An indexed loop: this runs once per parse, before the JIT has optimized it, and `for...of`
  // would allocate an iterator result per token.
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;
    if (type === LParen || type === LBracket || type === LBrace) {
      if (++depth > MAX_NESTING) return token;
    } else if ((type === RParen || type === RBracket || type === RBrace) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/** The `=` missing after the `:` of `loss: mse`, which the AST builder reports as E1020. */
function isSettingColon(error: IRecognitionException): boolean {
  const previous = (error as { previousToken?: IToken }).previousToken;
  return error.name === 'MismatchedTokenException' && previous?.tokenType === Colon && error.context.ruleStack[error.context.ruleStack.length - 1] === 'setting';
}

/** Chevrotain's errors in source order, each as `unexpectedToken` unless in an earlier one's shadow. */
function reportSyntaxErrors(errors: IRecognitionException[], shadows: ErrorShadows, reporter: Reporter, lines: LineIndex): void {
  const located = errors.filter((error) => !isSettingColon(error)).map((error) => {
    const token: IToken = error.token;
    const atEnd = token.tokenType === EOF || !isRealToken(token);
    return { error, token, atEnd, index: shadows.indexAt(atEnd ? Infinity : token.startOffset) };
  });
  for (const { error, token, atEnd, index } of located.sort((a, b) => a.index - b.index)) {
    if (shadows.covers(index)) continue;
    shadows.cast(index);
    const span = atEnd ? lines.endOfSource() : lines.tokenSpan(token);
    reporter.report('unexpectedToken', span, { expected: error.message, found: atEnd ? 'end of file' : describeToken(token) });
  }
}
