import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleCli } from '../../../scripts/bundle-cli.js';
import { buildPlayground } from '../../../scripts/build-playground.js';

const root = join(import.meta.dirname, '../../..');

/**
 * An installed nnc as `npm run build` lays it out (dist/cli/nnc.mjs beside dist/playground, under
 * a package.json named nnc), built fresh from this source tree: dist/ may be older than it.
 * Returns the script that runs it as bin/nnc.js does.
 */
export async function installedNnc(name: string): Promise<{ runner: string; dir: string }> {
  const dir = join(root, 'test/.tmp', name);
  mkdirSync(join(dir, 'dist/cli'), { recursive: true });
  writeFileSync(join(root, 'test/.tmp/.gitignore'), '*\n');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'nnc', version: '0.0.0-test', type: 'module' }));
  await Promise.all([bundleCli(join(dir, 'dist/cli/nnc.mjs')), buildPlayground(join(dir, 'dist/playground'))]);
  const runner = join(dir, 'nnc.js');
  writeFileSync(runner, `import { main } from ${JSON.stringify(pathToFileURL(join(dir, 'dist/cli/nnc.mjs')).href)};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  return { runner, dir };
}

export interface RunningPlayground {
  url: string;
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Ctrl-C, and the exit code. */
  stop(): Promise<number | null>;
}

/** `nnc playground ARGS --no-open`, running until stopped; resolves once it prints its address. */
export function startPlayground(runner: string, args: string[], cwd: string): Promise<RunningPlayground> {
  const child = spawn(process.execPath, [runner, 'playground', ...args, '--no-open'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /nnc playground: (http:\S+)/.exec(out)?.[1];
      if (url)
        resolve({
          url,
          process: child,
          stdout: () => out,
          stderr: () => err,
          stop: () => {
            child.kill('SIGINT');
            return exited;
          },
        });
    });
    void exited.then((code) => reject(new Error(`nnc playground exited with ${code} before serving:\n${err}`)));
  });
}

export { launchChromium } from '../../support/chromium.js';
