import { describe, expect, test } from 'vitest';
import { analyzeSignal } from '../../src/analysis/signal.js';
import { reportSignal } from '../../src/analysis/report-signal.js';
import { main } from '../../src/cli/main.js';
import { Reporter } from '../../src/diagnostics/reporter.js';
import { renderDepthTable } from '../../src/format/depth-table.js';
import { renderSummaryTable } from '../../src/format/summary-table.js';
import { summarize } from '../../src/summary.js';
import { fakeIO } from '../cli/support/fake-io.js';
import { act, denseAttrs, ModelBuilder } from '../codegen/support/ir-builder.js';

/**
 * Nothing in the pipeline spreads the layers into a call or recurses over them: `nnc check` of
 * 200,000 layers ended in an internal error, `Math.max(...widths)` overflowing the stack in the
 * summary table. Speed is for `npm run bench`; these only have to finish.
 */

const LAYERS = 200_000;

describe('200,000 layers', () => {
  test('nnc check prints the summary of every layer', async () => {
    const source = `model Deep {\n  input x: [1]\n  output y = x -> repeat(${LAYERS}, dense(1, tanh))\n}\n`;
    const fake = fakeIO({ files: { 'deep.nn': source } });
    const code = await main(['check', 'deep.nn'], fake.io);
    expect(fake.stderr()).not.toContain('internal');
    expect(code).toBe(0);
    const out = fake.stdout();
    expect(out).toContain(`Total params: ${(2 * LAYERS).toLocaleString('en-US')}`);
    expect(out.split('\n').filter((line) => /^y(\/dense_\d+)? +dense /.test(line))).toHaveLength(LAYERS);
  });

  test('a trend through all of them is reported, and the depth table renders', () => {
    // Built by hand: the checker's own run is the test above.
    const b = new ModelBuilder('Deep');
    let node = b.input('x', [1]);
    for (let i = 1; i <= LAYERS; i++) node = b.chain(`d${i}`, 'dense', denseAttrs(1, { activation: act('tanh') }), [node]);
    const model = b.output('y', node).build();
    const analysis = analyzeSignal(model);
    // A gentle shrink at every layer, ×10^-87 in all: a trend along a path of 200,000 layers.
    let gain = 1;
    for (const row of analysis.rows) {
      if (row.layer === null) continue;
      gain *= 0.999;
      Object.assign(row, { layerGain: 0.999, forwardGain: gain, forward: gain });
    }
    const reporter = new Reporter();
    reportSignal(model, analysis, [1e-3, 1e3], reporter);
    expect(reporter.diagnostics.map((d) => d.code)).toContain('W6001');
    expect(renderDepthTable(analysis).split('\n').length).toBeGreaterThan(LAYERS);
    expect(renderSummaryTable(summarize(model)).split('\n').length).toBeGreaterThan(LAYERS);
  });
});
