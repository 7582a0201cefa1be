import { describe, expect, test, vi } from 'vitest';
import type { OpDef } from '../../src/registry/op.js';
import { createLanguageService } from '../../src/service/index.js';
import { cursor } from './support/sources.js';

/**
 * Everything the service says about ops comes from the registry: an op module added to the
 * catalogue (here a test-only one, through the same generated index every op is listed in)
 * is completed, documented in hovers and signature help, and shape-checked, with no other change.
 */
const swishGate: OpDef = vi.hoisted(() => ({
  name: 'swish_gate',
  category: 'core',
  arity: { min: 1, max: 1 },
  params: [{ name: 'beta', type: { kind: 'number' }, default: 1, doc: 'The slope of the gate.' }],
  doc: { summary: 'A test-only op: `x · sigmoid(beta · x)`.', shape: '[...] -> [...]', example: 'y = x -> swish_gate(beta=2)' },
  inferType: (inputs) => inputs[0],
  emitTfjs: () => [],
  onnx: {
    lower: () => {
      throw new Error('not used');
    },
    doc: 'not exported',
  },
  reference: {
    forward: () => {
      throw new Error('not used');
    },
    backward: () => {
      throw new Error('not used');
    },
  },
}) satisfies OpDef);

vi.mock('../../src/ops/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/ops/index.js')>();
  return { opModules: [...original.opModules, { default: swishGate }] };
});

function open(marked: string) {
  const { text, offset } = cursor(marked);
  const service = createLanguageService();
  service.open('file:///m.nn', text, 1);
  const before = text.slice(0, offset).split('\n');
  return { service, position: { line: before.length - 1, character: before[before.length - 1]!.length } };
}

describe('an op added to the registry', () => {
  test('is completed after `->` with its signature and documentation', () => {
    const { service, position } = open('model M {\n  input x: [4]\n  output y = x -> sw|\n}\n');
    const item = service.completions('file:///m.nn', position).find((i) => i.label === 'swish_gate');
    expect(item).toMatchObject({ kind: 'op', detail: 'swish_gate(beta=1)' });
    expect(item!.documentation).toContain('A test-only op: `x · sigmoid(beta · x)`.');
    expect(item!.documentation).toContain('`beta`: number, default `1`. The slope of the gate.');
  });

  test('checks, and its stage hovers with its documentation and the shapes at that use', () => {
    const { service, position } = open('model M {\n  input x: [4]\n  output y = x -> swi|sh_gate(beta=2)\n}\n');
    expect(service.diagnostics('file:///m.nn')).toEqual([]);
    const hover = service.hover('file:///m.nn', position)!.contents;
    expect(hover).toContain('swish_gate(beta=1)');
    expect(hover).toContain('[?, 4] float32 → [?, 4] float32');
    expect(hover).toContain('swish_gate(beta=2)');
    expect(hover).toContain('A test-only op');
  });

  test('its arguments are completed and shown in signature help', () => {
    const { service, position } = open('model M {\n  input x: [4]\n  output y = x -> swish_gate(|)\n}\n');
    expect(service.completions('file:///m.nn', position).map((i) => i.label)).toContain('beta=');
    expect(service.signatureHelp('file:///m.nn', position)).toMatchObject({ label: 'swish_gate(beta=1)', activeParameter: 0 });
  });
});
