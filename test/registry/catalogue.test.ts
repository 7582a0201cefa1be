import { describe, expect, test } from 'vitest';
import type { ParamSpec } from '../../src/registry/op.js';
import { registry } from '../../src/registry/registry.js';

/** The catalogue's own consistency: every default is a value its parameter accepts. */
function defaultFits(param: ParamSpec): boolean {
  const value = param.default;
  if (value === undefined) return true;
  switch (param.type.kind) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && (param.type.min === undefined || value >= param.type.min);
    case 'number':
      return typeof value === 'number';
    case 'bool':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && param.type.values.includes(value);
    case 'activation': {
      const name = typeof value === 'string' ? value : (value as { name: string }).name;
      return registry.activation(name) !== undefined;
    }
    case 'init': {
      const name = typeof value === 'string' ? value : (value as { name: string }).name;
      return name === 'auto' || registry.initializer(name) !== undefined;
    }
    case 'ints':
      return Array.isArray(value);
    case 'pair':
      return value === null || typeof value === 'number' || (Array.isArray(value) && value.length === 2);
  }
}

describe('op catalogue', () => {
  const ops = registry.allOps();

  test('holds the expected ops', () => {
    expect(ops.map((o) => o.name).sort()).toEqual(
      [
        'add', 'average', 'avg_pool2d', 'batch_norm', 'concat', 'conv2d', 'dense', 'dropout', 'elu', 'embedding',
        'flatten', 'gelu', 'global_avg_pool2d', 'global_max_pool2d', 'layer_norm', 'leaky_relu', 'linear',
        'max_pool2d', 'maximum', 'minimum', 'multiply', 'relu', 'reshape', 'selu', 'sigmoid', 'softmax',
        'softplus', 'subtract', 'swish', 'tanh',
      ].sort(),
    );
  });

  test.each(ops.map((o) => [o.name, o] as const))('%s: documented, with well-typed defaults', (_name, op) => {
    expect(op.doc.summary).not.toBe('');
    expect(op.doc.shape).not.toBe('');
    expect(op.doc.example).toMatch(/\S/);
    expect(op.arity.min).toBeGreaterThanOrEqual(1);
    expect(op.arity.max).toBeGreaterThanOrEqual(op.arity.min);
    for (const param of op.params) {
      expect(param.doc, `${op.name}.${param.name}`).not.toBe('');
      expect(defaultFits(param), `${op.name}.${param.name} default`).toBe(true);
    }
    expect(new Set(op.params.map((p) => p.name)).size).toBe(op.params.length);
  });

  test('the examples use the op they document', () => {
    for (const op of ops) expect(op.doc.example, op.name).toContain(op.name);
  });
});

describe('name tables', () => {
  test('initializer, optimizer and activation parameters have well-typed defaults', () => {
    for (const def of [...registry.allInitializers(), ...registry.allOptimizers()]) {
      for (const param of def.params) expect(defaultFits(param), `${def.name}.${param.name}`).toBe(true);
    }
    for (const name of registry.activationNames()) {
      for (const param of registry.activation(name)!.params) expect(defaultFits(param), `${name}.${param.name}`).toBe(true);
    }
  });

  test('every name resolves, aliases included', () => {
    expect(registry.loss('mean_absolute_error')!.name).toBe('mae');
    expect(registry.metric('mean_squared_error')!.name).toBe('mse');
    expect(registry.lossNames()).toEqual(expect.arrayContaining(['mse', 'mae', 'huber', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy']));
    expect(registry.metricNames()).toEqual(
      expect.arrayContaining(['mae', 'mse', 'accuracy', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy']),
    );
  });
});
