import { autocompletion } from '@codemirror/autocomplete';
import { EditorState, type Text } from '@codemirror/state';
import { lintGutter, setDiagnostics, type Action, type Diagnostic } from '@codemirror/lint';
import { EditorView, hoverTooltip, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import type { CodeAction, ServiceDiagnostic, TextEdit } from '../../src/service/types.js';
import { serviceCompletions } from './completion.js';
import { hintDecorations, inlayHintField, setHints } from './inlay-hints.js';
import { renderMarkdown } from './markdown.js';
import { nnHighlighting, nnLanguage } from './nn-language.js';
import { toOffsets, toPosition } from './positions.js';
import type { Requests } from './protocol.js';
import type { ServiceClient } from './service-client.js';

export type UpdateAnswer = Requests['update']['answer'];

/**
 * The CodeMirror editor wired to the language service: every change is sent to the worker
 * (versioned), and its answer for the current version becomes lint underlines, quick fixes and
 * inlay shapes. Answers for an older version are dropped: a newer one is on its way.
 */
export class NnEditor {
  readonly view: EditorView;
  private version = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Called with the cursor's position whenever it moves. */
  onCursor: ((position: { line: number; character: number }) => void) | undefined;

  constructor(parent: HTMLElement, private readonly client: ServiceClient, private readonly onChange: (version: number) => void) {
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: '',
        extensions: [
          basicSetup,
          nnLanguage,
          nnHighlighting,
          EditorView.lineWrapping,
          lintGutter(),
          inlayHintField,
          autocompletion({ override: [serviceCompletions(client)] }),
          hoverTooltip((view, pos) => this.hover(view, pos), { hoverTime: 250 }),
          keymap.of([{ key: 'Shift-Alt-f', run: () => (void this.format(), true) }]),
          EditorView.contentAttributes.of({ 'aria-label': 'model source (.nn)' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) this.changed();
            if (update.selectionSet || update.docChanged) this.onCursor?.(toPosition(update.state.doc, update.state.selection.main.head));
          }),
        ],
      }),
    });
  }

  get currentVersion(): number {
    return this.version;
  }

  cursor(): { line: number; character: number } {
    return toPosition(this.view.state.doc, this.view.state.selection.main.head);
  }

  text(): string {
    return this.view.state.doc.toString();
  }

  /** Replaces the whole text (loading a file or an example). */
  setText(text: string): void {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text }, selection: { anchor: 0 } });
  }

  private changed(): void {
    this.version += 1;
    this.onChange(this.version);
    // A few milliseconds gather a burst of keystrokes into one analysis.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.client.update(this.text(), this.version), 30);
  }

  /** Sends the text now (the first load), without waiting for a keystroke. */
  analyzeNow(): void {
    clearTimeout(this.timer);
    this.client.update(this.text(), this.version);
  }

  /** Applies the worker's answer if it is for the text on screen; returns whether it was. */
  apply(answer: UpdateAnswer): boolean {
    if (answer.version !== this.version) return false;
    const doc = this.view.state.doc;
    const diagnostics = answer.diagnostics.map((d) => this.toDiagnostic(doc, d, answer.fixes, answer.version));
    this.view.dispatch(setDiagnostics(this.view.state, diagnostics));
    this.view.dispatch({ effects: setHints.of(hintDecorations(doc, answer.hints)) });
    return true;
  }

  private toDiagnostic(doc: Text, d: ServiceDiagnostic, fixes: readonly CodeAction[], version: number): Diagnostic {
    const { from, to } = toOffsets(doc, d.range);
    const same = (a: CodeAction) =>
      a.diagnostic?.code === d.code &&
      a.diagnostic.range.start.line === d.range.start.line &&
      a.diagnostic.range.start.character === d.range.start.character &&
      a.diagnostic.range.end.line === d.range.end.line &&
      a.diagnostic.range.end.character === d.range.end.character;
    const actions: Action[] = fixes.filter(same).map((fix) => ({
      name: fix.title,
      apply: (view) => {
        // The fix's edits are in the text it was computed for; a later text waits for its own.
        if (this.version === version) this.applyEdits(fix.edits, view);
      },
    }));
    return {
      from,
      to,
      severity: d.severity,
      source: d.code,
      message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
      actions,
    };
  }

  applyEdits(edits: readonly TextEdit[], view: EditorView = this.view): void {
    const doc = view.state.doc;
    view.dispatch({ changes: edits.map((e) => ({ ...toOffsets(doc, e.range), insert: e.newText })) });
  }

  /** Formats the whole text with `nnc fmt`'s formatter (nothing when it has syntax errors). */
  async format(): Promise<number> {
    const version = this.version;
    const edits = await this.client.request('format', {});
    if (version === this.version && edits.length > 0) this.applyEdits(edits);
    return edits.length;
  }

  /** Selects a range given in the service's terms, scrolls to it and focuses the editor. */
  select(range: { start: { line: number; character: number }; end: { line: number; character: number } }): void {
    const { from, to } = toOffsets(this.view.state.doc, range);
    this.view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
    this.view.focus();
  }

  private async hover(view: EditorView, pos: number) {
    const doc = view.state.doc;
    const hover = await this.client.request('hover', { position: toPosition(doc, pos) });
    if (!hover || view.state.doc !== doc) return null;
    const { from, to } = toOffsets(doc, hover.range);
    return {
      pos: from,
      end: to,
      above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'nn-hover';
        dom.innerHTML = renderMarkdown(hover.contents);
        return { dom };
      },
    };
  }
}
