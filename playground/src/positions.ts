import type { Text } from '@codemirror/state';
import type { Position, Range } from '../../src/service/types.js';

/**
 * The service's positions (zero-based line, UTF-16 character) and CodeMirror's offsets. The
 * worker is sent `doc.toString()`, whose lines are CodeMirror's, so the two agree line for line.
 */
export function toOffset(doc: Text, position: Position): number {
  if (position.line >= doc.lines) return doc.length;
  const line = doc.line(position.line + 1);
  return Math.min(line.from + position.character, line.to);
}

export function toPosition(doc: Text, offset: number): Position {
  const line = doc.lineAt(offset);
  return { line: line.number - 1, character: offset - line.from };
}

export function toOffsets(doc: Text, range: Range): { from: number; to: number } {
  return { from: toOffset(doc, range.start), to: toOffset(doc, range.end) };
}
