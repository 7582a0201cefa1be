import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { manifestProblem, type TfjsManifestGroup } from '../onnx/tfjs-weights.js';
import { describeIoError, type CliIO } from './io.js';
import type { Source } from './source.js';

/**
 * Reading what `nnc export` exports: a run folder of `nnc train`, or a folder (or model.json)
 * that the generated code's `model.save()` wrote. Problems are thrown as RunFolderError, each
 * a message for the user.
 */
export class RunFolderError extends Error {}

/** Binary reads, apart from CliIO (whose files are text), so that tests can substitute them. */
export interface ExportEnvironment {
  readBytes(path: string): Promise<Uint8Array>;
}

export const nodeExportEnvironment: ExportEnvironment = {
  readBytes: async (path) => new Uint8Array(await readFile(path)),
};

export interface RunFolder {
  dir: string;
  modelJson: string;
  /** The model's name in the saved topology (the .nn model's name). */
  savedName: string | undefined;
  groups: TfjsManifestGroup[];
  /** Each group's shards, joined. */
  data: Uint8Array[];
  /** history.json, when it is a run of `nnc train`. */
  history: { model?: string; source?: string } | undefined;
  /** classes.json: the class names of outputs trained on labels. */
  classes: Record<string, string[]> | undefined;
}

/** A JSON file; when it does not exist, `missing` is thrown, or without one undefined returned. */
async function readJson(io: CliIO, path: string, missing?: string): Promise<unknown> {
  let text;
  try {
    text = await io.readFile(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      if (missing === undefined) return undefined;
      throw new RunFolderError(missing);
    }
    throw new RunFolderError(`cannot read \`${path}\`: ${describeIoError(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RunFolderError(`\`${path}\` is not valid JSON`);
  }
}

export async function readRunFolder(path: string, io: CliIO, env: ExportEnvironment): Promise<RunFolder> {
  if (path.endsWith('.nn')) {
    throw new RunFolderError(`\`${path}\` is a model's source: \`nnc compile ${path} -o model.onnx\` exports it with its initial weights; \`nnc export\` takes the run folder of a trained model`);
  }
  const named = path.endsWith('.json');
  const dir = named ? dirname(path) : path;
  const modelJson = named ? path : join(dir, 'model.json');
  const missing = named
    ? `cannot read \`${modelJson}\`: no such file or directory`
    : `there is no model.json in \`${dir}\`: give the run folder of \`nnc train\`, or a TensorFlow.js model saved by the generated code`;
  const json = await readJson(io, modelJson, missing);
  const problem = manifestProblem(json, modelJson);
  if (problem) throw new RunFolderError(problem);
  const groups = (json as { weightsManifest: TfjsManifestGroup[] }).weightsManifest;
  const data: Uint8Array[] = [];
  for (const group of groups) {
    const shards: Uint8Array[] = [];
    for (const shard of group.paths) {
      const file = join(dir, shard);
      try {
        shards.push(await env.readBytes(file));
      } catch (error) {
        throw new RunFolderError(`cannot read the weights \`${file}\` listed in \`${basename(modelJson)}\`: ${describeIoError(error)}`);
      }
    }
    const joined = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
    shards.reduce((at, s) => (joined.set(s, at), at + s.byteLength), 0);
    const listed = group.weights.reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    if (joined.byteLength !== listed) {
      const files = group.paths.map((p) => `\`${join(dir, p)}\``).join(', ');
      throw new RunFolderError(`${files} ${group.paths.length === 1 ? 'holds' : 'hold'} ${joined.byteLength.toLocaleString('en-US')} bytes, but \`${basename(modelJson)}\` lists ${listed.toLocaleString('en-US')} bytes of weights: the files are incomplete or from different runs`);
    }
    data.push(joined);
  }
  const savedName = (json as { modelTopology?: { config?: { name?: unknown } } }).modelTopology?.config?.name;
  const history = (await readJson(io, join(dir, 'history.json'))) as RunFolder['history'];
  const classes = (await readJson(io, join(dir, 'classes.json'))) as RunFolder['classes'];
  return { dir, modelJson, savedName: typeof savedName === 'string' ? savedName : undefined, groups, data, history, classes };
}

/**
 * The .nn source of a run: `--source`, else the copy `nnc train` keeps in the run folder
 * (model.nn), else the file history.json names. `origin` is the name to record in the export.
 */
export async function runSource(folder: RunFolder, given: string | undefined, io: CliIO): Promise<Source & { origin: string }> {
  const read = async (file: string): Promise<Source | undefined> => {
    try {
      const raw = await io.readFile(file);
      return { text: raw.startsWith('\uFEFF') ? raw.slice(1) : raw, filename: file };
    } catch (error) {
      if (file !== given && (error as { code?: string }).code === 'ENOENT') return undefined;
      throw new RunFolderError(`cannot read \`${file}\`: ${describeIoError(error)}`);
    }
  };
  const recorded = folder.history?.source;
  if (given !== undefined) return { ...(await read(given))!, origin: given };
  // The copy is the file the run was trained from, under the name it had then.
  const copy = await read(join(folder.dir, 'model.nn'));
  if (copy) return { ...copy, origin: typeof recorded === 'string' ? recorded : copy.filename };
  if (typeof recorded === 'string') {
    const source = await read(recorded);
    if (source) return { ...source, origin: recorded };
    throw new RunFolderError(`\`${folder.dir}\` was trained from \`${recorded}\`, which is not there any more: pass the model with \`--source FILE\``);
  }
  throw new RunFolderError(`\`${folder.dir}\` does not say which .nn file it was trained from (it has no model.nn or history.json): pass it with \`--source FILE\``);
}
