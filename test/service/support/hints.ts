import type { InlayHint } from '../../../src/service/types.js';

/** The source with each inlay hint written in where it appears: `name⟨: [?, 30]⟩ = x -> dense(30)⟨[?, 30]⟩ -> ...`. */
export function withHints(text: string, hints: readonly InlayHint[]): string {
  const lines = text.split('\n');
  const byLine = new Map<number, InlayHint[]>();
  for (const hint of hints) byLine.set(hint.position.line, [...(byLine.get(hint.position.line) ?? []), hint]);
  for (const [line, list] of byLine) {
    let current = lines[line]!;
    for (const hint of [...list].sort((a, b) => b.position.character - a.position.character)) {
      current = `${current.slice(0, hint.position.character)}⟨${hint.label}⟩${current.slice(hint.position.character)}`;
    }
    lines[line] = current;
  }
  return lines.join('\n');
}
