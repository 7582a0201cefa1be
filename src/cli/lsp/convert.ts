import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CodeAction as LspCodeAction,
  type CompletionItem as LspCompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol as LspDocumentSymbol,
  type SignatureHelp as LspSignatureHelp,
} from 'vscode-languageserver/node';
import type { CodeAction, CompletionItem, Range, CompletionKind, DocumentSymbol, SemanticToken, ServiceDiagnostic, SignatureHelp, SymbolKind as NnSymbolKind } from '../../service/types.js';
import { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from '../../service/types.js';

/** The service's answers as LSP types. Positions need no conversion: both are UTF-16 lines and characters. */

const severities = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** A diagnostic as an editor shows it: the message, then the help line as rustc prints it; labels as related locations. */
export function toLspDiagnostic(diagnostic: ServiceDiagnostic, uri: string): LspDiagnostic {
  return {
    range: diagnostic.range,
    severity: severities[diagnostic.severity],
    code: diagnostic.code,
    source: 'nnc',
    message: diagnostic.help ? `${diagnostic.message}\nhelp: ${diagnostic.help}` : diagnostic.message,
    relatedInformation: diagnostic.labels.map((label) => ({ location: { uri, range: label.range }, message: label.message })),
  };
}

const completionKinds: Record<CompletionKind, CompletionItemKind> = {
  op: CompletionItemKind.Function,
  block: CompletionItemKind.Class,
  layer: CompletionItemKind.Function,
  tensor: CompletionItemKind.Variable,
  parameter: CompletionItemKind.TypeParameter,
  argument: CompletionItemKind.Property,
  activation: CompletionItemKind.Function,
  initializer: CompletionItemKind.Function,
  loss: CompletionItemKind.EnumMember,
  optimizer: CompletionItemKind.Function,
  metric: CompletionItemKind.EnumMember,
  setting: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  keyword: CompletionItemKind.Keyword,
  output: CompletionItemKind.Variable,
};

export function toLspCompletion(item: CompletionItem): LspCompletionItem {
  const lsp: LspCompletionItem = {
    label: item.label,
    kind: completionKinds[item.kind],
    textEdit: { range: item.range, newText: item.insertText },
    insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
  if (item.detail) lsp.detail = item.detail;
  if (item.documentation) lsp.documentation = { kind: MarkupKind.Markdown, value: item.documentation };
  if (item.sortText) lsp.sortText = item.sortText;
  return lsp;
}

export function toLspSignatureHelp(help: SignatureHelp): LspSignatureHelp {
  return {
    signatures: [
      {
        label: help.label,
        ...(help.documentation ? { documentation: { kind: MarkupKind.Markdown, value: help.documentation } } : {}),
        parameters: help.parameters.map((p) => ({ label: p.label, ...(p.documentation ? { documentation: { kind: MarkupKind.Markdown, value: p.documentation } } : {}) })),
      },
    ],
    activeSignature: 0,
    activeParameter: help.activeParameter < 0 ? help.parameters.length : help.activeParameter,
  };
}

const symbolKinds: Record<NnSymbolKind, SymbolKind> = {
  model: SymbolKind.Class,
  block: SymbolKind.Function,
  input: SymbolKind.Field,
  output: SymbolKind.Event,
  definition: SymbolKind.Variable,
  layer: SymbolKind.Object,
  parameter: SymbolKind.TypeParameter,
  train: SymbolKind.Namespace,
};

export function toLspSymbol(symbol: DocumentSymbol): LspDocumentSymbol {
  return {
    name: symbol.name,
    kind: symbolKinds[symbol.kind],
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    children: symbol.children.map(toLspSymbol),
    ...(symbol.detail ? { detail: symbol.detail } : {}),
  };
}

export const semanticTokensLegend = { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] };

/** LSP's relative encoding: five integers per token, each position relative to the previous token. */
export function encodeSemanticTokens(tokens: readonly SemanticToken[]): number[] {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const token of tokens) {
    const deltaLine = token.line - line;
    data.push(deltaLine, deltaLine === 0 ? token.character - character : token.character, token.length, SEMANTIC_TOKEN_TYPES.indexOf(token.type), token.modifiers.reduce((bits, m) => bits | (1 << SEMANTIC_TOKEN_MODIFIERS.indexOf(m)), 0));
    line = token.line;
    character = token.character;
  }
  return data;
}

/** A fix with the client's diagnostics it resolves (the ones with its code over its range). */
export function toLspCodeAction(action: CodeAction, uri: string, diagnostics: readonly LspDiagnostic[]): LspCodeAction {
  const fixed = action.diagnostic;
  const fixes = fixed ? diagnostics.filter((d) => d.code === fixed.code && sameRange(d.range, fixed.range)) : [];
  return {
    title: action.title,
    kind: action.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
    edit: { changes: { [uri]: action.edits } },
    ...(fixes.length ? { diagnostics: fixes } : {}),
    ...(action.preferred ? { isPreferred: true } : {}),
  };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
