import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NncPluginOptions } from '../../../src/bundler/plugin.js';
import { nncPlugin } from '../../../src/bundler/plugin.js';

export const root = join(import.meta.dirname, '../../..');
export const fixtures = join(root, 'test/bundler/fixtures');

export type BundlerName = 'vite' | 'rollup' | 'esbuild' | 'webpack' | 'rspack';
export const bundlers: BundlerName[] = ['vite', 'rollup', 'esbuild', 'webpack', 'rspack'];

/** A fresh copy of a fixture app under test/.tmp (inside the repository, so that the bundle finds @tensorflow/tfjs). */
export function copyApp(name: string, fixture = 'app'): string {
  const dir = join(root, 'test/.tmp/bundler', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(root, 'test/.tmp'), { recursive: true });
  writeFileSync(join(root, 'test/.tmp/.gitignore'), '*\n');
  cpSync(join(fixtures, fixture), dir, { recursive: true });
  return dir;
}

export interface BuildOutcome {
  ok: boolean;
  /** What the bundler reported: its errors and warnings as it prints or throws them. */
  output: string;
  /** The bundle, runnable in Node: an ES module (`.mjs`) or, from webpack and Rspack, CommonJS (`.cjs`). */
  bundle: string;
}

const TFJS = /^@tensorflow\//;

/** Builds `dir/main.js` with one bundler and the nnc plugin, as a Node program with tfjs left external. */
export async function buildWith(bundler: BundlerName, dir: string, options: NncPluginOptions = {}, main = 'main.js'): Promise<BuildOutcome> {
  const entry = join(dir, main);
  const out = join(dir, `dist-${bundler}`);
  const plugin = { ...options, root: dir };
  if (bundler === 'vite') {
    const { build } = await import('vite');
    const logged: string[] = [];
    const log = (msg: string) => void logged.push(msg);
    const logger = { info: () => undefined, warn: log, warnOnce: log, error: log, clearScreen: () => undefined, hasErrorLogged: () => false, hasWarned: false };
    try {
      await build({
        root: dir,
        configFile: false,
        customLogger: logger,
        logLevel: 'warn',
        plugins: [nncPlugin.vite(plugin)],
        build: { outDir: out, ssr: entry, sourcemap: true, minify: false, rollupOptions: { external: [TFJS], output: { entryFileNames: 'main.mjs' } } },
      });
      return { ok: true, output: logged.join('\n'), bundle: join(out, 'main.mjs') };
    } catch (error) {
      const e = error as { message?: string; frame?: string; loc?: unknown };
      return { ok: false, output: [...logged, e.message ?? String(error), e.frame ?? ''].join('\n'), bundle: '' };
    }
  }
  if (bundler === 'rollup') {
    const { rollup } = await import('rollup');
    const logged: string[] = [];
    try {
      const bundle = await rollup({ input: entry, external: [TFJS], plugins: [nncPlugin.rollup(plugin)], onLog: (level, log) => void logged.push(`${level}: ${log.message}\n${log.frame ?? ''}`) });
      await bundle.write({ file: join(out, 'main.mjs'), format: 'es', sourcemap: true });
      await bundle.close();
      return { ok: true, output: logged.join('\n'), bundle: join(out, 'main.mjs') };
    } catch (error) {
      const e = error as { message?: string; frame?: string };
      return { ok: false, output: [...logged, e.message ?? String(error), e.frame ?? ''].join('\n'), bundle: '' };
    }
  }
  if (bundler === 'esbuild') {
    const esbuild = await import('esbuild');
    const result = await esbuild
      .build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', external: ['@tensorflow/*'], outfile: join(out, 'main.mjs'), sourcemap: true, logLevel: 'silent', plugins: [nncPlugin.esbuild(plugin)] })
      .then((r) => ({ ok: true, messages: r.warnings }))
      .catch((error: { errors?: import('esbuild').Message[]; warnings?: import('esbuild').Message[] }) => ({ ok: false, messages: [...(error.errors ?? []), ...(error.warnings ?? [])] }));
    const output = (await esbuild.formatMessages(result.messages, { kind: result.ok ? 'warning' : 'error', color: false })).join('\n');
    return { ok: result.ok, output, bundle: join(out, 'main.mjs') };
  }
  const config = {
    mode: 'development' as const,
    target: 'node',
    context: dir,
    entry,
    devtool: 'source-map' as const,
    output: { path: out, filename: 'main.cjs' },
    externals: [({ request }: { request?: string }, callback: (error?: Error | null, result?: string) => void) => (request && TFJS.test(request) ? callback(null, `commonjs ${request}`) : callback())],
    infrastructureLogging: { level: 'none' as const },
  };
  type Stats = { hasErrors(): boolean; toString(options: object): string };
  const run = (compiler: { run(cb: (error: Error | null, stats?: Stats) => void): void; close(cb: () => void): void }) =>
    new Promise<BuildOutcome>((done) =>
      compiler.run((error, stats) => {
        const output = error ? String(error) : stats!.toString({ colors: false, all: false, errors: true, warnings: true, errorDetails: true });
        const ok = !error && !stats!.hasErrors();
        compiler.close(() => done({ ok, output, bundle: join(out, 'main.cjs') }));
      }),
    );
  if (bundler === 'webpack') {
    const { default: webpack } = await import('webpack');
    return run(webpack({ ...config, plugins: [nncPlugin.webpack(plugin)] } as never) as never);
  }
  const { rspack } = await import('@rspack/core');
  return run(rspack({ ...config, plugins: [nncPlugin.rspack(plugin)] } as never) as never);
}

/** Runs a bundle in Node and returns the report line the app prints (`NNC_APP {...}`). */
export function runBundle(bundle: string): { status: number | null; report: unknown; stderr: string } {
  const run = spawnSync(process.execPath, ['--enable-source-maps', bundle], { encoding: 'utf8', cwd: root });
  const line = run.stdout.split('\n').find((l) => l.startsWith('NNC_APP '));
  return { status: run.status, report: line === undefined ? undefined : JSON.parse(line.slice('NNC_APP '.length)), stderr: run.stderr };
}
