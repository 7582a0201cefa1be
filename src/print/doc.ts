/**
 * A small document algebra for the formatter, after Wadler's "prettier printer" as prettier
 * implements it: a group is printed flat when it fits in the remaining width, otherwise its
 * lines break. `lineSuffix` defers text (a trailing comment) to the end of the line, and a
 * hard line or `breakParent` inside a group forces it, and every group around it, to break.
 */
export type Doc = string | readonly Doc[] | Group | Indent | Line | LineSuffix | IfBreak | BreakParent;

interface Group {
  readonly kind: 'group';
  readonly contents: Doc;
  /** Set before layout when the contents hold a hard line. */
  broken: boolean;
}
interface Indent {
  readonly kind: 'indent';
  readonly contents: Doc;
}
interface Line {
  readonly kind: 'line';
  /** A soft line is nothing when flat; a plain line is a space. */
  readonly soft: boolean;
  readonly hard: boolean;
}
interface LineSuffix {
  readonly kind: 'lineSuffix';
  readonly text: string;
}
interface IfBreak {
  readonly kind: 'ifBreak';
  readonly broken: Doc;
  readonly flat: Doc;
}
interface BreakParent {
  readonly kind: 'breakParent';
}

export const line: Doc = { kind: 'line', soft: false, hard: false };
export const softline: Doc = { kind: 'line', soft: true, hard: false };
export const hardline: Doc = { kind: 'line', soft: false, hard: true };
export const breakParent: Doc = { kind: 'breakParent' };

export function group(contents: Doc): Doc {
  return { kind: 'group', contents, broken: false };
}
export function indent(contents: Doc): Doc {
  return { kind: 'indent', contents };
}
export function lineSuffix(text: string): Doc {
  return { kind: 'lineSuffix', text };
}
export function ifBreak(broken: Doc, flat: Doc = ''): Doc {
  return { kind: 'ifBreak', broken, flat };
}
export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  return docs.flatMap((doc, i) => (i === 0 ? [doc] : [separator, doc]));
}

/** Marks every group that holds a hard line or a `breakParent`; returns whether `doc` does. */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  if (Array.isArray(doc)) {
    let breaks = false;
    for (const part of doc as readonly Doc[]) if (propagateBreaks(part)) breaks = true;
    return breaks;
  }
  const node = doc as Exclude<Doc, string | readonly Doc[]>;
  switch (node.kind) {
    case 'group':
      node.broken = propagateBreaks(node.contents) || node.broken;
      return node.broken;
    case 'indent':
      return propagateBreaks(node.contents);
    case 'ifBreak':
      return propagateBreaks(node.broken) || propagateBreaks(node.flat);
    case 'line':
      return node.hard;
    case 'breakParent':
      return true;
    case 'lineSuffix':
      return false;
  }
}

type Mode = 'flat' | 'break';
interface Command {
  indent: number;
  mode: Mode;
  doc: Doc;
}

/**
 * Whether `next` printed flat, followed by the rest of the line in its own modes, fits in
 * `width` columns. The rest counts up to its first line break.
 */
function fits(next: Command, rest: readonly Command[], width: number): boolean {
  const stack: Command[] = [next];
  let restIndex = rest.length;
  let remaining = width;
  while (remaining >= 0) {
    if (stack.length === 0) {
      if (restIndex === 0) return true;
      stack.push(rest[--restIndex]!);
      continue;
    }
    const { mode, doc, indent: level } = stack.pop()!;
    if (typeof doc === 'string') {
      remaining -= doc.length;
      continue;
    }
    if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) stack.push({ indent: level, mode, doc: (doc as readonly Doc[])[i]! });
      continue;
    }
    const node = doc as Exclude<Doc, string | readonly Doc[]>;
    switch (node.kind) {
      case 'group':
        stack.push({ indent: level, mode: node.broken ? 'break' : mode, doc: node.contents });
        break;
      case 'indent':
        stack.push({ indent: level, mode, doc: node.contents });
        break;
      case 'ifBreak':
        stack.push({ indent: level, mode, doc: mode === 'break' ? node.broken : node.flat });
        break;
      case 'line':
        if (mode === 'break' || node.hard) return true;
        if (!node.soft) remaining -= 1;
        break;
      case 'lineSuffix':
      case 'breakParent':
        break;
    }
  }
  return false;
}

/** Lays `doc` out in `width` columns, indenting by two spaces per level. Lines carry no trailing spaces. */
export function printDoc(doc: Doc, width: number): string {
  propagateBreaks(doc);
  const out: string[] = [];
  let column = 0;
  let suffixes: string[] = [];
  const newline = (level: number) => {
    if (suffixes.length > 0) {
      out.push(...suffixes);
      suffixes = [];
    }
    trimTrailingSpaces(out);
    out.push('\n', '  '.repeat(level));
    column = 2 * level;
  };
  const stack: Command[] = [{ indent: 0, mode: 'break', doc }];
  while (stack.length > 0) {
    const command = stack.pop()!;
    const { indent: level, mode, doc: current } = command;
    if (typeof current === 'string') {
      out.push(current);
      column += current.length;
      continue;
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ indent: level, mode, doc: (current as readonly Doc[])[i]! });
      continue;
    }
    const node = current as Exclude<Doc, string | readonly Doc[]>;
    switch (node.kind) {
      case 'group': {
        const flat: Command = { indent: level, mode: 'flat', doc: node.contents };
        const chosen = !node.broken && (mode === 'flat' || fits(flat, stack, width - column)) ? flat : { indent: level, mode: 'break' as Mode, doc: node.contents };
        stack.push(chosen);
        break;
      }
      case 'indent':
        stack.push({ indent: level + 1, mode, doc: node.contents });
        break;
      case 'ifBreak':
        stack.push({ indent: level, mode, doc: mode === 'break' ? node.broken : node.flat });
        break;
      case 'line':
        if (mode === 'flat' && !node.hard) {
          if (!node.soft) {
            out.push(' ');
            column += 1;
          }
        } else {
          newline(level);
        }
        break;
      case 'lineSuffix':
        suffixes.push(node.text);
        break;
      case 'breakParent':
        break;
    }
  }
  out.push(...suffixes);
  trimTrailingSpaces(out);
  return out.join('');
}

function trimTrailingSpaces(out: string[]): void {
  while (out.length > 0) {
    const trimmed = out[out.length - 1]!.replace(/ +$/, '');
    if (trimmed.length > 0) {
      out[out.length - 1] = trimmed;
      return;
    }
    out.pop();
  }
}
