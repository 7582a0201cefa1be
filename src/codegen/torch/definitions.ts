import type { PyDefinition } from '../../registry/op.js';

/**
 * The Python helpers one generated file uses, each emitted once, those it calls before it, in the
 * order of first use: the output is the same for the same model.
 */
export class Definitions {
  private readonly used = new Map<string, PyDefinition>();

  use(definition: PyDefinition): string {
    const known = this.used.get(definition.name);
    if (known && known.source !== definition.source) throw new Error(`internal: two Python definitions named \`${definition.name}\``);
    if (!known) {
      for (const required of definition.requires ?? []) this.use(required);
      this.used.set(definition.name, definition);
    }
    return definition.name;
  }

  get names(): ReadonlySet<string> {
    return new Set(this.used.keys());
  }

  /** The sources, separated as PEP 8 separates top-level definitions. */
  render(): string {
    return [...this.used.values()].map((d) => d.source).join('\n\n\n');
  }
}
