import { Identifier as IdentifierToken, lexer } from '../../grammar/tokens.js';
import type { Span } from '../diagnostics/span.js';
import type { Argument, Comment, Declaration, Expr, Program, ShapeExpr, Statement, TrainSetting } from '../parse/ast.js';

/**
 * Prints an AST back as `.nn` source in one canonical layout: two-space indentation, one
 * statement or setting per line, every expression (pipelines included) on one line, a blank
 * line between declarations, and single blank lines kept where the source had them (found
 * from the spans, so that a printed file prints the same again). Numbers keep the text they
 * were written with (`1e-3`); strings are re-quoted with double quotes.
 *
 * Comments are dropped for now: placing them needs the attachment rules of a formatter.
 * parse(printProgram(ast)) gives `ast` back, spans aside.
 */
export function printProgram(program: Program): string {
  const layout = new BlankLines(program.comments);
  const text = program.declarations.map((d) => printDeclaration(d, layout)).join('\n\n');
  return text && `${text}\n`;
}

/** Which gaps between two nodes held an empty line: a line strictly between them with no comment on it. */
class BlankLines {
  private readonly commentLines: ReadonlySet<number>;

  constructor(comments: readonly Comment[]) {
    this.commentLines = new Set(comments.map((c) => c.span.start.line));
  }

  between(previous: { span: Span } | undefined, next: { span: Span }): boolean {
    if (!previous) return false;
    for (let line = previous.span.end.line + 1; line < next.span.start.line; line++) {
      if (!this.commentLines.has(line)) return true;
    }
    return false;
  }
}

const INDENT = '  ';

/** Lines of a `{ }` body, indented once, with the blank lines the layout keeps. */
function bodyLines<T extends { span: Span }>(items: readonly T[], print: (item: T) => string, layout: BlankLines): string[] {
  return items.flatMap((item, i) => {
    const line = print(item)
      .split('\n')
      .map((l) => (l ? INDENT + l : l));
    return layout.between(items[i - 1], item) ? ['', ...line] : line;
  });
}

function braced(header: string, lines: string[]): string {
  return lines.length === 0 ? `${header} {}` : [`${header} {`, ...lines, '}'].join('\n');
}

function printDeclaration(decl: Declaration, layout: BlankLines): string {
  const body = bodyLines(decl.body, (s) => printStatement(s, layout), layout);
  if (decl.kind === 'Model') return braced(`model ${decl.name.name}`, body);
  const params = decl.params.map((p) => (p.default ? `${p.name.name} = ${printExpr(p.default)}` : p.name.name));
  return braced(`block ${decl.name.name}(${params.join(', ')})`, body);
}

function printStatement(statement: Statement, layout: BlankLines): string {
  switch (statement.kind) {
    case 'Input':
      return statement.shape ? `input ${statement.name.name}: ${printShape(statement.shape)}` : `input ${statement.name.name}`;
    case 'Output':
      return statement.value ? `output ${statement.name.name} = ${printExpr(statement.value)}` : `output ${statement.name.name}`;
    case 'Layer':
      return `layer ${statement.name.name} = ${printExpr(statement.value)}`;
    case 'Assign':
      return `${statement.name.name} = ${printExpr(statement.value)}`;
    case 'Train':
      return braced('train', bodyLines(statement.settings, printSetting, layout));
  }
}

function printSetting(setting: TrainSetting): string {
  return `${setting.key.name} = ${printExpr(setting.value)}`;
}

function printShape(shape: ShapeExpr): string {
  const dims = shape.dims.map((d) => (d.kind === 'Number' ? d.raw : d.kind === 'Unknown' ? '?' : d.name));
  return `${shape.dtype?.name ?? ''}[${dims.join(', ')}]`;
}

/** An expression where the grammar takes a whole pipeline: values, arguments, items. */
export function printExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'Identifier':
      return expr.name;
    case 'Number':
      return expr.raw;
    case 'String':
      return quote(expr.value);
    case 'Boolean':
      return expr.value ? 'true' : 'false';
    case 'Unknown':
      return '?';
    case 'List':
      return `[${expr.items.map(printExpr).join(', ')}]`;
    case 'Tuple':
      // One item needs its comma, or the parentheses would only group.
      return expr.items.length === 1 ? `(${printExpr(expr.items[0]!)},)` : `(${expr.items.map(printExpr).join(', ')})`;
    case 'Dict':
      if (expr.entries.length === 0) return '{}';
      return `{ ${expr.entries.map((e) => `${dictKey(e.key.name)}: ${printExpr(e.value)}`).join(', ')} }`;
    case 'Call':
      return `${expr.callee.name}(${expr.args.map(printArgument).join(', ')})`;
    case 'Pipe':
      return [expr.source, ...expr.stages].map(printTerm).join(' -> ');
  }
}

/** A pipeline's source or stage is a single term: a pipeline there is grouped in parentheses. */
function printTerm(expr: Expr): string {
  return expr.kind === 'Pipe' ? `(${printExpr(expr)})` : printExpr(expr);
}

function printArgument(arg: Argument): string {
  return arg.name ? `${arg.name.name}=${printExpr(arg.value)}` : printExpr(arg.value);
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

function quote(value: string): string {
  return `"${value.replace(/[\\"\n\r\t\0]/g, (c) => ESCAPES[c]!)}"`;
}

/** A dict key that lexes as one plain name (not a keyword like `input`) is written bare. */
function dictKey(name: string): string {
  const { tokens, errors } = lexer.tokenize(name);
  const bare = errors.length === 0 && tokens.length === 1 && tokens[0]!.tokenType === IdentifierToken && tokens[0]!.image === name;
  return bare ? name : quote(name);
}
