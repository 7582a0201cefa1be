import type { IToken } from 'chevrotain';
import * as t from '../../../grammar/tokens.js';
import type { Declaration } from '../../parse/ast.js';
import { declarationAt, type DocumentAnalysis } from '../analysis/analyze.js';

/**
 * What is being typed at the cursor, read from the tokens before it (not from the AST, which
 * has no node yet for half-typed text): a statement, a tensor, a stage, an argument of some
 * call, a training setting or one of its dictionary entries. `prefix` is the start of the
 * name under the cursor, which completion replaces.
 */
export type CursorContext =
  | { kind: 'top' }
  | { kind: 'statement'; decl: Declaration | undefined }
  | { kind: 'tensor'; decl: Declaration | undefined }
  /** After `->`; `sharedOnly` after `layer NAME =`, where only an op may stand. */
  | { kind: 'stage'; decl: Declaration | undefined; opOnly: boolean }
  | { kind: 'argument'; decl: Declaration | undefined; call: CallSite }
  | { kind: 'setting'; decl: Declaration | undefined; given: string[] }
  | { kind: 'settingValue'; decl: Declaration | undefined; setting: string }
  | { kind: 'dictKey'; decl: Declaration | undefined; setting: string }
  | { kind: 'dictValue'; decl: Declaration | undefined; setting: string; key: string }
  | { kind: 'listItem'; decl: Declaration | undefined; setting: string | undefined }
  | { kind: 'none' };

export interface CallSite {
  callee: string;
  /** Whether the call is a stage (`-> dense(`) or in tensor position (`= concat(`). */
  inStage: boolean;
  /** The train setting the call is the value of (`optimizer = adam(`). */
  setting?: string;
  /** Arguments before the current one. */
  positional: number;
  keywords: string[];
  /** The current argument is `NAME=` with the cursor after the `=`. */
  keyword?: string;
}

export interface Cursor {
  context: CursorContext;
  /** The offsets of the name being typed (empty at the cursor when none). */
  start: number;
  end: number;
  /** The name is typed inside quotes (`activation="re|"`): start and end are within them. */
  quoted: boolean;
}

type Frame =
  | { kind: 'body'; decl: Declaration | undefined }
  | { kind: 'train'; given: string[]; setting?: string }
  | { kind: 'dict'; setting: string | undefined; key?: string; afterColon: boolean }
  | { kind: 'call'; site: CallSite; open: number }
  | { kind: 'params' }
  | { kind: 'paren' }
  | { kind: 'list'; setting: string | undefined };

const closers = new Set(['}', ')', ']']);

export function cursorAt(analysis: DocumentAnalysis, offset: number): Cursor {
  const tokens = analysis.tokens;
  const index = firstAtOrAfter(tokens, offset);
  let start = offset;
  let end = offset;
  let last = index - 1;
  let quoted = false;
  const current = tokens[last];
  if (current && current.startOffset + current.image.length >= offset && /^[A-Za-z_]/.test(current.image)) {
    start = current.startOffset;
    end = current.startOffset + current.image.length;
    last--;
  } else if (current && isString(current) && inside(current, offset)) {
    // A quoted word is completed as the bare one, between the quotes.
    start = current.startOffset + 1;
    end = current.startOffset + current.image.length - (current.tokenType === t.UnterminatedString ? 0 : 1);
    quoted = true;
    last--;
  }
  const decl = declarationAt(analysis, offset);
  const from = decl ? firstAtOrAfter(tokens, decl.span.start.offset) : 0;
  const context = contextOf(tokens, from, last, decl);
  return { context, start, end, quoted };
}

function isString(token: IToken): boolean {
  return token.tokenType === t.StringLiteral || token.tokenType === t.UnterminatedString;
}

/** After the opening quote and, for a closed string, not after the closing one. */
function inside(token: IToken, offset: number): boolean {
  const close = token.startOffset + token.image.length - (token.tokenType === t.UnterminatedString ? 0 : 1);
  return offset > token.startOffset && offset <= close;
}

