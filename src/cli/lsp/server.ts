import {
  createConnection,
  ErrorCodes,
  InlayHintKind,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../service/index.js';
import {
  encodeSemanticTokens,
  semanticTokensLegend,
  toLspCodeAction,
  toLspCompletion,
  toLspDiagnostic,
  toLspSignatureHelp,
  toLspSymbol,
} from './convert.js';

export interface ServerOptions {
  /** How long diagnostics wait after the last change before they are computed and published. */
  debounceMs?: number;
}

/**
 * `nnc lsp`: the language service behind the Language Server Protocol. Documents sync
 * incrementally; each change updates the service's text, and the diagnostics of the newest
 * version are published once the edits pause. Every request is answered from the analysis of
 * the document's current version; a request cancelled before it runs is answered with
 * RequestCancelled. The reader and writer are the process's stdio in `nnc lsp --stdio`.
 */
export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, options: ServerOptions = {}): Connection {
  const connection = createConnection(ProposedFeatures.all, input, output);
  const documents = new TextDocuments(TextDocument);
  const service = createLanguageService();
  const debounceMs = options.debounceMs ?? 150;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  let formatWidth: number | undefined;

  const publish = (uri: string): void => {
    pending.delete(uri);
    const document = service.document(uri);
    if (!document) return;
    const diagnostics = service.diagnostics(uri).map((d) => toLspDiagnostic(d, uri));
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  };
  const schedule = (uri: string): void => {
    clearTimeout(pending.get(uri));
    pending.set(uri, setTimeout(() => publish(uri), debounceMs));
  };

  connection.onInitialize((params): InitializeResult => {
    const width = (params.initializationOptions as { formatWidth?: unknown } | undefined)?.formatWidth;
    if (typeof width === 'number' && width > 0) formatWidth = width;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['>', '(', ',', '=', '[', '{', ':'] },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: ['='] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        semanticTokensProvider: { legend: semanticTokensLegend, full: true },
        inlayHintProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite'] },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
      },
      serverInfo: { name: 'nnc' },
    };
  });

  documents.onDidOpen(({ document }) => {
    service.open(document.uri, document.getText(), document.version);
    schedule(document.uri);
  });
  documents.onDidChangeContent(({ document }) => {
    service.update(document.uri, document.getText(), document.version);
    schedule(document.uri);
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(pending.get(document.uri));
    pending.delete(document.uri);
    service.close(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  /** Answers a request unless it was cancelled while it waited. */
  const answer = <T>(token: CancellationToken, run: () => T): T | ResponseError<void> =>
    token.isCancellationRequested ? new ResponseError(LSPErrorCodes.RequestCancelled, 'the request was cancelled') : run();

  connection.onHover((p, token) => answer(token, () => {
    const hover = service.hover(p.textDocument.uri, p.position);
    return hover ? { contents: { kind: 'markdown', value: hover.contents }, range: hover.range } : null;
  }));
  connection.onCompletion((p, token) => answer(token, () => service.completions(p.textDocument.uri, p.position).map(toLspCompletion)));
  connection.onSignatureHelp((p, token) => answer(token, () => {
    const help = service.signatureHelp(p.textDocument.uri, p.position);
    return help ? toLspSignatureHelp(help) : null;
  }));
  connection.onDefinition((p, token) => answer(token, () => service.definition(p.textDocument.uri, p.position)));
  connection.onReferences((p, token) => answer(token, () => service.references(p.textDocument.uri, p.position, p.context.includeDeclaration)));
  connection.onPrepareRename((p, token) => answer(token, () => {
    const prepared = service.prepareRename(p.textDocument.uri, p.position);
    if (!prepared.ok) return new ResponseError(ErrorCodes.InvalidRequest, prepared.reason);
    return { range: prepared.range, placeholder: prepared.placeholder };
  }));
  connection.onRenameRequest((p, token) => answer(token, () => {
    const result = service.rename(p.textDocument.uri, p.position, p.newName);
    if (!result.ok) return new ResponseError(ErrorCodes.InvalidParams, result.reason);
    return { changes: { [p.textDocument.uri]: result.edits } };
  }));
  connection.onDocumentSymbol((p, token) => answer(token, () => service.documentSymbols(p.textDocument.uri).map(toLspSymbol)));
  connection.languages.semanticTokens.on((p, token) => answer(token, () => ({ data: encodeSemanticTokens(service.semanticTokens(p.textDocument.uri)) })));
  connection.languages.inlayHint.on((p, token) => answer(token, () =>
    service.inlayHints(p.textDocument.uri, p.range).map((h) => ({ position: h.position, label: h.label, kind: InlayHintKind.Type, paddingLeft: !h.label.startsWith(':') }))));
  connection.onCodeAction((p, token) => answer(token, () => service.codeActions(p.textDocument.uri, p.range).map((a) => toLspCodeAction(a, p.textDocument.uri, p.context.diagnostics))));
  connection.onDocumentFormatting((p, token) => answer(token, () => service.format(p.textDocument.uri, widthOption(formatWidth))));
  connection.onDocumentRangeFormatting((p, token) => answer(token, () => service.formatRange(p.textDocument.uri, p.range, widthOption(formatWidth))));

  documents.listen(connection);
  connection.listen();
  return connection;
}

function widthOption(width: number | undefined): { width?: number } {
  return width === undefined ? {} : { width };
}
