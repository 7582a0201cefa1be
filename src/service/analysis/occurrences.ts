import type { Expr, Identifier } from '../../parse/ast.js';
import type { OpDef, ParamSpec } from '../../registry/op.js';
import type { NnSymbol } from './symbols.js';

/**
 * What one identifier in the file stands for, as the checker reads it there. `expr` is the
 * stage or call it names (hover looks up what the checker found for that expression).
 */
export type Meaning =
  | { kind: 'symbol'; symbol: NnSymbol; declaration: boolean }
  | { kind: 'op'; op: OpDef }
  | { kind: 'repeat' }
  | Named<'activation'>
  | Named<'initializer'>
  | Named<'loss'>
  | Named<'optimizer'>
  | Named<'metric'>
  /** `units` in `dense(units=3)`: a parameter of an op, activation, initializer or optimizer. */
  | { kind: 'argument'; callee: string; param: ParamSpec }
  /** `loss` in `train { loss = mse }`, or `patience` in `early_stopping = { patience: 5 }`. */
  | { kind: 'setting'; name: string; within?: string }
  /** `same` in `padding=same`. */
  | { kind: 'enum'; callee: string; param: ParamSpec; value: string }
  | { kind: 'unresolved'; role: Role };

/** A name from one of the registry's tables. */
interface Named<K extends string> {
  kind: K;
  name: string;
}

/** What the position of an expression asks for. */
export type Role = 'tensor' | 'layer' | 'value';

export interface Occurrence {
  id: Identifier;
  meaning: Meaning;
  /** The stage or merge call this name applies (for ops, blocks, shared layers, parameters and `repeat`). */
  expr?: Expr;
  /** The role its position gives it. */
  role?: Role;
}

/** Occurrences sorted by offset, found by position. */
export class OccurrenceIndex {
  readonly list: readonly Occurrence[];

  constructor(occurrences: Occurrence[]) {
    this.list = occurrences.sort((a, b) => a.id.span.start.offset - b.id.span.start.offset);
  }

  /** The occurrence whose name contains the offset (or ends at it). */
  at(offset: number): Occurrence | undefined {
    const list = this.list;
    let low = 0;
    let high = list.length - 1;
    let found: Occurrence | undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const span = list[mid]!.id.span;
      if (span.start.offset <= offset) {
        if (offset <= span.end.offset) found = list[mid];
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /** Every occurrence of a symbol, its declaration included. */
  of(symbol: NnSymbol): Occurrence[] {
    return this.list.filter((o) => o.meaning.kind === 'symbol' && o.meaning.symbol === symbol);
  }
}
