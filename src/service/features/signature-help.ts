import { printExpressionLine } from '../../print/print-program.js';
import { registry } from '../../registry/registry.js';
import type { DocumentAnalysis } from '../analysis/analyze.js';
import type { SignatureHelp } from '../types.js';
import { cursorAt } from './cursor-context.js';
import { paramDoc, paramLabel, signature } from './describe.js';
import { paramsOf } from './completion.js';

/** The signature of the op, block, activation, initializer or optimizer whose arguments are being typed. */
export function signatureHelp(analysis: DocumentAnalysis, offset: number): SignatureHelp | undefined {
  const { context } = cursorAt(analysis, offset);
  if (context.kind !== 'argument') return undefined;
  const call = context.call;
  const block = analysis.symbols.blocks.get(call.callee);
  if (block) {
    const labels = block.params.map((p) => (p.default ? `${p.name.name} = ${printExpressionLine(p.default)}` : p.name.name));
    const active = call.keyword ? block.params.findIndex((p) => p.name.name === call.keyword) : call.positional < block.params.length ? call.positional : -1;
    return { label: `block ${block.name.name}(${labels.join(', ')})`, parameters: labels.map((label) => ({ label })), activeParameter: active };
  }
  if (call.callee === 'repeat') {
    return { label: 'repeat(count, layer)', documentation: 'N copies of the layer in sequence, each with its own weights.', parameters: [{ label: 'count' }, { label: 'layer' }], activeParameter: Math.min(call.positional, 1) };
  }
  const params = paramsOf(call, analysis);
  if (!params) return undefined;
  const op = registry.op(call.callee);
  // A merge call's positional arguments are its tensors; only keywords configure it.
  const merging = op?.tensorArgs && !call.inStage;
  const active = call.keyword ? params.findIndex((p) => p.name === call.keyword) : merging ? -1 : call.positional < params.length ? call.positional : -1;
  const documentation = op?.doc.summary ?? registry.activation(call.callee)?.doc ?? registry.initializer(call.callee)?.doc ?? registry.optimizer(call.callee)?.doc;
  const name = merging ? `${call.callee}(tensors...${params.length ? ', ' : ''}` : undefined;
  const label = name ? `${name}${params.map(paramLabel).join(', ')})` : signature(call.callee, params);
  return { label, ...(documentation ? { documentation } : {}), parameters: params.map((p) => ({ label: paramLabel(p), documentation: paramDoc(p) })), activeParameter: active };
}