function firstAtOrAfter(tokens: readonly IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (tokens[mid]!.startOffset < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Replays the tokens from..last, keeping a stack of what each open bracket is. */
function contextOf(tokens: readonly IToken[], from: number, last: number, decl: Declaration | undefined): CursorContext {
  const stack: Frame[] = [];
  for (let i = from; i <= last; i++) {
    const token = tokens[i]!;
    const image = token.image;
    const prev = tokens[i - 1];
    const top = stack[stack.length - 1];
    if (image === '{') {
      if (!top) stack.push({ kind: 'body', decl });
      else if (top.kind === 'body' && prev?.tokenType === t.Train) stack.push({ kind: 'train', given: [] });
      else stack.push({ kind: 'dict', setting: top.kind === 'train' ? top.setting : undefined, afterColon: false });
    } else if (image === '(') {
      if (!top) stack.push({ kind: 'params' });
      else if (prev?.tokenType === t.Identifier) {
        const inStage = tokens[i - 2]?.tokenType === t.Arrow || (top.kind === 'call' && top.site.callee === 'repeat');
        const setting = top.kind === 'train' ? top.setting : undefined;
        stack.push({ kind: 'call', open: i, site: { callee: prev.image, inStage, ...(setting ? { setting } : {}), positional: 0, keywords: [] } });
      } else stack.push({ kind: 'paren' });
    } else if (image === '[') {
      // A list in `train { }`, directly or as a dictionary's value (`metrics = { score: [mae] }`).
      stack.push({ kind: 'list', setting: top?.kind === 'train' ? top.setting : top?.kind === 'dict' ? top.setting : undefined });
    } else if (closers.has(image)) {
      stack.pop();
    } else if (top?.kind === 'train' && image === '=' && prev?.tokenType === t.Identifier) {
      top.setting = prev.image;
      top.given.push(prev.image);
    } else if (top?.kind === 'dict') {
      if (image === ':') {
        top.afterColon = true;
        top.key = prev?.tokenType === t.StringLiteral ? prev.image.slice(1, -1) : prev?.image;
      } else if (image === ',') top.afterColon = false;
    } else if (top?.kind === 'call') {
      if (image === ',') {
        const argTokens = tokensOfCurrentArgument(tokens, top.open, i);
        if (argTokens[1]?.image === '=' && argTokens[0]?.tokenType === t.Identifier) top.site.keywords.push(argTokens[0].image);
        else top.site.positional++;
      }
    }
  }
  return classify(tokens, last, stack, decl);
}

/** The tokens of the argument being written: after the last `,` or `(` at the call's own depth. */
function tokensOfCurrentArgument(tokens: readonly IToken[], open: number, end: number): IToken[] {
  let depth = 0;
  let begin = open + 1;
  for (let i = open + 1; i < end; i++) {
    const image = tokens[i]!.image;
    if (image === '(' || image === '[' || image === '{') depth++;
    else if (closers.has(image)) depth--;
    else if (image === ',' && depth === 0) begin = i + 1;
  }
  return tokens.slice(begin, end) as IToken[];
}

/** Tokens that can end an expression: after one of them, a name starts a new statement or setting. */
function endsValue(token: IToken | undefined): boolean {
  if (!token) return false;
  const type = token.tokenType;
  return type === t.Identifier || type === t.NumberLiteral || type === t.StringLiteral || type === t.UnterminatedString || type === t.True || type === t.False || type === t.Question || closers.has(token.image);
}

function classify(tokens: readonly IToken[], last: number, stack: Frame[], decl: Declaration | undefined): CursorContext {
  const top = stack[stack.length - 1];
  const prev = tokens[last];
  if (!top) return { kind: 'top' };
  switch (top.kind) {
    case 'params':
      return { kind: 'none' };
    case 'train':
      if (prev?.image === '=' && top.setting) return { kind: 'settingValue', decl, setting: top.setting };
      if (prev?.image === '{' || endsValue(prev)) return { kind: 'setting', decl, given: top.given };
      return { kind: 'none' };
    case 'dict':
      if (!top.setting) return { kind: 'none' };
      if (top.afterColon && prev?.image !== ',') return prev?.image === ':' ? { kind: 'dictValue', decl, setting: top.setting, key: top.key ?? '' } : { kind: 'none' };
      return prev?.image === '{' || prev?.image === ',' ? { kind: 'dictKey', decl, setting: top.setting } : { kind: 'none' };
    case 'list':
      return prev?.image === '[' || prev?.image === ',' ? { kind: 'listItem', decl, setting: top.setting } : { kind: 'none' };
    case 'paren':
      if (prev?.image === '->') return { kind: 'stage', decl, opOnly: false };
      return prev?.image === '(' || prev?.image === ',' ? { kind: 'tensor', decl } : { kind: 'none' };
    case 'call': {
      if (prev?.image === '->') return { kind: 'stage', decl, opOnly: false };
      const argTokens = tokensOfCurrentArgument(tokens, top.open, last + 1);
      const site = { ...top.site, keywords: [...top.site.keywords] };
      if (argTokens.length === 0) return { kind: 'argument', decl, call: site };
      if (argTokens.length === 2 && argTokens[1]!.image === '=' && argTokens[0]!.tokenType === t.Identifier) {
        return { kind: 'argument', decl, call: { ...site, keyword: argTokens[0]!.image } };
      }
      return { kind: 'none' };
    }
    case 'body': {
      if (!prev) return { kind: 'statement', decl };
      if (prev.image === '->') return { kind: 'stage', decl, opOnly: false };
      if (prev.image === '=') {
        const keyword = tokens[last - 2];
        return keyword?.tokenType === t.Layer ? { kind: 'stage', decl, opOnly: true } : { kind: 'tensor', decl };
      }
      if (prev.tokenType === t.Input || prev.tokenType === t.Layer || prev.tokenType === t.Model || prev.tokenType === t.Block || prev.image === ':') return { kind: 'none' };
      // `output NAME` may name a tensor defined elsewhere.
      if (prev.tokenType === t.Output) return { kind: 'tensor', decl };
      if (prev.image === '{' || endsValue(prev)) return { kind: 'statement', decl };
      return { kind: 'none' };
    }
  }
}
