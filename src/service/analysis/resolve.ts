import type { Argument, Declaration, DictExpr, Expr, Identifier, Statement, TrainSetting } from '../../parse/ast.js';
import { fixedWord } from '../../parse/fixed-word.js';
import type { ParamSpec, ParamType } from '../../registry/op.js';
import { registry } from '../../registry/registry.js';
import type { Occurrence, Role } from './occurrences.js';
import { lookupTensor, type BodyScope, type FileSymbols, type NnSymbol } from './symbols.js';

/**
 * Finds what every identifier of the file means, reading each expression in the role its
 * position gives it, with the checker's lookup rules: a tensor position reads definitions
 * and inputs; a stage reads a block parameter, then a shared layer, a block, an op; an
 * argument is read by its parameter's type. Works on whatever the parser recovered.
 */
export function resolveOccurrences(symbols: FileSymbols): Occurrence[] {
  const out: Occurrence[] = [];
  for (const symbol of symbols.all) out.push({ id: symbol.id, meaning: { kind: 'symbol', symbol, declaration: true } });
  for (const scope of symbols.scopes.values()) {
    const walker = new Walker(scope, symbols, out);
    walker.declaration(scope.decl);
  }
  return out;
}

class Walker {
  constructor(
    private readonly scope: BodyScope,
    private readonly file: FileSymbols,
    private readonly out: Occurrence[],
  ) {}

  declaration(decl: Declaration): void {
    if (decl.kind === 'Block') for (const param of decl.params) if (param.default) this.value(param.default, undefined);
    for (const statement of decl.body) this.statement(statement);
  }

  private push(id: Identifier, meaning: Occurrence['meaning'], extra: { expr?: Expr; role?: Role } = {}): void {
    this.out.push({ id, meaning, ...extra });
  }

  private symbolRef(id: Identifier, symbol: NnSymbol | undefined, role: Role, expr?: Expr): void {
    if (symbol) this.push(id, { kind: 'symbol', symbol, declaration: false }, { role, expr });
    else this.push(id, { kind: 'unresolved', role }, { role, expr });
  }

  /** One reader per kind of statement: a new kind of statement says here what its parts mean. */
  private readonly statements: { [K in Statement['kind']]: (s: Extract<Statement, { kind: K }>) => void } = {
    Input: (s) => {
      for (const dim of s.shape?.dims ?? []) if (dim.kind === 'Identifier') this.symbolRef(dim, this.scope.params.get(dim.name), 'value');
    },
    Assign: (s) => this.tensor(s.value),
    Output: (s) => (s.value ? this.tensor(s.value) : this.symbolRef(s.name, lookupTensor(this.scope, s.name.name), 'tensor')),
    Layer: (s) => this.layer(s.value),
    Train: (s) => {
      for (const setting of s.settings) this.setting(setting);
    },
  };

  statement(statement: Statement): void {
    (this.statements[statement.kind] as (s: Statement) => void)(statement);
  }

  /** An expression where a tensor is expected. */
  tensor(expr: Expr): void {
    switch (expr.kind) {
      case 'Identifier':
        return this.symbolRef(expr, lookupTensor(this.scope, expr.name), 'tensor');
      case 'Tuple':
        for (const item of expr.items) this.tensor(item);
        return;
      case 'Pipe':
        this.tensor(expr.source);
        for (const stage of expr.stages) this.layer(stage);
        return;
      case 'Call': {
        const op = registry.op(expr.callee.name);
        if (op?.tensorArgs && !this.isLayerName(expr.callee.name)) {
          this.push(expr.callee, { kind: 'op', op }, { expr, role: 'tensor' });
          for (const arg of expr.args) {
            if (arg.name) this.argument(arg, op.name, op.params);
            else this.tensor(arg.value);
          }
          return;
        }
        return this.layer(expr);
      }
      default:
        return;
    }
  }

  private isLayerName(name: string): boolean {
    return this.scope.layers.has(name) || this.file.blocks.has(name);
  }

