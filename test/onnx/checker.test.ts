import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/compile.js';
import { buildOnnxModel, encodeOnnx } from '../../src/onnx/export-model.js';
import { DEBIAN_PYTHON, hasSystemDependency } from '../support/system-deps.js';

/**
 * ONNX's own checker (Debian's python3-onnx 1.12, which knows opsets up to 17 and IR version 8)
 * with full_check, which also runs strict shape inference against every value_info: every
 * example and golden fixture (unknown dimensions, blocks, layouts) passes at every opset the checker knows. Its protobuf library re-serializes each file
 * to the very same bytes, so the encoding is canonical (fields in number order, packed arrays).
 */

const CHECKER = `
import json, sys, onnx
results = {}
for path in sys.argv[1:]:
    data = open(path, 'rb').read()
    try:
        model = onnx.load_from_string(data)
        onnx.checker.check_model(model, full_check=True)
        results[path] = 'canonical' if model.SerializeToString() == data else 'valid, not canonical'
    except Exception as error:
        results[path] = f'{type(error).__name__}: {error}'
print(json.dumps(results))
`;

const root = join(import.meta.dirname, '../..');
const dir = join(root, 'test/.tmp/onnx-checker');

describe.skipIf(!hasSystemDependency('python3-onnx'))('the ONNX checker', () => {
  test('accepts every example and golden fixture at opsets 13 to 17, byte for byte as protobuf writes it', () => {
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    const fixtures = join(import.meta.dirname, 'fixtures');
    const sources = [
      ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.nn')).map((f) => join(root, 'examples', f)),
      ...readdirSync(fixtures).map((f) => join(fixtures, f, 'input.nn')),
    ];
    for (const path of sources) {
      const file = path.slice(root.length + 1);
      const text = readFileSync(path, 'utf8');
      for (const model of check(text).ir!.models) {
        for (const opset of [13, 14, 15, 16, 17]) {
          const out = join(dir, `${model.name}-${opset}.onnx`);
          writeFileSync(out, encodeOnnx(buildOnnxModel(model, { opset, source: { filename: file, text } })));
          files.push(out);
        }
      }
    }
    const run = spawnSync(DEBIAN_PYTHON, ['-c', CHECKER, ...files], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    const results = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.entries(results).filter(([, r]) => r !== 'canonical')).toEqual([]);
    expect(Object.keys(results)).toHaveLength(files.length);
  });
});
