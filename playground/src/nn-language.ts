import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';

/**
 * Highlighting of `.nn` text, synchronous in the page (the grammar's tokens, grammar/tokens.ts,
 * as a stream tokenizer): colours appear as you type, before the worker answers.
 */
const KEYWORDS = new Set(['model', 'block', 'input', 'output', 'layer', 'train']);
const ATOMS = new Set(['true', 'false']);

export const nnLanguage = StreamLanguage.define<null>({
  name: 'nn',
  startState: () => null,
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match(/#.*/)) return 'comment';
    if (stream.match('->')) return 'operator';
    if (stream.match(/'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?/)) return 'string';
    if (stream.match(/-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/)) return 'number';
    const word = stream.match(/[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray | null;
    if (word) {
      const name = word[0];
      if (KEYWORDS.has(name)) return 'keyword';
      if (ATOMS.has(name)) return 'atom';
      // A name followed by `(` is a call: an op or a block.
      if (stream.match(/\s*\(/, false)) return 'variableName.function';
      return 'variableName';
    }
    if (stream.match(/[{}()[\],=:?]/)) return 'punctuation';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '#' } },
});

/** Colours with at least 4.5:1 contrast on the white editor background. */
export const nnHighlighting = syntaxHighlighting(
  HighlightStyle.define([
    { tag: tags.keyword, color: '#7a1fa2', fontWeight: 'bold' },
    { tag: tags.comment, color: '#5c6370', fontStyle: 'italic' },
    { tag: tags.string, color: '#0b6e2e' },
    { tag: tags.number, color: '#a0410d' },
    { tag: tags.atom, color: '#a0410d' },
    { tag: tags.function(tags.variableName), color: '#0550ae' },
    { tag: tags.operator, color: '#b3261e' },
  ]),
);
