import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ExitCode } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { runPlayground } from '../../src/cli/playground-command.js';
import { realIO } from './support/real-io.js';

/**
 * `nnc playground`'s server, in-process on a real port: what it refuses before serving, and the
 * file API's guards (the page reads the file; only a same-origin "Save" writes it). The page
 * itself is tested in Chromium (test/browser/playground.test.ts).
 */
const dir = mkdtempSync(join(tmpdir(), 'nnc-playground-'));
const site = join(dir, 'site');
mkdirSync(site, { recursive: true });
writeFileSync(join(site, 'index.html'), '<!doctype html><title>nnc playground</title>');
const model = 'model M {\n  input x: [4]\n  output y = x -> dense(2)\n}\n';

const stops: AbortController[] = [];
afterEach(() => stops.splice(0).forEach((s) => s.abort()));

async function serve(args: string[]) {
  const { io, stdout, stderr } = realIO();
  const stop = new AbortController();
  stops.push(stop);
  const flags = { open: false, ...(args.includes('--host') ? { host: args[args.indexOf('--host') + 1]! } : {}) };
  const file = args.find((a) => !a.startsWith('-'));
  const done = runPlayground(file, flags, io, { staticDir: site, signal: stop.signal });
  const url = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const found = /nnc playground: (http:\S+)/.exec(stdout())?.[1];
      if (found) (clearInterval(poll), resolve(found));
    }, 10);
    void done.then((code) => (clearInterval(poll), reject(new Error(`exited ${code}: ${stderr()}`))));
  });
  return { url, stdout, stderr, stop: async () => (stop.abort(), done) };
}

/** A raw request, so the Host header can be any name (fetch does not let it be set). */
function raw(url: string, options: { method?: string; host?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: target.hostname, port: target.port, path: target.pathname, method: options.method ?? 'GET', headers: { ...(options.host ? { host: options.host } : {}), ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('nnc playground refuses before serving', () => {
  const run = async (argv: string[]) => {
    const { io, stderr } = realIO();
    return { code: await main(argv, io), err: stderr() };
  };
  test('a bad --port', async () => {
    expect(await run(['playground', '--port', 'eighty', '--no-open'])).toEqual({ code: ExitCode.usage, err: 'error: --port takes an integer of at least 0, found `eighty`\n' });
    expect(await run(['playground', '--port', '70000', '--no-open'])).toEqual({ code: ExitCode.usage, err: 'error: --port takes a port number from 0 to 65535, found `70000`\n' });
  });
  test('a missing file, a folder, or stdin', async () => {
    const missing = join(dir, 'missing.nn');
    const { io, stderr } = realIO();
    expect(await runPlayground(missing, { open: false }, io, { staticDir: site })).toBe(ExitCode.usage);
    expect(stderr()).toBe(`error: cannot read \`${missing}\`: no such file or directory\n`);
    const folder = realIO();
    expect(await runPlayground(dir, { open: false }, folder.io, { staticDir: site })).toBe(ExitCode.usage);
    expect(folder.stderr()).toBe(`error: \`${dir}\` is a directory; pass one .nn file\n`);
    const stdin = realIO();
    expect(await runPlayground('-', { open: false }, stdin.io, { staticDir: site })).toBe(ExitCode.usage);
    expect(stdin.stderr()).toMatch(/^error: `nnc playground` opens a file it can save back to; it cannot read stdin\n/);
  });
  test('a package whose playground is not built', async () => {
    const { io, stderr } = realIO();
    expect(await runPlayground(undefined, { open: false }, io, { staticDir: join(dir, 'nothing') })).toBe(ExitCode.usage);
    expect(stderr()).toBe(`error: the playground is not built: \`${join(dir, 'nothing')}\` has no index.html\nhelp: run \`npm run build\` in nnc's folder\n`);
  });
  test('a port in use', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const { io, stderr } = realIO();
    expect(await runPlayground(undefined, { open: false, port: String(port) }, io, { staticDir: site })).toBe(ExitCode.usage);
    expect(stderr()).toBe(`error: cannot listen on 127.0.0.1:${port}: the port is in use\nhelp: pick another with --port, or leave it out for a free one\n`);
    busy.close();
  });
});

describe('the file API', () => {
  test('reads the file, and writes it only on a same-origin save', async () => {
    const file = join(dir, 'm.nn');
    writeFileSync(file, model);
    const server = await serve([file]);
    expect(server.stdout()).toBe(`nnc playground: ${server.url} (${file})\nPress Ctrl-C to stop.\n`);
    expect(await (await fetch(new URL('api/file', server.url))).json()).toEqual({ name: file, text: model });

    const put = (headers: Record<string, string>, body: string, host?: string) => raw(new URL('api/file', server.url).href, { method: 'PUT', headers, body, ...(host ? { host } : {}) });
    const json = { 'content-type': 'application/json' };
    expect((await put(json, JSON.stringify({ text: 'lost' }))).status).toBe(400);
    expect((await put({ ...json, 'x-nnc-playground': 'save' }, JSON.stringify({ text: 'lost' }), `evil.example:${new URL(server.url).port}`)).status).toBe(403);
    expect((await put({ ...json, 'x-nnc-playground': 'save' }, '{"text": 3}')).status).toBe(400);
    expect((await put({ ...json, 'x-nnc-playground': 'save' }, 'not json')).status).toBe(400);
    expect(readFileSync(file, 'utf8')).toBe(model);
    // A cross-site page's preflight gets no CORS answer, so its browser never sends the save.
    const preflight = await raw(new URL('api/file', server.url).href, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'PUT' } });
    expect(preflight.status).toBe(405);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();

    const saved = await put({ ...json, 'x-nnc-playground': 'save' }, JSON.stringify({ text: `${model}# edited\n` }));
    expect(saved).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect(readFileSync(file, 'utf8')).toBe(`${model}# edited\n`);
    expect(server.stdout()).toContain(`saved ${file}\n`);
    expect(await server.stop()).toBe(ExitCode.ok);
  });

  test('without a file there is none to read; only the built folder is served', async () => {
    const server = await serve([]);
    expect((await fetch(new URL('api/file', server.url))).status).toBe(404);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await page.text()).toContain('nnc playground');
    expect((await raw(`${server.url}..%2f..%2fpackage.json`, {})).status).toBe(404);
    expect((await raw(`${server.url}nothing.js`, {})).status).toBe(404);
    expect(await server.stop()).toBe(ExitCode.ok);
  });
});
