import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Python interpreter that runs the PyTorch target. `--python PATH` or NNC_PYTHON name one;
 * otherwise Debian's /usr/bin/python3 (where `apt-get install python3-torch` puts torch), then
 * `python3` and `python` on PATH, the first that imports torch.
 */
export interface PythonTorch {
  python: string;
  /** torch's version, as its package metadata gives it. */
  torch: string;
}

/** Python or torch is missing: a usage error, with what was tried and how to fix it. */
export class PythonError extends Error {}

/** Finds torch without importing it (a second or two of CPU), which the run itself then does once. */
const PROBE = [
  'import importlib.util, importlib.metadata, json, sys',
  "spec = importlib.util.find_spec('torch')",
  "sys.exit(\"No module named 'torch'\") if spec is None else None",
  'try:',
  "    version = importlib.metadata.version('torch')",
  'except importlib.metadata.PackageNotFoundError:',
  "    version = 'unknown version'",
  "print(json.dumps({'torch': version}))",
].join('\n');

const INSTALL =
  'help: install PyTorch for that interpreter (`pip install torch`, or `apt-get install python3-torch` on Debian), ' +
  'or name one that has it with --python PATH or the NNC_PYTHON environment variable';

export async function findTorch(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<PythonTorch> {
  const given = flag ?? (env.NNC_PYTHON || undefined);
  const candidates = given !== undefined ? [given] : [...(existsSync('/usr/bin/python3') ? ['/usr/bin/python3'] : []), 'python3', 'python'];
  const problems: string[] = [];
  for (const python of candidates) {
    const run = await runProcess(python, ['-c', PROBE], '', 60_000);
    if (run.error) {
      problems.push(`\`${python}\`: ${run.error}`);
      continue;
    }
    if (run.code !== 0) {
      problems.push(`\`${python}\`: ${lastLine(run.stderr) || `exit status ${run.code}`}`);
      continue;
    }
    try {
      const info = JSON.parse(run.stdout.trim().split('\n').pop()!) as Omit<PythonTorch, 'python'>;
      return { python, ...info };
    } catch {
      problems.push(`\`${python}\`: printed ${JSON.stringify(run.stdout.slice(0, 80))} instead of torch's version`);
    }
  }
  const source = flag !== undefined ? ' (--python)' : given !== undefined ? ' (NNC_PYTHON)' : '';
  throw new PythonError(`PyTorch is not available${source}: ${problems.join('; ')}\n${INSTALL}`);
}

export interface ProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Why the process could not be started (`no such file`), if it could not. */
  error?: string;
}

/** Runs a program to the end with `input` on stdin, collecting its output. */
export function runProcess(program: string, args: readonly string[], input: string, timeout: number, env?: NodeJS.ProcessEnv): Promise<ProcessRun> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout, env: env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ code: null, signal: null, stdout: '', stderr: '', error: error.code === 'ENOENT' ? 'not found' : error.message });
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

/** A temporary folder per case holding its model.py and train.py, removed by `dispose`. */
export async function writeCaseFolders(cases: ReadonlyArray<Record<string, string>>): Promise<{ folders: string[]; dispose(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'nnc-torch-'));
  const folders: string[] = [];
  for (const [i, files] of cases.entries()) {
    const folder = join(root, String(i));
    await mkdir(folder);
    for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
    folders.push(folder);
  }
  return { folders, dispose: () => rm(root, { recursive: true, force: true }) };
}

/**
 * Runs src/codegen/torch/python/runner.py on a job: torch is imported once for every case. Its
 * result, or an error carrying what Python printed.
 */
export async function runTorchJob<T>(python: string, job: unknown): Promise<{ torch: string; results: T[] }> {
  const { RUNNER_PY } = await import('../codegen/torch/python-sources.js');
  const run = await runProcess(python, ['-c', RUNNER_PY], JSON.stringify(job), 30 * 60_000, { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1' });
  if (run.code !== 0) throw new PythonError(`the PyTorch runner failed (${run.error ?? `exit status ${run.code ?? run.signal}`}): ${run.stderr.trim().split('\n').slice(-5).join('\n')}`);
  return JSON.parse(run.stdout) as { torch: string; results: T[] };
}
