import type { DocumentAnalysis } from '../analysis/analyze.js';
import type { NnSymbol } from '../analysis/symbols.js';
import { spanRange } from '../line-map.js';
import type { Location } from '../types.js';

/** The symbol named at an offset: declared there, or referred to. */
export function symbolAt(analysis: DocumentAnalysis, offset: number): NnSymbol | undefined {
  const occurrence = analysis.occurrences.at(offset);
  return occurrence?.meaning.kind === 'symbol' ? occurrence.meaning.symbol : undefined;
}

/** Where the name at an offset is declared: an input, definition, output, shared layer, block, model or block parameter. */
export function definition(analysis: DocumentAnalysis, offset: number): Location[] {
  const symbol = symbolAt(analysis, offset);
  return symbol ? [{ uri: analysis.uri, range: spanRange(symbol.id.span) }] : [];
}

/** Every place the symbol at an offset is named, in source order; its declaration first when asked for. */
export function references(analysis: DocumentAnalysis, offset: number, includeDeclaration: boolean): Location[] {
  const symbol = symbolAt(analysis, offset);
  if (!symbol) return [];
  return analysis.occurrences
    .of(symbol)
    .filter((o) => includeDeclaration || o.meaning.kind !== 'symbol' || !o.meaning.declaration)
    .map((o) => ({ uri: analysis.uri, range: spanRange(o.id.span) }));
}
