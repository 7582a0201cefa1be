import type { Expr, Statement } from '../../parse/ast.js';
import type { DocumentAnalysis } from '../analysis/analyze.js';
import { typesOf, type Fact } from '../analysis/facts.js';
import type { InlayHint } from '../types.js';
import { shortType } from './describe.js';

/**
 * Shapes where the source leaves them implicit, as rust-analyzer shows types: after each
 * defined name (`hidden: [?, 30] = ...`) and after each `->` stage of a pipeline, except the
 * last stage of a definition, whose shape the name already shows. In a block body a stage
 * shows the shapes of every instance (`[?, 64] | [?, 32]`). Only within [from, to] offsets.
 */
export function inlayHints(analysis: DocumentAnalysis, from = 0, to = Infinity): InlayHint[] {
  const hints: InlayHint[] = [];
  const add = (offset: number, facts: readonly Fact[], prefix: string): void => {
    if (facts.length === 0 || offset < from || offset > to) return;
    const label = [...new Set(facts.map((f) => typesOf(f.value).map(shortType).join(', ')))].join(' | ');
    hints.push({ position: analysis.lines.position(offset), label: `${prefix}${label}`, kind: 'type' });
  };
  for (const decl of analysis.program.declarations) {
    if (decl.span.end.offset < from || decl.span.start.offset > to) continue;
    for (const statement of decl.body) {
      const value = valueOf(statement);
      if (!value || statement.span.end.offset < from || statement.span.start.offset > to) continue;
      if (statement.kind === 'Assign' || statement.kind === 'Output') add(statement.name.span.end.offset, analysis.facts.definitionFacts(statement.name), ': ');
      stageHints(value, true, analysis, add);
    }
  }
  return hints;
}

function valueOf(statement: Statement): Expr | undefined {
  return statement.kind === 'Assign' || statement.kind === 'Output' || statement.kind === 'Layer' ? statement.value : undefined;
}

type Add = (offset: number, facts: readonly Fact[], prefix: string) => void;

/** Hints after the stages of every pipeline in an expression (merge arguments and tuples included). */
function stageHints(expr: Expr, isValue: boolean, analysis: DocumentAnalysis, add: Add): void {
  const stack: Array<{ expr: Expr; isValue: boolean }> = [{ expr, isValue }];
  while (stack.length > 0) {
    const { expr: e, isValue: top } = stack.pop()!;
    switch (e.kind) {
      case 'Pipe':
        e.stages.forEach((stage, i) => {
          if (!(top && i === e.stages.length - 1)) add(stage.span.end.offset, analysis.facts.stageFacts(stage), '');
        });
        stack.push({ expr: e.source, isValue: false });
        break;
      case 'Call':
        for (const arg of e.args) stack.push({ expr: arg.value, isValue: false });
        break;
      case 'Tuple':
        for (const item of e.items) stack.push({ expr: item, isValue: false });
        break;
      default:
        break;
    }
  }
}
