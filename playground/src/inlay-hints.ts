import type { Text } from '@codemirror/state';
import { StateEffect, StateField } from '@codemirror/state';
import { Decoration, EditorView, WidgetType, type DecorationSet } from '@codemirror/view';
import type { InlayHint } from '../../src/service/types.js';
import { toOffset } from './positions.js';

/** A shape after a definition or a stage, as the service computed it; not part of the text. */
class ShapeHint extends WidgetType {
  constructor(readonly label: string, readonly tooltip: string | undefined) {
    super();
  }
  override eq(other: ShapeHint): boolean {
    return other.label === this.label && other.tooltip === this.tooltip;
  }
  toDOM(): HTMLElement {
    const span = document.createElement('span');
    span.className = 'nn-inlay';
    span.textContent = this.label;
    if (this.tooltip) span.title = this.tooltip;
    span.setAttribute('aria-hidden', 'true');
    return span;
  }
}

export const setHints = StateEffect.define<DecorationSet>();

/** The hints of the last analysis, moved along with edits until the next one replaces them. */
export const inlayHintField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(hints, tr) {
    let next = hints.map(tr.changes);
    for (const effect of tr.effects) if (effect.is(setHints)) next = effect.value;
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function hintDecorations(doc: Text, hints: readonly InlayHint[]): DecorationSet {
  return Decoration.set(
    hints.map((h) => Decoration.widget({ widget: new ShapeHint(h.label, h.tooltip), side: 1 }).range(toOffset(doc, h.position))),
    true,
  );
}
