/** A position in source text. `line` and `column` are 1-based; `offset` is 0-based. */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/** A half-open source range [start, end). Every AST and IR node carries one. */
export interface Span {
  start: Position;
  end: Position;
}

export const NO_SPAN: Span = {
  start: { offset: 0, line: 1, column: 1 },
  end: { offset: 0, line: 1, column: 1 },
};

/** `3:5..3:12`, the format used in diagnostic baselines. */
export function formatSpan(span: Span): string {
  return `${span.start.line}:${span.start.column}..${span.end.line}:${span.end.column}`;
}
