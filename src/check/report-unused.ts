import type { ScopeContext } from './elaborate.js';
import type { NodeBuild } from './graph-builder.js';

/** Warns about inputs, definitions and shared layers of a scope that no output depends on. */
export function reportUnusedInScope(ctx: ScopeContext, outputs: readonly NodeBuild[], firstNode = 0): void {
  // After a failed definition, what it would have used looks unused: say nothing misleading.
  if (ctx.poisoned.size > 0) return;
  // Only the scope's own nodes (from `firstNode` on) and what they read can tell.
  const live = ctx.model.graph.reachableSince(outputs, firstNode);
  const isLive = (name: string): boolean => {
    // Read by a statement rejected for its duplicate name: that statement's error says enough.
    if (ctx.scope.rejected.reads.has(name)) return true;
    const value = ctx.values.get(name);
    if (!value) return true; // failed definitions were reported already
    return value.kind === 'tensor' ? live(value.node) : value.items.some((item) => live(item.node));
  };
  for (const input of ctx.scope.inputs) {
    if (!isLive(input.name.name)) ctx.reporter.report('unusedInput', input.name.span, { name: input.name.name }, {
      help: 'remove it, or use it on the way to an output',
    });
  }
  for (const [name, def] of ctx.scope.tensors) {
    if (def.isOutput || isLive(name)) continue;
    ctx.reporter.report('unusedDefinition', def.name.span, { name }, {
      help: `use it on the way to an output, or declare it as one: \`output ${name}\``,
    });
  }
  for (const [name, statement] of ctx.scope.layers) {
    const layer = ctx.sharedLayers.get(name);
    if (ctx.sharedLayers.has(name) && layer === null) continue; // its declaration was reported
    if (!layer || layer.applications === 0) ctx.reporter.report('unusedLayer', statement.name.span, { name });
  }
}
