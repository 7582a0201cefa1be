import type { Reporter } from '../diagnostics/reporter.js';
import type { Span } from '../diagnostics/span.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { IRProgram } from '../ir/ir.js';
import type { BlockDecl, Declaration, Program } from '../parse/ast.js';
import { summarize, type ModelSummary } from '../summary.js';
import type { SignalBand } from '../analysis/report-signal.js';
import type { MomentTables } from '../analysis/moments.js';
import { checkModel, type BlockTable } from './check-model.js';
import { blockUses, findRecursiveBlocks } from './find-recursive-blocks.js';
import { collectScope } from './scope.js';
import type { ElaborationTrace } from './trace.js';

export interface ProgramCheckOptions {
  filename: string;
  /** Only this model is elaborated when given. */
  model?: string;
  /** Compiling needs exactly one model: several without `model` is an error. */
  requireOne?: boolean;
  /** Predicted signal scales outside this band are warned about (default 1e-3 to 1e3). */
  signalBand?: SignalBand;
  /** Told what the checker finds while it elaborates (the language service's hover and inlay hints). */
  trace?: ElaborationTrace;
  /** Activation moments kept from earlier checks (the language service's, across versions). */
  moments?: MomentTables;
}

/** Checks every declaration of a file and elaborates its models into IR. */
export function checkProgram(program: Program, reporter: Reporter, options: ProgramCheckOptions): { ir: IRProgram | null; summaries: ModelSummary[] } {
  const blocks = new Map<string, { decl: BlockDecl; scope: ReturnType<typeof collectScope> }>();
  const declared = new Map<string, string>();
  for (const decl of program.declarations) {
    const kind = decl.kind === 'Model' ? 'model' : 'block';
    if (declared.has(decl.name.name)) {
      reporter.report('duplicateDeclaration', decl.name.span, { kind, name: decl.name.name });
      continue;
    }
    declared.set(decl.name.name, kind);
    if (decl.kind === 'Block') {
      const scope = collectScope(decl.body, reporter);
      if (scope.outputs.length === 0) reporter.report('noOutputs', decl.name.span, { name: decl.name.name }, { help: 'mark the result with `output NAME = ...`' });
      for (const train of scope.trains) reporter.report('invalidTrainSetting', train.span, { name: 'train', reason: 'belongs in a model, not in a block' });
      blocks.set(decl.name.name, { decl, scope });
    }
  }
  const recursive = findRecursiveBlocks(blocks, reporter);
  const models = program.declarations.filter((d) => d.kind === 'Model');
  reportUnusedBlocks(models, blocks, reporter);
  // After syntax errors a missing model is most likely their consequence: say nothing more.
  if (models.length === 0 && reporter.errorCount === 0) reporter.report('noModels', startOf(program.span), {}, { help: 'declare one: `model Name { input x: [4]  output y = x -> dense(1) }`' });
  let selected = models;
  if (options.model !== undefined) {
    selected = models.filter((m) => m.name.name === options.model);
    if (selected.length === 0) {
      const names = models.map((m) => `\`${m.name.name}\``).join(', ') || 'none';
      const help = didYouMean(options.model, models.map((m) => m.name.name));
      reporter.report('unknownModel', models[0]?.name.span ?? startOf(program.span), { name: options.model, available: names }, help ? { help } : {});
    }
  }
  if (options.requireOne && options.model === undefined && models.length > 1) {
    const names = models.map((m) => m.name.name);
    reporter.report('ambiguousModel', models[1]!.name.span, { count: models.length }, {
      help: `pass one of ${names.map((n) => `\`${n}\``).join(', ')} with \`--model NAME\` (or \`{ model }\` in the API)`,
    });
  }
  const table: BlockTable = blocks;
  const ir: IRProgram = { version: 1, filename: options.filename, models: [] };
  const seen = new Set<string>();
  for (const decl of selected) {
    if (seen.has(decl.name.name)) continue;
    seen.add(decl.name.name);
    const model = checkModel(decl, table, recursive, reporter, options.signalBand, options.trace, options.moments);
    if (model) ir.models.push(model);
  }
  return { ir, summaries: ir.models.map(summarize) };
}

/** A file-level problem points at the start of the file rather than underlining all of it. */
function startOf(span: Span): Span {
  return { start: span.start, end: span.start };
}

/** A block no model uses, even through other blocks, is never elaborated: its body goes unchecked. */
function reportUnusedBlocks(models: readonly Declaration[], blocks: ReadonlyMap<string, { decl: BlockDecl }>, reporter: Reporter): void {
  if (blocks.size === 0) return;
  const used = new Set<string>();
  const queue = models.flatMap((m) => blockUses(m.body, blocks).map((u) => u.name));
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (used.has(name)) continue;
    used.add(name);
    queue.push(...blockUses(blocks.get(name)!.decl.body, blocks).map((u) => u.name));
  }
  for (const [name, { decl }] of blocks) {
    if (!used.has(name)) reporter.report('unusedBlock', decl.name.span, { name }, { help: 'apply it in a model (`x -> ' + name + '(...)`), or remove it' });
  }
}
