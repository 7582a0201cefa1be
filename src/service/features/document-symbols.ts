import type { Declaration, Statement } from '../../parse/ast.js';
import type { DocumentAnalysis } from '../analysis/analyze.js';
import { typesOf } from '../analysis/facts.js';
import { spanRange } from '../line-map.js';
import type { DocumentSymbol, SymbolKind } from '../types.js';
import { typeText } from './describe.js';

/** The outline: models and blocks, each with its parameters, inputs, definitions, outputs, shared layers and training. */
export function documentSymbols(analysis: DocumentAnalysis): DocumentSymbol[] {
  return analysis.program.declarations.map((decl) => declarationSymbol(decl, analysis));
}

function declarationSymbol(decl: Declaration, analysis: DocumentAnalysis): DocumentSymbol {
  const params: DocumentSymbol[] = decl.kind === 'Block'
    ? decl.params.map((p) => ({ name: p.name.name, kind: 'parameter', range: spanRange(p.span), selectionRange: spanRange(p.name.span), children: [] }))
    : [];
  return {
    name: decl.name.name,
    kind: decl.kind === 'Model' ? 'model' : 'block',
    range: spanRange(decl.span),
    selectionRange: spanRange(decl.name.span),
    children: [...params, ...decl.body.map((s) => statementSymbol(s, analysis))],
  };
}

const kinds: { [K in Statement['kind']]: (s: Extract<Statement, { kind: K }>) => SymbolKind } = {
  Input: () => 'input',
  Output: () => 'output',
  Assign: () => 'definition',
  Layer: () => 'layer',
  Train: () => 'train',
};

function statementSymbol(statement: Statement, analysis: DocumentAnalysis): DocumentSymbol {
  const kind = (kinds[statement.kind] as (s: Statement) => SymbolKind)(statement);
  if (statement.kind === 'Train') {
    const children = statement.settings.map((s): DocumentSymbol => ({ name: s.key.name, kind: 'train', range: spanRange(s.span), selectionRange: spanRange(s.key.span), children: [] }));
    return { name: 'train', kind, range: spanRange(statement.span), selectionRange: spanRange(statement.span), children };
  }
  const types = [...new Set(analysis.facts.definitionFacts(statement.name).map((f) => typesOf(f.value).map(typeText).join(', ')))];
  const symbol: DocumentSymbol = { name: statement.name.name, kind, range: spanRange(statement.span), selectionRange: spanRange(statement.name.span), children: [] };
  if (types.length > 0) symbol.detail = types.join(' | ');
  return symbol;
}