  /** An expression in stage position: a name or call of a block parameter, shared layer, block or op, or `repeat`. */
  layer(expr: Expr): void {
    if (expr.kind === 'Pipe') {
      this.layer(expr.source);
      for (const stage of expr.stages) this.layer(stage);
      return;
    }
    if (expr.kind !== 'Identifier' && expr.kind !== 'Call') return;
    const callee = expr.kind === 'Call' ? expr.callee : expr;
    const args = expr.kind === 'Call' ? expr.args : [];
    const name = callee.name;
    const param = this.scope.params.get(name);
    if (param) {
      this.push(callee, { kind: 'symbol', symbol: param, declaration: false }, { expr, role: 'layer' });
      for (const arg of args) this.value(arg.value, undefined);
      return;
    }
    const shared = this.scope.layers.get(name);
    if (shared) {
      this.push(callee, { kind: 'symbol', symbol: shared, declaration: false }, { expr, role: 'layer' });
      for (const arg of args) this.value(arg.value, undefined);
      return;
    }
    const block = this.file.blocks.get(name);
    if (block) {
      this.push(callee, { kind: 'symbol', symbol: this.file.declarations.get(name)!, declaration: false }, { expr, role: 'layer' });
      const blockScope = this.file.scopes.get(block)!;
      for (const arg of args) {
        if (arg.name) this.symbolRef(arg.name, blockScope.params.get(arg.name.name), 'value');
        this.value(arg.value, undefined);
      }
      return;
    }
    if (name === 'repeat' && expr.kind === 'Call') {
      this.push(callee, { kind: 'repeat' }, { expr, role: 'layer' });
      const [count, body, ...rest] = args;
      if (count) this.value(count.value, { kind: 'int', min: 1 });
      if (body) this.layer(body.value);
      for (const arg of rest) this.value(arg.value, undefined);
      return;
    }
    const op = registry.op(name);
    if (op) {
      this.push(callee, { kind: 'op', op }, { expr, role: 'layer' });
      this.arguments(args, op.name, op.params);
      return;
    }
    this.push(callee, { kind: 'unresolved', role: 'layer' }, { expr, role: 'layer' });
    for (const arg of args) this.value(arg.value, undefined);
  }

  /** Arguments bound to a parameter list: positional in order, then by name. */
  private arguments(args: readonly Argument[], callee: string, params: readonly ParamSpec[]): void {
    let positional = 0;
    for (const arg of args) {
      if (arg.name) this.argument(arg, callee, params);
      else this.value(arg.value, params[positional++]?.type, { callee, param: params[positional - 1] });
    }
  }

  private argument(arg: Argument, callee: string, params: readonly ParamSpec[]): void {
    const param = params.find((p) => p.name === arg.name!.name);
    if (param) this.push(arg.name!, { kind: 'argument', callee, param });
    else this.push(arg.name!, { kind: 'unresolved', role: 'value' });
    this.value(arg.value, param?.type, param && { callee, param });
  }

  /** An argument value, read by its parameter's type when known; undefined reads it as anything. */
  value(expr: Expr, type: ParamType | undefined, site?: { callee: string; param: ParamSpec | undefined }): void {
    if (expr.kind === 'List') {
      for (const item of expr.items) this.value(item, undefined);
      return;
    }
    // A quoted word where the parameter takes one (`activation="relu"`) reads as the bare word.
    if (expr.kind === 'String') return this.quotedWord(fixedWord(expr)!, type, site);
    if (expr.kind !== 'Identifier' && expr.kind !== 'Call') return;
    const callee = expr.kind === 'Call' ? expr.callee : expr;
    const args = expr.kind === 'Call' ? expr.args : [];
    const name = callee.name;
    const param = this.scope.params.get(name);
    if (param && expr.kind === 'Identifier') return this.push(callee, { kind: 'symbol', symbol: param, declaration: false }, { role: 'value' });
    const kind = type?.kind;
    if ((kind === 'activation' || kind === undefined) && registry.activation(name)) {
      const def = registry.activation(name)!;
      this.push(callee, { kind: 'activation', name: def.name });
      return this.arguments(args, def.name, def.params);
    }
    if ((kind === 'init' || kind === undefined) && (registry.initializer(name) || name === 'auto')) {
      const def = registry.initializer(name);
      this.push(callee, { kind: 'initializer', name: def?.name ?? 'auto' });
      if (def) this.arguments(args, def.name, def.params);
      return;
    }
    if (kind === 'enum' && site?.param && expr.kind === 'Identifier') {
      return this.push(callee, { kind: 'enum', callee: site.callee, param: site.param, value: name });
    }
    // A block argument may be a layer (`Residual(64, act=gelu)`, `Stack(f=dense(8))`).
    if (kind === undefined && (this.scope.layers.has(name) || this.file.blocks.has(name) || registry.op(name) || name === 'repeat')) return this.layer(expr);
    this.push(callee, { kind: 'unresolved', role: 'value' }, { role: 'value' });
    for (const arg of args) this.value(arg.value, undefined);
  }

