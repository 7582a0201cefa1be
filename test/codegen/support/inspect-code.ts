import ts from 'typescript';

/** The identifiers, property keys, string values and comments of a generated module, from its syntax tree. */
export interface CodeParts {
  identifiers: Set<string>;
  keys: Set<string>;
  /** The member names of the `Inputs` and `Outputs` interfaces (TypeScript): the model's input and output names, by design. */
  portKeys: string[];
  strings: string[];
  comments: string[];
  syntaxErrors: string[];
}

export function inspectCode(code: string): CodeParts {
  const file = ts.createSourceFile('generated.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const parts: CodeParts = { identifiers: new Set(), keys: new Set(), portKeys: [], strings: [], comments: [], syntaxErrors: [] };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertySignature(node) && ts.isInterfaceDeclaration(node.parent) && ['Inputs', 'Outputs'].includes(node.parent.name.text)) {
      parts.portKeys.push(ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : node.name.getText(file));
      if (node.type) visit(node.type);
      return;
    }
    if (ts.isIdentifier(node)) parts.identifiers.add(node.text);
    if ((ts.isPropertyAssignment(node) || ts.isPropertySignature(node) || ts.isShorthandPropertyAssignment(node)) && node.name) {
      parts.keys.add(node.name.getText(file));
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) parts.strings.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, code);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) parts.comments.push(scanner.getTokenText());
  }
  const transpiled = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  parts.syntaxErrors = (transpiled.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return parts;
}

/** Identifiers the generator makes up for user things; everything else must be the module's own. */
export const generatedIdentifier = /^(t|l|loss)_[A-Za-z0-9_]*$/;
