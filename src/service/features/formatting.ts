import { printProgram } from '../../print/print-program.js';
import type { DocumentAnalysis } from '../analysis/analyze.js';
import type { FormatOptions, Range, TextEdit } from '../types.js';
import { diffLines, type Hunk } from './line-diff.js';

/**
 * The formatter's changes as edits of whole lines, so that untouched lines (and the cursor on
 * them) stay where they are. A document with syntax errors is not formatted: no edits. With a
 * range, only the changes that touch its lines; the layout is still the whole file's.
 */
export function formatting(analysis: DocumentAnalysis, options: FormatOptions = {}, range?: Range): TextEdit[] {
  if (analysis.hasSyntaxErrors) return [];
  const text = printProgram(analysis.program, analysis.text, options.width === undefined ? {} : { width: options.width });
  if (text === analysis.text) return [];
  const result = { text };
  // Line breaks other than `\n` change on every line: one edit of the whole text, or the
  // untouched lines would keep theirs.
  if (analysis.text.includes('\r')) return [{ range: analysis.lines.range(0, analysis.text.length), newText: result.text }];
  const old = splitLines(analysis.text);
  const next = splitLines(result.text);
  const edits: TextEdit[] = [];
  for (const hunk of diffLines(old, next).flatMap(lineByLine)) {
    if (range && (hunk.oldEnd <= range.start.line || hunk.oldStart > range.end.line)) continue;
    const newText = next.slice(hunk.newStart, hunk.newEnd).map((l) => `${l}\n`).join('');
    edits.push({ range: { start: { line: hunk.oldStart, character: 0 }, end: { line: hunk.oldEnd, character: 0 } }, newText });
  }
  // A document whose last line has no line break: the last edit reaches past it.
  return edits.map((edit) => clampToEnd(edit, analysis));
}

/** A hunk that replaces as many lines as it removes is one edit per line, so that a range can take some of them. */
function lineByLine(hunk: Hunk): Hunk[] {
  const length = hunk.oldEnd - hunk.oldStart;
  if (length !== hunk.newEnd - hunk.newStart || length < 2) return [hunk];
  return Array.from({ length }, (_, i) => ({ oldStart: hunk.oldStart + i, oldEnd: hunk.oldStart + i + 1, newStart: hunk.newStart + i, newEnd: hunk.newStart + i + 1 }));
}

/** Lines with their breaks dropped; a final line break does not start another line. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function clampToEnd(edit: TextEdit, analysis: DocumentAnalysis): TextEdit {
  if (edit.range.end.line < analysis.lines.lineCount) return edit;
  return { range: { start: edit.range.start, end: analysis.lines.position(analysis.text.length) }, newText: edit.newText };
}
