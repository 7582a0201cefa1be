import type { ServiceDiagnostic } from '../../src/service/types.js';

const ICONS = { error: '✖', warning: '▲', info: 'ℹ' } as const;

/**
 * The problems panel under the editor: every diagnostic with its code, line and column (one-based,
 * as `nnc check` prints them), an icon and the word for its severity (colour is not the only
 * carrier), each a button that jumps to its span.
 */
export function renderProblems(list: HTMLElement, summary: HTMLElement, diagnostics: readonly ServiceDiagnostic[], jump: (d: ServiceDiagnostic) => void): void {
  list.replaceChildren();
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) {
    counts[d.severity] += 1;
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `problem ${d.severity}`;
    button.dataset.code = d.code;
    button.dataset.line = String(d.range.start.line + 1);
    button.dataset.column = String(d.range.start.character + 1);
    const icon = document.createElement('span');
    icon.className = 'icon';
    icon.textContent = ICONS[d.severity];
    icon.setAttribute('aria-hidden', 'true');
    const severity = document.createElement('span');
    severity.className = 'severity';
    severity.textContent = d.severity;
    const code = document.createElement('code');
    code.textContent = d.code;
    const where = document.createElement('span');
    where.className = 'where';
    where.textContent = `${d.range.start.line + 1}:${d.range.start.character + 1}`;
    const message = document.createElement('span');
    message.className = 'message';
    message.textContent = d.help ? `${d.message} (help: ${d.help})` : d.message;
    button.append(icon, severity, code, where, message);
    button.addEventListener('click', () => jump(d));
    item.append(button);
    list.append(item);
  }
  const parts = [
    counts.error && `${counts.error} error${counts.error === 1 ? '' : 's'}`,
    counts.warning && `${counts.warning} warning${counts.warning === 1 ? '' : 's'}`,
    counts.info && `${counts.info} note${counts.info === 1 ? '' : 's'}`,
  ].filter(Boolean);
  summary.textContent = parts.length > 0 ? parts.join(', ') : 'no problems';
  summary.dataset.state = counts.error > 0 ? 'error' : counts.warning > 0 ? 'warning' : 'ok';
}
