import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The Debian packages some suites need beyond `npm ci`. Without one, its suites skip and say
 * what to install; under CI=true a missing one fails the run instead, so CI never passes by
 * skipping. `.ci/run` installs all of them.
 */
export type SystemDependency = 'chromium' | 'python3-torch' | 'python3-onnx';

/** Debian's interpreter: the `python3` first on PATH may be another one, without torch or onnx. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const CHROMIUM = '/usr/bin/chromium';

const probes: Record<SystemDependency, () => boolean> = {
  chromium: () => existsSync(CHROMIUM),
  'python3-torch': () => pythonImports('torch'),
  'python3-onnx': () => pythonImports('onnx'),
};

function pythonImports(module: string): boolean {
  if (!existsSync(DEBIAN_PYTHON)) return false;
  return spawnSync(DEBIAN_PYTHON, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/**
 * Whether `name` is installed. When it is not: under CI=true this throws (the test file fails),
 * otherwise it prints one line saying what to install and returns false for `describe.skipIf`.
 */
export function hasSystemDependency(name: SystemDependency, env: NodeJS.ProcessEnv = process.env): boolean {
  if (probes[name]()) return true;
  const install = `apt-get install -y ${name}`;
  if (env.CI === 'true' || env.CI === '1') throw new Error(`${name} is required under CI=true: ${install}`);
  console.warn(`skipping the suites that need ${name}: install it with \`${install}\``);
  return false;
}
