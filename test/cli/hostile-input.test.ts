import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { realIO } from './support/real-io.js';

/**
 * Files as they come: control characters from the source never reach the terminal raw, and a
 * file that is not UTF-8 text gets one error saying so, not a page of syntax errors.
 */
const dir = mkdtempSync(join(tmpdir(), 'nnc-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function nnc(command: string, name: string, content: string | Uint8Array, ...flags: string[]) {
  const path = join(dir, name);
  writeFileSync(path, content);
  const { io, stdout, stderr } = realIO();
  const code = await main([command, path, ...flags], io);
  return { code, out: stdout(), err: stderr(), path };
}

const check = (name: string, content: string | Uint8Array, ...flags: string[]) => nnc('check', name, content, ...flags);

// No control character but line feed may reach the terminal from nnc's output.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

describe('hostile input files', () => {
  test('an ESC sequence in the source is shown as ␛ in the message and the code frame', async () => {
    const r = await check('esc.nn', 'model M {\n  input x: [4]\u001b[2J\u001b[31m\n  output y = x -> dense(1)\n}\n');
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(RAW_CONTROL);
    expect(r.err).toContain('error[E1001]: unexpected character `␛`');
    expect(r.err).toContain('2 |   input x: [4]␛[2J␛[31m\n  |               ^\n');
  });

  test('a control character in a string is escaped in --json messages and in the code frame', async () => {
    const source = 'model M {\n  input x: [4]\n  output y = x -> dense(1)\n  train { loss = "m\u0007\u001b[0mse" }\n}\n';
    const text = await check('string.nn', source);
    expect(text.err).not.toMatch(RAW_CONTROL);
    expect(text.err).toContain('4 |   train { loss = "m␇␛[0mse" }');
    const r = await check('string.nn', source, '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.diagnostics).toHaveLength(1);
    expect(json.diagnostics[0].message).not.toMatch(RAW_CONTROL);
    // A quoted word is read as the loss it names (Keras style); the control characters in it show as stand-ins.
    expect(json.diagnostics[0].message).toContain('unknown loss `m␇␛[0mse`');
  });

  test('a binary file gets one error that says it is not text', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, ...Array.from({ length: 2000 }, (_, i) => (i * 37) % 256)]);
    const r = await check('image.nn', png);
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(RAW_CONTROL);
    expect(r.err.match(/^error\[/gm)).toHaveLength(1);
    expect(r.err).toContain('error[E1009]: this is not UTF-8 text');
    expect(r.err).toContain('due to 1 error');
  });

  test('a Latin-1 file gets one error that names the bytes that are not UTF-8', async () => {
    const latin1 = Buffer.from('# caf\xe9 na\xefve\nmodel M {\n  input x: [4]\n  output y = x -> dense(1)\n}\n', 'latin1');
    const r = await check('latin1.nn', latin1, '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toEqual(['E1009']);
    expect(json.diagnostics[0].message).toContain('not UTF-8');
    expect(json.diagnostics[0].span.start).toMatchObject({ line: 1, column: 6 });
  });

  test('a million layers from nested repeats is E3015 at once, not an out-of-memory crash', async () => {
    const r = await check('nested.nn', 'model M {\n  input x: [4]\n  output y = x -> repeat(1000, repeat(1000, relu))\n}\n');
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E3015]: this model would expand to at least 1,000,000 layers, over the limit of 500,000');
  });

  test('compile of a block output that names nothing is E2001, not "nothing to compile"', async () => {
    const source = 'block B() {\n  input x\n  h = x -> relu\n  output nope\n}\nmodel M {\n  input x: [4]\n  output y = x -> B -> dense(1)\n}\n';
    const r = await nnc('compile', 'block.nn', source, '-o', join(dir, 'block.ts'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E2001]: cannot find `nope` in this scope');
    expect(r.err).not.toContain('nothing to compile');
  });

  test('a non-finite number in the optimizer is E1008, not an internal error', async () => {
    const source = 'model M {\n  input x: [4]\n  output y = x -> dense(1)\n  train {\n    loss = mse\n    optimizer = adam(learning_rate=1e400, clipnorm=1e309)\n  }\n}\n';
    const r = await nnc('compile', 'lr.nn', source, '-o', join(dir, 'lr.ts'));
    expect(r.code).toBe(1);
    expect(r.err.match(/error\[E1008\]/g)).toHaveLength(2);
    expect(r.err).not.toContain('internal');
  });
});
