import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { registerKernels } from '../tfjs-kernels/register.js';

export type BackendChoice = 'auto' | 'node' | 'wasm' | 'cpu';

export interface SelectedBackend {
  /** The tfjs backend name: `tensorflow` (tfjs-node), `wasm` or `cpu`. */
  name: string;
  /** What the run prints: `wasm (@tensorflow/tfjs-backend-wasm, SIMD)`. */
  description: string;
  /** Why `auto` passed over the faster backends. */
  skipped: string[];
  /** With requirements given: the kernels they need that are nnc's on this backend (registered by nnc). */
  fromNnc: string[];
}

/** What a model needs of a backend: tfjs kernels, each with what needs it (src/tfjs-kernels/op-kernels.ts). */
export interface BackendRequirements {
  /** Says whose needs these are: `DigitCNN`. */
  model: string;
  kernels: ReadonlyMap<string, readonly string[]>;
}

/** A backend that was asked for by name and cannot be loaded: a usage error, with how to fix it. */
export class BackendError extends Error {}

const NODE_PACKAGE = '@tensorflow/tfjs-node';

/**
 * Makes `tf` use the chosen backend and registers nnc's kernels for it (src/tfjs-kernels). `auto`
 * takes tfjs-node (TensorFlow's C library) when it can be loaded, else the WebAssembly backend,
 * else the pure-JS cpu backend, and passes over one that lacks a kernel the model needs, saying
 * why it passed over each. tfjs-node is an optional dependency whose install downloads a native
 * library, so on many machines it is simply absent.
 */
export async function selectBackend(tf: typeof TF, choice: BackendChoice, requirements?: BackendRequirements): Promise<SelectedBackend> {
  // tfjs's banner recommending tfjs-node goes to the console; nnc says which backend it uses itself.
  // PROD silences it; IS_TEST would too, but also checks every kernel for leaks, which the wasm
  // backend's fused matmul fails (and which costs time).
  tf.env().set('PROD', true);
  tf.env().set('IS_TEST', false);
  const skipped: string[] = [];
  const attempts: Array<[Exclude<BackendChoice, 'auto'>, () => Promise<string>]> = [
    ['node', () => useNode(tf)],
    ['wasm', () => useWasm(tf)],
    ['cpu', () => useCpu(tf)],
  ];
  for (const [name, attempt] of attempts) {
    if (choice !== 'auto' && choice !== name) continue;
    const label = name === 'node' ? NODE_PACKAGE : name;
    let description;
    try {
      description = await attempt();
    } catch (error) {
      const reason = firstLine(error);
      if (choice !== 'auto') throw new BackendError(name === 'node' ? `cannot load ${NODE_PACKAGE}: ${reason}\nhelp: install it with \`npm install ${NODE_PACKAGE}\` (it downloads TensorFlow's C library for this platform), or use \`--backend wasm\`` : `cannot start the ${name} backend: ${reason}`);
      skipped.push(`${label}: ${reason}`);
      continue;
    }
    const backend = tf.getBackend();
    const ours = new Set(registerKernels(tf, backend));
    const needed = [...(requirements?.kernels.keys() ?? [])];
    const missing = needed.filter((kernel) => tf.getKernel(kernel, backend) === undefined);
    if (missing.length > 0) {
      const lacks = `it has no ${describeMissing(missing, requirements!)}`;
      if (choice !== 'auto') throw new BackendError(`the ${name} backend cannot train ${requirements!.model}: ${lacks}\nhelp: use \`--backend auto\`, which picks a backend that has them`);
      skipped.push(`${label}: ${lacks}`);
      continue;
    }
    return { name: backend, description, skipped, fromNnc: needed.filter((kernel) => ours.has(kernel)) };
  }
  throw new BackendError(`no tfjs backend could be started (${skipped.join('; ')})`);
}

/** `kernel Conv2DBackpropFilter (for the backward pass of \`conv2d\`)`, for up to three kernels. */
function describeMissing(missing: readonly string[], requirements: BackendRequirements): string {
  const shown = missing.slice(0, 3).map((kernel) => `${kernel} (for ${requirements.kernels.get(kernel)!.slice(0, 2).join(' and ')})`);
  const more = missing.length > 3 ? ` and ${missing.length - 3} more` : '';
  return `${missing.length === 1 ? 'kernel' : 'kernels'} ${shown.join(', ')}${more}`;
}

async function useNode(tf: typeof TF): Promise<string> {
  // A variable specifier: the package is optional, so neither TypeScript nor a bundler may require it.
  const specifier = NODE_PACKAGE;
  await import(specifier);
  if (!(await tf.setBackend('tensorflow'))) throw new Error('its backend did not register with this copy of @tensorflow/tfjs');
  return `tensorflow (${NODE_PACKAGE}, native)`;
}

async function useWasm(tf: typeof TF): Promise<string> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // In Node the .wasm binaries are read from the package's dist folder, given as a path prefix.
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(`${dist}${sep}`);
  if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly module did not initialise');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return `wasm (@tensorflow/tfjs-backend-wasm${simd ? ', SIMD' : ''})`;
}

async function useCpu(tf: typeof TF): Promise<string> {
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu (pure JavaScript)';
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'object' && error && 'message' in error ? String((error as { message: unknown }).message) : String(error);
  // tfjs-node installed without its native library, or not installed at all.
  if (/tfjs_binding\.node\) can not be found|Cannot find (module|package) '@tensorflow\/tfjs-node'/.test(text)) return 'not installed (or installed without its native library)';
  return text.split('\n')[0]!.replace(/\s+$/, '');
}
