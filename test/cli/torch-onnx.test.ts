import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { DEBIAN_PYTHON, hasSystemDependency } from '../support/system-deps.js';
import { realIO } from './support/real-io.js';

/**
 * train.py's model.onnx, through the path a user takes (`nnc train --engine torch`): the trained
 * module in inference mode, which onnxruntime runs to the same outputs as PyTorch runs model.pt,
 * and which ONNX's own checker accepts. The model has what inference mode changes (dropout,
 * batch_norm's moving statistics) and what the layout changes (a channels-last convolution with
 * TF `same` padding).
 */

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const dir = mkdtempSync(join(tmpdir(), 'nnc-torch-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source = `model Patches {
  input image: [4, 4, 1]
  features = image -> conv2d(3, 3, strides=2, padding=same, activation=relu) -> batch_norm -> flatten
  output kind = features -> dropout(0.5) -> dense(2, softmax)
  train { loss = sparse_categorical_crossentropy  metrics = [accuracy]  epochs = 3  batch_size = 4  seed = 3 }
}
`;
const rows = Array.from({ length: 12 }, (_, r) => Array.from({ length: 16 }, (_, i) => Math.sin(r * 16 + i)));
const header = [...Array.from({ length: 16 }, (_, i) => `image_${i}`), 'kind'].join(',');
writeFileSync(join(dir, 'patches.nn'), source);
writeFileSync(join(dir, 'patches.csv'), [header, ...rows.map((row, r) => [...row.map((v) => v.toFixed(6)), r % 2].join(','))].join('\n') + '\n');

/** PyTorch's outputs of the run's model.pt on these rows, in inference mode. */
function torchOutputs(run: string, images: number[][]): number[][] {
  const script = `
import json, sys, torch
sys.path.insert(0, sys.argv[1])
from model import Patches
saved = torch.load(sys.argv[1] + "/model.pt")
model = Patches()
model.load_state_dict(saved["state_dict"])
model.eval()
with torch.no_grad():
    print(json.dumps(model(torch.tensor(json.loads(sys.argv[2]), dtype=torch.float32).reshape(-1, 4, 4, 1)).tolist()))
`;
  const r = spawnSync(DEBIAN_PYTHON, ['-c', script, run, JSON.stringify(images)], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as number[][];
}

describe.skipIf(!hasSystemDependency('python3-torch'))('train.py exports model.onnx', () => {
  test('nnc train --engine torch writes model.onnx, which onnxruntime runs as PyTorch runs model.pt', async () => {
    const out = join(dir, 'run');
    const { io, stdout, stderr } = realIO();
    expect(await main(['train', join(dir, 'patches.nn'), '--data', join(dir, 'patches.csv'), '--engine', 'torch', '--out', out], io)).toBe(0);
    expect(stderr()).toBe('');
    expect(stdout()).toContain(`wrote ${out}: model.pt, model.onnx, model.py, train.py,`);
    expect(readdirSync(out)).toContain('model.onnx');

    const session = await ort.InferenceSession.create(readFileSync(join(out, 'model.onnx')));
    expect(session.inputNames).toEqual(['image']);
    expect(session.outputNames).toEqual(['kind']);
    const data = Float32Array.from(rows.flat());
    const result = await session.run({ image: new ort.Tensor('float32', data, [rows.length, 4, 4, 1]) });
    const onnx = result.kind!.data as Float32Array;
    expect(result.kind!.dims).toEqual([rows.length, 2]);
    const expected = torchOutputs(out, rows).flat();
    expect(onnx.length).toBe(expected.length);
    // Dropout would make the rows disagree and batch statistics would make them depend on the batch.
    const worst = Math.max(...expected.map((v, i) => Math.abs(v - onnx[i]!)));
    expect(worst).toBeLessThan(1e-5);
    await session.release();
  }, 300_000);

  test.skipIf(!hasSystemDependency('python3-onnx'))('ONNX checker accepts it, with a symbolic batch dimension', () => {
    const r = spawnSync(DEBIAN_PYTHON, ['-c', `
import sys, onnx
model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)
print(model.opset_import[0].version, model.graph.input[0].type.tensor_type.shape.dim[0].dim_param)
`, join(dir, 'run', 'model.onnx')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('17 batch');
  });

  test('train.py takes --opset 13 to 17 and --no-onnx, and refuses another opset before it trains', () => {
    const train = join(dir, 'run', 'train.py');
    const bad = spawnSync(DEBIAN_PYTHON, [train, '--data', join(dir, 'patches.csv'), '--opset', '21'], { encoding: 'utf8', cwd: join(dir, 'run') });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('argument --opset: 21 is not an opset train.py exports: give 13 to 17');
    const out = join(dir, 'plain');
    const plain = spawnSync(DEBIAN_PYTHON, [train, '--data', join(dir, 'patches.csv'), '--no-onnx', '--quiet', '--out', out], { encoding: 'utf8', cwd: join(dir, 'run') });
    expect(plain.stderr).toBe('');
    expect(plain.status).toBe(0);
    expect(readdirSync(out)).toContain('model.pt');
    expect(readdirSync(out)).not.toContain('model.onnx');
    const older = spawnSync(DEBIAN_PYTHON, [train, '--data', join(dir, 'patches.csv'), '--opset', '13', '--quiet', '--out', join(dir, 'opset13')], { encoding: 'utf8', cwd: join(dir, 'run') });
    expect(older.status).toBe(0);
    expect(readdirSync(join(dir, 'opset13'))).toContain('model.onnx');
  }, 300_000);
});
