import type { Comment, Program } from '../parse/ast.js';
import type { Span } from '../diagnostics/span.js';
import { collectContainers, type Container } from './containers.js';
import type { SourceTokens } from './source-tokens.js';

/**
 * Where each comment goes. Every comment is attached exactly once, to the innermost list,
 * body or pipeline around it:
 * - after an item on the same line: a trailing comment of that item (`x -> relu  # note`);
 * - on the line of an opening bracket, before any item: an opener comment (`model M {  # note`);
 * - on its own line before an item: a leading comment of that item;
 * - on its own line after the last item: a dangling comment, printed before the closer.
 * A comment inside an item but in none of its lists (`loss = # note` + newline + `mse`) has no
 * place of its own there and becomes a leading comment of that item.
 */
export class CommentMap {
  private readonly leadingOf = new Map<object, Comment[]>();
  private readonly trailingOf = new Map<object, Comment[]>();
  private readonly openerOf = new Map<object, Comment[]>();
  private readonly danglingOf = new Map<object, Comment[]>();

  leading(item: object): readonly Comment[] {
    return this.leadingOf.get(item) ?? NONE;
  }
  trailing(item: object): readonly Comment[] {
    return this.trailingOf.get(item) ?? NONE;
  }
  opener(container: object): readonly Comment[] {
    return this.openerOf.get(container) ?? NONE;
  }
  dangling(container: object): readonly Comment[] {
    return this.danglingOf.get(container) ?? NONE;
  }

  add(kind: 'leading' | 'trailing' | 'opener' | 'dangling', key: object, comment: Comment): void {
    const map = { leading: this.leadingOf, trailing: this.trailingOf, opener: this.openerOf, dangling: this.danglingOf }[kind];
    const list = map.get(key);
    if (list) list.push(comment);
    else map.set(key, [comment]);
  }
}

const NONE: readonly Comment[] = [];

export function attachComments(program: Program, tokens: SourceTokens): CommentMap {
  const map = new CommentMap();
  if (program.comments.length === 0) return map;
  const containers = collectContainers(program, tokens);
  const stack: Container[] = [];
  let next = 0;
  for (const comment of program.comments) {
    const start = comment.span.start.offset;
    const end = comment.span.end.offset;
    while (next < containers.length && containers[next]!.open <= start) {
      const container = containers[next++]!;
      while (stack.length > 0 && stack[stack.length - 1]!.close < container.open) stack.pop();
      stack.push(container);
    }
    while (stack.length > 1 && stack[stack.length - 1]!.close < end) stack.pop();
    place(comment, stack[stack.length - 1]!, tokens, map);
  }
  return map;
}

function place(comment: Comment, container: Container, tokens: SourceTokens, map: CommentMap): void {
  const start = comment.span.start.offset;
  const end = comment.span.end.offset;
  const items = container.items;
  const after = firstStartingAtOrAfter(items, end);
  const before = after - 1;
  const previous = before >= 0 ? items[before] : undefined;
  if (previous && previous.span.end.offset > start) {
    map.add('leading', previous, comment);
    return;
  }
  if (previous && !tokens.breaksBetween(previous.span.end.offset, start)) {
    map.add('trailing', previous, comment);
    return;
  }
  if (!previous && container.hasOpener && !tokens.breaksBetween(container.open, start)) {
    map.add('opener', container.key, comment);
    return;
  }
  const following = items[after];
  if (following) map.add('leading', following, comment);
  else map.add('dangling', container.key, comment);
}

/** The index of the first item that starts at or after `offset` (items are in source order). */
function firstStartingAtOrAfter(items: ReadonlyArray<{ span: Span }>, offset: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (items[mid]!.span.start.offset < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
