import { diagnosticByCode, diagnosticTable } from '../diagnostics/codes.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { diagnosticsDocPath } from './package-root.js';

const FENCE = /^\s*(```|~~~)/;

/**
 * The `## CODE ...` section of docs/diagnostics.md, up to the next `## ` heading.
 * Headings inside fenced examples do not count: `## ` can be a comment in an `.nn` snippet.
 */
export function explanationSection(markdown: string, code: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const heading = new RegExp(`^## +${code}(?![0-9A-Za-z])`, 'i');
  let inFence = false;
  let start = -1;
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence || !line.startsWith('## ')) continue;
    if (start >= 0) {
      end = i;
      break;
    }
    if (heading.test(line)) start = i;
  }
  if (start < 0) return undefined;
  return `${lines.slice(start, end).join('\n').trimEnd()}\n`;
}

/** `nnc explain E2001`: the long explanation, with close codes suggested for a typo. */
export async function runExplain(rawCode: string, io: CliIO): Promise<number> {
  const code = rawCode.trim().toUpperCase();
  const entry = diagnosticByCode(code);
  if (!entry) {
    io.stderr(`error: unknown diagnostic code \`${rawCode}\`\n`);
    const help = didYouMean(code, Object.values(diagnosticTable).map((d) => d.code));
    io.stderr(help ? `help: ${help}\n` : 'help: codes look like `E2001` or `W3003`; `nnc check` shows them in brackets\n');
    return ExitCode.usage;
  }
  const path = diagnosticsDocPath();
  const brief = `note: ${code} (${entry.severity}): ${entry.title}\n`;
  let markdown: string;
  try {
    markdown = await io.readFile(path);
  } catch (error) {
    io.stderr(`error: cannot read the explanations in \`${path}\`: ${describeIoError(error)}\n${brief}`);
    return ExitCode.usage;
  }
  const section = explanationSection(markdown, code);
  if (section === undefined) {
    io.stderr(`error: \`${path}\` has no section for ${code}\n${brief}`);
    return ExitCode.usage;
  }
  io.stdout(section);
  return ExitCode.ok;
}
