import { beforeAll, test } from 'vitest';
import { tfjsName } from '../../src/codegen/tfjs/names.js';
import type { Shape } from '../../src/ir/ir.js';
import { formatShape } from '../../src/registry/op.js';
import { validModel } from './arbitraries/models.js';
import { cpuBackend, generated } from './support/generated.js';
import { assertProperty, checkedModel, propertyRuns, timeoutFor } from './support/run-property.js';

/**
 * Property (3): the tfjs model that the generated `buildModel` builds has the shapes the checker
 * inferred (outputs, and every layer applied once) and as many parameters as the summary says.
 * Where the IR has `?` tfjs may have anything; where the IR knows a size tfjs must agree.
 */

const runs = propertyRuns(200);

beforeAll(async () => {
  await cpuBackend();
});

/** Why the tfjs shape (batch first) is not the IR's, or undefined when they agree. */
function shapeMismatch(ir: Shape, tfjs: ReadonlyArray<number | null>): string | undefined {
  const expected = [null, ...ir];
  const agrees = tfjs.length === expected.length && expected.every((d, i) => d === null || d === tfjs[i]);
  return agrees ? undefined : `the IR infers ${formatShape(expected)}, tfjs builds ${formatShape([...tfjs])}`;
}

test(
  `built tfjs models have the inferred shapes and parameter counts (${runs} random models)`,
  async () => {
    await assertProperty(
      validModel({ avoidKnownTfjsIssues: true }).map((model) => ({ model })),
      async ({ model: generatedModel }) => {
        checkedModel(generatedModel.source);
        const { model, summary, module } = await generated(generatedModel.source);
        const built = module.buildModel({ seed: 0 });
        try {
          const problems: string[] = [];
          model.outputs.forEach((output, i) => {
            const mismatch = shapeMismatch(output.type.shape, built.outputs[i]!.shape);
            if (mismatch) problems.push(`output ${output.name}: ${mismatch}`);
          });
          const applications = new Map<string, number>();
          for (const node of model.nodes) if (node.kind === 'apply') applications.set(node.layer, (applications.get(node.layer) ?? 0) + 1);
          for (const node of model.nodes) {
            if (node.kind !== 'apply' || applications.get(node.layer) !== 1) continue;
            const layer = built.getLayer(tfjsName(node.layer));
            const mismatch = shapeMismatch(node.type.shape, layer.outputShape as Array<number | null>);
            if (mismatch) problems.push(`layer ${node.layer} (${layer.getClassName()}): ${mismatch}`);
          }
          if (built.countParams() !== summary.totalParams) problems.push(`tfjs counts ${built.countParams()} parameters, the summary ${summary.totalParams}`);
          if (problems.length > 0) throw new Error(problems.join('\n'));
        } finally {
          built.dispose();
        }
      },
      { name: 'tfjs-shapes', runs },
    );
  },
  timeoutFor(runs, 150),
);
