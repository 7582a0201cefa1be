import type { SignalAnalysis, SignalRow } from '../../analysis/signal.js';
import type { NodeBuild, Value } from '../../check/graph-builder.js';
import type { BlockUse, ElaborationTrace } from '../../check/trace.js';
import type { IRModel, TensorType } from '../../ir/ir.js';
import type { BlockDecl, Expr, Identifier, ModelDecl } from '../../parse/ast.js';

/** What one model's elaboration produced: its IR and depth analysis when it checked. */
export interface ModelFacts {
  decl?: ModelDecl;
  ir?: IRModel;
  signal?: SignalAnalysis;
  idOf?: (node: NodeBuild) => string | undefined;
  rows?: Map<string, SignalRow>;
}

/** One evaluation of an expression or a name: in the model body, or in one block instance. */
export interface Fact {
  value: Value;
  /** The block instances around it, outermost first; empty in a model body. */
  path: readonly string[];
  model: ModelFacts;
}

/**
 * The checker's findings for one analysis, keyed by the AST objects it traced (the same
 * objects the service resolves names in): values of stages and definitions per instance,
 * block uses, and each model's IR and depth analysis.
 */
export class Facts implements ElaborationTrace {
  private readonly stages = new Map<Expr, Fact[]>();
  private readonly definitions = new Map<Identifier, Fact[]>();
  private readonly instances = new Map<string, Array<BlockUse & { model: ModelFacts }>>();
  private readonly models = new Map<ModelDecl, ModelFacts>();
  /** The model being elaborated: the checker traces one model at a time and ends it with `model()`. */
  private current: ModelFacts = {};

  stage(expr: Expr, value: Value, path: readonly string[]): void {
    push(this.stages, expr, { value, path, model: this.current });
  }

  definition(name: Identifier, value: Value, path: readonly string[]): void {
    push(this.definitions, name, { value, path, model: this.current });
  }

  instance(use: BlockUse): void {
    const key = spanKey(use.span);
    const list = this.instances.get(key) ?? [];
    list.push({ ...use, model: this.current });
    this.instances.set(key, list);
  }

  model(decl: ModelDecl, result: { ir?: IRModel; signal?: SignalAnalysis; idOf?: (node: NodeBuild) => string | undefined }): void {
    Object.assign(this.current, { decl, ...result });
    this.models.set(decl, this.current);
    this.current = {};
  }

  stageFacts(expr: Expr): readonly Fact[] {
    return this.stages.get(expr) ?? [];
  }

  definitionFacts(name: Identifier): readonly Fact[] {
    return this.definitions.get(name) ?? [];
  }

  /** The uses of a block at a stage, one per evaluation of that stage. */
  blockUses(stage: Expr): ReadonlyArray<BlockUse & { model: ModelFacts }> {
    return this.instances.get(spanKey(stage.span)) ?? [];
  }

  /** Every use of a block, in every model. */
  allBlockUses(decl: BlockDecl): ReadonlyArray<BlockUse & { model: ModelFacts }> {
    return [...this.instances.values()].flat().filter((use) => use.decl === decl);
  }

  modelFacts(decl: ModelDecl): ModelFacts | undefined {
    return this.models.get(decl);
  }

  /** The depth analysis' prediction at the node a tensor value comes from, when its model checked. */
  signalAt(fact: Fact): SignalRow | undefined {
    if (fact.value.kind !== 'tensor') return undefined;
    const model = fact.model;
    const id = model.idOf?.(fact.value.node);
    if (id === undefined || !model.signal) return undefined;
    model.rows ??= new Map(model.signal.rows.map((r) => [r.node, r]));
    return model.rows.get(id);
  }
}

function push<K>(map: Map<K, Fact[]>, key: K, fact: Fact): void {
  const list = map.get(key);
  if (list) list.push(fact);
  else map.set(key, [fact]);
}

function spanKey(span: { start: { offset: number }; end: { offset: number } }): string {
  return `${span.start.offset}:${span.end.offset}`;
}

/** The types a value carries: one tensor's, or each item of a tuple. */
export function typesOf(value: Value): TensorType[] {
  return value.kind === 'tensor' ? [value.type] : value.items.map((i) => i.type);
}
