import { describe, expect, test } from 'vitest';
import { check, compile, compileOnnx, compileTorch, format, gradcheck } from '../../src/index.js';

/**
 * The API's contract at its boundary (src/api-arguments.ts, README "API"): anything in a source
 * string is diagnostics, never a throw; a call that is itself wrong throws at once, a TypeError
 * (wrong type, unknown option) or a RangeError (a value the option does not take), whose
 * message names the function and the argument.
 */
const SOURCE = 'model M {\n  input x: [4]\n  output y = x -> dense(1)\n}\n';

// Called as JavaScript would call them, past TypeScript's types.
const untyped = { check, compile, compileOnnx, compileTorch, format, gradcheck } as unknown as Record<string, (source: unknown, options?: unknown) => unknown>;

async function thrown(fn: string, source: unknown, options?: unknown): Promise<Error> {
  try {
    await untyped[fn]!(source, options);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${fn} did not throw`);
}

describe('a source that is not a string', () => {
  for (const fn of Object.keys(untyped)) {
    for (const source of [undefined, null, 42, { text: SOURCE }, new Uint8Array(4)]) {
      test(`${fn}(${source === null ? 'null' : typeof source}) is a TypeError naming the source`, async () => {
        const error = await thrown(fn, source);
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message).toMatch(new RegExp(`^${fn}: the source must be a string, found `));
      });
    }
  }
});

describe('options', () => {
  test('an unknown format is a RangeError, never TypeScript returned as ok', async () => {
    const error = await thrown('compile', SOURCE, { format: 'python' });
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe(`compile: options.format must be 'ts' or 'js', found "python"`);
  });

  test('compile rejects rather than throwing synchronously: it is async', async () => {
    const call = (compile as unknown as (s: unknown) => Promise<unknown>)(42);
    expect(call).toBeInstanceOf(Promise);
    await expect(call).rejects.toThrow(TypeError);
  });

  test('an unknown option name is a TypeError that lists the options', async () => {
    const error = await thrown('check', SOURCE, { fileName: 'a.nn' });
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('check: unknown option `fileName` (the options are `filename`, `model`, `signalBand`)');
  });

  test.each([
    ['check', { signalBand: 1e3 }, TypeError, 'check: options.signalBand must be `[low, high]`, two positive numbers with low below high, found 1000'],
    ['check', { signalBand: [1e3, 1e-3] }, RangeError, 'check: options.signalBand must be `[low, high]`, two positive numbers with low below high, found an array of 2'],
    ['check', { model: 3 }, TypeError, 'check: options.model must be a string, found 3'],
    ['check', 'M', TypeError, 'check: options must be an object, found "M"'],
    ['compileOnnx', { opset: 99 }, RangeError, 'compileOnnx: options.opset must be an integer from 13 to 21, found 99'],
    ['compileOnnx', { text: 'yes' }, TypeError, 'compileOnnx: options.text must be `true` or `false`, found "yes"'],
    ['compileTorch', { format: 'js' }, TypeError, 'compileTorch: unknown option `format` (the options are `filename`, `model`, `signalBand`)'],
    ['gradcheck', { mode: 'slow' }, RangeError, "gradcheck: options.mode must be 'full' or 'sample' or 'fast', found \"slow\""],
    ['gradcheck', { epsilon: -1 }, RangeError, 'gradcheck: options.epsilon must be a positive number, found -1'],
    ['format', { width: 0 }, RangeError, 'format: options.width must be an integer of at least 1, found 0'],
  ] as const)('%s(source, %j) throws %O', async (fn, options, kind, message) => {
    const error = await thrown(fn, SOURCE, options);
    expect(error).toBeInstanceOf(kind);
    expect(error.message).toBe(message);
  });

  test('options given as undefined are options not given, and valid calls still work', async () => {
    expect(check(SOURCE, { filename: undefined, model: undefined, signalBand: undefined }).ok).toBe(true);
    expect(check(SOURCE, { signalBand: [1e-2, 1e2] }).ok).toBe(true);
    const compiled = await compile(SOURCE, { format: 'js', filename: 'm.nn' });
    expect(compiled.ok).toBe(true);
    expect(compiled.code).toContain('export function buildModel');
    expect(compileTorch(SOURCE).ok).toBe(true);
    expect(format(SOURCE, { width: 60 }).ok).toBe(true);
  });

  test('anything in the source string is still diagnostics, never a throw', async () => {
    for (const source of ['', '\u0000', '\ufffd', 'model', 'model M { input x: [1e400] }']) {
      expect(check(source).ok).toBe(false);
      expect((await compile(source)).ok).toBe(false);
    }
  });
});
