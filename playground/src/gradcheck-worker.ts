/**
 * `nnc gradcheck` in a worker of its own: the float64 check of a large model takes seconds, and
 * the language service's worker must keep answering the editor meanwhile.
 */
import { renderGradcheckTable } from '../../src/format/gradcheck-table.js';
import { gradcheck } from '../../src/gradcheck.js';

export interface GradcheckAnswer {
  /** The table `nnc gradcheck` prints, or why there is none. */
  table: string;
  passed: boolean;
  /** One line per tensor: name and grade, for the page to mark. */
  grades: Array<{ name: string; grade: string }>;
}

self.onmessage = (event: MessageEvent<{ text: string }>) => {
  let answer: GradcheckAnswer;
  try {
    const result = gradcheck(event.data.text, { filename: 'playground.nn' });
    if (!result.report) {
      const first = result.diagnostics.find((d) => d.severity === 'error');
      answer = { table: `No gradient check: ${first ? `the model has errors (first: ${first.code} ${first.message})` : 'the file needs exactly one model'}.`, passed: false, grades: [] };
    } else answer = { table: renderGradcheckTable(result.report), passed: result.ok, grades: result.report.tensors.map((t) => ({ name: t.name, grade: t.grade })) };
  } catch (error) {
    answer = { table: `The gradient check failed: ${(error as Error).message}`, passed: false, grades: [] };
  }
  self.postMessage(answer);
};
