import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { integerFlag } from './integer-flag.js';
import { describeIoError, ExitCode, type CliIO } from './io.js';
import { packageRoot } from './package-root.js';
import { readSource, STDIN } from './source.js';

export interface PlaygroundFlags {
  port?: string;
  host?: string;
  /** `--no-open` sets it false. */
  open?: boolean;
}

export interface PlaygroundOptions {
  /** The built page; default dist/playground of the package. */
  staticDir?: string;
  /** Stops the server (besides Ctrl-C). */
  signal?: AbortSignal;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page may load and ask only its own origin: a browser enforces it, so nothing the page
 * does reaches the network. Styles are inline because CodeMirror injects its own.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Bodies above this are refused: a .nn file is text, and the limit keeps a bad client from filling memory. */
const MAX_BODY = 16 * 1024 * 1024;

/**
 * `nnc playground [FILE]`: serves the built playground (dist/playground) on this machine until
 * Ctrl-C. With FILE, the page opens it, and writes it back (atomically) only when the user
 * presses "Save to file"; the API that reads and writes it answers only requests addressed to
 * this server's own host name (so another site cannot reach it through DNS rebinding) that
 * carry a header no cross-site page can send without a CORS preflight, which is refused.
 */
export async function runPlayground(file: string | undefined, flags: PlaygroundFlags, io: CliIO, options: PlaygroundOptions = {}): Promise<number> {
  const port = integerFlag(io, '--port', flags.port, 0);
  if (port === null) return ExitCode.usage;
  if (port !== undefined && port > 65535) {
    io.stderr(`error: --port takes a port number from 0 to 65535, found \`${flags.port}\`\n`);
    return ExitCode.usage;
  }
  const host = flags.host ?? '127.0.0.1';
  const staticDir = options.staticDir ?? join(packageRoot(), 'dist', 'playground');
  if (!existsSync(join(staticDir, 'index.html'))) {
    io.stderr(`error: the playground is not built: \`${staticDir}\` has no index.html\nhelp: run \`npm run build\` in nnc's folder\n`);
    return ExitCode.usage;
  }
  if (file === STDIN) {
    io.stderr('error: `nnc playground` opens a file it can save back to; it cannot read stdin\nhelp: save the text to a .nn file and pass its path\n');
    return ExitCode.usage;
  }
  if (file !== undefined) {
    if ((await io.kind(file)) === 'directory') {
      io.stderr(`error: \`${file}\` is a directory; pass one .nn file\n`);
      return ExitCode.usage;
    }
    // Read once now: a missing or unreadable file is reported before anything is served.
    if ((await readSource(io, file)) === undefined) return ExitCode.usage;
  }

  const server = createServer((request, response) => {
    handle(request, response, { staticDir, file, io, server }).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: describeIoError(error) });
      else response.destroy();
    });
  });
  const listening = await new Promise<AddressInfo | Error>((resolve) => {
    server.once('error', (error) => resolve(error));
    server.listen(port ?? 0, host, () => resolve(server.address() as AddressInfo));
  });
  if (listening instanceof Error) {
    const code = (listening as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE' ? 'the port is in use' : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' ? 'no such address on this machine' : code === 'EACCES' ? 'permission denied' : listening.message;
    io.stderr(`error: cannot listen on ${host}:${port ?? 0}: ${reason}\n${code === 'EADDRINUSE' ? 'help: pick another with --port, or leave it out for a free one\n' : ''}`);
    return ExitCode.usage;
  }
  const url = `http://${urlHost(host)}:${listening.port}/`;
  io.stdout(`nnc playground: ${url}${file !== undefined ? ` (${file})` : ''}\nPress Ctrl-C to stop.\n`);
  if (flags.open !== false) openBrowser(url, io);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop, { once: true });
  });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return ExitCode.ok;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

interface Context {
  staticDir: string;
  file: string | undefined;
  io: CliIO;
  server: Server;
}

async function handle(request: IncomingMessage, response: ServerResponse, context: Context): Promise<void> {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://playground').pathname);
  if (path === '/api/file') return fileApi(request, response, context);
  if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: 'only GET and HEAD are served here' });
  const relative = normalize(path).replace(/^([/\\])+/, '');
  const target = join(context.staticDir, relative === '' ? 'index.html' : relative);
  if (target !== context.staticDir && !target.startsWith(context.staticDir + sep)) return sendJson(response, 404, { error: 'not found' });
  const found = await stat(target).catch(() => undefined);
  const served = found?.isDirectory() ? join(target, 'index.html') : target;
  if (!found || !existsSync(served)) return sendJson(response, 404, { error: `not found: ${path}` });
  const body = await readFile(served);
  response.writeHead(200, {
    'content-type': TYPES[extname(served)] ?? 'application/octet-stream',
    'content-length': body.length,
    // Hashed asset names change with their content; the page itself is always fetched anew.
    'cache-control': served.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
    ...SECURITY_HEADERS,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Whether the request names this server by the host it listens on (or loopback names for loopback). */
function addressedHere(request: IncomingMessage, server: Server): boolean {
  const address = server.address() as AddressInfo;
  const hostHeader = request.headers.host ?? '';
  const loopback = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(address.address);
  const names = new Set([`${urlHost(address.address)}:${address.port}`]);
  if (loopback || address.address === '0.0.0.0' || address.address === '::') for (const name of ['localhost', '127.0.0.1', '[::1]']) names.add(`${name}:${address.port}`);
  return names.has(hostHeader);
}

async function fileApi(request: IncomingMessage, response: ServerResponse, { file, io, server }: Context): Promise<void> {
  if (!addressedHere(request, server)) return sendJson(response, 403, { error: 'this server answers only requests addressed to its own host name' });
  if (file === undefined) return sendJson(response, 404, { error: 'the playground was started without a file' });
  if (request.method === 'GET') {
    const text = await io.readFile(file);
    return sendJson(response, 200, { name: file, text: text.startsWith('\uFEFF') ? text.slice(1) : text });
  }
  if (request.method !== 'PUT') return sendJson(response, 405, { error: 'the file is read with GET and saved with PUT' });
  if (request.headers['x-nnc-playground'] !== 'save' || !(request.headers['content-type'] ?? '').startsWith('application/json')) {
    return sendJson(response, 400, { error: 'a save needs the header x-nnc-playground: save and a JSON body' });
  }
  const body = await readBody(request);
  if (body === undefined) return sendJson(response, 413, { error: `the text is larger than ${MAX_BODY / 1024 / 1024} MiB` });
  let text: unknown;
  try {
    text = (JSON.parse(body) as { text?: unknown }).text;
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string') return sendJson(response, 400, { error: 'the body must be {"text": "..."}' });
  try {
    await io.writeFileAtomic(file, text);
  } catch (error) {
    return sendJson(response, 500, { error: `cannot write \`${file}\`: ${describeIoError(error)}` });
  }
  io.stdout(`saved ${file}\n`);
  sendJson(response, 200, { ok: true });
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...SECURITY_HEADERS });
  response.end(text);
}

/** Opens the page in the desktop's browser; where there is none, the printed address is enough. */
function openBrowser(url: string, io: CliIO): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => io.stderr(`note: could not open a browser (${command} failed); open ${url} yourself\n`));
    child.unref();
  } catch {
    io.stderr(`note: could not open a browser; open ${url} yourself\n`);
  }
}
