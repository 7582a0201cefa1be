import { isKeywordToken, lexer, Identifier } from '../../../grammar/tokens.js';
import { registry } from '../../registry/registry.js';
import type { DocumentAnalysis } from '../analysis/analyze.js';
import { lookupTensor, type NnSymbol } from '../analysis/symbols.js';
import { spanRange } from '../line-map.js';
import type { Range, RenameResult } from '../types.js';
import { symbolAt } from './navigation.js';

/** The name under the cursor, if it can be renamed; otherwise why not. */
export function prepareRename(analysis: DocumentAnalysis, offset: number): { ok: true; range: Range; placeholder: string } | { ok: false; reason: string } {
  const occurrence = analysis.occurrences.at(offset);
  if (!occurrence) return { ok: false, reason: 'there is no name here' };
  if (occurrence.meaning.kind !== 'symbol') {
    const what = occurrence.meaning.kind === 'unresolved' ? 'it names nothing declared in this file' : `\`${occurrence.id.name}\` is built in (${occurrence.meaning.kind})`;
    return { ok: false, reason: `cannot rename \`${occurrence.id.name}\`: ${what}` };
  }
  return { ok: true, range: spanRange(occurrence.id.span), placeholder: occurrence.meaning.symbol.name };
}

/**
 * Renames a symbol everywhere it is named (definition, references, keyword arguments of a
 * block parameter, `loss` and `columns` keys of an output), or says why the new name would
 * change what the file means: not a name, a keyword, taken in the same scope, or one that
 * stage lookup would find first.
 */
export function rename(analysis: DocumentAnalysis, offset: number, newName: string): RenameResult {
  const prepared = prepareRename(analysis, offset);
  if (!prepared.ok) return prepared;
  const symbol = symbolAt(analysis, offset)!;
  if (newName === symbol.name) return { ok: true, edits: [] };
  const problem = nameProblem(newName) ?? conflict(analysis, symbol, newName);
  if (problem) return { ok: false, reason: `cannot rename \`${symbol.name}\` to \`${newName}\`: ${problem}` };
  const edits = analysis.occurrences.of(symbol).map((o) => {
    const quoted = /^["']/.test(analysis.text.slice(o.id.span.start.offset, o.id.span.end.offset));
    return { range: spanRange(o.id.span), newText: quoted ? JSON.stringify(newName) : newName };
  });
  return { ok: true, edits };
}

function nameProblem(name: string): string | undefined {
  const { tokens, errors } = lexer.tokenize(name);
  if (errors.length > 0 || tokens.length !== 1 || tokens[0]!.image !== name) return 'a name is ASCII letters, digits and `_`, not starting with a digit';
  if (isKeywordToken(tokens[0]!.tokenType)) return `\`${name}\` is a keyword`;
  if (tokens[0]!.tokenType !== Identifier) return 'it is not a name';
  return undefined;
}

/** What the new name would collide with, in the scope where the symbol lives. */
function conflict(analysis: DocumentAnalysis, symbol: NnSymbol, name: string): string | undefined {
  const declaration = analysis.symbols.declarations.get(name);
  if (symbol.kind === 'model' || symbol.kind === 'block') {
    if (declaration) return `${declaration.kind} \`${name}\` is already declared`;
    if (symbol.kind === 'block' && (registry.op(name) || name === 'repeat')) return `\`${name}\` is an op: the block would hide it in every stage`;
    const shadowed = [...analysis.symbols.scopes.values()].find((s) => s.layers.has(name) || s.params.has(name));
    if (symbol.kind === 'block' && shadowed) return `\`${name}\` is a shared layer or parameter in \`${shadowed.decl.name.name}\`, which would hide the block there`;
    return undefined;
  }
  const scope = analysis.symbols.scopes.get(symbol.owner!)!;
  const taken = scope.params.get(name) ?? lookupTensor(scope, name) ?? scope.layers.get(name);
  if (taken) return `${taken.kind} \`${name}\` is already declared in \`${scope.decl.name.name}\``;
  if (symbol.kind === 'layer' || symbol.kind === 'parameter') {
    if (registry.op(name) || name === 'repeat') return `\`${name}\` is an op: the ${symbol.kind} would hide it in every stage of \`${scope.decl.name.name}\``;
    if (declaration?.kind === 'block') return `block \`${name}\` exists: the ${symbol.kind} would hide it in \`${scope.decl.name.name}\``;
  }
  if (symbol.kind === 'parameter' && (registry.activation(name) || registry.initializer(name))) return `\`${name}\` is an ${registry.activation(name) ? 'activation' : 'initializer'}: the parameter would hide it in \`${scope.decl.name.name}\``;
  return undefined;
}
