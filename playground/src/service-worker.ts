/**
 * The language service in a Web Worker: the page never parses or checks, so typing stays
 * responsive however large the model is. One document, the editor's, replaced on every update.
 */
import { compile } from '../../src/compile.js';
import { renderDepthTable } from '../../src/format/depth-table.js';
import { renderSummaryTable } from '../../src/format/summary-table.js';
import { createLanguageService } from '../../src/service/index.js';
import { summarize } from '../../src/summary.js';
import { layoutModel, type LaidOutGraph } from './graph-model.js';
import type { CodeAnswer, PanelsAnswer, RequestKind, RequestMessage, Requests, ResponseMessage } from './protocol.js';

const URI = 'playground.nn';
const service = createLanguageService();
service.open(URI, '', 0);

function wholeDocument() {
  const text = service.document(URI)?.text ?? '';
  const lines = text.split('\n');
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines.at(-1)!.length } };
}

function panels(): PanelsAnswer {
  const analysis = service.analysis(URI);
  if (!analysis) return { summary: '', depth: '' };
  const summary: string[] = [];
  const depth: string[] = [];
  for (const decl of analysis.program.declarations) {
    if (decl.kind !== 'Model') continue;
    const facts = analysis.facts.modelFacts(decl);
    if (facts?.ir) summary.push(renderSummaryTable(summarize(facts.ir)));
    if (facts?.signal) depth.push(`Model: ${decl.name.name}\n${renderDepthTable(facts.signal)}`);
  }
  return { summary: summary.join('\n'), depth: depth.join('\n') };
}

async function code(): Promise<CodeAnswer> {
  const text = service.document(URI)?.text ?? '';
  const result = await compile(text, { filename: URI, format: 'ts' });
  if (result.code !== null) return { code: result.code };
  const first = result.diagnostics.find((d) => d.severity === 'error');
  return { code: null, reason: first ? `the file has errors (first: ${first.code} ${first.message})` : 'there is no model to compile' };
}

/** Replaces the document unless it is already this version (its analysis is then kept). */
function sync(doc: { text: string; version: number }): void {
  if (service.document(URI)?.version !== doc.version) service.update(URI, doc.text, doc.version);
}

/** Above this many nodes a layered layout takes seconds and the drawing is unreadable anyway. */
const GRAPH_LIMIT = 1500;

function graph(): { graphs: LaidOutGraph[]; reason?: string } {
  const analysis = service.analysis(URI);
  if (!analysis) return { graphs: [] };
  const diagnostics = service.diagnostics(URI);
  const graphs: LaidOutGraph[] = [];
  for (const decl of analysis.program.declarations) {
    if (decl.kind !== 'Model') continue;
    const ir = analysis.facts.modelFacts(decl)?.ir;
    if (ir && ir.nodes.length > GRAPH_LIMIT) return { graphs: [], reason: `model ${ir.name} has ${ir.nodes.length.toLocaleString('en-US')} nodes, more than the ${GRAPH_LIMIT.toLocaleString('en-US')} the graph draws (its layout would hold up the editor's answers)` };
    if (ir) graphs.push(layoutModel(ir, analysis.text, diagnostics));
  }
  const first = diagnostics.find((d) => d.severity === 'error');
  return graphs.length > 0 ? { graphs } : { graphs, reason: first ? `the model has errors (first: ${first.code} at ${first.range.start.line + 1}:${first.range.start.character + 1}, ${first.message})` : 'the file declares no model' };
}

const handlers: { [K in RequestKind]: (ask: Requests[K]['ask']) => Requests[K]['answer'] | Promise<Requests[K]['answer']> } = {
  update: ({ text, version }) => {
    sync({ text, version });
    return { version, diagnostics: service.diagnostics(URI), fixes: service.codeActions(URI, wholeDocument()).filter((a) => a.kind === 'quickfix'), hints: service.inlayHints(URI) };
  },
  hover: ({ position }) => service.hover(URI, position) ?? null,
  completions: ({ position }) => service.completions(URI, position),
  format: () => service.format(URI),
  panels,
  code,
  graph,
};

self.onmessage = async (event: MessageEvent<RequestMessage>) => {
  const { id, kind, ask } = event.data;
  let message: ResponseMessage;
  try {
    if (event.data.sync) sync(event.data.sync);
    message = { id, answer: await (handlers[kind] as (ask: unknown) => unknown)(ask) };
  } catch (error) {
    // The service never throws on bad input; this is a bug, shown in the page as one.
    message = { id, error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) };
  }
  self.postMessage(message);
};
