import type { IRModel } from '../../ir/ir.js';
import type { Position } from '../../diagnostics/span.js';
import { stringLiteral } from './literals.js';

/** A version 3 source map (the fields bundlers read). */
export interface SourceMap {
  version: 3;
  file?: string;
  sources: string[];
  sourcesContent: string[];
  names: string[];
  mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

/**
 * Where each line of a generated module comes from: a graph row or input of `buildModel` names
 * its layer or input (`name: 'hidden/dense_1'`), which maps to that layer's expression in the .nn
 * source; the lines of `export` declarations map to the model. Lines naming nothing map nowhere.
 */
export function generatedLineOrigins(code: string, model: IRModel): (Position | undefined)[] {
  const byName = new Map<string, Position>();
  for (const input of model.inputs) byName.set(`name: ${stringLiteral(input.name)}`, input.span.start);
  for (const layer of model.layers) byName.set(`name: ${stringLiteral(layer.id)}`, layer.span.start);
  const named = /name: (?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g;
  return code.split('\n').map((line) => {
    for (const match of line.matchAll(named)) {
      const found = byName.get(match[0]);
      if (found) return found;
    }
    return /^export (async )?function buildModel\b/.test(line) ? model.span.start : undefined;
  });
}

/** A source map of `code` (generated from `source`) mapping each line with an origin to its .nn position. */
export function lineSourceMap(code: string, model: IRModel, source: string, sourceName: string): SourceMap {
  const origins = generatedLineOrigins(code, model);
  let previousLine = 0;
  let previousColumn = 0;
  const lines = origins.map((origin) => {
    if (!origin) return '';
    const segment = vlq(0) + vlq(0) + vlq(origin.line - 1 - previousLine) + vlq(origin.column - 1 - previousColumn);
    previousLine = origin.line - 1;
    previousColumn = origin.column - 1;
    return segment;
  });
  return { version: 3, sources: [sourceName], sourcesContent: [source], names: [], mappings: lines.join(';') };
}
