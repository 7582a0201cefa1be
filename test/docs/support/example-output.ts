import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { hasErrors } from '../../../src/diagnostics/diagnostic.js';
import { renderReport } from '../../../src/diagnostics/render.js';
import { renderSummaryTable } from '../../../src/format/summary-table.js';
import { checkSource } from './check-source.js';

/**
 * An example's output block starts with the command that produced it, e.g.
 * `$ nnc check example.nn --model Mlp`; the rest is what nnc prints for it: the diagnostics
 * (stderr), then for a `check` without errors the summary tables (stdout).
 */
export interface ExampleCommand {
  command: 'check' | 'compile';
  filename: string;
  model?: string;
}

const COMMAND = /^\$ nnc (check|compile) (\S+)(?: --model (\S+))?$/;

export function parseCommand(line: string): ExampleCommand | undefined {
  const match = COMMAND.exec(line);
  if (!match) return undefined;
  const command: ExampleCommand = { command: match[1] as 'check' | 'compile', filename: match[2]! };
  if (match[3] !== undefined) command.model = match[3];
  return command;
}

/** The diagnostics of `source` under `command`, and the text nnc prints for them (no color). */
export function runExample(source: string, command: ExampleCommand): { diagnostics: Diagnostic[]; output: string } {
  const { diagnostics, summary } = checkSource(source, {
    filename: command.filename,
    model: command.model,
    requireOne: command.command === 'compile',
  });
  const parts = [renderReport(diagnostics, source, command.filename).trimEnd()];
  if (command.command === 'check' && !hasErrors(diagnostics)) parts.push(...summary.map(renderSummaryTable));
  return { diagnostics, output: parts.filter((p) => p !== '').join('\n\n') };
}
