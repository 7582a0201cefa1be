/**
 * The language service after an edit: the time from a new version of a document to the
 * answer of a diagnostics, hover or completion request (the first request after an edit pays
 * for the analysis of that version), and a request alone on an analysis already made. For
 * every example and a 10,000-layer model; the aims are 20 ms and 200 ms.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLanguageService } from '../src/service/index.js';
import type { Position } from '../src/service/types.js';
import { syntheticModel } from './generate-model.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A position just inside the first pipeline stage: where a hover lands on a layer, and completion after `->` applies. */
function stagePosition(text: string): Position {
  const lines = text.split('\n');
  const line = Math.max(0, lines.findIndex((l) => l.includes('->')));
  return { line, character: lines[line]!.indexOf('->') + 4 };
}

interface Timing {
  diagnostics: number;
  hover: number;
  completion: number;
  cachedHover: number;
}

function measure(text: string, runs: number): Timing {
  const service = createLanguageService();
  const uri = 'file:///bench.nn';
  const position = stagePosition(text);
  let version = 0;
  // Each edit appends to a trailing comment, so that every version is new text of the same program.
  const edit = () => service.update(uri, `${text}\n# edit ${++version}`, version);
  service.open(uri, text, version);
  service.diagnostics(uri);
  const samples: Record<keyof Timing, number[]> = { diagnostics: [], hover: [], completion: [], cachedHover: [] };
  const time = (key: keyof Timing, fn: () => unknown) => {
    const start = performance.now();
    fn();
    samples[key].push(performance.now() - start);
  };
  for (let i = 0; i < runs; i++) {
    edit();
    time('diagnostics', () => service.diagnostics(uri));
    edit();
    time('hover', () => service.hover(uri, position));
    edit();
    time('completion', () => service.completions(uri, position));
    service.hover(uri, position);
    time('cachedHover', () => service.hover(uri, position));
  }
  return { diagnostics: median(samples.diagnostics), hover: median(samples.hover), completion: median(samples.completion), cachedHover: median(samples.cachedHover) };
}

export async function serviceSpeed(): Promise<void> {
  console.log('\nlanguage service: from an edit to the answer (median; the first request after an edit parses the new version, and the first that needs types checks it)');
  console.log('document                 diagnostics      hover   completion   hover, analysis cached');
  const examplesDir = join(import.meta.dirname, '..', 'examples');
  const documents = readdirSync(examplesDir)
    .filter((f) => f.endsWith('.nn'))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(examplesDir, f), 'utf8'), runs: 15 }));
  documents.push({ name: '10,000 layers', text: syntheticModel(10_000), runs: 5 });
  measure(documents[0]!.text, 5);
  const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(10);
  for (const { name, text, runs } of documents) {
    const t = measure(text, runs);
    console.log(`${name.padEnd(20)} ${ms(t.diagnostics)}  ${ms(t.hover)}  ${ms(t.completion)}  ${ms(t.cachedHover)}`);
  }
}
