import type { Span } from '../../diagnostics/span.js';
import type { BlockDecl, BlockParam, Declaration, Identifier, Program, Statement } from '../../parse/ast.js';

/**
 * The names a file declares: models and blocks (one namespace for the file), and in each body
 * its inputs, definitions, outputs, shared layers and (in blocks) parameters. The first
 * declaration of a name is the one the checker uses; a duplicate is a symbol of its own, which
 * nothing refers to.
 */
export type NnSymbolKind = 'model' | 'block' | 'input' | 'definition' | 'output' | 'layer' | 'parameter';

export interface NnSymbol {
  name: string;
  kind: NnSymbolKind;
  /** The identifier that declares it. */
  id: Identifier;
  /** The declaration, statement or parameter it comes from. */
  node: Declaration | Statement | BlockParam;
  /** The model or block it belongs to; undefined for models and blocks themselves. */
  owner: Declaration | undefined;
}

/** The names one body declares, looked up as the checker looks them up. */
export interface BodyScope {
  decl: Declaration;
  params: Map<string, NnSymbol>;
  inputs: Map<string, NnSymbol>;
  /** Definitions and outputs with a value. */
  tensors: Map<string, NnSymbol>;
  layers: Map<string, NnSymbol>;
  /** Every symbol of the body in source order, duplicates included. */
  all: NnSymbol[];
}

export interface FileSymbols {
  declarations: Map<string, NnSymbol>;
  blocks: Map<string, BlockDecl>;
  scopes: Map<Declaration, BodyScope>;
  /** Every symbol of the file, duplicates included. */
  all: NnSymbol[];
}

export function collectSymbols(program: Program): FileSymbols {
  const declarations = new Map<string, NnSymbol>();
  const blocks = new Map<string, BlockDecl>();
  const scopes = new Map<Declaration, BodyScope>();
  const all: NnSymbol[] = [];
  for (const decl of program.declarations) {
    const symbol: NnSymbol = { name: decl.name.name, kind: decl.kind === 'Model' ? 'model' : 'block', id: decl.name, node: decl, owner: undefined };
    all.push(symbol);
    if (!declarations.has(symbol.name)) {
      declarations.set(symbol.name, symbol);
      if (decl.kind === 'Block') blocks.set(symbol.name, decl);
    }
    const scope = collectBody(decl);
    scopes.set(decl, scope);
    for (const symbol of scope.all) all.push(symbol); // a large model has more definitions than push(...) takes arguments
  }
  return { declarations, blocks, scopes, all };
}

function collectBody(decl: Declaration): BodyScope {
  const scope: BodyScope = { decl, params: new Map(), inputs: new Map(), tensors: new Map(), layers: new Map(), all: [] };
  const taken = new Set<string>();
  const add = (map: Map<string, NnSymbol>, symbol: NnSymbol): void => {
    scope.all.push(symbol);
    if (taken.has(symbol.name)) return;
    taken.add(symbol.name);
    map.set(symbol.name, symbol);
  };
  if (decl.kind === 'Block') {
    for (const param of decl.params) {
      const symbol: NnSymbol = { name: param.name.name, kind: 'parameter', id: param.name, node: param, owner: decl };
      scope.all.push(symbol);
      if (!scope.params.has(symbol.name)) scope.params.set(symbol.name, symbol);
    }
  }
  for (const statement of decl.body) {
    const symbol = (kind: NnSymbolKind, id: Identifier): NnSymbol => ({ name: id.name, kind, id, node: statement, owner: decl });
    switch (statement.kind) {
      case 'Input':
        add(scope.inputs, symbol('input', statement.name));
        break;
      case 'Assign':
        add(scope.tensors, symbol('definition', statement.name));
        break;
      case 'Output':
        if (statement.value) add(scope.tensors, symbol('output', statement.name));
        break;
      case 'Layer':
        add(scope.layers, symbol('layer', statement.name));
        break;
      case 'Train':
        break;
    }
  }
  return scope;
}

/** A tensor name as a body reads it: a definition or output first, then an input. */
export function lookupTensor(scope: BodyScope, name: string): NnSymbol | undefined {
  return scope.tensors.get(name) ?? scope.inputs.get(name);
}

/** Whether a span contains an offset, its end included (a cursor just after a name is on it). */
export function spanHas(span: Span, offset: number): boolean {
  return span.start.offset <= offset && offset <= span.end.offset;
}
