import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { CallExpr, Expr } from '../../parse/ast.js';
import type { DocumentAnalysis } from '../analysis/analyze.js';
import { allExprs } from '../analysis/walk.js';
import { spanRange } from '../line-map.js';
import type { CodeAction, TextEdit } from '../types.js';

/**
 * Quick fixes for the diagnostics in [from, to]: each fixer reads a diagnostic of `nnc check`
 * (its code, span and help, written in one place by the checker) and turns what the help
 * says into edits. Every did-you-mean is one; so are the fixes the checker spells out. Then
 * the assists that need no diagnostic.
 */
type Fixer = (diagnostic: Diagnostic, analysis: DocumentAnalysis) => CodeAction[];

export function codeActions(analysis: DocumentAnalysis, from: number, to: number): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of analysis.diagnostics) {
    if (diagnostic.span.end.offset < from || diagnostic.span.start.offset > to) continue;
    for (const fixer of fixers) actions.push(...fixer(diagnostic, analysis));
  }
  actions.push(...flattenBeforeDense(analysis, from, to));
  // Two diagnostics with one fix (W6001 and W6003 on the same layer) offer it once.
  const seen = new Set<string>();
  return actions.filter((a) => {
    const key = `${a.title}\n${JSON.stringify(a.edits)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function action(title: string, diagnostic: Diagnostic, edits: TextEdit[], preferred = false): CodeAction {
  return { title, kind: 'quickfix', diagnostic: { code: diagnostic.code, range: spanRange(diagnostic.span) }, edits, ...(preferred ? { preferred: true } : {}) };
}

/** `did you mean `relu`?` or `did you mean one of `a`, `b`?`: replace the misspelt name, keeping its quotes. */
const didYouMean: Fixer = (diagnostic, analysis) => {
  const match = /did you mean (?:one of )?((?:`[^`]+`(?:, )?)+)\?/.exec(diagnostic.help ?? '');
  if (!match) return [];
  const written = analysis.text.slice(diagnostic.span.start.offset, diagnostic.span.end.offset);
  const quote = /^["']/.test(written) ? written[0]! : '';
  if (!/^(["']?)[A-Za-z_][A-Za-z0-9_]*\1$/.test(written)) return [];
  const candidates = [...match[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  return candidates
    .filter((c) => c !== written.replace(/^["']|["']$/g, ''))
    .map((c, i) => action(`Change to \`${c}\``, diagnostic, [{ range: spanRange(diagnostic.span), newText: quote ? `${quote}${c}${quote}` : c }], i === 0));
};

/** `use `init=he`` (W6001–W6004 and the identity gain): set the layer's `init` argument. */
const setInitializer: Fixer = (diagnostic, analysis) => {
  const init = /`init=([A-Za-z_][A-Za-z0-9_]*(?:\([^`]*\))?)`/.exec(diagnostic.help ?? '')?.[1];
  if (!init) return [];
  const call = callAt(analysis, diagnostic.span.start.offset, diagnostic.span.end.offset);
  if (!call) return [];
  const existing = call.args.find((a) => a.name?.name === 'init');
  const edit: TextEdit = existing
    ? { range: spanRange(existing.value.span), newText: init }
    : { range: analysis.lines.range(call.span.end.offset - 1, call.span.end.offset - 1), newText: call.args.length ? `, init=${init}` : `init=${init}` };
  return [action(`Use \`init=${init}\` in \`${call.callee.name}\``, diagnostic, [edit], true)];
};

/** W3004: a definition nothing reads can be made an output, as its help says. */
const makeOutput: Fixer = (diagnostic, analysis) => {
  const name = /declare it as one: `output ([A-Za-z_][A-Za-z0-9_]*)`/.exec(diagnostic.help ?? '')?.[1];
  if (!name) return [];
  const at = diagnostic.span.start.offset;
  return [action(`Make \`${name}\` an output`, diagnostic, [{ range: analysis.lines.range(at, at), newText: 'output ' }])];
};

/** E5002 with one output: add the loss the help names to the `train { }` block. */
const addLoss: Fixer = (diagnostic, analysis) => {
  const setting = /^add `(loss = [a-z_]+)`/.exec(diagnostic.help ?? '')?.[1];
  if (diagnostic.code !== 'E5002' || !setting) return [];
  const open = analysis.text.indexOf('{', diagnostic.span.start.offset);
  if (open < 0 || open > diagnostic.span.end.offset) return [];
  const lineStart = analysis.text.lastIndexOf('\n', diagnostic.span.start.offset) + 1;
  const indent = /^[ \t]*/.exec(analysis.text.slice(lineStart))![0];
  return [action(`Add \`${setting}\``, diagnostic, [{ range: analysis.lines.range(open + 1, open + 1), newText: `\n${indent}  ${setting}` }])];
};

const fixers: readonly Fixer[] = [didYouMean, setInitializer, makeOutput, addLoss];

/**
 * `dense` on an image ([h, w, c]) is legal, and acts on each pixel's channels: almost always a
 * missing `flatten` (Keras users meet it as a shape error at fit time). Offered on the stage
 * itself, from the shapes the checker inferred there, with no diagnostic.
 */
function flattenBeforeDense(analysis: DocumentAnalysis, from: number, to: number): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const occurrence of analysis.occurrences.list) {
    const span = occurrence.id.span;
    if (span.end.offset < from || span.start.offset > to) continue;
    if (occurrence.meaning.kind !== 'op' || occurrence.meaning.op.name !== 'dense' || occurrence.role !== 'layer' || !occurrence.expr) continue;
    const onImage = analysis.facts.stageFacts(occurrence.expr).some((f) => f.value.kind === 'tensor' && f.value.node.inputs.some((i) => i.type.shape.length >= 3));
    if (!onImage) continue;
    const at = occurrence.expr.span.start.offset;
    actions.push({ title: 'Insert `-> flatten` before `dense` (it acts on each pixel of an image)', kind: 'refactor', edits: [{ range: analysis.lines.range(at, at), newText: 'flatten -> ' }] });
  }
  return actions;
}

/** The call whose span is exactly [start, end): a layer expression the checker pointed at. */
function callAt(analysis: DocumentAnalysis, start: number, end: number): CallExpr | undefined {
  for (const expr of allExprs(analysis.program)) {
    if (isCall(expr) && expr.span.start.offset === start && expr.span.end.offset === end) return expr;
  }
  return undefined;
}

function isCall(expr: Expr): expr is CallExpr {
  return expr.kind === 'Call';
}
