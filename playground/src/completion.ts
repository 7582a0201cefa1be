import { snippetCompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import type { CompletionItem, CompletionKind } from '../../src/service/types.js';
import { renderMarkdown } from './markdown.js';
import { toOffsets, toPosition } from './positions.js';
import type { ServiceClient } from './service-client.js';

const TYPES: Record<CompletionKind, string> = {
  op: 'function',
  block: 'class',
  layer: 'variable',
  tensor: 'variable',
  parameter: 'variable',
  argument: 'property',
  activation: 'enum',
  initializer: 'enum',
  loss: 'enum',
  optimizer: 'enum',
  metric: 'enum',
  setting: 'property',
  value: 'constant',
  keyword: 'keyword',
  output: 'variable',
};

/**
 * The service's snippets are the LSP's (`$1`, `${1:text}`, `$0` last); CodeMirror's templates
 * number fields as `${1}` and `${1:text}` and take braces literally only when escaped.
 */
export function toTemplate(insertText: string): string {
  return insertText.replace(/\$\{(\d+):([^}]*)\}|\$(\d+)|([{}])/g, (_all, n: string | undefined, text: string | undefined, bare: string | undefined, brace: string | undefined) => {
    if (brace) return `\\${brace}`;
    const field = Number(n ?? bare) === 0 ? 99 : Number(n ?? bare);
    return text !== undefined ? `\${${field}:${text}}` : `\${${field}}`;
  });
}

function toCompletion(item: CompletionItem): Completion {
  const completion: Completion = { label: item.label, type: TYPES[item.kind] };
  if (item.detail) completion.detail = item.detail;
  if (item.documentation) {
    const documentation = item.documentation;
    completion.info = () => {
      const dom = document.createElement('div');
      dom.className = 'nn-doc';
      dom.innerHTML = renderMarkdown(documentation);
      return dom;
    };
  }
  if (item.snippet) return snippetCompletion(toTemplate(item.insertText), completion);
  if (item.insertText !== item.label) completion.apply = item.insertText;
  return completion;
}

/** Completion from the service: ops after `->`, arguments in calls, names, settings in `train { }`. */
export function serviceCompletions(client: ServiceClient) {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    if (!context.explicit && !context.matchBefore(/\w+$/) && !context.matchBefore(/->\s?$/)) return null;
    const doc = context.state.doc;
    const items = await client.request('completions', { position: toPosition(doc, context.pos) });
    if (context.aborted || items.length === 0 || context.state.doc !== doc) return null;
    const { from, to } = toOffsets(doc, items[0]!.range);
    return { from, to, options: items.map(toCompletion), validFor: /^\w*$/ };
  };
}
