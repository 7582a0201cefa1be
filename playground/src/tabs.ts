/**
 * Tabs of the output panels (the WAI-ARIA tabs pattern: arrow keys move between tabs). Only the
 * visible panel is computed, after each analysis; the others wait until they are shown.
 */
export class Tabs {
  private active: string;

  constructor(private readonly names: readonly string[], private readonly render: (name: string, panel: HTMLElement) => Promise<void>) {
    this.active = names[0]!;
    names.forEach((name, i) => {
      const tab = this.tab(name);
      tab.addEventListener('click', () => this.show(name));
      tab.addEventListener('keydown', (event) => {
        const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
        if (step === 0) return;
        const next = names[(i + step + names.length) % names.length]!;
        this.show(next);
        this.tab(next).focus();
      });
    });
  }

  private tab(name: string): HTMLElement {
    return document.getElementById(`tab-${name}`)!;
  }

  private panel(name: string): HTMLElement {
    return document.getElementById(`panel-${name}`)!;
  }

  show(name: string): void {
    this.active = name;
    for (const other of this.names) {
      const selected = other === name;
      this.tab(other).setAttribute('aria-selected', String(selected));
      this.tab(other).tabIndex = selected ? 0 : -1;
      this.panel(other).hidden = !selected;
    }
    this.refresh();
  }

  refresh(): void {
    const panel = this.panel(this.active);
    panel.setAttribute('aria-busy', 'true');
    void this.render(this.active, panel).finally(() => panel.removeAttribute('aria-busy'));
  }
}