  /** Never a block parameter: the checker does not look quoted words up in the block's bindings either. */
  private quotedWord(word: Identifier, type: ParamType | undefined, site?: { callee: string; param: ParamSpec | undefined }): void {
    const kind = type?.kind;
    const activation = kind === 'activation' ? registry.activation(word.name) : undefined;
    const initializer = kind === 'init' ? registry.initializer(word.name) : undefined;
    if (activation) this.push(word, { kind: 'activation', name: activation.name });
    else if (initializer || (kind === 'init' && word.name === 'auto')) this.push(word, { kind: 'initializer', name: initializer?.name ?? 'auto' });
    else if (kind === 'enum' && site?.param) this.push(word, { kind: 'enum', callee: site.callee, param: site.param, value: word.name });
  }

  private setting(setting: TrainSetting): void {
    const key = setting.key.name;
    this.push(setting.key, { kind: 'setting', name: key });
    const value = setting.value;
    switch (key) {
      case 'loss': {
        const word = fixedWord(value);
        if (word) return this.named(word, 'loss');
        if (value.kind === 'Dict') {
          this.outputKeys(value);
          for (const entry of value.entries) {
            const loss = fixedWord(entry.value);
            if (loss) this.named(loss, 'loss');
          }
        }
        return;
      }
      case 'loss_weights':
      case 'columns':
        if (value.kind === 'Dict') this.outputKeys(value);
        return;
      case 'metrics': {
        // `[mae]`, `mae`, or per output: `{ score: [mae], kind: accuracy }`.
        const lists = value.kind === 'Dict' ? value.entries.map((e) => e.value) : [value];
        if (value.kind === 'Dict') this.outputKeys(value);
        for (const list of lists) {
          for (const item of list.kind === 'List' ? list.items : [list]) {
            const metric = fixedWord(item);
            if (metric) this.named(metric, 'metric');
          }
        }
        return;
      }
      case 'optimizer': {
        const call = value.kind === 'Call' ? value : undefined;
        const callee = call?.callee ?? fixedWord(value);
        if (!callee) return;
        const def = registry.optimizer(callee.name);
        this.push(callee, def ? { kind: 'optimizer', name: def.name } : { kind: 'unresolved', role: 'value' });
        if (call && def) this.arguments(call.args, def.name, def.params);
        return;
      }
      case 'early_stopping':
        if (value.kind === 'Dict') for (const entry of value.entries) this.push(entry.key, { kind: 'setting', name: entry.key.name, within: 'early_stopping' });
        return;
      default:
        return;
    }
  }

  private named(id: Identifier, kind: 'loss' | 'metric'): void {
    const def = kind === 'loss' ? registry.loss(id.name) : registry.metric(id.name);
    this.push(id, def ? { kind, name: def.name } : { kind: 'unresolved', role: 'value' });
  }

  /** `{ price: mse }`: keys name the model's inputs and outputs. */
  private outputKeys(dict: DictExpr): void {
    for (const entry of dict.entries) this.symbolRef(entry.key, lookupTensor(this.scope, entry.key.name), 'tensor');
  }
}
