/**
 * Just enough Markdown for the docs tests: fenced code blocks with their info string and
 * `## ` sections. A `## ` line inside a fence is code (an `.nn` comment), not a heading,
 * as in `nnc explain`.
 */

export interface CodeBlock {
  /** The word after the fence, e.g. `nn`, `nn-fragment`, `text`. */
  lang: string;
  /** The lines between the fences, joined with `\n`, with a final `\n` when non-empty. */
  text: string;
  /** 1-based line numbers of the opening and closing fences. */
  open: number;
  close: number;
}

export interface Section {
  heading: string;
  /** 1-based line of the heading. */
  line: number;
  /** The section's text from its heading up to the next `## ` heading. */
  body: string;
  blocks: CodeBlock[];
}

const FENCE = /^(```|~~~)\s*([^\s`]*)/;

export function splitLines(markdown: string): string[] {
  return markdown.split(/\r?\n/);
}

export function codeBlocks(markdown: string, firstLine = 1): CodeBlock[] {
  const lines = splitLines(markdown);
  const blocks: CodeBlock[] = [];
  let open: { lang: string; index: number; fence: string } | undefined;
  lines.forEach((line, index) => {
    const fence = FENCE.exec(line);
    if (!fence) return;
    if (!open) {
      open = { lang: fence[2]!, index, fence: fence[1]! };
    } else if (fence[1] === open.fence && fence[2] === '') {
      const body = lines.slice(open.index + 1, index);
      blocks.push({ lang: open.lang, text: body.length ? `${body.join('\n')}\n` : '', open: open.index + firstLine, close: index + firstLine });
      open = undefined;
    }
  });
  if (open) throw new Error(`unclosed code fence at line ${open.index + firstLine}`);
  return blocks;
}

/** The `## ` sections, each with its code blocks (line numbers relative to the whole file). */
export function sections(markdown: string): Section[] {
  const lines = splitLines(markdown);
  const starts: number[] = [];
  let inFence = false;
  lines.forEach((line, index) => {
    if (FENCE.test(line)) inFence = !inFence;
    else if (!inFence && line.startsWith('## ')) starts.push(index);
  });
  return starts.map((start, i) => {
    const end = starts[i + 1] ?? lines.length;
    const body = lines.slice(start, end).join('\n');
    return { heading: lines[start]!.slice(3).trim(), line: start + 1, body, blocks: codeBlocks(body, start + 1) };
  });
}

/** Replaces the bodies of code blocks (as found in `markdown`) and returns the new text. */
export function replaceBlocks(markdown: string, replacements: ReadonlyArray<{ block: CodeBlock; text: string }>): string {
  const lines = splitLines(markdown);
  for (const { block, text } of [...replacements].sort((a, b) => b.block.open - a.block.open)) {
    lines.splice(block.open, block.close - block.open - 1, ...text.replace(/\n$/, '').split('\n'));
  }
  return lines.join('\n');
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as `-`. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a page defines: its headings (outside code) and `<a id="...">` tags. */
export function anchors(markdown: string): Set<string> {
  const result = new Set<string>();
  const counts = new Map<string, number>();
  let inFence = false;
  for (const line of splitLines(markdown)) {
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence) continue;
    const heading = /^#{1,6} +(.+?)\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]!);
      const seen = counts.get(base) ?? 0;
      counts.set(base, seen + 1);
      result.add(seen === 0 ? base : `${base}-${seen}`);
    }
    for (const match of line.matchAll(/<a id="([^"]+)"><\/a>/g)) result.add(match[1]!);
  }
  return result;
}

/** Links outside code: `[text](target)` with the target split into file and anchor. */
export function links(markdown: string): Array<{ file: string; anchor?: string; line: number }> {
  const result: Array<{ file: string; anchor?: string; line: number }> = [];
  let inFence = false;
  splitLines(markdown).forEach((line, index) => {
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence) return;
    // Code spans can hold `[a](b)`-like text that is not a link.
    const text = line.replace(/`[^`]*`/g, '');
    for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const [file = '', anchor] = match[1]!.split('#');
      if (/^[a-z]+:/.test(file)) continue;
      result.push(anchor === undefined ? { file, line: index + 1 } : { file, anchor, line: index + 1 });
    }
  });
  return result;
}
